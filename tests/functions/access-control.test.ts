/**
 * Access control across the community, binding and staff functions: every staff action refuses a
 * caller without the role (owners, strangers, other roles, admins of another community) and
 * writes nothing; records of another community are NOT_FOUND even to its own admins; an owner
 * reaches only their own rooms and never another owner's personal data; every sensitive write
 * lands in the audit log.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { api } from '../../miniprogram/domain/api';
import { callsTo } from '../helpers/calls';
import type { FunctionName } from '../../miniprogram/domain/api';
import { useTestCloud } from '../helpers/cloud';
import {
  ID_NUMBER,
  MOBILE,
  LAKE,
  LAKE_ADMIN,
  counts,
  ok,
  setupLakeside,
} from './community-helpers';
import type { StaffRole } from '../../miniprogram/domain/community/vocabulary';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);
beforeAll(async () => {
  await setupLakeside(cloud);
});

const C = 'c_cuihu';
const ANY: StaffRole[] = ['admin', 'cashier', 'service', 'finance'];

interface Case {
  fn: 'community' | 'binding' | 'staff';
  action: string;
  input: Record<string, unknown>;
  roles: StaffRole[];
  /** The audit action a successful call writes (writes only). */
  audited?: string;
}

const relationOf = (roomId: string) =>
  cloud.store.find('room_owners', { roomId, relation: 'owner' })[0]!._id;

/** Built lazily: some inputs name seeded documents. */
function cases(): Case[] {
  return [
    { fn: 'community', action: 'get', input: { communityId: C }, roles: ANY },
    {
      fn: 'community',
      action: 'update',
      input: { communityId: C, serviceHours: '每日 9:00–17:00' },
      roles: ['admin'],
      audited: 'community.update',
    },
    { fn: 'community', action: 'buildings', input: { communityId: C }, roles: ANY },
    {
      fn: 'community',
      action: 'saveBuilding',
      input: { communityId: C, code: '5', units: ['1'] },
      roles: ['admin'],
      audited: 'building.create',
    },
    { fn: 'community', action: 'rooms', input: { communityId: C, keyword: '1501' }, roles: ANY },
    {
      fn: 'community',
      action: 'room',
      input: { communityId: C, roomId: 'r_1_1_1501' },
      roles: ANY,
    },
    {
      fn: 'community',
      action: 'saveRoom',
      input: {
        communityId: C,
        roomId: 'r_1_1_101',
        building: '1',
        unit: '1',
        number: '101',
        buildingAreaCentiM2: 13700,
      },
      roles: ['admin'],
      audited: 'room.update',
    },
    {
      fn: 'community',
      action: 'roomLedger',
      input: { communityId: C, roomId: 'r_1_1_1501' },
      roles: ANY,
    },
    {
      fn: 'community',
      action: 'endOccupancy',
      input: {
        communityId: C,
        roomId: 'r_1_1_102',
        endDate: '2026-12-31',
        reason: 'vacated',
      },
      roles: ['admin'],
      audited: 'room.occupancyEnd',
    },
    { fn: 'community', action: 'owners', input: { communityId: C, keyword: '王' }, roles: ANY },
    {
      fn: 'community',
      action: 'saveOwner',
      input: { communityId: C, ownerId: 'p_1_1_101', careNote: '需上门' },
      roles: ['admin'],
      audited: 'owner.update',
    },
    {
      fn: 'community',
      action: 'linkPerson',
      input: {
        communityId: C,
        roomId: 'r_1_1_102',
        relation: 'tenant',
        person: { name: '租客甲', mobile: '13700000001' },
      },
      roles: ['admin'],
      audited: 'relation.add',
    },
    {
      fn: 'community',
      action: 'endRelation',
      input: { communityId: C, relationId: relationOf('r_1_1_201') },
      roles: ['admin'],
      audited: 'relation.end',
    },
    {
      fn: 'community',
      action: 'revealContact',
      input: { communityId: C, ownerId: 'p_1_1_101', field: 'mobile', reason: '电话回访' },
      roles: ['admin', 'service'],
      audited: 'contact.reveal',
    },
    {
      fn: 'community',
      action: 'importPreview',
      input: { communityId: C, fileID: 'cloud://local-dev.local-bucket/none.xlsx' },
      roles: ['admin'],
    },
    {
      fn: 'community',
      action: 'importConfirm',
      input: { communityId: C, importId: 'imp:none' },
      roles: ['admin'],
    },
    { fn: 'community', action: 'importTemplate', input: { communityId: C }, roles: ['admin'] },
    {
      fn: 'community',
      action: 'exportRoster',
      input: { communityId: C },
      roles: ['admin', 'finance', 'service'],
      audited: 'roster.export',
    },
    // parking spaces and storerooms (docs/spaces.md)
    { fn: 'community', action: 'spaces', input: { communityId: C }, roles: ANY },
    {
      fn: 'community',
      action: 'saveSpace',
      input: { communityId: C, number: 'B9-001', kind: 'rented' },
      roles: ['admin'],
      audited: 'space.create',
    },
    {
      fn: 'community',
      action: 'endSpace',
      input: { communityId: C, spaceId: 'sp_none', endDate: '2026-11-30', reason: '退租测试' },
      roles: ['admin'],
    },
    {
      fn: 'community',
      action: 'importSpaces',
      input: { communityId: C, fileID: `cloud://local-dev.bucket/imports/${C}/1767225600000.csv` },
      roles: ['admin'],
    },
    {
      fn: 'community',
      action: 'exportSpaces',
      input: { communityId: C },
      roles: ['admin', 'finance', 'service'],
      audited: 'spaces.export',
    },
    { fn: 'binding', action: 'list', input: { communityId: C }, roles: ['admin', 'service'] },
    {
      fn: 'binding',
      action: 'review',
      input: {
        communityId: C,
        bindingId: 'r_1_1_1501:o_demo_owner',
        decision: 'reject',
        reason: '测试',
      },
      roles: ['admin', 'service'],
    },
    {
      fn: 'binding',
      action: 'unbind',
      input: { communityId: C, bindingId: 'r_3_2_801:o_demo_paid', reason: '测试解绑' },
      roles: ['admin', 'service'],
      audited: 'binding.unbind',
    },
    { fn: 'staff', action: 'list', input: { communityId: C }, roles: ['admin'] },
    {
      fn: 'staff',
      action: 'invite',
      input: { communityId: C, roles: ['cashier'], name: '新同事' },
      roles: ['admin'],
      audited: 'staff.invite',
    },
    {
      fn: 'staff',
      action: 'grant',
      input: { communityId: C, openid: 'o_new_cashier', roles: ['cashier'] },
      roles: ['admin'],
      audited: 'staff.grant',
    },
    {
      fn: 'staff',
      action: 'revoke',
      input: { communityId: C, openid: DEMO_USERS.finance },
      roles: ['admin'],
      audited: 'staff.revoke',
    },
    { fn: 'staff', action: 'auditLog', input: { communityId: C }, roles: ['admin'] },
  ];
}

/** Actions any WeChat user may call: they act only on the caller's own bindings (tested below). */
const OPEN_ACTIONS: Record<string, string[]> = {
  community: [],
  binding: [
    'communities',
    'buildings',
    'rooms',
    // what a household code or SMS link opens: the room, no personal data
    'scan',
    'request',
    'mine',
    'cancel',
    'invite',
    'acceptInvite',
    'members',
  ],
  staff: ['bootstrap', 'acceptInvite'],
};

const STAFF_BY_ROLE: Record<Exclude<StaffRole, 'admin'>, string> = {
  cashier: DEMO_USERS.cashier,
  service: DEMO_USERS.service,
  finance: DEMO_USERS.finance,
};

test('the table covers every staff action of the three functions', () => {
  for (const fn of ['community', 'binding', 'staff'] as const) {
    const covered = new Set([
      ...cases()
        .filter((c) => c.fn === fn)
        .map((c) => c.action),
      ...OPEN_ACTIONS[fn]!,
    ]);
    expect(Object.keys(api[fn]).filter((a) => !covered.has(a))).toEqual([]);
  }
});

test('each staff action refuses every caller without the role, and writes nothing', async () => {
  const before = counts(cloud);
  const refused: string[] = [];
  for (const c of cases()) {
    const callers = [
      'o_stranger',
      DEMO_USERS.owner,
      DEMO_USERS.elder,
      LAKE_ADMIN, // an admin, but of another community
      ...Object.entries(STAFF_BY_ROLE)
        .filter(([role]) => !c.roles.includes(role as StaffRole))
        .map(([, openid]) => openid),
    ];
    for (const openid of callers) {
      const res = await call[c.fn]({ action: c.action, ...c.input }, openid);
      if (res.ok || res.code !== 'FORBIDDEN') {
        refused.push(`${c.fn}.${c.action} as ${openid}: ${JSON.stringify(res).slice(0, 120)}`);
      }
    }
  }
  expect(refused).toEqual([]);
  // Failed attempts leave no trace but rate-limit counters (none here).
  expect(counts(cloud)).toEqual(before);
});

test('an unmasked export and the full ID number are admin only, even for roles that may export', async () => {
  for (const openid of [DEMO_USERS.finance, DEMO_USERS.service]) {
    expect(
      await call.community({ action: 'exportRoster', communityId: C, unmasked: true }, openid),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  expect(
    await call.community(
      {
        action: 'revealContact',
        communityId: C,
        ownerId: 'p_1_1_101',
        field: 'idNumber',
        reason: '产权核验',
      },
      DEMO_USERS.service,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
});

test('records of another community are NOT_FOUND, even to that community’s own admin', async () => {
  const probes: [FunctionName, Record<string, unknown>][] = [
    ['community', { action: 'room', communityId: LAKE, roomId: 'r_1_1_1501' }],
    ['community', { action: 'saveOwner', communityId: LAKE, ownerId: 'p_1_1_1501', careNote: 'x' }],
    [
      'community',
      {
        action: 'revealContact',
        communityId: LAKE,
        ownerId: 'p_1_1_1501',
        field: 'mobile',
        reason: '越权测试',
      },
    ],
    [
      'community',
      { action: 'endRelation', communityId: LAKE, relationId: relationOf('r_1_1_1501') },
    ],
    [
      'community',
      {
        action: 'linkPerson',
        communityId: LAKE,
        roomId: 'r_1_1_1501',
        relation: 'owner',
        ownerId: 'p_1_1_1501',
      },
    ],
    [
      'binding',
      {
        action: 'review',
        communityId: LAKE,
        bindingId: 'r_1_1_1501:o_demo_owner',
        decision: 'approve',
      },
    ],
    [
      'binding',
      {
        action: 'unbind',
        communityId: LAKE,
        bindingId: 'r_1_1_1501:o_demo_owner',
        reason: '越权测试',
      },
    ],
  ];
  const before = counts(cloud);
  for (const [fn, event] of probes) {
    expect([fn, event.action, await call[fn](event, LAKE_ADMIN)]).toEqual([
      fn,
      event.action,
      expect.objectContaining({ ok: false, code: 'NOT_FOUND' }),
    ]);
  }
  expect(counts(cloud)).toEqual(before);
  // Lists are scoped too.
  const rooms = ok(
    await call.community<{ total: number }>({ action: 'rooms', communityId: LAKE }, LAKE_ADMIN),
  );
  expect(rooms.total).toBe(0);
  const bindings = ok(
    await call.binding<{ total: number }>({ action: 'list', communityId: LAKE }, LAKE_ADMIN),
  );
  expect(bindings.total).toBe(0);
});

describe('an owner reaches only their own rooms', () => {
  const owner = DEMO_USERS.owner;
  const othersRoom = 'r_3_2_801'; // o_demo_paid's

  test("another owner's room, bills, members and bindings are out of reach", async () => {
    const others = ok(
      await call.owner<{ unpaid: unknown[]; paid: unknown[]; rooms: { roomId: string }[] }>(
        { action: 'bills', roomId: othersRoom },
        owner,
      ),
    );
    expect(others).toMatchObject({ unpaid: [], paid: [] });
    // the rooms for the page's filter are the caller's own, never the one named
    expect(others.rooms.map((r) => r.roomId)).not.toContain(othersRoom);
    expect(await call.binding({ action: 'members', roomId: othersRoom }, owner)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await call.binding({ action: 'invite', roomId: othersRoom, relation: 'family' }, owner),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await call.binding(
        { action: 'cancel', bindingId: `${othersRoom}:${DEMO_USERS.paid}` },
        owner,
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const mine = ok(
      await call.binding<{ bindings: { roomId: string }[] }>({ action: 'mine' }, owner),
    );
    expect(mine.bindings.map((b) => b.roomId).sort()).toEqual(['r_1_1_1501', 'r_2_1_302']);
  });

  test('nothing an owner can call returns anyone’s mobile, ID number or another owner’s name', async () => {
    const replies = [
      await call.owner({ action: 'home' }, owner),
      await call.owner({ action: 'bills' }, owner),
      await call.binding({ action: 'mine' }, owner),
      await call.binding({ action: 'communities' }, owner),
      await call.binding({ action: 'buildings', communityId: C }, owner),
      await call.binding({ action: 'rooms', communityId: C, building: '3', unit: '2' }, owner),
      await call.binding({ action: 'members', roomId: 'r_1_1_1501' }, owner),
      await call.binding(
        { action: 'request', roomId: othersRoom, name: '李秀英', mobileLast4: '0000' },
        owner,
      ),
    ];
    const text = JSON.stringify(replies);
    expect(text).not.toMatch(MOBILE); // no mobile number
    expect(text).not.toMatch(ID_NUMBER); // no ID number
    expect(text).not.toMatch(/idNumber|mobile"/);
    expect(text).not.toContain('李秀英');
    for (const o of cloud.store.find('owners', { communityId: C }).slice(0, 50)) {
      if (o.name !== '王建国') expect(text).not.toContain(o.name as string);
    }
  });

  test('staff actions are closed to owners whatever community they name', async () => {
    for (const communityId of [C, LAKE, 'c_nonexistent']) {
      expect(await call.community({ action: 'rooms', communityId }, owner)).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await call.staff({ action: 'auditLog', communityId }, owner)).toMatchObject({
        code: 'FORBIDDEN',
      });
    }
  });
});

test('each allowed role gets through, and every sensitive write is in the audit log', async () => {
  for (const c of cases()) {
    const role = c.roles[c.roles.length - 1]!;
    const openid = role === 'admin' ? DEMO_USERS.admin : STAFF_BY_ROLE[role];
    const before = cloud.store.count('audit_log', { communityId: C });
    const res = await call[c.fn]({ action: c.action, ...c.input }, openid);
    // Reaching the action is enough (some probe inputs name nothing real: NOT_FOUND).
    expect([`${c.fn}.${c.action}`, res.ok || res.code]).not.toEqual([
      `${c.fn}.${c.action}`,
      'FORBIDDEN',
    ]);
    if (c.audited) {
      expect(res).toMatchObject({ ok: true });
      expect(cloud.store.count('audit_log', { communityId: C })).toBeGreaterThan(before);
      const entries = cloud.store.find('audit_log', {
        communityId: C,
        action: c.audited,
        actor: openid,
      });
      expect(entries.length).toBeGreaterThan(0);
      expect(JSON.stringify(entries)).not.toMatch(MOBILE);
    }
  }
});
