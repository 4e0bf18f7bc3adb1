/**
 * The printable documents besides receipts, as PDFs through the local cloud: a room's 催缴函
 * (overdue), a payment notice's poster (notice) and a published disclosure's poster
 * (disclosure). Each function hands its PrintDoc to the print function (the only one with the
 * renderer and the font), which stores the PDF; it reads back with its Chinese text; owners cannot
 * print staff documents.
 */
import { PDFDocument } from 'pdf-lib';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { dataOf } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { extractText } from '../helpers/pdf-text';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const C = DEMO_COMMUNITY_ID;

async function print(fn: string, event: Record<string, unknown>, openid: string) {
  return (await cloud.call(fn, event, openid)) as Reply<PrintedFile>;
}

/** The text of the PDF `fn` prints for `openid` (a refusal fails the test with its reason). */
async function printedText(fn: string, event: Record<string, unknown>, openid: string) {
  return (await text(await dataOf<PrintedFile>(print(fn, event, openid)))).text;
}

async function text(file: PrintedFile): Promise<{ pages: number; text: string }> {
  const res = await fetch(file.tempFileURL);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(bytes.length).toBe(file.bytes);
  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getPageCount()).toBe(file.pages);
  return { pages: file.pages, text: extractText(pdf).join('\n').replace(/\s+/g, '') };
}

test('a room’s 催缴函 prints as a PDF with the room, the amount owed and no utility threats', async () => {
  const letter = cloud.store.find('collection_letters', { communityId: C })[0] as unknown as {
    roomId: string;
    letterNo: string;
  };
  expect(letter).toBeDefined();
  const t = await printedText(
    'overdue',
    { action: 'letterPdf', communityId: C, roomId: letter.roomId },
    DEMO_USERS.service,
  );
  expect(t).toContain('缴费通知函');
  expect(t).toContain(letter.letterNo);
  expect(t).toMatch(/¥[\d,]+\.\d{2}/);
  expect(t).not.toMatch(/停水|停电|停暖|停气/);
  // Owners cannot print collection letters.
  const owner = await print(
    'overdue',
    { action: 'letterPdf', communityId: C, roomId: letter.roomId },
    DEMO_USERS.owner,
  );
  expect(owner).toMatchObject({ ok: false, code: 'FORBIDDEN' });
});

test('a payment notice prints as a poster', async () => {
  const n = cloud.store.find('notices', { communityId: C, kind: 'payment' })[0] as unknown as {
    _id: string;
    title: string;
  };
  expect(n).toBeDefined();
  const t = await printedText(
    'notice',
    { action: 'posterPdf', communityId: C, noticeId: n._id },
    DEMO_USERS.admin,
  );
  expect(t).toContain(n.title.replace(/\s+/g, ''));
  expect(t).toContain('缴费');
});

test('a published disclosure prints as a poster; a bound owner may print it too', async () => {
  const d = cloud.store.find('disclosures', {
    communityId: C,
    status: 'published',
  })[0] as unknown as {
    _id: string;
  };
  expect(d).toBeDefined();
  const t = await printedText(
    'disclosure',
    { action: 'posterPdf', disclosureId: d._id },
    DEMO_USERS.owner,
  );
  expect(t).toContain('收支公示');
  expect(t).toContain('翠湖花园');
  // Someone with no room in the community is told it does not exist.
  const stranger = await print(
    'disclosure',
    { action: 'posterPdf', disclosureId: d._id },
    'o_stranger',
  );
  expect(stranger).toMatchObject({ ok: false, code: 'NOT_FOUND' });
});
