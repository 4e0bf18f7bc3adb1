/**
 * Issue 21's one-off charges and deposits (docs/charges.md), on the demo as seeded: the cashier's
 * 临时收费 form with its preview, finance's approvals and the 押金管理 list with a refund being
 * entered, and the owner's 我的押金 (a deduction to agree to, a deposit to pay).
 */
import { onScreen, tapText, type Shot } from './shot';

export function chargeShots(): Shot[] {
  const finance = { who: 'staff-finance', user: 'o_demo_finance', via: 'relaunch' as const };
  const cashier = { who: 'staff-cashier', user: 'o_demo_cashier', via: 'relaunch' as const };
  return [
    { who: 'owner', user: 'o_demo_owner', path: 'pages/deposits/index' },
    { ...cashier, path: 'admin/charges/index' },
    {
      ...cashier,
      path: 'admin/charges/index',
      act: async (page) => {
        await onScreen(page).locator('room-finder input').fill('2-1-302');
        await onScreen(page).getByText('2栋1单元302').first().tap();
        await onScreen(page).locator('[class*="f-amount"] input').fill('800');
        await onScreen(page).locator('van-button', { hasText: '预览' }).tap();
      },
      name: 'admin-charges-index-preview',
    },
    { ...finance, path: 'admin/charges/index' },
    { ...finance, path: 'admin/deposits/index' },
    {
      ...finance,
      path: 'admin/deposits/index',
      act: async (page) => {
        await onScreen(page).locator('van-button', { hasText: '退还押金' }).first().tap();
        await tapText(page, '＋ 添加扣款项（需业主确认）');
      },
      name: 'admin-deposits-index-refund',
    },
  ];
}
