/**
 * The service desk's records: the call log (ring counts, search by text, day and ticket), the
 * dashboard against a hand count, and the demo seed showing every state.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { useComplaintCloud } from '../helpers/complaint';
import type {
  CallView,
  DeskView,
  ServiceDashboard,
  StaffTicketView,
} from '../../miniprogram/domain/complaint/contract';

const C = DEMO_COMMUNITY_ID;
const { owner, paid, elder, service, admin } = DEMO_USERS;
const { cloud, raw, call, at, fileTicket, holds } = useComplaintCloud();

test('the call log records ring counts and searches by text, day and ticket', async () => {
  await at('2030-03-04T10:00:00');
  const t = await fileTicket(owner, { roomId: 'r_1_1_1501', category: 'repair' });
  const logged = await call<CallView>(
    {
      action: 'logCall',
      communityId: C,
      at: '2030-03-04T09:40:00+08:00',
      direction: 'inbound',
      caller: '王先生',
      phone: '13812345678',
      roomId: 'r_1_1_1501',
      topic: '询问水管维修进度',
      outcome: '已告知明天上午上门',
      rings: 2,
      ticketId: t.ticketId,
    },
    service,
  );
  expect(logged).toMatchObject({
    phone: '138****5678',
    roomLabel: '1栋1单元1501',
    withinThreeRings: true,
    ticketNo: t.ticketNo,
  });
  await call(
    {
      action: 'logCall',
      communityId: C,
      at: '2030-03-04T09:50:00+08:00',
      direction: 'inbound',
      caller: '李女士',
      topic: '停车位咨询',
      outcome: '已解答',
      answerSeconds: 25,
    },
    service,
  );
  const bad = await raw(
    {
      action: 'logCall',
      communityId: C,
      at: '2030-03-04T09:50:00+08:00',
      direction: 'inbound',
      caller: '李女士',
      topic: '停车位',
      outcome: '已解答',
      roomId: 'r_nowhere',
    },
    service,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const byText = await call<{ items: CallView[]; total: number }>(
    { action: 'calls', communityId: C, keyword: '水管' },
    service,
  );
  expect(byText.items.map((c) => c.caller)).toEqual(['王先生']);
  const byDay = await call<{ items: CallView[]; total: number }>(
    { action: 'calls', communityId: C, from: '2030-03-04', to: '2030-03-04' },
    service,
  );
  expect(byDay.total).toBe(2);
  expect(byDay.items.find((c) => c.caller === '李女士')!.withinThreeRings).toBe(false);
  const byTicket = await call<StaffTicketView>(
    { action: 'staffDetail', communityId: C, ticketId: t.ticketId },
    service,
  );
  expect(byTicket.calls.map((c) => c.topic)).toEqual(['询问水管维修进度']);
});

test('the dashboard matches a hand count', async () => {
  // Six tickets in May 2030 (the demo seed's tickets are years earlier).
  const day = (d: number, hhmm: string) => `2030-05-${String(d).padStart(2, '0')}T${hhmm}:00`;
  const respond = async (id: string, local: string) => {
    await at(local);
    await call({ action: 'reply', communityId: C, ticketId: id, text: '您好，已收到' }, admin);
  };
  const resolve = async (id: string, local: string) => {
    await at(local);
    await call(
      { action: 'setStatus', communityId: C, ticketId: id, status: 'resolved', note: '已处理' },
      admin,
    );
  };
  // Monday 6 May 2030.
  await at(day(6, '09:00'));
  const a = await fileTicket(owner, { roomId: 'r_1_1_1501', category: 'fee-dispute' });
  await at(day(6, '09:10'));
  const b = await fileTicket(owner, { roomId: 'r_1_1_1501', category: 'repair' });
  await at(day(6, '09:20'));
  const c = await fileTicket(paid, { roomId: 'r_3_2_801', category: 'repair' });
  await at(day(6, '09:30'));
  const d = await fileTicket(elder, { roomId: 'r_1_2_201', category: 'noise' });
  await at(day(6, '09:40'));
  const e = await fileTicket(owner, { roomId: 'r_1_1_1501', category: 'cleaning' });
  await at(day(6, '09:50'));
  await fileTicket(elder, { roomId: 'r_1_2_201', kind: 'suggestion', category: 'other' });

  // First responses after 30, 50, 60 and 130 minutes (c late: due 11:20); e and f unanswered.
  await respond(a.ticketId, day(6, '09:30'));
  await respond(b.ticketId, day(6, '10:00'));
  await respond(d.ticketId, day(6, '10:30'));
  await respond(c.ticketId, day(6, '11:30'));
  // The timer at 11:45: e's first response (due 11:40) is breached; f's (11:50) only near.
  await at(day(6, '11:45'));
  await cloud.fireTimer('complaint');
  // Resolutions after 1 day (1440 min) and 2 days (2880 min), both within their deadlines.
  await resolve(a.ticketId, day(7, '09:00'));
  await resolve(b.ticketId, day(8, '09:10'));
  // Ratings: 5 and 3.
  await call({ action: 'rate', ticketId: a.ticketId, stars: 5 }, owner);
  await call({ action: 'rate', ticketId: b.ticketId, stars: 3, comment: '有点慢' }, owner);
  await call(
    {
      action: 'logCall',
      communityId: C,
      at: '2030-05-06T09:05:00+08:00',
      direction: 'inbound',
      caller: '王先生',
      topic: '物业费疑问',
      outcome: '已登记工单',
      rings: 4,
    },
    admin,
  );
  await call(
    {
      action: 'logCall',
      communityId: C,
      at: '2030-05-06T09:15:00+08:00',
      direction: 'outbound',
      caller: '李女士',
      topic: '回访',
      outcome: '满意',
    },
    admin,
  );

  const dash = await call<ServiceDashboard>(
    { action: 'dashboard', communityId: C, from: '2030-05-01', to: '2030-05-31' },
    service,
  );
  const byCat = Object.fromEntries(dash.byCategory.map((x) => [x.category, x.count]));
  const byStatus = Object.fromEntries(dash.byStatus.map((x) => [x.status, x.count]));
  expect(dash.total).toBe(6);
  expect(byCat).toEqual({
    'fee-dispute': 1,
    service: 0,
    repair: 2,
    security: 0,
    cleaning: 1,
    noise: 1,
    other: 1,
  });
  // Replies do not move the status: c, d, e and f are still registered.
  expect(byStatus).toEqual({
    registered: 4,
    accepted: 0,
    'in-progress': 0,
    resolved: 2,
    closed: 0,
  });
  // First-response minutes: a 30, b 50, d 60, c 100 → median (50 + 60) / 2 = 55.
  expect(dash.medianFirstResponseMinutes).toBe(55);
  // Resolution minutes: a 1440 (09:00 → next day 09:00), b 2880 → median 2160.
  expect(dash.medianResolutionMinutes).toBe(2160);
  // c (late first response) and e (timer) breached: 2 of 6 tickets.
  for (const t of [c, e])
    expect(cloud.store.find('complaints', { _id: t.ticketId })[0]!.breachKeys).toEqual([
      'first-response:0',
    ]);
  expect(dash.breaches).toBe(2);
  expect(dash.breachedTickets).toBe(2);
  expect(dash.breachRate).toBe(0.333);
  expect(dash.ratings).toBe(2);
  expect(dash.satisfactionAverage).toBe(4);
  expect(dash.satisfactionDistribution).toEqual([0, 0, 1, 0, 1]);
  // Room 1501 has three complaints; 201 one complaint and one suggestion (not a repeat).
  expect(dash.repeatRooms).toEqual([{ roomId: 'r_1_1_1501', roomLabel: '1栋1单元1501', count: 3 }]);
  expect(dash.calls).toEqual({ total: 2, inbound: 1, answeredWithinThreeRings: 0, measured: 1 });
});

test('the demo seed shows every state: a held fee dispute, a breached ticket, ratings and calls', async () => {
  const mine = await call<{ ticketId: string; status: string }[]>({ action: 'mine' }, owner);
  expect(mine.map((t) => t.status).sort()).toEqual(['closed', 'registered', 'resolved']);
  const desk = await call<DeskView>({ action: 'desk', communityId: C }, admin);
  const breached = desk.items.find((i) => i.ticketId === 'cp_demo_breach')!;
  expect(breached.breaches).toEqual(['first-response']);
  expect(breached.deadlineState).toBe('breached');
  expect(desk.items.find((i) => i.ticketId === 'cp_demo_fee')!.hasHold).toBe(true);
  expect(holds().find((h) => h.refId === 'cp_demo_fee')).toMatchObject({ active: true });
  // Service staff see their own and unassigned tickets.
  const serviceDesk = await call<DeskView>(
    { action: 'desk', communityId: C, scope: 'all' },
    service,
  );
  expect(serviceDesk.items.length).toBe(7);
  const dash = await call<ServiceDashboard>({ action: 'dashboard', communityId: C }, service);
  expect(dash.total).toBe(7);
  expect(dash.ratings).toBe(3);
  expect(dash.satisfactionDistribution).toEqual([0, 1, 0, 1, 1]);
  // 1501: fee dispute + service; 201: repair + security (801's second one is a suggestion).
  expect(dash.repeatRooms.map((r) => [r.roomId, r.count])).toEqual([
    ['r_1_1_1501', 2],
    ['r_1_2_201', 2],
  ]);
  expect(dash.calls.total).toBe(5);
});
