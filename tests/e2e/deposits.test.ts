/**
 * A renovation deposit in real Chromium (docs/charges.md): the desk took it, finance refunds it
 * on 管理 › 押金管理 less a deduction with its reason, the owner agrees on 我的 › 我的押金, and the
 * rest goes back with a red receipt (YH…); the deposit is then released once, in the ledger.
 */
import type { Locator, Page } from 'playwright-core';
import { DEMO_COMMUNITY_ID } from '../../tools/seed/demo';
import { compact, current, post, tapWhenSettled, until, useHarness } from './harness';

const h = useHarness();

async function callAs<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = await post<{ ok: boolean; data: T; message?: string }>(h, `/dev/call/${fn}`, {
    event,
    openid,
  });
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.message}`);
  return r.data;
}

async function tapUntil(page: Page, target: Locator, done: () => Promise<boolean>): Promise<void> {
  await tapWhenSettled(page, target);
  expect(await until(done, (v) => v, 10_000)).toBe(true);
}

test('finance refunds a deposit less a deduction; the owner agrees and sees the red receipt', async () => {
  const dep = await callAs<{ depositId: string }>(
    'charge',
    {
      action: 'requestDeposit',
      communityId: DEMO_COMMUNITY_ID,
      roomId: 'r_2_1_302',
      kind: 'renovation',
      amountFen: 300_000,
      requestId: 'e2e-deposit-302',
    },
    'o_demo_cashier',
  );
  await callAs(
    'charge',
    { action: 'collectDeposit', depositId: dep.depositId, channel: 'cash' },
    'o_demo_cashier',
  );

  const staff = await h.open('o_demo_finance', 'admin/deposits/index', 'relaunch');
  const screen = current(staff);
  await screen.getByText('押金收据 YJ', { exact: false }).first().waitFor();
  await tapWhenSettled(staff, screen.locator('van-button', { hasText: '退还押金' }).first());
  await tapWhenSettled(staff, screen.getByText('＋ 添加扣款项（需业主确认）'));
  await screen.locator('van-field[class*="f-ded-reason"] input').fill('公共楼道墙面修补');
  await screen.locator('van-field[class*="f-ded-amount"] input').fill('500');
  const modal = staff.locator('.wx-modal');
  await tapUntil(staff, screen.locator('van-button', { hasText: '确认退还' }), () =>
    modal.isVisible(),
  );
  expect(compact(await modal.innerText())).toContain('退还¥2,500.00，扣款¥500.00');
  await modal.locator('.wx-modal-confirm').tap();
  await until(
    async () => h.cloud.store.find('deposits', { _id: dep.depositId })[0]?.status,
    (s) => s === 'awaiting-ack',
  );
  await screen.getByText('待业主确认扣款').first().waitFor();

  const owner = await h.open('o_demo_owner', 'pages/deposits/index');
  const mine = current(owner);
  await mine.getByText('扣款 ¥500.00：公共楼道墙面修补 ¥500.00', { exact: false }).waitFor();
  const ownerModal = owner.locator('.wx-modal');
  await tapUntil(owner, mine.locator('van-button', { hasText: '确认扣款并退还' }), () =>
    ownerModal.isVisible(),
  );
  await ownerModal.locator('.wx-modal-confirm').tap();
  const text = await until(
    () => mine.innerText(),
    (t) => /红字收据 YH\d{4}-\d{6}/.test(t),
  );
  expect(text).toContain('已退还');
  expect(h.cloud.store.find('deposit_entries', { depositId: dep.depositId })).toHaveLength(2);
  expect(h.cloud.store.find('deposits', { _id: dep.depositId })[0]).toMatchObject({
    status: 'refunded',
    heldFen: 0,
  });
  expect(h.external).toEqual([]);
});
