/**
 * 业主认证 through the binding function: a match binds (pending review or at once, per community),
 * a mismatch reveals nothing and is rate-limited, staff review with reasons and the owner is
 * notified, verified owners invite family and tenants with one-time codes.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { callsTo } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { postJson } from '../helpers/process';
import { ok } from './community-helpers';
import type { MyBinding, RoomMember } from '../../miniprogram/domain/binding/contract';
import type { OwnerHome } from '../../miniprogram/domain/owner/contract';
import type { Page } from '../../miniprogram/domain/kernel/contract';
import type { StaffBindingView } from '../../miniprogram/domain/community/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);
beforeAll(async () => {
  // Hold matches for review (the default is 'auto'; the auto case is tested below).
  ok(
    await call.settings(
      { action: 'update', communityId: C, bindingReview: 'staff' },
      DEMO_USERS.admin,
    ),
  );
});

const C = 'c_cuihu';
/** 4栋1单元1001, on record as 林晓梅 13900001001, bound to nobody. */
const ROOM = 'r_4_1_1001';

const bind = (openid: string, event: Record<string, unknown>) =>
  call.binding<MyBinding>({ action: 'request', ...event }, openid);

test('the picker lists communities, buildings and room numbers, and nothing personal', async () => {
  const cs = ok(
    await call.binding<{ communities: { name: string }[] }>({ action: 'communities' }, 'o_new'),
  );
  expect(cs.communities.map((c) => c.name)).toContain('翠湖花园');
  const bs = ok(
    await call.binding<{ buildings: { code: string; units: string[] }[] }>(
      { action: 'buildings', communityId: C },
      'o_new',
    ),
  );
  expect(bs.buildings[0]).toEqual({ code: '1', name: '1栋', units: ['1', '2'] });
  const rs = ok(
    await call.binding<{ rooms: { roomId: string; label: string }[] }>(
      { action: 'rooms', communityId: C, building: '4', unit: '1' },
      'o_new',
    ),
  );
  expect(rs.rooms).toHaveLength(36);
  expect(rs.rooms.find((r) => r.roomId === ROOM)).toEqual({
    roomId: ROOM,
    number: '1001',
    floor: 10,
    label: '4栋1单元1001',
  });
  const text = JSON.stringify(rs);
  expect(text).not.toMatch(/林|1390000|mobile|name/);
});

describe('a mismatch never reveals what is on record', () => {
  test.each([
    ['a wrong name', { roomId: ROOM, name: '林小梅', mobile: '13900001001' }],
    ['a wrong mobile', { roomId: ROOM, name: '林晓梅', mobile: '13900001002' }],
    ['wrong last 4 digits', { roomId: ROOM, name: '林晓梅', mobileLast4: '1002' }],
    ['a room that does not exist', { roomId: 'r_9_9_999', name: '林晓梅', mobile: '13900001001' }],
  ])('%s gets the same answer', async (_name, event) => {
    const res = await bind('o_mismatch', event);
    expect(res).toEqual({
      ok: false,
      code: 'PRECONDITION_FAILED',
      message: '填写的信息与物业登记信息不一致，请核对后重试；如有疑问请联系物业服务中心',
    });
    expect(cloud.store.count('room_bindings', { openid: 'o_mismatch' })).toBe(0);
  });

  test('either the full mobile or its last 4 digits, never both', async () => {
    const res = await bind('o_x', {
      roomId: ROOM,
      name: '林晓梅',
      mobile: '13900001001',
      mobileLast4: '1001',
    });
    expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(res.ok ? '' : res.message).toMatch(/^mobile: /);
  });
});

test('5 failures an hour per user, then even the right answer waits; an hour later it works', async () => {
  const who = 'o_guesser';
  for (let i = 0; i < 5; i++) {
    expect(await bind(who, { roomId: ROOM, name: `林${i}`, mobileLast4: '0000' })).toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  }
  const limited = await bind(who, { roomId: ROOM, name: '林晓梅', mobileLast4: '1001' });
  expect(limited).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  expect(limited.ok ? '' : limited.message).toMatch(/分钟后再试/);
  // The wait is also given as a number, so the client needs no parsing: about an hour.
  const retry = limited.ok ? 0 : (limited.retryAfterSeconds ?? 0);
  expect(retry).toBeGreaterThan(3500);
  expect(retry).toBeLessThanOrEqual(3600);
  // Another user is not affected.
  expect(await bind('o_other', { roomId: ROOM, name: '林错', mobileLast4: '0000' })).toMatchObject({
    code: 'PRECONDITION_FAILED',
  });
  const before = cloud.clock.now();
  await cloud.setClock(before + 61 * 60_000, { fireTimers: false });
  try {
    expect(
      ok(await bind(who, { roomId: ROOM, name: '林晓梅', mobileLast4: '1001' })),
    ).toMatchObject({
      status: 'pending-review',
    });
  } finally {
    await cloud.setClock(before, { fireTimers: false });
  }
  // tidy: withdraw so later tests start from an unbound room
  ok(await call.binding({ action: 'cancel', bindingId: `${ROOM}:${who}` }, who));
});

describe('review', () => {
  test('a match waits for review; service approves; the owner sees the room and is told', async () => {
    const tmpl = 'tmpl_binding_result';
    cloud.store.insert('app_config', [{ _id: 'templates', bindingResult: tmpl }]);
    await postJson(`${cloud.url}/dev/subscriptions`, {
      openid: 'o_lin',
      results: { [tmpl]: 'accept' },
    });

    const b = ok(await bind('o_lin', { roomId: ROOM, name: '林晓梅', mobile: '13900001001' }));
    expect(b).toMatchObject({
      bindingId: `${ROOM}:o_lin`,
      roomLabel: '4栋1单元1001',
      communityName: '翠湖花园',
      relation: 'owner',
      status: 'pending-review',
      reason: null,
    });
    // Asking again is idempotent.
    expect(
      ok(await bind('o_lin', { roomId: ROOM, name: '林晓梅', mobileLast4: '1001' })).status,
    ).toBe('pending-review');
    const home0 = ok(await call.owner<OwnerHome>({ action: 'home' }, 'o_lin'));
    expect(home0.rooms).toEqual([]);

    const queue = ok(
      await call.binding<Page<StaffBindingView>>(
        { action: 'list', communityId: C, status: 'pending-review' },
        DEMO_USERS.service,
      ),
    );
    expect(queue.items).toContainEqual(
      expect.objectContaining({ bindingId: b.bindingId, applicantName: '林**', method: 'mobile' }),
    );
    const approved = ok(
      await call.binding<StaffBindingView>(
        { action: 'review', communityId: C, bindingId: b.bindingId, decision: 'approve' },
        DEMO_USERS.service,
      ),
    );
    expect(approved.status).toBe('verified');
    const home = ok(await call.owner<OwnerHome>({ action: 'home' }, 'o_lin'));
    expect(home.rooms.map((r) => r.label)).toEqual(['4栋1单元1001']);
    expect(cloud.store.find('notifications', { openid: 'o_lin' })[0]).toMatchObject({
      kind: 'binding-approved',
      title: '房屋认证已通过',
    });
    expect(cloud.outbox.at(-1)).toMatchObject({ touser: 'o_lin', templateId: tmpl });
    // Reviewing twice is refused.
    expect(
      await call.binding(
        { action: 'review', communityId: C, bindingId: b.bindingId, decision: 'approve' },
        DEMO_USERS.service,
      ),
    ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
    expect(cloud.store.find('audit_log', { targetId: b.bindingId }).map((a) => a.action)).toEqual([
      'binding.request',
      'binding.approve',
    ]);
  });

  test('a rejection needs a reason, which the owner sees', async () => {
    const b = ok(await bind('o_lin_spouse', { roomId: ROOM, name: '林晓梅', mobileLast4: '1001' }));
    expect(
      await call.binding(
        { action: 'review', communityId: C, bindingId: b.bindingId, decision: 'reject' },
        DEMO_USERS.service,
      ),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^reason: /),
    });
    ok(
      await call.binding(
        {
          action: 'review',
          communityId: C,
          bindingId: b.bindingId,
          decision: 'reject',
          reason: '业主本人已绑定，请使用邀请码',
        },
        DEMO_USERS.admin,
      ),
    );
    const mine = ok(
      await call.binding<{ bindings: MyBinding[] }>({ action: 'mine' }, 'o_lin_spouse'),
    );
    expect(mine.bindings).toEqual([
      expect.objectContaining({ status: 'rejected', reason: '业主本人已绑定，请使用邀请码' }),
    ]);
    expect(cloud.store.find('notifications', { openid: 'o_lin_spouse' })[0]).toMatchObject({
      kind: 'binding-rejected',
    });
  });

  test('with auto mode a match is verified at once', async () => {
    ok(
      await call.settings(
        { action: 'update', communityId: C, bindingReview: 'auto' },
        DEMO_USERS.admin,
      ),
    );
    try {
      const b = ok(
        await bind('o_wang_phone2', { roomId: 'r_2_1_302', name: '王建国', mobileLast4: '1501' }),
      );
      expect(b).toMatchObject({ status: 'verified', relation: 'owner' });
    } finally {
      ok(
        await call.settings(
          { action: 'update', communityId: C, bindingReview: 'staff' },
          DEMO_USERS.admin,
        ),
      );
    }
  });
});

describe('family members and tenants', () => {
  let code = '';

  test('a verified owner invites; the invitee binds at once with the relation given', async () => {
    const inv = ok(
      await call.binding<{ code: string; expiresAt: string; relation: string }>(
        { action: 'invite', roomId: ROOM, relation: 'tenant' },
        'o_lin',
      ),
    );
    expect(inv.code).toMatch(/^[A-Z2-9]{8}$/);
    code = inv.code;
    // Stored only as a hash.
    expect(JSON.stringify(cloud.store.find('invites', {}))).not.toContain(code);
    const b = ok(
      await call.binding<MyBinding>(
        { action: 'acceptInvite', code: code.toLowerCase() },
        'o_tenant',
      ),
    );
    expect(b).toMatchObject({ status: 'verified', relation: 'tenant', roomLabel: '4栋1单元1001' });
    const members = ok(
      await call.binding<{ members: RoomMember[] }>({ action: 'members', roomId: ROOM }, 'o_lin'),
    );
    expect(members.members.map((m) => [m.relation, m.isMe])).toEqual([
      ['owner', true],
      ['tenant', false],
    ]);
  });

  test('a code works once', async () => {
    expect(await call.binding({ action: 'acceptInvite', code }, 'o_someone')).toMatchObject({
      ok: false,
      code: 'PRECONDITION_FAILED',
    });
  });

  test('a code expires after 72 hours', async () => {
    const inv = ok(
      await call.binding<{ code: string }>(
        { action: 'invite', roomId: ROOM, relation: 'family' },
        'o_lin',
      ),
    );
    const before = cloud.clock.now();
    await cloud.setClock(before + 73 * 3600_000, { fireTimers: false });
    try {
      expect(
        await call.binding({ action: 'acceptInvite', code: inv.code }, 'o_late'),
      ).toMatchObject({
        ok: false,
        code: 'PRECONDITION_FAILED',
      });
    } finally {
      await cloud.setClock(before, { fireTimers: false });
    }
  });

  test('only a verified owner of the room may invite, list members or remove them', async () => {
    expect(
      await call.binding({ action: 'invite', roomId: ROOM, relation: 'family' }, 'o_tenant'),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await call.binding({ action: 'invite', roomId: ROOM, relation: 'family' }, DEMO_USERS.owner),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await call.binding({ action: 'members', roomId: ROOM }, DEMO_USERS.owner)).toMatchObject(
      {
        code: 'FORBIDDEN',
      },
    );
    expect(
      await call.binding({ action: 'cancel', bindingId: `${ROOM}:o_tenant` }, DEMO_USERS.owner),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  test('the owner removes the tenant; staff unbinding the owner also ends those they invited', async () => {
    ok(await call.binding({ action: 'cancel', bindingId: `${ROOM}:o_tenant` }, 'o_lin'));
    expect(cloud.store.find('room_bindings', { _id: `${ROOM}:o_tenant` })[0]).toMatchObject({
      status: 'revoked',
    });

    const inv = ok(
      await call.binding<{ code: string }>(
        { action: 'invite', roomId: ROOM, relation: 'family' },
        'o_lin',
      ),
    );
    ok(await call.binding({ action: 'acceptInvite', code: inv.code }, 'o_lin_child'));
    const res = ok(
      await call.binding<StaffBindingView>(
        { action: 'unbind', communityId: C, bindingId: `${ROOM}:o_lin`, reason: '房屋已过户' },
        DEMO_USERS.service,
      ),
    );
    expect(res).toMatchObject({ status: 'revoked', reason: '房屋已过户' });
    expect(cloud.store.find('room_bindings', { _id: `${ROOM}:o_lin_child` })[0]).toMatchObject({
      status: 'revoked',
    });
    const home = ok(await call.owner<OwnerHome>({ action: 'home' }, 'o_lin_child'));
    expect(home.rooms).toEqual([]);
    expect(
      cloud.store.find('notifications', { openid: 'o_lin_child', kind: 'binding-revoked' }),
    ).toHaveLength(1);
  });
});

test('ending a relation on record revokes that person’s bindings to the room', async () => {
  // 王建国 (o_demo_owner) sells 2栋1单元302.
  const rel = cloud.store.find('room_owners', { roomId: 'r_2_1_302', relation: 'owner' })[0]!;
  ok(
    await call.community(
      { action: 'endRelation', communityId: C, relationId: rel._id },
      DEMO_USERS.admin,
    ),
  );
  const home = ok(await call.owner<OwnerHome>({ action: 'home' }, DEMO_USERS.owner));
  expect(home.rooms.map((r) => r.label)).toEqual(['1栋1单元1501']);
  expect(
    cloud.store.find('room_bindings', { _id: `r_2_1_302:${DEMO_USERS.owner}` })[0],
  ).toMatchObject({
    status: 'revoked',
  });
});
