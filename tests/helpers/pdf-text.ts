/**
 * Reading text back out of a PDF the way a viewer does (content stream glyph codes mapped through
 * the font's ToUnicode CMap), for tests of what we render.
 */
import zlib from 'node:zlib';
import {
  PDFArray,
  type PDFDict,
  type PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  type PDFObject,
  type PDFStream,
} from 'pdf-lib';

export function streamBytes(stream: PDFObject | undefined): Uint8Array {
  if (!(stream instanceof PDFRawStream)) throw new Error('expected a raw stream');
  const filter = stream.dict.get(PDFName.of('Filter'));
  const raw = stream.getContents();
  return filter === PDFName.of('FlateDecode') ? zlib.inflateSync(raw) : raw;
}

/** Text of each page, read back the way a PDF viewer does: glyph codes → ToUnicode CMap. */
export function extractText(pdf: PDFDocument): string[] {
  const ctx = pdf.context;
  const deref = (o: PDFObject | undefined) => (o instanceof PDFRef ? ctx.lookup(o) : o);
  return pdf.getPages().map((page) => {
    const fonts = deref(
      (deref(page.node.get(PDFName.of('Resources'))) as PDFDict).get(PDFName.of('Font')),
    ) as PDFDict;
    const maps = new Map<string, Map<number, string>>();
    for (const [name, ref] of fonts.entries()) {
      const font = deref(ref) as PDFDict;
      const cmap = new TextDecoder().decode(streamBytes(deref(font.get(PDFName.of('ToUnicode')))));
      const map = new Map<number, string>();
      const hex = (h: string) =>
        String.fromCodePoint(
          ...(h.match(/.{4}/g) ?? []).reduce<number[]>((cps, unit) => {
            const u = parseInt(unit, 16);
            const prev = cps[cps.length - 1];
            if (prev !== undefined && prev >= 0xd800 && prev < 0xdc00) {
              cps[cps.length - 1] = (prev - 0xd800) * 0x400 + (u - 0xdc00) + 0x10000;
            } else cps.push(u);
            return cps;
          }, []),
        );
      for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
        for (const m of block[1]!.matchAll(/<(\w+)>\s*<(\w+)>/g)) {
          map.set(parseInt(m[1]!, 16), hex(m[2]!));
        }
      }
      for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
        for (const m of block[1]!.matchAll(/<(\w+)>\s*<(\w+)>\s*\[([^\]]*)\]/g)) {
          const start = parseInt(m[1]!, 16);
          [...m[3]!.matchAll(/<(\w+)>/g)].forEach((d, i) => map.set(start + i, hex(d[1]!)));
        }
      }
      maps.set(name.asString(), map);
    }
    const contents = deref(page.node.get(PDFName.of('Contents')));
    const streams = contents instanceof PDFArray ? contents.asArray().map(deref) : [contents];
    const text = streams
      .map((s) => new TextDecoder('latin1').decode(streamBytes(s as PDFStream)))
      .join('\n');
    let font = new Map<number, string>();
    let out = '';
    for (const m of text.matchAll(/(\/\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1]) font = maps.get(m[1]) ?? new Map();
      else {
        const codes = m[2]!.match(/.{4}/g) ?? [];
        out += `${codes.map((c) => font.get(parseInt(c, 16)) ?? '\ufffd').join('')}\n`;
      }
    }
    return out;
  });
}
