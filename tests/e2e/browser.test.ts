/**
 * The browser every e2e test and `npm run screenshots` use (tools/chromium.ts) renders Chinese
 * with real glyphs: with no CJK font, every character is the same empty box, so two different
 * words would draw the same pixels.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../tools/chromium';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

test('Chinese text renders with a CJK font (different words draw different pixels)', async () => {
  const page = await browser.newPage();
  await page.setContent('<body></body>');
  const pixels = await page.evaluate(async () => {
    await document.fonts.ready;
    const draw = (text: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = 120;
      canvas.height = 40;
      const ctx = canvas.getContext('2d')!;
      ctx.font = '32px sans-serif';
      ctx.fillText(text, 0, 32);
      const data = ctx.getImageData(0, 0, 120, 40).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
      return { key: Array.from(data).join(','), ink };
    };
    const a = draw('物业');
    const b = draw('缴费');
    return { same: a.key === b.key, inkA: a.ink, inkB: b.ink };
  });
  expect(pixels.inkA).toBeGreaterThan(50);
  expect(pixels.inkB).toBeGreaterThan(50);
  expect(pixels.same).toBe(false);
});
