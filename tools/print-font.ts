/**
 * The font the `print` function ships: Noto Sans SC Regular (10 MB, ~30,900 glyphs) cut at build
 * time to the characters the product can print, so one copy of ≤ 4 MB ships, with `print` only.
 *
 * What it keeps:
 * - printable ASCII, Latin-1 (¥, ·, ×) and the general punctuation block (—, “”, …, ‰);
 * - GB2312 (GB/T 2312-1980: 6,763 hanzi and 682 symbols, full-width forms, ①, ㈠ …), listed by
 *   decoding every EUC-CN code with Node's own GB18030 decoder, so no table is copied here;
 * - every character the product's own text and data use: the mini-program, the functions, the
 *   demo seed (names like 喆 or 堃 are outside GB2312) and `tools/print-font-extra.txt`, where a
 *   deployment adds the rare characters of its owners' names and addresses.
 * A character outside these prints as "?" and `print` logs it (docs/printing.md).
 *
 * It drops the layout tables (GSUB, GPOS, …): pdf-lib draws glyph by glyph, horizontally.
 * Each document still embeds only the glyphs it uses (pdf-lib's own subsetting).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDF_FONT } from '../cloudfunctions/print/src/repo/font';

/** A deployment's extra characters (names, addresses): any text, one or many per line. */
export const EXTRA_CHARS_FILE = path.join('tools', 'print-font-extra.txt');

/** Where the product's printable text and data live, and which files count. */
const TEXT_SOURCES: { dir: string; ext: RegExp; skip?: RegExp }[] = [
  { dir: 'miniprogram', ext: /\.(ts|wxml|json)$/, skip: /^miniprogram_npm$/ },
  { dir: 'cloudfunctions', ext: /\.ts$/, skip: /^(node_modules|fonts)$/ },
  { dir: path.join('tools', 'seed'), ext: /\.ts$/ },
];

const DROP_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'STAT', 'vhea', 'vmtx'];

/** The GB2312 repertoire: every two-byte EUC-CN code (rows 0xA1–0xF7) that decodes. */
export function gb2312Characters(): string[] {
  const decoder = new TextDecoder('gb18030');
  const out: string[] = [];
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = decoder.decode(Uint8Array.of(hi, lo));
      const cp = ch.codePointAt(0)!;
      // unassigned cells decode to U+FFFD or to the private use area
      if ([...ch].length === 1 && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) out.push(ch);
    }
  }
  return out;
}

function rangeChars(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
}

function walk(dir: string, ext: RegExp, skip: RegExp | undefined, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip?.test(entry.name)) continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(abs, ext, skip, out);
    else if (ext.test(entry.name)) out.push(abs);
  }
}

/** Non-ASCII characters in the product's text and data (sources, seed, the extra list). */
export function dataCharacters(root: string): string[] {
  const files: string[] = [];
  for (const s of TEXT_SOURCES) walk(path.join(root, s.dir), s.ext, s.skip, files);
  const extra = path.join(root, EXTRA_CHARS_FILE);
  if (fs.existsSync(extra)) files.push(extra);
  const seen = new Set<string>();
  for (const file of files) {
    for (const ch of fs.readFileSync(file, 'utf8')) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0x80 && !(cp >= 0xd800 && cp <= 0xdfff)) seen.add(ch);
    }
  }
  return [...seen];
}

/** Everything the shipped font keeps, sorted by code point, once each. */
export function printableCharacters(root: string): string[] {
  const all = new Set([
    ...rangeChars(0x20, 0x7e),
    ...rangeChars(0xa0, 0xff),
    ...rangeChars(0x2010, 0x2027),
    ...rangeChars(0x2030, 0x203b),
    ...gb2312Characters(),
    ...dataCharacters(root),
  ]);
  return [...all].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

export function sourceFontFile(root: string): string {
  return path.join(root, 'node_modules', PDF_FONT.package, PDF_FONT.packagePath);
}

export function shippedFontFile(root: string): string {
  return path.join(root, 'cloudfunctions', PDF_FONT.home, PDF_FONT.dir, PDF_FONT.file);
}

export interface PrintFontResult {
  status: 'built' | 'up to date';
  bytes: number;
  characters: number;
  ms: number;
}

const STAMP = path.join('node_modules', '.cache', 'property-fee-build', 'print-font.json');

/**
 * Writes `cloudfunctions/print/fonts/<file>` when missing or when the characters (or the source
 * font, or this file) changed since it was made; ~0.5 s with harfbuzz's hb-subset.
 */
export async function buildPrintFont(root: string, force = false): Promise<PrintFontResult> {
  const start = Date.now();
  const source = sourceFontFile(root);
  if (!fs.existsSync(source)) {
    throw new Error(`${path.relative(root, source)} is missing; run npm install`);
  }
  const chars = printableCharacters(root).join('');
  const key = createHash('sha256')
    .update(chars)
    .update(String(fs.statSync(source).size))
    .update(fs.readFileSync(__filename))
    .digest('hex');
  const target = shippedFontFile(root);
  const stampFile = path.join(root, STAMP);
  const characters = [...chars].length;
  if (!force && fs.existsSync(target) && fs.existsSync(stampFile)) {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key?: string };
    if (stamp.key === key) {
      return { status: 'up to date', bytes: fs.statSync(target).size, characters, ms: 0 };
    }
  }
  // Loaded only when the font is made: harfbuzz's WebAssembly takes a moment to start.
  const subsetFont = (await import('subset-font')).default;
  const bytes = await subsetFont(fs.readFileSync(source), chars, {
    targetFormat: 'truetype',
    noLayoutClosure: true,
    dropTables: DROP_TABLES,
  });
  if (bytes.length > PDF_FONT.maxBytes) {
    throw new Error(
      `the print font subset is ${bytes.length} bytes, over its ${PDF_FONT.maxBytes} budget: fewer characters`,
    );
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, target);
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${JSON.stringify({ key, characters, bytes: bytes.length })}\n`);
  return { status: 'built', bytes: bytes.length, characters, ms: Date.now() - start };
}
