/**
 * Shots of 车位与储藏室 (docs/spaces.md): the staff list with an add form refused at its plate, a
 * rental being ended, the owner's bills with the rented space beside the room's, and the
 * collection report split by kind.
 */
import { onScreen, tapUntil, type Shot } from './shot';

export function spaceShots(): Shot[] {
  return [
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/spaces/index',
      name: 'admin-spaces-index-add',
      act: async (page) => {
        await onScreen(page).locator('van-button', { hasText: '新增' }).first().tap();
        await onScreen(page).locator('van-field[class*="f-number"] input').fill('B2-022');
        await onScreen(page).locator('van-field[class*="f-plates"] input').fill('粤B1234');
        await tapUntil(
          onScreen(page).locator('van-button', { hasText: '保存' }),
          onScreen(page).getByText('车牌格式不正确').first(),
        );
      },
    },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/spaces/index',
      name: 'admin-spaces-index-end',
      act: async (page) => {
        await onScreen(page).locator('van-button', { hasText: '结束使用' }).first().tap();
        await onScreen(page).getByText('最后计费日').first().waitFor();
      },
    },
    {
      who: 'staff-cashier',
      user: 'o_demo_cashier',
      path: 'admin/spaces/index',
      name: 'admin-spaces-index-cashier',
    },
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/bills/index',
      name: 'pages-bills-index-space',
      act: async (page) => {
        await onScreen(page).getByText('车位 B2-017').first().scrollIntoViewIfNeeded();
      },
    },
    {
      who: 'staff-finance',
      user: 'o_demo_finance',
      path: 'admin/reports/index',
      name: 'admin-reports-index-by-kind',
      act: async (page) => {
        await onScreen(page).getByText('已缴/账单').first().scrollIntoViewIfNeeded();
      },
    },
  ];
}
