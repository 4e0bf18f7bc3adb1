/**
 * A period walked with the dev clock through the local cloud (issue 7 "Done when"): the notice is
 * published and pushed (each owner's own amount, validated payload, credits consumed, quiet hours
 * respected, dedupe), some owners pay, the day 1/15/30/60 stages happen on schedule for the rest,
 * a promise to pay and an installment plan stop escalation, a missed installment resumes it, and
 * late fees accrue daily and stop at the cap; finance waives with a reason.
 */
import type { OutboxMessage } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { dataOf } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { setDemoLateFee } from '../helpers/fee';
import { formatYuan } from '../../miniprogram/domain/kernel/money';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  CaseDetail,
  CaseItem,
  LetterView,
  OverdueRunReport,
  PlanView,
  TaskView,
} from '../../miniprogram/domain/overdue/contract';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type {
  CreditsView,
  DeliveryReport,
  NoticeView,
  OwnerNoticeDetail,
  OwnerNoticeItem,
} from '../../miniprogram/domain/notice/contract';
import { template } from '../helpers/templates';

const C = 'c_cuihu';
const A = 'r_1_1_1501'; // o_demo_owner: consents, goes overdue, then an installment plan
const B = 'r_3_2_801'; // o_demo_paid: pays after the notice
const E = 'r_1_2_201'; // o_demo_elder: promise to pay, then the home visit
const D = 'r_4_2_1801'; // nobody bound: contact list
const BILL_TMPL = 'TMPL_BILL_ISSUED';
const OVERDUE_TMPL = 'TMPL_BILL_OVERDUE';

async function call<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await cloud.call(fn, event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.code} ${r.message}`);
  return r.data;
}
const raw = (fn: string, event: Record<string, unknown>, openid: string) =>
  cloud.call(fn, event, openid) as Promise<Reply<unknown>>;

/** Sets the dev clock to `day` at `hhmm` Asia/Shanghai without firing timers. */
async function at(day: string, hhmm = '10:00'): Promise<void> {
  await cloud.setClock(Date.parse(`${day}T${hhmm}:00+08:00`), { fireTimers: false });
}
async function runDay(day: string, hhmm = '10:00'): Promise<OverdueRunReport> {
  await at(day, hhmm);
  return (await cloud.fireTimer('overdue')) as OverdueRunReport;
}
/** What the owner's consent sheet answered: WeChat's own count and our record of it. */
async function consent(openid: string, results: Record<string, 'accept' | 'reject'>) {
  await fetch(`${cloud.url}/dev/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, results }),
  });
  return call<CreditsView>('notice', { action: 'consent', results, trigger: 'bill' }, openid);
}
const bill = (roomId: string) => cloud.store.find('bills', { _id: `b_${roomId}_2026-12` })[0]!;
const outbox = (): OutboxMessage[] => cloud.outbox;
/** The December notice published as `openid` (no late fee unless `fields` names one). */
const publish = (fields: Record<string, unknown>, openid: string) =>
  raw(
    'notice',
    {
      action: 'publish',
      communityId: C,
      period: '2026-12',
      deadline: '2026-12-15',
      lateFeePolicy: null,
      // 14 days before the deadline: one day short of the default notice time.
      lateReason: '本期账单核对推迟一天',
      ...fields,
    },
    openid,
  );

/** The rooms the service desk has a task of this kind for, sorted. */
async function roomsWithTask(kind: TaskView['kind']): Promise<string[]> {
  const tasks = await call<{ items: TaskView[] }>(
    'overdue',
    { action: 'tasks', communityId: C },
    DEMO_USERS.service,
  );
  return tasks.items
    .filter((t) => t.kind === kind)
    .map((t) => t.roomId)
    .sort();
}
/** The late fee staff are shown (and the owner is charged) today on the room's December bill. */
async function lateFee(roomId: string): Promise<number | undefined> {
  const k = await caseOf(roomId);
  return k.bills.find((b) => b.billId === `b_${roomId}_2026-12`)?.lateFeeFen;
}
const caseOf = (roomId: string) =>
  call<CaseDetail>('overdue', { action: 'case', communityId: C, roomId }, DEMO_USERS.service);

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
beforeAll(async () => {
  await at('2026-12-01');
  // A clean slate: only this period's bills, so each account's days come from one due date.
  cloud.store.remove('bills', {}, { multi: true });
  // …and none of the demo's follow-up history (its dates follow the real calendar).
  for (const coll of [
    'bill_holds',
    'collection_cases',
    'collection_events',
    'collection_tasks',
    'collection_letters',
    'installment_plans',
    'reminders',
  ])
    cloud.store.remove(coll, {}, { multi: true });
  const rooms = [A, B, E, D];
  cloud.store.insert(
    'bills',
    rooms.map((roomId, i) => ({
      _id: `b_${roomId}_2026-12`,
      communityId: C,
      roomId,
      period: '2026-12',
      key: 'property',
      title: '2026年12月起 物业服务费（季度）',
      items: [{ itemId: 'property', name: '物业服务费', basis: '…', amountFen: 50_000 + i * 100 }],
      amountDueFen: 50_000 + i * 100,
      lateFeeFen: 0,
      paidFen: 0,
      dueDate: '2026-12-15',
      status: 'unpaid',
    })),
  );
  // The contract's late fee: 0.3% a day after 5 grace days, at most 5% of the amount due.
  setDemoLateFee(cloud.store);
  await call(
    'settings',
    {
      action: 'update',
      communityId: C,
      templates: {
        billReminder: template(BILL_TMPL, 'thing1', 'amount2', 'date3', 'thing4'),
        overdueReminder: template(OVERDUE_TMPL, 'thing1', 'amount2', 'date3', 'number4', 'phrase5'),
      },
    },
    DEMO_USERS.admin,
  );
});

test('consent is recorded as one-time credits per template; at most 3 at a time', async () => {
  const bad = await raw(
    'notice',
    {
      action: 'consent',
      results: { a1234567890: 'accept', b1234567890: 'accept', c1234567890: 'accept', d: 'accept' },
      trigger: 'bill',
    },
    DEMO_USERS.owner,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const r = await consent(DEMO_USERS.owner, { [BILL_TMPL]: 'accept', [OVERDUE_TMPL]: 'accept' });
  expect(r.credits).toEqual({ [BILL_TMPL]: 1, [OVERDUE_TMPL]: 1 });
  const again = await consent(DEMO_USERS.owner, { [OVERDUE_TMPL]: 'reject' });
  expect(again.credits[OVERDUE_TMPL]).toBe(1);
});

test('the notice is published and pushed: each owner their own amount, credits used, the rest on the contact list', async () => {
  // Only service/admin publish; a cashier cannot.
  const forbidden = await publish(
    {
      amountBasis: '建筑面积 × 2.35 元/m²/月',
      methods: ['wechat'],
      body: '本季度物业服务费已出账。',
    },
    DEMO_USERS.cashier,
  );
  expect(forbidden).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const threat = await publish(
    { amountBasis: '建筑面积 × 2.35 元/m²/月', methods: ['wechat'], body: '逾期将停水停电。' },
    DEMO_USERS.service,
  );
  expect(threat).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(cloud.store.find('notices', { period: '2026-12' })).toHaveLength(0);

  const n = await dataOf<NoticeView>(
    publish(
      {
        amountBasis: '建筑面积 × 2.35 元/m²/月 × 3 个月',
        methods: ['wechat', 'cash', 'card'],
        body: '2026 年 12 月至 2027 年 2 月物业服务费已出账，感谢您的支持。',
        lateFeePolicy: '逾期按合同约定每日 0.3% 计收，最高不超过应缴金额的 5%',
      },
      DEMO_USERS.service,
    ),
  );
  expect(n.push).toMatchObject({ status: 'done', rooms: 4, sent: 1 });
  const sent = outbox().filter((m) => m.templateId === BILL_TMPL);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    touser: DEMO_USERS.owner,
    data: {
      thing1: { value: '1栋1单元1501 12月物业费' },
      amount2: { value: '¥500.00' },
      date3: { value: '2026年12月15日' },
    },
  });
  // The credit is used up (ours and WeChat's).
  expect(
    cloud.store.find('subscribe_credits', { _id: `${DEMO_USERS.owner}:${BILL_TMPL}` })[0],
  ).toMatchObject({
    credits: 0,
  });
  const again = await publish(
    { amountBasis: 'x', methods: ['wechat'], body: 'y' },
    DEMO_USERS.service,
  );
  expect(again).toMatchObject({ ok: false, code: 'CONFLICT' });
  // Staff see who published it; the notice owners can read names nobody (issue 20).
  const staffList = await call<NoticeView[]>(
    'notice',
    { action: 'staffList', communityId: C },
    DEMO_USERS.admin,
  );
  expect(staffList.find((x) => x.noticeId === n.noticeId)).toMatchObject({
    publishedByName: '周客服',
  });
  expect(JSON.stringify(cloud.store.find('notices', { _id: n.noticeId }))).not.toMatch(
    new RegExp(`${DEMO_USERS.service}|周客服`),
  );
  // A timer delivered now re-sends nothing (dedupe per owner + notice + stage).
  await cloud.fireTimer('overdue');
  await cloud.fireTimer('overdue');
  expect(outbox().filter((m) => m.templateId === BILL_TMPL)).toHaveLength(1);

  const report = await call<DeliveryReport>(
    'notice',
    { action: 'report', communityId: C, noticeId: n.noticeId },
    DEMO_USERS.service,
  );
  expect(report.counts).toMatchObject({ rooms: 4, wechat: 1, noSubscription: 2, notBound: 1 });
  expect(report.unreached.map((u) => u.roomId).sort()).toEqual([B, E, D].sort());
  const tasks = await call<{ items: TaskView[] }>(
    'overdue',
    { action: 'tasks', communityId: C },
    DEMO_USERS.service,
  );
  expect(tasks.items.find((t) => t.roomId === D)).toMatchObject({
    kind: 'call',
    source: 'not-bound',
  });
  expect(tasks.items.find((t) => t.roomId === B)).toMatchObject({ source: 'no-subscription' });

  // The owner reads it: own amount only, read receipt counted once.
  const list = await call<OwnerNoticeItem[]>('notice', { action: 'mine' }, DEMO_USERS.owner);
  expect(list.find((x) => x.noticeId === n.noticeId)).toMatchObject({ read: false });
  const detail = await call<OwnerNoticeDetail>(
    'notice',
    { action: 'detail', noticeId: n.noticeId },
    DEMO_USERS.owner,
  );
  expect(detail.myRooms).toEqual(
    expect.arrayContaining([{ roomId: A, roomLabel: '1栋1单元1501', amountFen: 50_000 }]),
  );
  expect(detail.myRooms.some((r) => r.roomId === B)).toBe(false);
  await call('notice', { action: 'detail', noticeId: n.noticeId }, DEMO_USERS.owner);
  const report2 = await call<DeliveryReport>(
    'notice',
    { action: 'report', communityId: C, noticeId: n.noticeId },
    DEMO_USERS.admin,
  );
  expect(report2.counts.read).toBe(1);
  const poster = await call<PrintDoc>(
    'notice',
    { action: 'poster', communityId: C, noticeId: n.noticeId },
    DEMO_USERS.service,
  );
  expect(JSON.stringify(poster)).toContain('12358');
});

test('some owners pay; the rest reach day 1 — in quiet hours the reminder waits until 08:00', async () => {
  await at('2026-12-10');
  const paid = await call<{ receiptNo: string }>(
    'payment',
    {
      action: 'recordOffline',
      roomId: B,
      channel: 'cash',
      amountFen: 50_100,
      tenderedFen: 50_100,
      idempotencyKey: 'overdue-test-B-1',
    },
    DEMO_USERS.cashier,
  );
  expect(paid.receiptNo).toBeTruthy();
  expect(bill(B)).toMatchObject({ status: 'paid' });

  const before = outbox().length;
  const r = await runDay('2026-12-16', '22:30');
  expect(r.stagesRun['friendly-reminder']).toBe(3); // A, E, D; B has paid
  expect(r.quiet).toBe(true);
  expect(outbox().length).toBe(before);
  expect(cloud.store.find('reminders', { roomId: A, stage: 'friendly-reminder' })[0]).toMatchObject(
    {
      status: 'pending',
    },
  );
  expect(bill(A)).toMatchObject({ overdue: true, overdueDays: 1, agingBucket: '0-30' });

  const r2 = await runDay('2026-12-17', '08:00');
  expect(r2.stagesRun['friendly-reminder']).toBe(0);
  const sent = outbox().slice(before);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    touser: DEMO_USERS.owner,
    templateId: OVERDUE_TMPL,
    data: { amount2: { value: '¥500.00' }, phrase5: { value: '待缴费' }, number4: { value: '1' } },
  });
  // Delivered twice the same day: nothing new.
  await cloud.fireTimer('overdue');
  expect(outbox().length).toBe(before + 1);
  const k = await caseOf(A);
  expect(k.item).toMatchObject({ stage: 'friendly-reminder', overdueDays: 2 });
  expect(k.events[0]).toMatchObject({ kind: 'stage', stage: 'friendly-reminder', byName: '系统' });
});

test('late fees accrue once a day from the stored rule and stop at the cap', async () => {
  // Due 12-15, 5 grace days: the first chargeable day is 12-21.
  expect(await lateFee(A)).toBe(0);
  await runDay('2026-12-21');
  expect(await lateFee(A)).toBe(150); // 50,000 × 0.3%
  await cloud.fireTimer('overdue');
  expect(await lateFee(A)).toBe(150); // never twice for the same day
  await runDay('2026-12-25');
  expect(await lateFee(A)).toBe(750);
  // Derived, not written day by day: the bill stores what was settled (nothing yet this month).
  expect(bill(A).lateFeeFen).toBe(0);
});

test('day 15 and a promise to pay: the promised account is skipped until the date passes', async () => {
  await runDay('2026-12-28');
  const bad = await raw(
    'overdue',
    {
      action: 'record',
      communityId: C,
      roomId: E,
      channel: 'call',
      reason: 'not-a-reason',
      notes: 'x',
      nextStep: 'y',
    },
    DEMO_USERS.service,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const ev = await call<{ reasonText: string }>(
    'overdue',
    {
      action: 'record',
      communityId: C,
      roomId: E,
      channel: 'call',
      reason: 'hardship',
      notes: '老人住院，子女下月初回来处理',
      nextStep: '1 月 5 日前再联系',
      ownerResponse: '同意 1 月 5 日前缴清',
      promiseDate: '2027-01-05',
    },
    DEMO_USERS.service,
  );
  expect(ev.reasonText).toBe('经济困难');
  expect(cloud.store.find('bill_holds', { roomId: E, reason: 'promise' })[0]).toMatchObject({
    active: true,
    to: '2027-01-05',
  });
  const feeBefore = bill(E).lateFeeFen;
  const r = await runDay('2026-12-30');
  expect(r.stagesRun['second-reminder']).toBe(2); // A and D; E is held
  expect(r.held).toBe(1);
  expect(bill(E).lateFeeFen).toBe(feeBefore); // paused with the hold
  // A has no overdue credit left: the second reminder puts it on the contact list.
  expect(cloud.store.find('reminders', { roomId: A, stage: 'second-reminder' })[0]).toMatchObject({
    status: 'no-credit',
  });
  const r2 = await runDay('2027-01-06');
  expect(r2.stagesRun['second-reminder']).toBe(1); // E after the promise lapsed
  expect(cloud.store.find('audit_log', { action: 'overdue.contact' })).toHaveLength(1);
});

test('day 30: a printable 催缴函 per room, listed for staff, delivery recorded', async () => {
  const r = await runDay('2027-01-14');
  expect(r.stagesRun['formal-notice']).toBe(3); // A, D and E (day 30 counts from the due date)
  expect(await lateFee(A)).toBe(2_500); // 5% cap reached
  // The first run of January settled December's days on the bill: 11 days (12-21..12-31).
  expect(bill(A)).toMatchObject({ lateFeeFen: 1_650, lateFee: { accruedThrough: '2026-12-31' } });
  // The next quarter's bill is issued ahead of its due date: not owed yet, so neither the
  // letter nor the case asks for it (issue 18: a letter demanded a bill due two months later).
  cloud.store.insert('bills', [
    {
      ...bill(D),
      _id: `b_${D}_2027-03`,
      period: '2027-03',
      dueDate: '2027-03-15',
      items: [
        {
          itemId: 'property',
          name: '物业服务费',
          basis: '…',
          amountFen: 50_300,
          from: '2027-03-01',
          to: '2027-05-31',
        },
      ],
      lateFeeFen: 0,
    },
  ]);
  const letter = await call<LetterView>(
    'overdue',
    { action: 'letter', communityId: C, roomId: D },
    DEMO_USERS.service,
  );
  // numbered by the room as people name it, not its record id
  expect(letter.letterNo).toBe('CJ20270114-4栋2单元1801');
  const text = JSON.stringify(letter.doc);
  expect(text).toContain('4栋2单元1801');
  const table = letter.doc.blocks.find((b) => b.kind === 'table')!;
  if (table.kind !== 'table') throw new Error('no table');
  expect(table.rows).toHaveLength(1);
  expect(table.rows[0]![2]).toBe('2026年12月15日');
  expect(text).not.toContain('2027年3月15日');
  // as of the day it is made, and the deadline from that day
  expect(text).toContain('截至2027年1月14日');
  expect(text).toContain('请您于2027年1月29日前缴清');
  // the case's header and its list add up to the same, the letter's total too
  const kase = await caseOf(D);
  const listed = kase.bills.reduce((sum, b) => sum + b.outstandingFen, 0);
  expect(kase.bills.map((b) => b.dueDate)).toEqual(['2026-12-15']);
  expect(listed).toBe(kase.item.arrearsFen);
  expect(table.footer).toContain(formatYuan(listed));
  // a day later the same letter says the later day
  await at('2027-01-20');
  const later = await call<LetterView>(
    'overdue',
    { action: 'letter', communityId: C, roomId: D },
    DEMO_USERS.service,
  );
  expect(JSON.stringify(later.doc)).toContain('截至2027年1月20日');
  await at('2027-01-14');
  expect(text).toContain('民法典');
  expect(text).not.toMatch(/停水|停电|停暖|停气/);
  expect(await roomsWithTask('letter')).toEqual([A, D, E].sort());
  const delivered = await call<LetterView>(
    'overdue',
    {
      action: 'letterDelivered',
      communityId: C,
      roomId: D,
      method: 'posted',
      note: '无人应门，已投递信箱',
    },
    DEMO_USERS.service,
  );
  expect(delivered.deliveredAt).toBeTruthy();
  const k = await caseOf(D);
  expect(k.letter?.deliveredAt).toBeTruthy();
  expect(k.events.map((e) => e.kind)).toContain('letter-delivered');
  expect(k.tasks.find((t) => t.kind === 'letter')).toMatchObject({ status: 'done' });
  // The cap holds on later days.
  await runDay('2027-01-15');
  expect(await lateFee(A)).toBe(2_500);
});

test('finance waives a late fee with a reason (audited); a service role cannot', async () => {
  const no = await raw(
    'overdue',
    { action: 'waive', communityId: C, billId: bill(D)._id, amountFen: 1000, reason: '困难减免' },
    DEMO_USERS.service,
  );
  expect(no).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const tooMuch = await raw(
    'overdue',
    {
      action: 'waive',
      communityId: C,
      billId: bill(D)._id,
      amountFen: 999_999,
      reason: '困难减免',
    },
    DEMO_USERS.finance,
  );
  expect(tooMuch).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const before = (await lateFee(D))!;
  const w = await call<{ lateFeeFen: number }>(
    'overdue',
    {
      action: 'waive',
      communityId: C,
      billId: bill(D)._id,
      amountFen: 1000,
      reason: '业主反映服务问题，经理批准减免',
    },
    DEMO_USERS.finance,
  );
  expect(w.lateFeeFen).toBe(before - 1000);
  expect(cloud.store.find('audit_log', { action: 'latefee.waive' })[0]).toMatchObject({
    actor: DEMO_USERS.finance,
    targetId: bill(D)._id,
  });
  // The waived part does not come back: the cap is measured on what accrued.
  await runDay('2027-01-16');
  expect(await lateFee(D)).toBe(before - 1000);
});

test('installment plan: amounts must sum exactly; admin approves; the owner accepts; escalation stops', async () => {
  await at('2027-01-20');
  const k = await caseOf(A);
  const arrears = k.item.arrearsFen;
  expect(arrears).toBe(52_500);
  /** Room A's plan as the service desk proposes it: [due date, fen] per installment. */
  const propose = (parts: [string, number][], note: string) =>
    raw(
      'overdue',
      {
        action: 'proposePlan',
        communityId: C,
        roomId: A,
        installments: parts.map(([dueDate, amountFen]) => ({ dueDate, amountFen })),
        note,
      },
      DEMO_USERS.service,
    );
  const wrong = await propose(
    [
      ['2027-02-01', 20_000],
      ['2027-03-01', 20_000],
    ],
    '失业，分期缴纳',
  );
  expect(wrong).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((wrong as { message: string }).message).toMatch(/不一致/);
  const plan = await dataOf<PlanView>(
    propose(
      [
        ['2027-02-01', 17_500],
        ['2027-03-01', 17_500],
        ['2027-04-01', 17_500],
      ],
      '业主失业，申请分三期缴纳',
    ),
  );
  expect(plan.status).toBe('proposed');
  // The owner cannot accept before the admin approves; a service role cannot approve.
  expect(
    await raw('overdue', { action: 'acceptPlan', planId: plan.planId }, DEMO_USERS.owner),
  ).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(
    await raw(
      'overdue',
      { action: 'decidePlan', communityId: C, planId: plan.planId, approve: true },
      DEMO_USERS.service,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  await call(
    'overdue',
    { action: 'decidePlan', communityId: C, planId: plan.planId, approve: true },
    DEMO_USERS.admin,
  );
  // Another owner cannot accept it.
  expect(
    await raw('overdue', { action: 'acceptPlan', planId: plan.planId }, DEMO_USERS.elder),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const mine = await call<PlanView[]>('overdue', { action: 'myPlans' }, DEMO_USERS.owner);
  expect(mine[0]).toMatchObject({ planId: plan.planId, status: 'approved' });
  const accepted = await call<PlanView>(
    'overdue',
    { action: 'acceptPlan', planId: plan.planId },
    DEMO_USERS.owner,
  );
  expect(accepted.status).toBe('active');
  expect(
    cloud.store.find('bill_holds', { roomId: A, reason: 'installment', active: true }),
  ).toHaveLength(1);
  const held = await call<{ items: CaseItem[] }>(
    'overdue',
    { action: 'cases', communityId: C, filter: 'held' },
    DEMO_USERS.service,
  );
  expect(held.items.map((i) => i.roomId)).toEqual([A]);
});

test('day 60: home-visit task for the rest; a missed installment resumes escalation', async () => {
  // The first installment (02-01) is missed; after 7 grace days the plan lapses.
  const r = await runDay('2027-02-09');
  expect(cloud.store.find('installment_plans', { roomId: A })[0]).toMatchObject({
    status: 'lapsed',
  });
  expect(cloud.store.find('bill_holds', { roomId: A, reason: 'installment' })[0]).toMatchObject({
    active: false,
    to: '2027-02-08',
  });
  expect(r.stagesRun['home-visit']).toBe(0);
  const r2 = await runDay('2027-02-13'); // day 60
  expect(r2.stagesRun['home-visit']).toBe(3); // A (resumed after the lapse), D and E
  expect(await roomsWithTask('visit')).toEqual([A, D, E].sort());
  // Nothing in any stage text suggests cutting utilities.
  const allText = JSON.stringify(cloud.store.find('collection_events', {}));
  expect(allText).not.toMatch(/停水|停电|停暖|停气/);
});

test('only the community staff see cases; owners see only their own plans', async () => {
  expect(await raw('overdue', { action: 'cases', communityId: C }, DEMO_USERS.owner)).toMatchObject(
    { ok: false, code: 'FORBIDDEN' },
  );
  expect(
    await raw('overdue', { action: 'case', communityId: 'c_other', roomId: A }, DEMO_USERS.service),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await call<PlanView[]>('overdue', { action: 'myPlans' }, DEMO_USERS.paid)).toEqual([]);
});

test('the daily timer fires from its 7-field cron at 08:00 UTC+8', async () => {
  await at('2027-02-14', '07:30');
  await cloud.setClock(Date.parse('2027-02-14T08:30:00+08:00'));
  expect(cloud.store.find('overdue_runs', { _id: `${C}:2027-02-14` })[0]).toMatchObject({
    phase: 'done',
  });
});

test('the escalation policy per community: staff read it, only an admin changes it (audited)', async () => {
  const p = await call<{ escalation: { day: number }[]; quietHours: { from: string } }>(
    'overdue',
    { action: 'policy', communityId: C },
    DEMO_USERS.cashier,
  );
  expect(p.escalation.map((s) => s.day)).toEqual([1, 15, 30, 60]);
  expect(p.quietHours.from).toBe('21:00');
  const bad = await raw(
    'overdue',
    {
      action: 'setPolicy',
      communityId: C,
      escalation: [
        { day: 20, stage: 'friendly-reminder', label: '温馨提示' },
        { day: 10, stage: 'second-reminder', label: '再次提醒' },
      ],
    },
    DEMO_USERS.admin,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(
    await raw(
      'overdue',
      { action: 'setPolicy', communityId: C, overdueGraceDays: 3 },
      DEMO_USERS.service,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const changed = await call<{ overdueGraceDays: number; escalation: { day: number }[] }>(
    'overdue',
    {
      action: 'setPolicy',
      communityId: C,
      overdueGraceDays: 3,
      escalation: [
        { day: 3, stage: 'friendly-reminder', label: '温馨提示' },
        { day: 20, stage: 'second-reminder', label: '再次提醒' },
        { day: 45, stage: 'formal-notice', label: '书面催缴函' },
        { day: 90, stage: 'home-visit', label: '上门拜访' },
      ],
    },
    DEMO_USERS.admin,
  );
  expect(changed.overdueGraceDays).toBe(3);
  expect(changed.escalation.map((s) => s.day)).toEqual([3, 20, 45, 90]);
  expect(cloud.store.find('audit_log', { action: 'overdue.policy' })).toHaveLength(1);
});
