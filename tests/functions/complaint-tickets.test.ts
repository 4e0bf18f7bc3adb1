/**
 * A complaint ticket through the local cloud and the real SDK: an owner files a fee dispute with
 * a photo (the bill's hold placed in `bill_holds`), staff assign, reply, add an internal note the
 * owner never sees and resolve (hold released), the owner rates and reopens (a new hold); progress
 * messages follow the owner's subscription; a submit sent twice makes one ticket.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { sameInstant, useComplaintCloud } from '../helpers/complaint';
import { upload } from './community-helpers';
import { pathOfId, pathOfLink } from '../helpers/files';
import type {
  DeskView,
  FiledTicket,
  FormOptions,
  OwnerTicketView,
  StaffTicketView,
} from '../../miniprogram/domain/complaint/contract';
import { template } from '../helpers/templates';

const C = DEMO_COMMUNITY_ID;
const { owner, service } = DEMO_USERS;
const { cloud, raw, call, at, fileTicket, holds } = useComplaintCloud();

test('owner files a fee dispute with a photo; staff assign, reply and resolve; the owner rates; the bill hold is placed and released', async () => {
  await at('2030-03-04T10:00:00'); // a Monday
  const options = await call<FormOptions>({ action: 'formOptions' }, owner);
  expect(options.rooms.map((r) => r.roomId).sort()).toEqual(['r_1_1_1501', 'r_2_1_302']);
  const bill = options.bills.find((b) => b.roomId === 'r_1_1_1501' && b.status === 'unpaid')!;
  expect(bill).toBeDefined();
  // the bills still owed come first in each room, oldest due first (what a complaint pauses)
  for (const roomId of ['r_1_1_1501', 'r_2_1_302']) {
    const mine = options.bills.filter((b) => b.roomId === roomId);
    const owed = mine.map((b) => b.outstandingFen > 0);
    expect(owed.indexOf(false) === -1 || owed.lastIndexOf(true) < owed.indexOf(false)).toBe(true);
    expect(owed[0]).toBe(true);
  }
  expect(bill.coverTo > bill.coverFrom).toBe(true);

  const photo = await upload(cloud, `complaints/${owner}/bill.jpg`, Buffer.from('jpeg bytes'));
  const mineBefore = cloud.store.count('complaints', { openid: owner });
  const requestId = 'req-fee-dispute-0001';
  const dispute = {
    action: 'file',
    requestId,
    roomId: 'r_1_1_1501',
    kind: 'complaint',
    category: 'fee-dispute',
    description: '本季度物业费比上季度多了，想了解原因',
    photos: [photo],
    billIds: [bill.billId],
  };
  const filed = await call<FiledTicket>(dispute, owner);
  expect(filed.ticketNo).toMatch(/^TS20300304\d{4}$/);
  expect(filed).toMatchObject({ status: 'registered', held: true });
  // A retried submit returns the same ticket.
  const again = await call<FiledTicket>(dispute, owner);
  expect(again.ticketId).toBe(filed.ticketId);
  expect(cloud.store.count('complaints', { openid: owner })).toBe(mineBefore + 1);

  // The hold the overdue timer reads.
  const placed = holds().filter((h) => h.refId === filed.ticketId);
  expect(placed).toHaveLength(1);
  expect(placed[0]).toMatchObject({
    reason: 'complaint',
    roomId: 'r_1_1_1501',
    billIds: [bill.billId],
    from: '2030-03-04',
    to: null,
    active: true,
  });

  // The desk: first response due 2 working hours later (12:00).
  const desk = await call<DeskView>({ action: 'desk', communityId: C }, service);
  const row = desk.items.find((i) => i.ticketId === filed.ticketId)!;
  expect(row).toMatchObject({
    deadlineKind: 'first-response',
    deadlineState: 'ok',
    handler: null,
    hasHold: true,
  });
  sameInstant(row.deadlineAt, '2030-03-04T04:00:00.000Z');
  // Fee disputes: 5 working days to resolve.
  sameInstant(row.resolutionDueAt, '2030-03-11T02:00:00.000Z');

  await at('2030-03-04T10:30:00');
  await call<StaffTicketView>(
    { action: 'assign', communityId: C, ticketId: filed.ticketId, handler: service },
    service,
  );
  await call<StaffTicketView>(
    {
      action: 'reply',
      communityId: C,
      ticketId: filed.ticketId,
      text: '您好，感谢您的反馈，我们正在核实本季度账单。',
    },
    service,
  );
  const noted = await call<StaffTicketView>(
    {
      action: 'reply',
      communityId: C,
      ticketId: filed.ticketId,
      text: '内部：该户去年面积登记有误，需财务复核',
      internal: true,
    },
    service,
  );
  sameInstant(noted.firstResponseAt, '2030-03-04T02:30:00.000Z');
  expect(noted.handlerName).toBe('周客服');
  expect(noted.timeline.some((e) => e.internal && e.text.includes('面积登记有误'))).toBe(true);

  // The owner sees the reply and never the internal note.
  const seen = await call<OwnerTicketView>({ action: 'detail', ticketId: filed.ticketId }, owner);
  expect(seen.timeline.map((e) => e.text).join('|')).toContain('正在核实本季度账单');
  expect(JSON.stringify(seen)).not.toContain('面积登记有误');
  // As links, never file ids (complaint-photos.test.ts).
  expect(seen.photos.map(pathOfLink)).toEqual([pathOfId(photo)]);

  await at('2030-03-05T15:00:00');
  await call<StaffTicketView>(
    { action: 'setStatus', communityId: C, ticketId: filed.ticketId, status: 'in-progress' },
    service,
  );
  const resolved = await call<StaffTicketView>(
    {
      action: 'setStatus',
      communityId: C,
      ticketId: filed.ticketId,
      status: 'resolved',
      note: '已核实面积并更正，差额将在下期账单中抵扣',
    },
    service,
  );
  expect(resolved.status).toBe('resolved');
  expect(resolved.breaches).toEqual([]);
  expect(holds().find((h) => h.refId === filed.ticketId)).toMatchObject({
    active: false,
    to: '2030-03-05',
  });

  // The owner rates it once.
  const rated = await call<OwnerTicketView>(
    { action: 'rate', ticketId: filed.ticketId, stars: 5, comment: '处理及时，态度很好' },
    owner,
  );
  expect(rated.rating).toMatchObject({ stars: 5, comment: '处理及时，态度很好' });
  expect(rated.canRate).toBe(false);
  const twice = await raw({ action: 'rate', ticketId: filed.ticketId, stars: 1 }, owner);
  expect(twice).toMatchObject({ ok: false, code: 'CONFLICT' });

  // Reopened within 7 days: a new paused range on the same bill.
  await at('2030-03-08T09:30:00');
  const reopened = await call<OwnerTicketView>(
    { action: 'reopen', ticketId: filed.ticketId, reason: '下期账单没有看到抵扣' },
    owner,
  );
  expect(reopened.status).toBe('in-progress');
  const second = holds().find((h) => h.refId === `${filed.ticketId}:r1`)!;
  expect(second).toMatchObject({ active: true, from: '2030-03-08', billIds: [bill.billId] });
  await call<StaffTicketView>(
    {
      action: 'setStatus',
      communityId: C,
      ticketId: filed.ticketId,
      status: 'resolved',
      note: '已在本期账单中抵扣差额',
    },
    service,
  );
  expect(holds().filter((h) => h.active && h.refId.startsWith(filed.ticketId))).toHaveLength(0);
  const confirmed = await call<OwnerTicketView>(
    { action: 'confirm', ticketId: filed.ticketId },
    owner,
  );
  expect(confirmed.status).toBe('closed');

  // Return visit after closing.
  const visited = await call<StaffTicketView>(
    {
      action: 'returnVisit',
      communityId: C,
      ticketId: filed.ticketId,
      method: 'phone',
      satisfied: true,
      feedback: '业主表示满意，感谢及时处理',
    },
    service,
  );
  expect(visited.returnVisit).toMatchObject({ method: 'phone', satisfied: true });

  // Every step is in the audit log; the owner got in-app progress messages.
  const actions = cloud.store
    .find('audit_log', { targetId: filed.ticketId })
    .map((a) => a.action as string);
  expect(actions).toEqual(
    expect.arrayContaining([
      'complaint.file',
      'complaint.assign',
      'complaint.reply',
      'complaint.note',
      'complaint.status',
      'complaint.visit',
    ]),
  );
  expect(
    cloud.store.count('notifications', { openid: owner, kind: 'complaint-progress' }),
  ).toBeGreaterThanOrEqual(3);
});

test('a progress message goes out when the owner accepted the subscription and a template is set', async () => {
  await at('2030-03-04T10:00:00');
  cloud.store.update(
    'communities',
    { _id: C },
    {
      $set: {
        'templates.complaintProgress': template(
          'TMPL_TICKET_PROGRESS',
          'character_string1',
          'thing2',
          'phrase3',
          'thing4',
          'time5',
        ),
      },
    },
    { multi: false, replace: false, upsert: false },
  );
  const t = await fileTicket(owner, { roomId: 'r_2_1_302', category: 'noise' });
  await fetch(`${cloud.url}/dev/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid: owner, results: { TMPL_TICKET_PROGRESS: 'accept' } }),
  });
  await call(
    { action: 'setStatus', communityId: C, ticketId: t.ticketId, status: 'accepted' },
    service,
  );
  // The one credit is used; the next change has none left and still succeeds (43101 is absorbed).
  await call(
    { action: 'reply', communityId: C, ticketId: t.ticketId, text: '您好，已联系楼上住户' },
    service,
  );
  const outbox = (await (await fetch(`${cloud.url}/dev/outbox`)).json()) as {
    templateId: string;
    touser: string;
    data: Record<string, { value: string }>;
  }[];
  const mine = outbox.filter((m) => m.touser === owner && m.templateId === 'TMPL_TICKET_PROGRESS');
  expect(mine).toHaveLength(1);
  expect(mine[0]!.data.character_string1!.value).toBe(t.ticketNo);
  expect(mine[0]!.data.phrase3!.value).toBe('已受理');
  expect(mine[0]!.data.thing2!.value).toBe('噪音扰民投诉');
});

test('the same submit sent twice at once makes one ticket and one number', async () => {
  await at('2030-03-04T10:00:00');
  const event = {
    action: 'file',
    requestId: 'req-double-tap-01',
    roomId: 'r_1_1_1501',
    kind: 'complaint',
    category: 'service',
    description: '保安态度不好，说话很冲',
  };
  const [a, b] = await Promise.all([raw(event, owner), raw(event, owner)]);
  expect(a).toMatchObject({ ok: true });
  expect(b).toMatchObject({ ok: true });
  const ids = [a, b].map((r) => (r as { data: FiledTicket }).data.ticketId);
  expect(ids[0]).toBe(ids[1]);
  expect(cloud.store.count('complaints', { _id: ids[0] })).toBe(1);
  const next = await fileTicket(owner, { roomId: 'r_1_1_1501' });
  const first = (a as { data: FiledTicket }).data.ticketNo;
  expect(Number(next.ticketNo.slice(-4))).toBe(Number(first.slice(-4)) + 1);
});
