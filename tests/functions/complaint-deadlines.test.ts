/**
 * Complaint deadlines: the timer warns before a deadline, counts each breach once, escalates to
 * admins and auto-closes; admins configure deadlines, working time and auto-assignment.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { sameInstant, useComplaintCloud } from '../helpers/complaint';
import type { DeskView, StaffTicketView } from '../../miniprogram/domain/complaint/contract';

const C = DEMO_COMMUNITY_ID;
const { owner, elder, service, admin, cashier } = DEMO_USERS;
const { cloud, raw, call, at, fileTicket } = useComplaintCloud();

test('the timer warns before the deadline, counts each breach once, escalates to admins and auto-closes', async () => {
  // Friday 17:30: 30 working minutes today, the rest from Monday 09:00 → due Monday 10:30.
  await at('2030-03-08T17:30:00');
  const t = await fileTicket(elder, { roomId: 'r_1_2_201', category: 'cleaning' });
  const row = (await call<DeskView>({ action: 'desk', communityId: C }, admin)).items.find(
    (i) => i.ticketId === t.ticketId,
  )!;
  sameInstant(row.deadlineAt, '2030-03-11T02:30:00.000Z');

  const notes = (kind: string) => cloud.store.find('notifications', { kind, refId: t.ticketId });
  // (The demo seed's own open tickets are swept too; only this ticket's effects are checked.)
  await at('2030-03-11T10:10:00');
  await cloud.fireTimer('complaint');
  expect(notes('complaint-near').map((n) => n.openid)).toEqual([service]);
  expect(notes('complaint-escalated')).toHaveLength(0);

  await at('2030-03-11T10:45:00');
  await cloud.fireTimer('complaint');
  await cloud.fireTimer('complaint');
  expect(notes('complaint-near')).toHaveLength(1);
  const doc = cloud.store.find('complaints', { _id: t.ticketId })[0]!;
  expect(doc.breachKeys).toEqual(['first-response:0']);
  expect(notes('complaint-escalated').map((n) => n.openid)).toEqual([admin]);
  expect((doc.events as { kind: string }[]).filter((e) => e.kind === 'breach')).toHaveLength(1);
  const desk = await call<DeskView>(
    { action: 'desk', communityId: C, deadline: 'breached' },
    admin,
  );
  expect(desk.items.map((i) => i.ticketId)).toContain(t.ticketId);

  // Resolved and left alone for 7 days: the timer closes it.
  await call(
    {
      action: 'setStatus',
      communityId: C,
      ticketId: t.ticketId,
      status: 'resolved',
      note: '已清理',
    },
    admin,
  );
  await at('2030-03-18T11:00:00');
  await cloud.fireTimer('complaint');
  await cloud.fireTimer('complaint');
  const closed = cloud.store.find('complaints', { _id: t.ticketId })[0]!;
  expect(closed.status).toBe('closed');
  expect(
    (closed.events as { text: string }[]).filter((e) => e.text.includes('自动关闭')),
  ).toHaveLength(1);
});

test('admins configure deadlines, working time and auto-assignment; new tickets follow them', async () => {
  const bad = await raw(
    {
      action: 'updateSettings',
      communityId: C,
      calendar: { days: [1, 2, 3, 4, 5, 6], start: '18:00', end: '09:00', holidays: [] },
      autoAssign: { noise: cashier },
    },
    admin,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((bad as { message: string }).message).toMatch(/calendar\.end.*autoAssign\.noise/);
  const settings = await call<{ deadlines: { category: string }[]; calendar: { days: number[] } }>(
    {
      action: 'updateSettings',
      communityId: C,
      deadlines: [{ category: 'noise', firstResponseWorkingHours: 1, resolutionDays: 2 }],
      calendar: { days: [1, 2, 3, 4, 5, 6], start: '08:30', end: '17:30', holidays: [] },
      autoAssign: { noise: service },
    },
    admin,
  );
  expect(settings.deadlines).toHaveLength(7);
  await at('2030-03-09T09:00:00'); // a Saturday, now a working day
  const t = await fileTicket(owner, { roomId: 'r_2_1_302', category: 'noise' });
  const view = await call<StaffTicketView>(
    { action: 'staffDetail', communityId: C, ticketId: t.ticketId },
    service,
  );
  sameInstant(view.firstResponseDueAt, '2030-03-09T02:00:00.000Z'); // 10:00 Shanghai
  sameInstant(view.resolutionDueAt, '2030-03-12T01:00:00.000Z'); // 2 × 9 h: Tuesday 09:00
  expect(view).toMatchObject({ handler: service, handlerName: '周客服' });
  expect(cloud.store.count('audit_log', { action: 'complaint.settings' })).toBe(1);
});
