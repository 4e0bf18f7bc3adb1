/**
 * What the complaint function refuses: bad input, other people's rooms and tickets, and staff
 * actions from owners or the wrong role; each refusal writes nothing.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { useComplaintCloud } from '../helpers/complaint';
import { counts } from './community-helpers';

const C = DEMO_COMMUNITY_ID;
const { owner, paid, service, admin, cashier } = DEMO_USERS;
const { cloud, raw, call, at, fileTicket } = useComplaintCloud();

test('bad input, other rooms and other roles change nothing', async () => {
  await at('2030-03-04T10:00:00');
  const before = counts(cloud);
  for (const [event, openid] of [
    [
      {
        action: 'file',
        requestId: 'req-bad-0001',
        roomId: 'r_1_1_1501',
        kind: 'complaint',
        category: 'weather',
        description: '这个类别不存在',
      },
      owner,
    ],
    [
      {
        action: 'file',
        requestId: 'req-bad-0002',
        roomId: 'r_1_1_1501',
        kind: 'complaint',
        category: 'service',
        description: '短',
      },
      owner,
    ],
    [
      {
        action: 'file',
        requestId: 'req-bad-0003',
        roomId: 'r_1_1_1501',
        kind: 'complaint',
        category: 'service',
        description: '照片太多了吧',
        photos: Array.from({ length: 10 }, (_, i) => `cloud://env.b/complaints/${owner}/${i}.jpg`),
      },
      owner,
    ],
    [
      {
        action: 'file',
        requestId: 'req-bad-0004',
        roomId: 'r_3_2_801',
        kind: 'complaint',
        category: 'service',
        description: '不是我的房子',
      },
      owner,
    ],
    [
      {
        action: 'file',
        requestId: 'req-bad-0005',
        roomId: 'r_1_1_1501',
        kind: 'complaint',
        category: 'fee-dispute',
        description: '别人的账单',
        billIds: ['b_r_3_2_801_2030-01_property'],
      },
      owner,
    ],
    [
      {
        action: 'file',
        requestId: 'req-bad-0006',
        roomId: 'r_1_1_1501',
        kind: 'complaint',
        category: 'service',
        description: '别人的照片哦',
        photos: [`cloud://env.b/complaints/${paid}/x.jpg`],
      },
      owner,
    ],
  ] as const) {
    const r = await raw(event as unknown as Record<string, unknown>, openid);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((r as { message: string }).message).toMatch(
      /^(category|description|photos|roomId|billIds)/,
    );
  }
  expect(counts(cloud)).toEqual(before);

  const t = await fileTicket(owner, { roomId: 'r_1_1_1501' });
  // Another owner cannot see it; a cashier cannot open the desk; no other community's desk.
  expect(await raw({ action: 'detail', ticketId: t.ticketId }, paid)).toMatchObject({
    ok: false,
    code: 'NOT_FOUND',
  });
  expect(await raw({ action: 'desk', communityId: C }, cashier)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await raw({ action: 'desk', communityId: 'c_lake' }, service)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  // Service staff may only take a ticket for themselves; admins assign anyone.
  expect(
    await raw({ action: 'assign', communityId: C, ticketId: t.ticketId, handler: admin }, service),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  await call({ action: 'assign', communityId: C, ticketId: t.ticketId, handler: admin }, admin);
  // Now someone else's: hidden from other service staff, visible to the admin.
  expect(
    await raw({ action: 'staffDetail', communityId: C, ticketId: t.ticketId }, service),
  ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  // Status only forward; resolving needs the result written down.
  expect(
    await raw(
      { action: 'setStatus', communityId: C, ticketId: t.ticketId, status: 'resolved' },
      admin,
    ),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(
    await raw(
      { action: 'setStatus', communityId: C, ticketId: t.ticketId, status: 'closed' },
      admin,
    ),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  // Ratings wait for the resolution; a closed ticket cannot be reopened after 7 days.
  expect(await raw({ action: 'rate', ticketId: t.ticketId, stars: 4 }, owner)).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
  });
  await call(
    {
      action: 'setStatus',
      communityId: C,
      ticketId: t.ticketId,
      status: 'resolved',
      note: '已更换灯泡',
    },
    admin,
  );
  await at('2030-03-12T10:00:00');
  expect(
    await raw({ action: 'reopen', ticketId: t.ticketId, reason: '又坏了' }, owner),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
});

test('every staff action refuses owners and other roles, and writes nothing', async () => {
  const t = 'cp_demo_repair';
  const staffEvents: Record<string, unknown>[] = [
    { action: 'desk', communityId: C },
    { action: 'staffDetail', communityId: C, ticketId: t },
    { action: 'assign', communityId: C, ticketId: t, handler: owner },
    { action: 'reply', communityId: C, ticketId: t, text: '您好' },
    { action: 'setStatus', communityId: C, ticketId: t, status: 'accepted' },
    {
      action: 'returnVisit',
      communityId: C,
      ticketId: t,
      method: 'phone',
      satisfied: true,
      feedback: '满意',
    },
    {
      action: 'logCall',
      communityId: C,
      at: '2026-01-01T09:00:00+08:00',
      direction: 'inbound',
      caller: '王先生',
      topic: '咨询',
      outcome: '已解答',
    },
    { action: 'calls', communityId: C },
    { action: 'dashboard', communityId: C },
    { action: 'settings', communityId: C },
    { action: 'updateSettings', communityId: C, autoAssign: {} },
  ];
  const before = counts(cloud);
  for (const event of staffEvents) {
    for (const openid of [owner, cashier, DEMO_USERS.finance, 'o_stranger']) {
      const r = await raw(event, openid);
      expect({ action: event.action, openid, r }).toMatchObject({
        r: { ok: false, code: 'FORBIDDEN' },
      });
    }
  }
  // Settings are admin only.
  expect(
    await raw({ action: 'updateSettings', communityId: C, autoAssign: {} }, service),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(counts(cloud)).toEqual(before);
});
