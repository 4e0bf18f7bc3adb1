/**
 * 收据管理 end to end in real Chromium: a cashier looks up two receipts by number, ticks them and
 * prints them; the payment function renders the PDF, the page downloads it from cloud storage and
 * opens it (in the preview the browser downloads it), and the file reads back with both receipts.
 */
import fs from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { extractText } from '../helpers/pdf-text';
import { current, until, useHarness } from './harness';

const h = useHarness();

test('a cashier prints two receipts found by number as one PDF', async () => {
  const payments = h.cloud.store.find('payments', { communityId: 'c_cuihu', channel: 'cash' });
  const nos = payments
    .map((p) => String(p.receiptNo))
    .sort()
    .slice(0, 2);
  const page = await h.open('o_demo_cashier', 'admin/receipts/index', 'relaunch');
  const screen = current(page);
  await screen.getByText('查询收据').waitFor();
  await screen.locator('[class*="mode-numbers"]').tap();
  await screen.locator('van-field[class*="f-numbers"] input').fill(nos.join(' '));
  await screen.locator('van-button', { hasText: '查询收据' }).tap();
  await screen.getByText('共 2 张').waitFor();
  for (const no of nos) await screen.getByText(no).tap();
  await screen.getByText('已选 2 张').waitFor();

  const download = page.waitForEvent('download');
  await screen.locator('van-button', { hasText: '批量打印（2 张）' }).tap();
  const file = await (await download).path();
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getPageCount()).toBe(1);
  const text = extractText(pdf).join('\n');
  for (const no of nos) expect(text).toContain(`收据编号：${no}`);
  await screen.getByText('已生成 2 张、1 页').waitFor();
  const audited = await until(
    async () => h.cloud.store.find('audit_log', { action: 'receipt.print' }).length,
    (n) => n === 1,
  );
  expect(audited).toBe(1);
  expect(h.external).toEqual([]);
});
