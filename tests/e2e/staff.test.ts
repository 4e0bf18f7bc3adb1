/** Staff see the 管理 tab and reach the 工作台 in the admin subpackage; owners do not see it. */
import { current, type Harness, settled, tapTab, useHarness, waitForRoute } from './harness';

const h = useHarness();

async function tabLabels(page: Awaited<ReturnType<Harness['open']>>): Promise<string[]> {
  const bar = current(page).locator('custom-tab-bar');
  await bar.getByText('首页', { exact: true }).waitFor();
  // whoami settles after the first paint: wait until no request is in flight
  await settled(page);
  return (await bar.locator('van-tabbar-item').allInnerTexts()).map((t) => t.trim());
}

test.each(['o_demo_admin', 'o_demo_cashier', 'o_demo_service', 'o_demo_finance'])(
  '%s sees the 管理 tab and opens the 工作台',
  async (user) => {
    const page = await h.open(user);
    await current(page).locator('custom-tab-bar').getByText('管理', { exact: true }).waitFor();
    expect(await tabLabels(page)).toEqual(['首页', '账单', '我的', '管理']);
    await tapTab(page, '管理');
    await waitForRoute(page, 'admin/index/index');
    const desk = current(page);
    await desk.getByText('您好，今天也辛苦了', { exact: false }).waitFor();
    expect(await desk.innerText()).not.toContain('即将上线');
    expect(await page.locator('#wx-nav-title').innerText()).toBe('工作台');
    // back to the owner tabs from the workbench's own tab bar
    await tapTab(page, '首页');
    await waitForRoute(page, 'pages/home/index');
  },
);

test.each(['o_demo_owner', 'o_demo_paid', 'o_demo_elder'])('%s does not see 管理', async (user) => {
  const page = await h.open(user);
  expect(await tabLabels(page)).toEqual(['首页', '账单', '我的']);
});

test('an owner who opens the 工作台 anyway is told it is for staff', async () => {
  const page = await h.open('o_demo_owner', 'admin/index/index', 'relaunch');
  await current(page).getByText('抱歉，您暂无管理权限').waitFor();
  expect(h.external).toEqual([]);
});
