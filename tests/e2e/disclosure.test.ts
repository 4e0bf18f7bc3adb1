/**
 * 收支公示 end to end in real Chromium: the demo owner goes from 首页 to the published quarter's
 * disclosure and sees the expense chart actually painted on the `<canvas type="2d">` (coloured
 * bars in its pixels), with the legend, totals and common-area income; then the public standards
 * page shows the announced price change in its notice period.
 */
import { current, until, useHarness, waitForRoute } from './harness';

const h = useHarness();

test('an owner opens the published disclosure and sees the chart of expenses by category', async () => {
  const page = await h.open('o_demo_owner');
  await current(page).getByText('物业收支公示', { exact: true }).tap();
  await waitForRoute(page, 'pages/disclosures/index');
  const list = current(page);
  await list.getByText('收支公示', { exact: false }).first().waitFor();
  await list.getByText('查看详情与支出图表').first().tap();
  await waitForRoute(page, 'pages/disclosure/index');
  const detail = current(page);
  await detail.getByText('支出构成').waitFor();
  const text = await detail.innerText();
  expect(text).toMatch(/\d{4}年第[一二三四]季度收支公示/);
  expect(text).toContain('电梯轿厢广告');
  expect(text).toContain('使用情况：');
  expect(text).toMatch(/收入合计\s*¥[\d,]+\.\d{2}/);

  // The chart is painted: the canvas has a sized buffer with bars in the colours of the three
  // largest categories (人员费用 #0e8f7e, 秩序维护 #6c63c7, 保洁费用 #3a9bd9), the largest the widest.
  const canvas = detail.locator('wx-canvas canvas');
  await canvas.waitFor();
  const painted = await until(
    () =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const ctx = c.getContext('2d');
        const out = { width: c.width, height: c.height, staff: 0, security: 0, cleaning: 0 };
        if (!ctx || c.width === 0) return out;
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < data.length; i += 4) {
          const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
          if (rgb === 0x0e8f7e) out.staff += 1;
          else if (rgb === 0x6c63c7) out.security += 1;
          else if (rgb === 0x3a9bd9) out.cleaning += 1;
        }
        return out;
      }),
    (r) => r.staff > 100,
  );
  expect(painted.width).toBeGreaterThan(300);
  expect(painted.height).toBeGreaterThan(200);
  expect(painted.staff).toBeGreaterThan(painted.security);
  expect(painted.security).toBeGreaterThan(painted.cleaning);
  expect(painted.cleaning).toBeGreaterThan(100);
  // Once drawn, the text legend steps back (the canvas carries the figures).
  expect(await detail.innerText()).not.toContain('¥98,485.00');
  const box = await canvas.boundingBox();
  expect(box!.width).toBeGreaterThan(250);
  expect(box!.height).toBeGreaterThan(150);

  // The announced price change is on the public standards page with its notice period.
  const std = await h.open('o_demo_owner', 'pages/standards/index', 'relaunch');
  const screen = current(std);
  await screen.getByText('调价公示', { exact: false }).first().waitFor();
  const stdText = await screen.innerText();
  expect(stdText).toContain('0.15 元/m²/月（按建筑面积） → 0.18 元/m²/月（按建筑面积）');
  expect(stdText).toMatch(/距生效还有 \d+ 天/);
  expect(h.external).toEqual([]);
});
