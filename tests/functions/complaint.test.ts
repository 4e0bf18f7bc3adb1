/**
 * Complaints through the local cloud and the real SDK: an owner files a fee dispute with a photo
 * (the bill's hold placed in `bill_holds`), staff assign, reply, add an internal note the owner
 * never sees and resolve (hold released), the owner rates and reopens (a new hold); bad input and
 * other people's tickets change nothing; the timer warns, counts each breach once and escalates;
 * the call log searches; the dashboard matches a hand count.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud } from '../helpers/cloud';
import { counts, upload } from './community-helpers';
import { pathOfId, pathOfLink } from '../helpers/files';
import type {
  CallView,
  DeskView,
  FiledTicket,
  FormOptions,
  OwnerTicketView,
  ServiceDashboard,
  StaffTicketView,
} from '../../miniprogram/domain/complaint/contract';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { HoldDoc } from '../../cloudfunctions/_shared/holds';

const C = 'c_cuihu';
const { owner, paid, elder, service, admin, cashier } = DEMO_USERS;

let cloud: LocalCloud;
beforeEach(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterEach(async () => {
  await cloud.close();
});

const raw = (event: Record<string, unknown>, openid: string) =>
  cloud.call('complaint', event, openid) as Promise<Reply<unknown>>;

async function call<T>(event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await raw(event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}

/** Shanghai wall-clock time → the dev clock. */
async function at(local: string): Promise<void> {
  await cloud.setClock(Date.parse(`${local}+08:00`), { fireTimers: false });
}

let reqSeq = 0;
async function fileTicket(openid: string, fields: Record<string, unknown>): Promise<FiledTicket> {
  reqSeq++;
  return call<FiledTicket>(
    {
      action: 'file',
      requestId: `req-test-${reqSeq}-${openid}`,
      kind: 'complaint',
      category: 'service',
      description: '楼道灯坏了很多天没人修',
      ...fields,
    },
    openid,
  );
}

/**
 * The dev clock keeps running after it is set, and on a loaded machine a call can take many
 * seconds: instants match to within a minute. Every deadline here differs from its neighbours by
 * half an hour or more, so a wrong one still fails.
 */
function sameInstant(actual: string | null, expected: string): void {
  expect(Math.abs(Date.parse(actual ?? '') - Date.parse(expected))).toBeLessThan(60_000);
}

const holds = () => cloud.store.find('bill_holds', {}) as unknown as HoldDoc[];

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
  const filed = await call<FiledTicket>(
    {
      action: 'file',
      requestId,
      roomId: 'r_1_1_1501',
      kind: 'complaint',
      category: 'fee-dispute',
      description: '本季度物业费比上季度多了，想了解原因',
      photos: [photo],
      billIds: [bill.billId],
    },
    owner,
  );
  expect(filed.ticketNo).toMatch(/^TS20300304\d{4}$/);
  expect(filed).toMatchObject({ status: 'registered', held: true });
  // A retried submit returns the same ticket.
  const again = await call<FiledTicket>(
    {
      action: 'file',
      requestId,
      roomId: 'r_1_1_1501',
      kind: 'complaint',
      category: 'fee-dispute',
      description: '本季度物业费比上季度多了，想了解原因',
      photos: [photo],
      billIds: [bill.billId],
    },
    owner,
  );
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
        'templates.complaintProgress': {
          templateId: 'TMPL_TICKET_PROGRESS',
          keywords: [
            { key: 'character_string1', type: 'character_string' },
            { key: 'thing2', type: 'thing' },
            { key: 'phrase3', type: 'phrase' },
            { key: 'thing4', type: 'thing' },
            { key: 'time5', type: 'time' },
          ],
        },
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
