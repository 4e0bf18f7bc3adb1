/**
 * Setting up a fresh environment: every declared collection, the default settings and the
 * migrations, once; a second run changes nothing; an owner cannot run it from the mini-program.
 */
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { useTestCloud } from '../helpers/cloud';
import { postJson } from '../helpers/process';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { SetupReport } from '../../miniprogram/domain/setup/contract';

// A bare environment: no seed at all, not even the collections.
const cloud = useTestCloud({ seeder: undefined, per: 'file' });

const runAsConsole = async () =>
  (
    await postJson<Reply<SetupReport>>(`${cloud.url}/dev/call/setup`, {
      event: { action: 'run' },
      source: 'wx_devtools',
    })
  ).body;

test('a mini-program user who is not an admin cannot run setup', async () => {
  cloud.store.createCollection('staff_roles');
  const res = await postJson<Reply<SetupReport>>(`${cloud.url}/dev/call/setup`, {
    event: { action: 'run' },
    openid: 'o_someone',
  });
  expect(res.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(
    cloud.store
      .listCollections()
      .map((c) => c.name)
      .filter((n) => !n.startsWith('__')),
  ).toEqual(['staff_roles']);
});

test('the first run creates every collection, the defaults and the migrations; the second changes nothing', async () => {
  const first = await runAsConsole();
  if (!first.ok) throw new Error(first.message);
  const declared = COLLECTIONS.map((c) => c.name);
  expect(first.data.collectionsCreated.sort()).toEqual(
    declared.filter((n) => n !== 'staff_roles').sort(),
  );
  expect(first.data.settingsCreated).toBe(true);
  expect(first.data.migrationsApplied).toEqual([1]);
  expect(first.data.indexes).toEqual(
    expect.arrayContaining([expect.objectContaining({ collection: 'bills', unique: true })]),
  );
  expect(first.data.securityRules).toMatchObject({ bills: { read: false, write: false } });
  for (const name of declared) expect(cloud.store.hasCollection(name)).toBe(true);
  const defaults = cloud.store.find('app_config', { _id: 'defaults' })[0]!;
  expect(defaults.quietHours).toEqual({ from: '21:00', to: '08:00' });
  expect((defaults.escalation as { day: number }[]).map((s) => s.day)).toEqual([1, 15, 30, 60]);

  const before = JSON.stringify(cloud.store.find('app_config', {}));
  const second = await runAsConsole();
  expect(second).toMatchObject({
    ok: true,
    data: {
      collectionsCreated: [],
      collectionsExisting: declared.length,
      settingsCreated: false,
      migrationsApplied: [],
    },
  });
  expect(JSON.stringify(cloud.store.find('app_config', {}))).toBe(before);
});
