/**
 * Setting up a fresh environment: every declared collection, the default settings and the
 * migrations, once; a second run changes nothing; an owner cannot run it from the mini-program.
 */
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { deskOrder, type DeskInputs } from '../../miniprogram/domain/complaint/desk-order';
import { TICKET_STATUSES } from '../../miniprogram/domain/complaint/rules';
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
  expect(first.data.migrationsApplied).toEqual([1, 2, 3]);
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

test('migration 2 moves who published a notice or prepared, reviewed and published a disclosure into staff_signoffs', async () => {
  // As an environment deployed before issue 20 holds them: staff on the public documents.
  cloud.store.remove('app_config', { _id: 'migration:2' }, { multi: false });
  const at = new Date('2026-10-15T02:00:00Z');
  cloud.store.insert('notices', [
    {
      _id: 'n_old',
      communityId: 'c_x',
      status: 'published',
      title: '旧通知',
      publishedAt: at,
      publishedBy: 'o_staff_a',
      publishedByName: '周客服',
    },
  ]);
  cloud.store.insert('disclosures', [
    {
      _id: 'dc_old',
      communityId: 'c_x',
      status: 'published',
      preparedBy: 'o_fin',
      preparedByName: '孙会计',
      preparedAt: at,
      reviewedBy: 'o_admin',
      reviewedByName: '赵经理',
      reviewedAt: at,
      reviewComment: '核对无误',
      publishedBy: 'o_admin',
      publishedByName: '赵经理',
      publishedAt: at,
    },
    // a draft returned by its reviewer: a name and a comment, no reviewedBy
    {
      _id: 'dc_returned',
      communityId: 'c_x',
      status: 'draft',
      preparedBy: 'o_fin',
      preparedByName: '孙会计',
      preparedAt: at,
      reviewedBy: null,
      reviewedByName: '赵经理',
      reviewedAt: at,
      reviewComment: '请补凭证',
      publishedBy: null,
      publishedByName: '',
      publishedAt: null,
    },
  ]);
  const run = await runAsConsole();
  expect(run).toMatchObject({ ok: true, data: { migrationsApplied: [2] } });
  for (const d of [
    ...cloud.store.find('notices', { communityId: 'c_x' }),
    ...cloud.store.find('disclosures', { communityId: 'c_x' }),
  ]) {
    expect(JSON.stringify(d)).not.toMatch(/o_staff_a|o_fin|o_admin|孙会计|赵经理|周客服|核对无误/);
  }
  const signed = (id: string) => cloud.store.find('staff_signoffs', { _id: id })[0];
  expect(signed('notices:n_old')).toMatchObject({
    communityId: 'c_x',
    collection: 'notices',
    docId: 'n_old',
    prepared: null,
    reviewed: null,
    published: { by: 'o_staff_a', byName: '周客服', at },
  });
  expect(signed('disclosures:dc_old')).toMatchObject({
    prepared: { by: 'o_fin', byName: '孙会计', at },
    reviewed: { by: 'o_admin', byName: '赵经理', at, comment: '核对无误' },
    published: { by: 'o_admin', byName: '赵经理', at },
  });
  expect(signed('disclosures:dc_returned')).toMatchObject({
    prepared: { by: 'o_fin' },
    reviewed: { by: '', byName: '赵经理', comment: '请补凭证', returned: true },
    published: null,
  });
  // Run again: nothing left to move, nothing changes.
  const before = JSON.stringify(cloud.store.find('staff_signoffs', {}));
  expect(await runAsConsole()).toMatchObject({ ok: true, data: { migrationsApplied: [] } });
  expect(JSON.stringify(cloud.store.find('staff_signoffs', {}))).toBe(before);
});

test('migration 3 gives every ticket stored before it the desk order, over more than one page', async () => {
  cloud.store.remove('app_config', { _id: 'migration:3' }, { multi: false });
  const start = Date.parse('2026-10-12T01:00:00Z');
  const hour = 3600_000;
  // 1,205 tickets as an environment deployed before the paged desk holds them (two pages of a
  // read), in every status, answered or not; one already moved by a change since the upgrade.
  const old = Array.from({ length: 1205 }, (_, i) => ({
    _id: `cp_old_${i}`,
    communityId: 'c_x',
    ticketNo: `TS20261012${String(i).padStart(4, '0')}`,
    status: TICKET_STATUSES[i % TICKET_STATUSES.length]!,
    clockStartAt: new Date(start + i * hour),
    firstResponseAt: i % 3 === 0 ? null : new Date(start + i * hour + hour),
    firstResponseDueAt: new Date(start + i * hour + 2 * hour),
    resolutionDueAt: new Date(start + i * hour + 72 * hour),
    updatedAt: new Date(start + i * hour),
  }));
  cloud.store.insert('complaints', old);
  const moved = { deskRank: 0, deadlineAt: new Date(start), nearAt: new Date(start) };
  cloud.store.update(
    'complaints',
    { _id: 'cp_old_5' },
    { $set: moved },
    { multi: false, replace: false, upsert: false },
  );
  expect(await runAsConsole()).toMatchObject({ ok: true, data: { migrationsApplied: [3] } });
  const stored = new Map(cloud.store.find('complaints', {}).map((d) => [d._id, d]));
  for (const t of old) {
    const d = stored.get(t._id)!;
    const want = t._id === 'cp_old_5' ? moved : deskOrder(t as DeskInputs);
    expect([t._id, d.deskRank, d.deadlineAt, d.nearAt]).toEqual([
      t._id,
      want.deskRank,
      want.deadlineAt,
      want.nearAt,
    ]);
  }
  expect(cloud.store.count('complaints', { deskRank: 1 })).toBe(482); // resolved and closed
});
