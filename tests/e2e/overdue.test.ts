/**
 * Issue 7 "Done when", in real Chromium with the dev clock: the owner consents from a tap, the
 * service desk publishes the period's notice (pushed with the owner's own amount), the owner
 * reads it; one owner pays; the timer takes the rest through day 1/15/30 (a 催缴函 the desk sees on
 * screen and records as delivered); service proposes an installment plan, the admin approves it
 * and the owner accepts it in the mini-program, which stops escalation at day 60 while the other
 * account gets its home visit; late fees stop at the cap.
 */
import type { Locator, Page } from 'playwright-core';
import { addDays, formatPeriod, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { setDemoLateFee } from '../helpers/fee';
import { current, tapWhenSettled, until, useHarness, waitForRoute } from './harness';

const h = useHarness();

const C = 'c_cuihu';
const A = 'r_1_1_1501'; // o_demo_owner
const B = 'r_3_2_801'; // o_demo_paid: pays
const D = 'r_4_2_1801'; // not bound

/** Taps once the page has settled, then waits until `done` holds (state, not time). */
async function tapUntil(page: Page, target: Locator, done: () => Promise<boolean>): Promise<void> {
  await tapWhenSettled(page, target);
  expect(await until(done, (v) => v, 10_000)).toBe(true);
}

async function runDay(day: string): Promise<void> {
  await h.cloud.setClock(Date.parse(`${day}T10:00:00+08:00`), { fireTimers: false });
  await h.cloud.fireTimer('overdue');
}

/** The late fee staff are shown (and the owner is charged) today on the room's bill of PERIOD. */
async function lateFeeShown(roomId: string): Promise<number | undefined> {
  const r = (await h.cloud.call(
    'overdue',
    { action: 'case', communityId: C, roomId },
    'o_demo_service',
  )) as { ok: boolean; data?: { bills: { period: string; lateFeeFen: number }[] } };
  return r.data?.bills.find((b) => b.period === PERIOD)?.lateFeeFen;
}

let PERIOD = '';

test('a period from notice to installment plan and capped late fees', async () => {
  const today = shanghaiDate(new Date(h.cloud.clock.now()));
  PERIOD = today.slice(0, 7);
  const due = addDays(today, 15); // the notice form's default deadline
  await h.cloud.setClock(Date.parse(`${today}T10:00:00+08:00`), { fireTimers: false });
  // Only this period's bills, so each account's days count from one due date.
  const store = h.cloud.store;
  store.remove('bills', {}, { multi: true });
  for (const coll of ['bill_holds', 'collection_cases', 'collection_tasks', 'installment_plans'])
    store.remove(coll, {}, { multi: true });
  store.insert(
    'bills',
    [A, B, D].map((roomId) => ({
      _id: `b_${roomId}_${PERIOD}_e2e`,
      communityId: C,
      roomId,
      period: PERIOD,
      key: 'property',
      title: '物业服务费（季度）',
      items: [{ itemId: 'property', name: '物业服务费', basis: '…', amountFen: 50_000 }],
      amountDueFen: 50_000,
      lateFeeFen: 0,
      paidFen: 0,
      dueDate: due,
      status: 'unpaid',
    })),
  );
  // The contract's late fee: 0.3% a day after 5 grace days, at most 5% of the amount due.
  setDemoLateFee(store);

  // The owner agrees to reminders from a tap; the answer is recorded as credits.
  const owner = await h.open('o_demo_owner', 'pages/subscriptions/index');
  await current(owner).locator('van-button', { hasText: '订阅提醒' }).tap();
  const sheet = owner.locator('[data-sheet=subscribe]');
  await sheet.waitFor();
  await sheet.locator('[data-action=accept]').tap();
  const credit = await until(
    async () => store.find('subscribe_credits', { _id: 'o_demo_owner:TMPL_BILL_ISSUED' })[0],
    (c) => c !== undefined,
  );
  expect(credit).toMatchObject({ credits: 1, lastTrigger: 'settings' });

  // The service desk publishes the notice; it is pushed with each owner's own amount.
  const desk = await h.open('o_demo_service', 'admin/notices/index', 'relaunch');
  const screen = current(desk);
  await screen.getByText('发布本期缴费通知').waitFor();
  await screen.getByText('填写', { exact: true }).tap();
  const modal = desk.locator('.wx-modal');
  await tapUntil(desk, screen.locator('van-button', { hasText: '发布并推送' }), () =>
    modal.isVisible(),
  );
  await modal.locator('.wx-modal-confirm').tap();
  await screen.getByText('微信送达 1 人', { exact: false }).waitFor();
  const pushed = h.cloud.outbox.filter((m) => m.templateId === 'TMPL_BILL_ISSUED');
  expect(pushed).toHaveLength(1);
  expect(pushed[0]).toMatchObject({
    touser: 'o_demo_owner',
    data: { amount2: { value: '¥500.00' } },
  });

  // The owner reads it: their own amount, and the read receipt is counted.
  const reader = await h.open('o_demo_owner', 'pages/notice/index', 'relaunch');
  await current(reader).getByText('未读', { exact: true }).first().waitFor();
  await current(reader)
    .getByText(`${formatPeriod(PERIOD)}物业费缴费通知`)
    .first()
    .tap();
  await waitForRoute(reader, 'pages/notice/detail');
  await current(reader).getByText('¥500.00').waitFor();
  expect(store.find('notice_reads', { openid: 'o_demo_owner' }).length).toBeGreaterThan(0);

  // One owner pays at the front desk.
  const paid = (await h.cloud.call(
    'payment',
    {
      action: 'recordOffline',
      roomId: B,
      channel: 'cash',
      amountFen: 50_000,
      tenderedFen: 50_000,
      idempotencyKey: 'e2e-overdue-B',
    },
    'o_demo_cashier',
  )) as { ok: boolean };
  expect(paid.ok).toBe(true);

  // Day 1, 15, 30 for the rest.
  await runDay(addDays(due, 1));
  await runDay(addDays(due, 15));
  await runDay(addDays(due, 30));
  const stages = (roomId: string) =>
    (
      store.find('collection_cases', { _id: `case_${roomId}` })[0]?.stagesDone as
        { stage: string }[] | undefined
    )?.map((s) => s.stage);
  expect(stages(A)).toEqual(['friendly-reminder', 'second-reminder', 'formal-notice']);
  expect(stages(D)).toEqual(['friendly-reminder', 'second-reminder', 'formal-notice']);
  expect(stages(B)).toBeUndefined();
  expect(await lateFeeShown(A)).toBe(2_500); // 0.3% a day from day 6, capped at 5%

  // The desk sees the account, opens the 催缴函 and records its delivery.
  const svc = await h.open('o_demo_service', 'admin/collection/index', 'relaunch');
  await current(svc).getByText('书面催缴函').first().waitFor();
  await current(svc).getByText('1栋1单元1501').first().tap();
  await waitForRoute(svc, 'admin/collection/case');
  await current(svc).getByText('待送达', { exact: false }).first().tap();
  await waitForRoute(svc, 'admin/collection/letter');
  await current(svc).getByText('物业服务费缴费通知函').waitFor();
  expect(await current(svc).innerText()).not.toMatch(/停水|停电/);
  await current(svc).locator('van-button', { hasText: '记录已送达' }).tap();
  await current(svc).getByText('送达', { exact: false }).first().waitFor();
  await until(
    async () => store.find('collection_letters', { roomId: A })[0]?.deliveredAt,
    (d) => Boolean(d),
  );

  // Service proposes an installment plan.
  const caseUrl = `admin/collection/case?roomId=${A}`;
  const svc2 = await h.open('o_demo_service', caseUrl, 'relaunch');
  await current(svc2).getByText('提出分期', { exact: true }).tap();
  // The first installment after the (moved) clock's today; the plan runs past day 60.
  await current(svc2).locator('[class*="plan-first"] input').fill(addDays(due, 65));
  await current(svc2).locator('[class*="plan-note"] input').fill('业主失业，申请分期');
  await tapUntil(svc2, current(svc2).locator('van-button', { hasText: '提交审批' }), async () =>
    Boolean(store.find('installment_plans', { roomId: A })[0]),
  );
  const plan = store.find('installment_plans', { roomId: A })[0]!;
  expect((plan.installments as { amountFen: number }[]).reduce((s, i) => s + i.amountFen, 0)).toBe(
    52_500,
  );

  // The admin approves it.
  const admin = await h.open('o_demo_admin', caseUrl, 'relaunch');
  const adminModal = admin.locator('.wx-modal');
  await tapUntil(admin, current(admin).locator('van-button[class*="approve-plan"]'), () =>
    adminModal.isVisible(),
  );
  await adminModal.locator('.wx-modal-confirm').tap();
  await until(
    async () => store.find('installment_plans', { roomId: A })[0]?.status,
    (s) => s === 'approved',
  );

  // The owner accepts it in the mini-program.
  const mine = await h.open('o_demo_owner', 'pages/plan/index', 'relaunch');
  const mineModal = mine.locator('.wx-modal');
  await tapUntil(mine, current(mine).locator('van-button', { hasText: '确认分期方案' }), () =>
    mineModal.isVisible(),
  );
  await mineModal.locator('.wx-modal-confirm').tap();
  await current(mine).getByText('执行中').waitFor();

  // Day 60: the plan holds A; D gets the home visit. Late fees stay at the cap.
  await runDay(addDays(due, 60));
  expect(stages(A)).toEqual(['friendly-reminder', 'second-reminder', 'formal-notice']);
  expect(stages(D)).toContain('home-visit');
  expect(store.find('collection_tasks', { roomId: D, kind: 'visit', status: 'open' })).toHaveLength(
    1,
  );
  expect(await lateFeeShown(D)).toBe(2_500);
  expect(await lateFeeShown(A)).toBe(2_500);
  expect(h.external).toEqual([]);
}, 180_000);
