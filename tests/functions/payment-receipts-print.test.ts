/**
 * Staff receipt search and batch printing through the local cloud: the PDF is rendered in the
 * payment function with the font shipped beside it, uploaded to storage and readable back; red
 * reversal receipts and reversed receipts are marked; roles, bounds and bad input are refused
 * with nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { PDF_FONT } from '../../cloudfunctions/print/src/repo/font';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type {
  PrintedReceipts,
  ReceiptSearchResult,
} from '../../miniprogram/domain/payment/receipts.contract';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import { pathOfLink } from '../helpers/files';
import { extractText } from '../helpers/pdf-text';
import type { RefundView } from '../../miniprogram/domain/payment/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const C = DEMO_COMMUNITY_ID;
const { raw: pay, call: ok } = caller(cloud, 'payment');

interface SeedPayment {
  _id: string;
  receiptNo: string;
  channel: string;
  amountFen: number;
  paidAt: Date;
  roomIds: string[];
}

async function fetchPdf(file: PrintedReceipts): Promise<{ pdf: PDFDocument; pages: string[] }> {
  const res = await fetch(file.tempFileURL);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (process.env.SAVE_PDF) fs.writeFileSync(`/tmp/receipts-${file.count}.pdf`, bytes);
  expect(bytes.length).toBe(file.bytes);
  const pdf = await PDFDocument.load(bytes);
  return { pdf, pages: extractText(pdf) };
}

let original: SeedPayment;
let reversalNo: string;

beforeAll(async () => {
  // A seeded cash payment, partly refunded by finance: a red receipt (HZ) reverses it.
  const cash = cloud.store.find('payments', {
    communityId: C,
    channel: 'cash',
  }) as unknown as SeedPayment[];
  original = cash.sort((a, b) => +new Date(b.paidAt) - +new Date(a.paidAt))[0]!;
  const refund = await ok<RefundView>(
    { action: 'requestRefund', paymentId: original._id, amountFen: 100, reason: '多收部分退回' },
    DEMO_USERS.finance,
  );
  expect(refund.status).toBe('done');
  reversalNo = refund.reversalReceiptNo!;
  expect(reversalNo).toMatch(/^HZ/);
});

test('the font ships once, with the print function; payment carries no renderer', () => {
  const fns = path.join(__dirname, '..', '..', 'cloudfunctions');
  const font = path.join(fns, PDF_FONT.home, PDF_FONT.dir, PDF_FONT.file);
  expect(fs.statSync(font).size).toBeGreaterThan(1_000_000);
  expect(fs.statSync(font).size).toBeLessThanOrEqual(PDF_FONT.maxBytes);
  expect(fs.existsSync(path.join(fns, 'payment', PDF_FONT.dir))).toBe(false);
  expect(fs.readFileSync(path.join(fns, 'payment', 'index.js'), 'utf8')).not.toContain('pdf-lib');
});

test('finance searches by receipt number and sees the reversal both ways', async () => {
  const found = await ok<ReceiptSearchResult>(
    { action: 'searchReceipts', communityId: C, receiptNos: [original.receiptNo, reversalNo] },
    DEMO_USERS.finance,
  );
  expect(found.total).toBe(2);
  const sj = found.receipts.find((r) => r.receiptNo === original.receiptNo)!;
  const hz = found.receipts.find((r) => r.receiptNo === reversalNo)!;
  expect(sj).toMatchObject({ kind: 'receipt', reversedBy: [reversalNo], channelLabel: '现金' });
  expect(hz).toMatchObject({ kind: 'reversal', reverses: original.receiptNo, amountFen: -100 });
});

test('a cashier prints two receipts on one A4 page; the PDF reads back with both and the 红冲 marks', async () => {
  const before = cloud.store.find('audit_log', { action: 'receipt.print' }).length;
  const file = await ok<PrintedReceipts>(
    { action: 'printReceipts', communityId: C, receiptNos: [original.receiptNo, reversalNo] },
    DEMO_USERS.cashier,
  );
  expect(file).toMatchObject({ count: 2, pages: 1 });
  // A half-hour link to an unguessable path, never a file id (docs/security.md).
  expect(file).not.toHaveProperty('fileID');
  expect(pathOfLink(file.tempFileURL)).toMatch(/^exports\/c_cuihu\/[0-9a-f]{32}\/receipts-/);
  expect(file.fileName).toMatch(/\.pdf$/);
  // A subset font keeps a page of receipts small.
  expect(file.bytes).toBeLessThan(120_000);
  const { pdf, pages } = await fetchPdf(file);
  expect(pdf.getPageCount()).toBe(1);
  const text = pages.join('\n');
  expect(text).toContain(original.receiptNo);
  expect(text).toContain(reversalNo);
  expect(text).toContain('电子收据');
  expect(text).toContain('红字收据（冲红）');
  expect(text).toContain('【已冲红】本收据已部分冲红 ¥1.00');
  expect(text).toContain(`本红字收据冲销原收据 ${original.receiptNo}`);
  expect(text).toContain('沿此线裁开');
  const entries = cloud.store.find('audit_log', { action: 'receipt.print' });
  expect(entries.length).toBe(before + 1);
  expect(entries[entries.length - 1]).toMatchObject({
    communityId: C,
    actor: DEMO_USERS.cashier,
    targetId: `cloud://local-dev.local-bucket/${pathOfLink(file.tempFileURL)}`,
    after: { count: 2 },
  });
});

test('one receipt per page, and a date range prints every receipt of those days', async () => {
  const day = shanghaiDate(new Date(original.paidAt));
  const found = await ok<ReceiptSearchResult>(
    { action: 'searchReceipts', communityId: C, from: day, to: day },
    DEMO_USERS.finance,
  );
  expect(found.total).toBeGreaterThanOrEqual(2);
  for (const r of found.receipts) {
    if (r.kind === 'receipt') expect(shanghaiDate(new Date(r.paidAt))).toBe(day);
  }
  const file = await ok<PrintedReceipts>(
    { action: 'printReceipts', communityId: C, from: day, to: day, perPage: 1 },
    DEMO_USERS.finance,
  );
  expect(file.count).toBe(found.total);
  const { pdf, pages } = await fetchPdf(file);
  expect(pdf.getPageCount()).toBe(found.total);
  found.receipts.forEach((r) => {
    expect(pages.filter((p) => p.includes(`收据编号：${r.receiptNo}`))).toHaveLength(1);
  });
});

test('too many receipts, bad dates and unknown numbers are refused and nothing is written', async () => {
  const audits = cloud.store.find('audit_log', {}).length;
  const tooMany = await pay(
    { action: 'printReceipts', communityId: C, from: '2000-01-01', to: '2000-12-31' },
    DEMO_USERS.finance,
  );
  expect(tooMany).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  const all = cloud.store.find('payments', { communityId: C }) as unknown as SeedPayment[];
  const days = all.map((p) => shanghaiDate(new Date(p.paidAt))).sort();
  const wide = await pay(
    { action: 'printReceipts', communityId: C, from: days[0], to: days[days.length - 1] },
    DEMO_USERS.finance,
  );
  expect(all.length).toBeGreaterThan(200);
  expect(wide).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((wide as { message: string }).message).toMatch(/最多打印 200 张/);
  for (const bad of [
    { from: '2026-01-01' },
    { from: '2026-02-30', to: '2026-03-01' },
    { from: '2026-03-01', to: '2026-02-01' },
    {},
    { receiptNos: ['SJ2026-12'] },
    { receiptNos: ['SJ1999-000001'] },
  ]) {
    const r = await pay({ action: 'printReceipts', communityId: C, ...bad }, DEMO_USERS.finance);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  }
  expect(cloud.store.find('audit_log', {}).length).toBe(audits);
});

test('service staff and owners cannot print or search receipts', async () => {
  for (const who of [DEMO_USERS.service, DEMO_USERS.owner]) {
    for (const action of ['printReceipts', 'searchReceipts']) {
      expect(
        await pay({ action, communityId: C, receiptNos: [original.receiptNo] }, who),
      ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  }
});
