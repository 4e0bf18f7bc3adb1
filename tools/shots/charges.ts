/**
 * Issue 21's one-off charges and deposits (docs/charges.md), on the demo as seeded: the cashier's
 * 临时收费 form with its preview, finance's approvals and the 押金管理 list with a refund being
 * entered, and the owner's 我的押金 (a deduction to agree to, a deposit to pay).
 */
import { onScreen, tapText, tapUntil, type Shot } from './shot';

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
        // exact: the search result, not the record below that names the room too
        await tapText(page, '2栋1单元302');
        await onScreen(page).locator('[class*="f-amount"] input').fill('800');
        await tapUntil(
          onScreen(page).locator('van-button', { hasText: '预览' }),
          onScreen(page).getByText('提交后需财务或管理员', { exact: false }),
        );
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
