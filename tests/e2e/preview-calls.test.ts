/**
 * The preview shows on `document.body.dataset` how many cloud calls are in flight and which
 * failed: `npm run screenshots` waits on the first for a page's data and reports the second.
 */
import { current, useHarness } from './harness';

const h = useHarness();

test('calls in flight drop to 0 once the page has its data; a failed call is listed', async () => {
  const page = await h.open('o_demo_owner', 'pages/home/index');
  await page.waitForFunction(() => document.body.dataset.callsPending === '0');
  // The home's data is on screen by then, and nothing failed.
  expect(await current(page).getByText('当前应缴').count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => document.body.dataset.callsFailed)).toBe('');

  const seen = await page.evaluate(async () => {
    const wx = (
      window as unknown as { wx: { cloud: { callFunction(o: object): Promise<unknown> } } }
    ).wx;
    const call = wx.cloud.callFunction({ name: 'nosuch', data: {} }).catch(() => undefined);
    const during = document.body.dataset.callsPending;
    await call;
    return { during, after: document.body.dataset.callsPending };
  });
  expect(seen).toEqual({ during: '1', after: '0' });
  expect(await page.evaluate(() => document.body.dataset.callsFailed)).toMatch(/^nosuch: /);
});
