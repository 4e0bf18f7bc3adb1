import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { extractText, streamBytes } from '../helpers/pdf-text';
import {
  createMetrics,
  PAGE_SIZES,
  pdfFontBytes,
  renderPdf,
  renderPdfWithInfo,
  textWidth,
  wrapText,
} from '../../cloudfunctions/print/src/repo/pdf';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import { PDF_FONT } from '../../cloudfunctions/print/src/repo/font';

const rows = Array.from({ length: 70 }, (_, i) => [
  `2026-${String((i % 12) + 1).padStart(2, '0')}`,
  `物业服务费（住宅）第 ${i + 1} 项`,
  '¥630.76',
]);

const fullDoc: PrintDoc = {
  title: '测试文档',
  footer: '幸福里小区物业服务中心 · 服务电话 0571-88886666',
  blocks: [
    { kind: 'heading', text: '电子收据' },
    { kind: 'heading', text: '缴费明细', level: 2 },
    {
      kind: 'paragraph',
      text: '尊敬的业主您好：感谢您按时缴纳物业费。This paragraph mixes English words, 中文字符 and a verylongwordwithoutanyspacesthatmustbebrokenacrosslinesbecauseitcannotfitonone line.',
    },
    { kind: 'paragraph', text: '收据编号 SJ2026-000123', align: 'right', bold: true },
    {
      kind: 'fields',
      rows: [
        { label: '房号', value: '2栋1单元302' },
        { label: '金额（大写）', value: '陆佰叁拾元柒角陆分' },
      ],
    },
    { kind: 'spacer', height: 20 },
    {
      kind: 'table',
      columns: ['期间', '项目', '金额'],
      widths: [1, 3, 1.2],
      align: ['left', 'left', 'right'],
      rows,
      footer: ['合计', '', '¥44,153.20'],
    },
    { kind: 'signature', lines: ['收款单位（盖章）：幸福里物业', '日期：2026年11月27日'] },
    { kind: 'pageBreak' },
    { kind: 'paragraph', text: '第二份文件 😀 emoji becomes a question mark', align: 'center' },
  ],
};

describe('renderPdf', () => {
  let bytes: Uint8Array;
  let pdf: PDFDocument;
  let pages: string[];

  beforeAll(async () => {
    bytes = await renderPdf(fullDoc, { now: new Date('2026-11-27T02:00:00Z') });
    pdf = await PDFDocument.load(bytes);
    pages = extractText(pdf);
  });

  it('renders every block kind onto A4 pages, breaking the long table across pages', () => {
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    // 70 table rows do not fit one A4 page; the explicit page break adds one more page.
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(3);
    for (const page of pdf.getPages()) {
      const { width, height } = page.getSize();
      expect([width, height]).toEqual([...PAGE_SIZES.A4]);
    }
    expect(pdf.getTitle()).toBe('测试文档');
  });

  it('embeds the Chinese font as a subset, so the file stays small', () => {
    // The shipped font is the build-time subset (GB2312 and the product's characters, ≤ 4 MB);
    // each document embeds only the few hundred glyphs it uses: tens of KB.
    expect(pdfFontBytes().length).toBeGreaterThan(1_000_000);
    expect(pdfFontBytes().length).toBeLessThanOrEqual(PDF_FONT.maxBytes);
    expect(bytes.length).toBeLessThan(150_000);
    const descriptors = pdf.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFDict => o instanceof PDFDict)
      .filter((d) => d.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'));
    expect(descriptors).toHaveLength(1);
    const file = pdf.context.lookup(descriptors[0]!.get(PDFName.of('FontFile2')));
    const embedded = streamBytes(file);
    expect(embedded.length).toBeGreaterThan(1_000);
    expect(embedded.length).toBeLessThan(200_000);
    // Every glyph of the subset decodes (a mis-aligned loca table garbles all after the first
    // odd-length glyph), and drawn characters have outlines.
    const subset = fontkit.create(Buffer.from(embedded)) as unknown as {
      numGlyphs: number;
      getGlyph(id: number): { path: { commands: unknown[] } };
    };
    let outlined = 0;
    for (let id = 1; id < subset.numGlyphs; id++) {
      if (subset.getGlyph(id).path.commands.length > 0) outlined++;
    }
    expect(outlined).toBeGreaterThan(subset.numGlyphs * 0.9);
    // Glyph widths are listed only for the glyphs used: a few hundred, not the font's ~30,000.
    const cid = pdf.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .find(
        (o): o is PDFDict =>
          o instanceof PDFDict && o.get(PDFName.of('Subtype')) === PDFName.of('CIDFontType2'),
      )!;
    const widths = (pdf.context.lookup(cid.get(PDFName.of('W'))) ??
      cid.get(PDFName.of('W'))) as PDFArray;
    const glyphs = widths
      .asArray()
      .filter((o): o is PDFArray => o instanceof PDFArray)
      .reduce((n, a) => n + a.size(), 0);
    expect(glyphs).toBeGreaterThan(50);
    expect(glyphs).toBeLessThan(400);
  });

  it('puts extractable Chinese and Latin text on the pages (ToUnicode)', () => {
    const all = pages.join('\n');
    expect(pages[0]).toContain('电子收据');
    expect(all).toContain('陆佰叁拾元柒角陆分');
    expect(all).toContain('2栋1单元302');
    expect(all).toContain('物业服务费（住宅）第 70 项');
    expect(all).toContain('合计');
    expect(all).toContain('收款单位（盖章）：幸福里物业');
    expect(all).toContain('SJ2026-000123');
    expect(all).not.toContain('\ufffd');
  });

  it('repeats the table header on the continued page, and prints footer and page numbers on every page', () => {
    const total = pdf.getPageCount();
    pages.forEach((text, i) => {
      expect(text).toContain('幸福里小区物业服务中心');
      expect(text).toContain(`第 ${i + 1} 页 / 共 ${total} 页`);
    });
    // the continued table starts with its header row again (bold is drawn twice)
    expect(pages[1]).toMatch(/^(期间\n)+(项目\n)+(金额\n)+2026-/);
  });

  it('starts a new page at pageBreak and replaces glyphs the font lacks', () => {
    const last = pages[pages.length - 1]!;
    expect(last).toContain('第二份文件 ? emoji becomes a question mark');
    expect(last).not.toContain('电子收据');
  });

  it('says which characters it could not print', async () => {
    const info = await renderPdfWithInfo({
      title: '缺字',
      blocks: [{ kind: 'paragraph', text: '业主 😀 已缴' }],
    });
    expect(info.unprintable).toEqual(['😀']);
    const none = await renderPdfWithInfo({
      title: '全',
      blocks: [{ kind: 'paragraph', text: '¥1,234.50 · 喆' }],
    });
    expect(none.unprintable).toEqual([]);
  });

  it('renders A5 and an empty document', async () => {
    const a5 = await PDFDocument.load(
      await renderPdf({
        title: 'A5',
        size: 'A5',
        blocks: [{ kind: 'paragraph', text: '小' }],
      }),
    );
    expect(a5.getPageCount()).toBe(1);
    expect(a5.getPage(0).getSize()).toEqual({ width: PAGE_SIZES.A5[0], height: PAGE_SIZES.A5[1] });
    const empty = await PDFDocument.load(await renderPdf({ title: '空', blocks: [] }));
    expect(empty.getPageCount()).toBe(1);
  });
});

describe('wrapText', () => {
  let m: ReturnType<typeof createMetrics>;
  beforeAll(async () => {
    const pdf = await PDFDocument.create();
    pdf.registerFontkit(fontkit);
    m = createMetrics(await pdf.embedFont(pdfFontBytes(), { subset: true }));
  });

  it('breaks Chinese anywhere and keeps each line within the width', () => {
    const text = '尊敬的业主您好感谢您一直以来对物业服务工作的理解和支持';
    const width = textWidth(m, '尊敬的业主您好', 10);
    const lines = wrapText(m, text, width, 10);
    expect(lines.join('')).toBe(text);
    expect(lines.length).toBe(4);
    for (const line of lines) expect(textWidth(m, line, 10)).toBeLessThanOrEqual(width + 1e-9);
  });

  it('breaks between Latin words, not inside them', () => {
    const lines = wrapText(
      m,
      'pay your property fee online today',
      textWidth(m, 'pay your prop', 10),
      10,
    );
    expect(lines).toEqual(['pay your', 'property fee', 'online today']);
  });

  it('breaks a word longer than the line by characters', () => {
    const lines = wrapText(m, 'abcdefghijklmnopqrstuvwxyz', textWidth(m, 'abcdefghij', 10), 10);
    expect(lines.join('')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(lines.length).toBe(3);
  });

  it('never starts a line with a closing punctuation mark, and keeps explicit newlines', () => {
    const width = textWidth(m, '您好您好', 10);
    const lines = wrapText(m, '您好您好，谢谢', width, 10);
    expect(lines.some((l) => l.startsWith('，'))).toBe(false);
    expect(lines.join('')).toBe('您好您好，谢谢');
    expect(wrapText(m, '第一行\n第二行', 1000, 10)).toEqual(['第一行', '第二行']);
    expect(wrapText(m, '', 1000, 10)).toEqual(['']);
  });
});
