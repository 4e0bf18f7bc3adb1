/**
 * `npm run deploy -- --database`: collections and indexes created through WeChat's HTTPS API
 * (token, databasecollectionget/add, updateindex), here against the local cloud's copy of those
 * endpoints. A second run creates nothing; a wrong secret or a unique index over duplicates is
 * reported, not hidden.
 */
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { LOCAL_APP_SECRET } from '../../tools/cloud/httpapi';
import { LOCAL_APPID, LOCAL_ENV_ID } from '../../tools/cloud/server';
import { applyDatabase } from '../../tools/deploy';
import { useTestCloud } from '../helpers/cloud';

const cloud = useTestCloud({ seeder: undefined, per: 'file' });

const target = (over: Partial<Parameters<typeof applyDatabase>[0]> = {}) => ({
  apiBase: cloud.url,
  appid: LOCAL_APPID,
  secret: LOCAL_APP_SECRET,
  env: LOCAL_ENV_ID,
  log: () => {},
  ...over,
});

test('a wrong AppSecret is refused before anything is created', async () => {
  await expect(applyDatabase(target({ secret: 'nope' }))).rejects.toThrow(/40125/);
  expect(cloud.store.listCollections().filter((c) => !c.name.startsWith('__'))).toEqual([]);
});

test('every declared collection and index is created, unique ones enforced', async () => {
  const r = await applyDatabase(target());
  expect(r.failures).toEqual([]);
  expect(r.collectionsCreated.sort()).toEqual(COLLECTIONS.map((c) => c.name).sort());
  const indexCount = COLLECTIONS.reduce((n, c) => n + c.indexes.length, 0);
  expect(r.indexesApplied).toBe(indexCount);
  const byName = new Map(cloud.store.listCollections().map((c) => [c.name, c]));
  for (const decl of COLLECTIONS) {
    expect(byName.get(decl.name)?.indexes.map((i) => [i.name, i.keys, i.unique === true])).toEqual(
      decl.indexes.map((i) => [i.name, i.keys, i.unique === true]),
    );
  }
  cloud.store.insert('rooms', [
    { _id: 'r1', communityId: 'c', building: '1', unit: '1', number: '101' },
  ]);
  expect(() =>
    cloud.store.insert('rooms', [
      { _id: 'r2', communityId: 'c', building: '1', unit: '1', number: '101' },
    ]),
  ).toThrow(/duplicate/);
});

test('running it again creates nothing and fails nothing', async () => {
  const r = await applyDatabase(target());
  expect(r.collectionsCreated).toEqual([]);
  expect(r.failures).toEqual([]);
});

test('a unique index over data that already collides is reported', async () => {
  const decl = COLLECTIONS.find((c) => c.name === 'staff_roles')!;
  const uniq = decl.indexes.find((i) => i.unique)!;
  // Simulate an environment where the index was never created and duplicates crept in.
  cloud.store.createCollection('legacy_roles');
  cloud.store.insert('legacy_roles', [
    { _id: 'a', communityId: 'c', openid: 'o1' },
    { _id: 'b', communityId: 'c', openid: 'o1' },
  ]);
  const res = await fetch(`${cloud.url}/cgi-bin/stable_token`, {
    method: 'POST',
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: LOCAL_APPID,
      secret: LOCAL_APP_SECRET,
    }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  const upd = await fetch(`${cloud.url}/tcb/updateindex?access_token=${access_token}`, {
    method: 'POST',
    body: JSON.stringify({
      env: LOCAL_ENV_ID,
      collection_name: 'legacy_roles',
      create_indexes: [
        {
          name: uniq.name,
          unique: true,
          keys: uniq.keys.map((k) => ({ name: k, direction: '1' })),
        },
      ],
      drop_indexes: [],
    }),
  });
  const body = (await upd.json()) as { errcode: number; errmsg: string };
  expect(body.errcode).not.toBe(0);
  expect(body.errmsg).toMatch(/duplicate/);
});

test('a request without a valid token is refused with 40014', async () => {
  const res = await fetch(`${cloud.url}/tcb/databasecollectionget?access_token=forged`, {
    method: 'POST',
    body: JSON.stringify({ env: LOCAL_ENV_ID, limit: 10, offset: 0 }),
  });
  expect(await res.json()).toMatchObject({ errcode: 40014 });
});
