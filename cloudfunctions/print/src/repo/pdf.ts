/**
 * Renders a `PrintDoc` (miniprogram/domain/print/document.ts) to PDF with pdf-lib, embedding the
 * CJK font of `font.ts` as a subset (only the glyphs used), so a one-page receipt is a few KB.
 * Only the `print` function bundles this (and so pdf-lib and fontkit); the others ask it.
 *
 * Layout: A4 or A5 portrait, fixed margins, a footer line and page numbers (when more than one
 * page) at the bottom of every page. Text wraps anywhere between Chinese characters and between
 * Latin words (a word longer than a line is broken), and a closing punctuation mark never starts
 * a line. Tables repeat their header row on every page they continue onto. Characters the font
 * lacks (e.g. emoji) print as "?" rather than failing the whole document.
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { PrintBlock, PrintDoc } from '../../../../miniprogram/domain/print/document';
import { PDF_FONT } from './font';

type Align = 'left' | 'center' | 'right';

/** Page sizes in PDF points (1/72 inch). */
export const PAGE_SIZES = {
  A4: [595.28, 841.89],
  A5: [419.53, 595.28],
} as const;

const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.55, 0.55, 0.55);
const HEADER_FILL = rgb(0.92, 0.92, 0.92);

let fontBytes: Uint8Array | undefined;

/**
 * Where the font is: beside the bundle (`cloudfunctions/print/index.js`, shipped) or, for tests
 * that import this file from source, the same built file two folders up. Never the full 10 MB
 * font: what tests print is what ships.
 */
export function fontCandidates(): string[] {
  const fromEnv = process.env.PDF_FONT_FILE;
  return [
    ...(fromEnv ? [fromEnv] : []),
    path.join(__dirname, PDF_FONT.dir, PDF_FONT.file),
    path.join(__dirname, '..', '..', PDF_FONT.dir, PDF_FONT.file),
  ];
}

function loadFontBytes(): Uint8Array {
  if (!fontBytes) {
    const file = fontCandidates().find((f) => fs.existsSync(f));
    if (!file) {
      throw new Error(
        `PDF font not found (looked in ${fontCandidates().join(', ')}); run npm run build`,
      );
    }
    fontBytes = fs.readFileSync(file);
  }
  return fontBytes;
}

interface SubsetInternals {
  glyf: Uint8Array[];
  offset: number;
  _addGlyph(gid: number): number;
}

let subsetPatched = false;

/**
 * @pdf-lib/fontkit's TrueType subsetter writes a short `loca` table (offsets ÷ 2) for small
 * subsets but does not pad glyphs to an even length, so after the first odd-length glyph every
 * offset is off by one byte and viewers draw the wrong outlines or none. Pad each glyph to an
 * even length (as the TrueType spec asks) before its successor is placed.
 */
function patchSubsetPadding(bytes: Uint8Array): void {
  if (subsetPatched) return;
  const probe = fontkit.create(bytes) as unknown as { createSubset(): object };
  const proto = Object.getPrototypeOf(probe.createSubset()) as SubsetInternals;
  const original = proto._addGlyph;
  proto._addGlyph = function (this: SubsetInternals, gid: number): number {
    const index = original.call(this, gid);
    const glyph = this.glyf[index]!;
    if (glyph.length % 2 === 1) {
      // fontkit's own Buffer type (a Uint8Array), which its encoder insists on
      const Ctor = glyph.constructor as new (length: number) => Uint8Array;
      const padded = new Ctor(glyph.length + 1);
      padded.set(glyph);
      padded[glyph.length] = 0;
      this.glyf[index] = padded;
      this.offset += 1;
    }
    return index;
  };
  subsetPatched = true;
}

/** A font with a width cache, for measuring and wrapping text. */
export interface Metrics {
  font: PDFFont;
  charset: Set<number>;
  /** advance width per code point at size 1 */
  widths: Map<string, number>;
  /** characters the font lacks, met while sanitising (printed as "?") */
  missing: Set<string>;
}

export function createMetrics(font: PDFFont): Metrics {
  return { font, charset: new Set(font.getCharacterSet()), widths: new Map(), missing: new Set() };
}

/** Raw font bytes (cached), for tests and tools that embed the same font. */
export function pdfFontBytes(): Uint8Array {
  return loadFontBytes();
}

export function textWidth(m: Metrics, text: string, size: number): number {
  let w = 0;
  for (const ch of text) {
    let cw = m.widths.get(ch);
    if (cw === undefined) {
      cw = m.font.widthOfTextAtSize(ch, 1000) / 1000;
      m.widths.set(ch, cw);
    }
    w += cw;
  }
  return w * size;
}

/** Replaces characters the font cannot draw; tabs become spaces. */
function sanitize(m: Metrics, text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || m.charset.has(cp)) out += ch;
    else {
      out += '?';
      m.missing.add(ch);
    }
  }
  return out;
}

const CJK =
  '\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef';
const TOKEN = new RegExp(`[${CJK}]|[^\\s${CJK}]+|[^\\S\\n]+`, 'gu');
/** Marks that must not start a line (避头点). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〉”’…—,.;:!?)]}%']);

/**
 * Breaks text into lines no wider than `maxWidth`: anywhere between CJK characters, at spaces
 * between Latin words, inside a Latin word only when the word alone is too long. Explicit
 * newlines are kept. Never returns an empty list.
 */
export function wrapText(metrics: Metrics, text: string, maxWidth: number, size: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    const tokens = para.match(TOKEN) ?? [];
    let line = '';
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
    };
    for (const token of tokens) {
      const isSpace = /^\s+$/.test(token);
      if (isSpace && line === '') continue;
      if (textWidth(metrics, line + token, size) <= maxWidth) {
        line += token;
        continue;
      }
      if (isSpace) {
        push();
        continue;
      }
      if (NO_LINE_START.has(token) && line.length > 1) {
        // Carry the last character over with the punctuation rather than start a line with it.
        const chars = [...line];
        const last = chars.pop()!;
        line = chars.join('');
        push();
        line = last + token;
        continue;
      }
      if (line.trim() !== '') push();
      line = '';
      if (textWidth(metrics, token, size) <= maxWidth) {
        line = token;
        continue;
      }
      // A word wider than the line: break it by characters.
      for (const ch of token) {
        if (line !== '' && textWidth(metrics, line + ch, size) > maxWidth) push();
        line += ch;
      }
    }
    push();
  }
  return lines.length > 0 ? lines : [''];
}

interface Style {
  margin: number;
  body: number;
  h1: number;
  h2: number;
  table: number;
  small: number;
}

const STYLES: Record<'A4' | 'A5', Style> = {
  A4: { margin: 48, body: 11, h1: 18, h2: 14, table: 10, small: 8 },
  A5: { margin: 32, body: 9.5, h1: 15, h2: 12, table: 8.5, small: 7 },
};

const LEADING = 1.45;
const CELL_PAD = 4;
const FOOTER_SPACE = 28;

class Layout {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  /** whether anything was drawn on the current page */
  used = false;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;

  constructor(
    readonly pdf: PDFDocument,
    readonly m: Metrics,
    readonly s: Style,
    size: readonly [number, number],
  ) {
    [this.width, this.height] = size;
    this.left = s.margin;
    this.right = this.width - s.margin;
    this.top = this.height - s.margin;
    this.bottom = s.margin + FOOTER_SPACE;
    this.newPage();
  }

  get contentWidth(): number {
    return this.right - this.left;
  }

  newPage(): void {
    this.page = this.pdf.addPage([this.width, this.height]);
    this.pages.push(this.page);
    this.y = this.top;
    this.used = false;
  }

  /** Starts a new page unless `height` fits below the cursor (or the page is still empty). */
  ensure(height: number): void {
    if (this.used && this.y - height < this.bottom) this.newPage();
  }

  text(
    str: string,
    x: number,
    baseline: number,
    size: number,
    opts: { bold?: boolean; color?: RGB } = {},
  ): void {
    if (str === '') return;
    const o = { x, y: baseline, size, font: this.m.font, color: opts.color ?? BLACK };
    this.page.drawText(str, o);
    // A regular weight only: bold is drawn twice, a hair apart.
    if (opts.bold) this.page.drawText(str, { ...o, x: x + size * 0.035 });
    this.used = true;
  }

  measure(str: string, size: number): number {
    return textWidth(this.m, str, size);
  }

  wrap(str: string, maxWidth: number, size: number): string[] {
    return wrapText(this.m, str, maxWidth, size);
  }

  /** x of a line of `w` points aligned within [x0, x1]. */
  static alignX(align: Align, x0: number, x1: number, w: number): number {
    if (align === 'center') return x0 + (x1 - x0 - w) / 2;
    if (align === 'right') return x1 - w;
    return x0;
  }

  /** Wrapped lines, each placed on its own baseline, breaking pages between lines. */
  lines(str: string, size: number, align: Align, opts: { bold?: boolean; color?: RGB } = {}) {
    const lh = size * LEADING;
    for (const line of this.wrap(str, this.contentWidth, size)) {
      this.ensure(lh);
      const w = this.measure(line, size);
      this.text(line, Layout.alignX(align, this.left, this.right, w), this.y - size, size, opts);
      this.y -= lh;
      this.used = true;
    }
  }
}

function heading(l: Layout, b: Extract<PrintBlock, { kind: 'heading' }>): void {
  const level = b.level ?? 1;
  const size = level === 1 ? l.s.h1 : l.s.h2;
  const lines = l.wrap(b.text, l.contentWidth, size);
  // Keep a heading with at least two lines of what follows.
  l.ensure(lines.length * size * LEADING + 2 * l.s.body * LEADING + size * 0.4);
  if (l.used) l.y -= size * 0.4;
  l.lines(b.text, size, level === 1 ? 'center' : 'left', { bold: true });
  l.y -= size * 0.3;
}

function fields(l: Layout, b: Extract<PrintBlock, { kind: 'fields' }>): void {
  const size = l.s.body;
  const lh = size * LEADING;
  const gap = 10;
  const labelWidth = Math.min(
    Math.max(0, ...b.rows.map((r) => l.measure(`${r.label}：`, size))),
    l.contentWidth * 0.35,
  );
  const valueX = l.left + labelWidth + gap;
  for (const row of b.rows) {
    const labels = l.wrap(`${row.label}：`, labelWidth, size);
    const values = l.wrap(row.value, l.right - valueX, size);
    const n = Math.max(labels.length, values.length);
    l.ensure(Math.min(n, 2) * lh);
    for (let i = 0; i < n; i++) {
      l.ensure(lh);
      const label = labels[i] ?? '';
      l.text(label, l.left + labelWidth - l.measure(label, size), l.y - size, size, {
        color: GREY,
      });
      l.text(values[i] ?? '', valueX, l.y - size, size);
      l.y -= lh;
    }
    l.y -= size * 0.2;
  }
}

function table(l: Layout, b: Extract<PrintBlock, { kind: 'table' }>): void {
  const size = l.s.table;
  const lh = size * LEADING;
  const n = b.columns.length;
  if (n === 0) return;
  const rel = b.columns.map((_, i) => {
    const w = b.widths?.[i];
    return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
  });
  const sum = rel.reduce((a, c) => a + c, 0);
  const colW = rel.map((w) => (w / sum) * l.contentWidth);
  const colX: number[] = [];
  colW.reduce((x, w, i) => ((colX[i] = x), x + w), l.left);

  const layoutRow = (cells: readonly string[]) => {
    const wrapped = colW.map((w, i) => l.wrap(cells[i] ?? '', w - 2 * CELL_PAD, size));
    const lines = Math.max(1, ...wrapped.map((c) => c.length));
    return { wrapped, height: lines * lh + 2 * CELL_PAD - (lh - size * 1.2) };
  };

  const drawRow = (
    row: ReturnType<typeof layoutRow>,
    opts: { bold?: boolean; fill?: RGB; header?: boolean },
  ) => {
    const top = l.y;
    for (let i = 0; i < n; i++) {
      l.page.drawRectangle({
        x: colX[i]!,
        y: top - row.height,
        width: colW[i]!,
        height: row.height,
        borderColor: RULE,
        borderWidth: 0.5,
        ...(opts.fill ? { color: opts.fill } : {}),
      });
      const align: Align = opts.header ? 'center' : (b.align?.[i] ?? 'left');
      row.wrapped[i]!.forEach((line, k) => {
        const w = l.measure(line, size);
        const x = Layout.alignX(align, colX[i]! + CELL_PAD, colX[i]! + colW[i]! - CELL_PAD, w);
        l.text(line, x, top - CELL_PAD - size - k * lh + size * 0.12, size, { bold: opts.bold });
      });
    }
    l.used = true;
    l.y -= row.height;
  };

  const header = layoutRow(b.columns);
  const rows = b.rows.map(layoutRow);
  const footer = b.footer ? layoutRow(b.footer) : undefined;
  const all = footer ? [...rows, footer] : rows;

  l.ensure(header.height + (all[0]?.height ?? 0));
  drawRow(header, { bold: true, fill: HEADER_FILL, header: true });
  all.forEach((row, i) => {
    if (l.y - row.height < l.bottom) {
      l.newPage();
      drawRow(header, { bold: true, fill: HEADER_FILL, header: true });
    }
    drawRow(row, { bold: footer !== undefined && i === all.length - 1 });
  });
  l.y -= l.s.body * 0.6;
}

function signature(l: Layout, b: Extract<PrintBlock, { kind: 'signature' }>): void {
  const size = l.s.body;
  const lh = size * LEADING * 1.2;
  const lines = b.lines.map((t) => t.trim());
  const w = Math.min(l.contentWidth * 0.6, Math.max(0, ...lines.map((t) => l.measure(t, size))));
  const wrapped = lines.flatMap((t) => l.wrap(t, w, size));
  l.ensure(size * 2 + wrapped.length * lh);
  l.y -= size * 1.5;
  const x = l.right - w;
  for (const line of wrapped) {
    l.text(line, x, l.y - size, size);
    l.y -= lh;
  }
}

const PT_PER_MM = 72 / 25.4;

/** A PNG at its width in mm (height from its aspect), the caption centred under it. */
async function image(
  l: Layout,
  pdf: PDFDocument,
  b: Extract<PrintBlock, { kind: 'image' }>,
): Promise<void> {
  const png = await pdf.embedPng(Buffer.from(b.png, 'base64'));
  const w = Math.min(b.widthMm * PT_PER_MM, l.contentWidth);
  const h = (png.height / png.width) * w;
  const size = l.s.small;
  const captionLines = b.caption ? l.wrap(b.caption, Math.max(w, 160), size) : [];
  l.ensure(h + captionLines.length * size * LEADING + 6);
  const x = Layout.alignX(b.align ?? 'center', l.left, l.right, w);
  l.page.drawImage(png, { x, y: l.y - h, width: w, height: h });
  l.used = true;
  l.y -= h + 4;
  for (const line of captionLines) {
    const lw = l.measure(line, size);
    l.text(line, Layout.alignX('center', x, x + w, lw), l.y - size, size, { color: GREY });
    l.y -= size * LEADING;
  }
}

function drawFooters(l: Layout, footer: string | undefined): void {
  const size = l.s.small;
  const total = l.pages.length;
  l.pages.forEach((page, i) => {
    const baseline = l.s.margin;
    page.drawLine({
      start: { x: l.left, y: baseline + size * 1.6 },
      end: { x: l.right, y: baseline + size * 1.6 },
      thickness: 0.4,
      color: RULE,
    });
    const pageNo = total > 1 ? `第 ${i + 1} 页 / 共 ${total} 页` : '';
    const pageNoWidth = pageNo ? l.measure(pageNo, size) + 12 : 0;
    const text = footer ? l.wrap(footer, l.contentWidth - pageNoWidth, size)[0]! : '';
    const o = { size, font: l.m.font, color: GREY };
    if (text) page.drawText(text, { ...o, x: l.left, y: baseline });
    if (pageNo) page.drawText(pageNo, { ...o, x: l.right - l.measure(pageNo, size), y: baseline });
  });
}

export interface RenderOptions {
  /** The document's creation date in its metadata (default: now). */
  now?: Date;
}

/** Renders a printable document to PDF bytes. */
export async function renderPdf(doc: PrintDoc, options: RenderOptions = {}): Promise<Uint8Array> {
  return (await renderPdfWithInfo(doc, options)).bytes;
}

/** As renderPdf, also telling how many pages the document took and what it could not print. */
export async function renderPdfWithInfo(
  doc: PrintDoc,
  options: RenderOptions = {},
): Promise<{ bytes: Uint8Array; pages: number; unprintable: string[] }> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  patchSubsetPadding(loadFontBytes());
  const font = await pdf.embedFont(loadFontBytes(), { subset: true });
  const size = doc.size ?? 'A4';
  const m = createMetrics(font);
  const clean = (t: string) => sanitize(m, t);
  const l = new Layout(pdf, m, STYLES[size], PAGE_SIZES[size]);

  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'heading':
        heading(l, { ...block, text: clean(block.text) });
        break;
      case 'paragraph': {
        const sz = l.s.body;
        l.lines(clean(block.text), sz, block.align ?? 'left', { bold: block.bold });
        l.y -= sz * 0.4;
        break;
      }
      case 'fields':
        fields(l, {
          ...block,
          rows: block.rows.map((r) => ({ label: clean(r.label), value: clean(r.value) })),
        });
        break;
      case 'table':
        table(l, {
          ...block,
          columns: block.columns.map(clean),
          rows: block.rows.map((r) => r.map(clean)),
          ...(block.footer ? { footer: block.footer.map(clean) } : {}),
        });
        break;
      case 'signature':
        signature(l, { ...block, lines: block.lines.map(clean) });
        break;
      case 'spacer': {
        const h = block.height ?? 12;
        if (l.y - h < l.bottom) l.newPage();
        else l.y -= h;
        break;
      }
      case 'pageBreak':
        if (l.used) l.newPage();
        break;
      case 'image':
        await image(l, pdf, { ...block, caption: block.caption && clean(block.caption) });
        break;
      default: {
        const never: never = block;
        throw new Error(`unknown print block ${JSON.stringify(never)}`);
      }
    }
  }
  drawFooters(l, doc.footer === undefined ? undefined : clean(doc.footer));

  const now = options.now ?? new Date();
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setLanguage('zh-CN');
  pdf.setCreator('物业费收缴');
  pdf.setProducer('物业费收缴 (pdf-lib)');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  return { bytes: await pdf.save(), pages: l.pages.length, unprintable: [...m.missing] };
}
