/**
 * The print function (docs/printing.md): the one function that renders PDFs. Other functions hand
 * it a PrintDoc through cloud.callFunction (their SOURCE gains `,scf`); the mini-program cannot
 * call it; it checks the document and the path like any action's input, stores the PDF where the
 * asking function said, and the Chinese text reads back from the stored file.
 */
import { PDFDocument } from 'pdf-lib';
import type { StoredPdf } from '../../miniprogram/domain/print/file';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { useTestCloud } from '../helpers/cloud';
import { extractText } from '../helpers/pdf-text';

const cloud = useTestCloud({ seed: 'empty', per: 'file' });

const doc: PrintDoc = {
  title: '测试打印',
  footer: '翠湖花园物业服务中心',
  blocks: [
    { kind: 'heading', text: '缴费通知' },
    { kind: 'fields', rows: [{ label: '房号', value: '1栋1单元1501' }] },
    { kind: 'paragraph', text: '业主喆先生：请于 2026年12月31日 前缴纳 ¥1,234.50。' },
    { kind: 'table', columns: ['项目', '金额'], rows: [['物业费', '¥1,234.50']] },
  ],
};

const exportsOf = (communityId: string) => cloud.files.list(`exports/${communityId}`);

/** As another function calls it: the caller's SOURCE with `,scf` appended. */
const fromFunction = (event: Record<string, unknown>) =>
  cloud.call('print', event, 'o_staff', 'wx_client,scf') as Promise<Reply<StoredPdf>>;

test('neither the mini-program nor a timer can call print directly', async () => {
  const event = { action: 'render', doc, communityId: 'c_test', name: 'direct.pdf' };
  expect(await cloud.call('print', event, 'o_owner')).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await cloud.call('print', event, undefined, 'wx_trigger')).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(exportsOf('c_test')).toEqual([]);
});

test('a document prints under a fresh unguessable folder and reads back in Chinese', async () => {
  const r = await fromFunction({
    action: 'render',
    doc,
    communityId: 'c_test',
    name: 'notice-1.pdf',
    now: '2026-11-26T10:00:00+08:00',
  });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  expect(r.data.fileID).toMatch(/\/exports\/c_test\/[0-9a-f]{32}\/notice-1\.pdf$/);
  expect(r.data.unprintable).toBeUndefined();
  const res = await fetch(r.data.tempFileURL);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(bytes.length).toBe(r.data.bytes);
  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getPageCount()).toBe(r.data.pages);
  expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-26T02:00:00.000Z');
  const text = extractText(pdf).join('\n').replace(/\s+/g, '');
  // 喆 is outside GB2312: the build keeps it (tools/print-font-extra.txt).
  for (const want of [
    '缴费通知',
    '1栋1单元1501',
    '业主喆先生',
    '¥1,234.50',
    '翠湖花园物业服务中心',
  ]) {
    expect(text).toContain(want);
  }
});

test('characters outside the font print as "?" and are named in the reply', async () => {
  const r = await fromFunction({
    action: 'render',
    doc: { title: '缺字', blocks: [{ kind: 'paragraph', text: '笑脸😀' }] },
    communityId: 'c_test',
    name: 'missing.pdf',
  });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  expect(r.data.unprintable).toBe('😀');
});

test('a bad document or file name is refused, naming the field; nothing stored', async () => {
  const before = exportsOf('c_bad');
  const bad = await fromFunction({
    action: 'render',
    doc: { title: 'x', blocks: [{ kind: 'chart', data: [] }] },
    communityId: 'c_bad',
    name: 'bad.pdf',
  });
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((bad as { message: string }).message).toMatch(/doc\.blocks\.0/);
  for (const name of ['../secret.pdf', 'x.txt', 'a/b.pdf', '.hidden.pdf', '文件.pdf']) {
    const r = await fromFunction({ action: 'render', doc, communityId: 'c_bad', name });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((r as { message: string }).message).toMatch(/^name:/);
  }
  expect(exportsOf('c_bad')).toEqual(before);
  expect(before).toEqual([]);
});
