/**
 * The font print ships (tools/print-font.ts): GB2312 and every character the product's own text
 * and data use, cut from the 10 MB Noto Sans SC into one file of ≤ 4 MB in print's folder. What
 * we say the product can print, the shipped font can draw.
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDF_FONT } from '../../cloudfunctions/print/src/repo/font';
import {
  dataCharacters,
  gb2312Characters,
  printableCharacters,
  shippedFontFile,
  sourceFontFile,
} from '../../tools/print-font';

const ROOT = path.resolve(__dirname, '..', '..');

interface Font {
  characterSet: number[];
  numGlyphs: number;
}
const open = (file: string) => fontkit.create(fs.readFileSync(file)) as unknown as Font;

test('GB2312 is its 6,763 hanzi and the symbols of rows 1–9, from first to last', () => {
  const gb = gb2312Characters();
  const hanzi = gb.filter((c) => /[\u4e00-\u9fff]/.test(c));
  expect(hanzi).toHaveLength(6763);
  expect(hanzi[0]).toBe('啊'); // 0xB0A1
  expect(hanzi[hanzi.length - 1]).toBe('齄'); // 0xF7FE
  expect(gb).toEqual(expect.arrayContaining(['①', '￥', '。', 'Ａ', 'ぁ', 'α', '─']));
  expect(new Set(gb).size).toBe(gb.length);
});

test('the product’s own text and the extra list count as data', () => {
  const data = dataCharacters(ROOT);
  // from the sources (money is formatted with ¥), the demo seed and tools/print-font-extra.txt
  expect(data).toEqual(expect.arrayContaining(['¥', '翠', '湖', '喆', '堃']));
  const all = printableCharacters(ROOT);
  expect(all).toEqual(expect.arrayContaining(['A', '~', '·', '—', '…', '啊', '喆']));
  expect(new Set(all).size).toBe(all.length);
});

test('the shipped font draws every printable character the source font has, in ≤ 4 MB', () => {
  const shipped = shippedFontFile(ROOT);
  expect(path.relative(ROOT, shipped)).toBe(
    path.join('cloudfunctions', PDF_FONT.home, PDF_FONT.dir, PDF_FONT.file),
  );
  const bytes = fs.statSync(shipped).size;
  expect(bytes).toBeLessThanOrEqual(PDF_FONT.maxBytes);
  const source = new Set(open(sourceFontFile(ROOT)).characterSet);
  const font = open(shipped);
  const has = new Set(font.characterSet);
  const wanted = printableCharacters(ROOT)
    .map((c) => c.codePointAt(0)!)
    .filter((cp) => source.has(cp));
  expect(wanted.length).toBeGreaterThan(7400);
  expect(wanted.filter((cp) => !has.has(cp)).map((cp) => String.fromCodePoint(cp))).toEqual([]);
  // and little else: the 30,000-glyph source is cut to what we print
  expect(font.numGlyphs).toBeLessThan(wanted.length * 1.1);
});
