/**
 * subset-font ships no types: the one call tools/print-font.ts makes (harfbuzz's hb-subset).
 */
declare module 'subset-font' {
  interface SubsetOptions {
    targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2';
    /** Keep only the glyphs of the text, not those its layout rules could reach. */
    noLayoutClosure?: boolean;
    /** OpenType tables to leave out of the result. */
    dropTables?: string[];
  }
  export default function subsetFont(
    font: Buffer,
    text: string,
    options?: SubsetOptions,
  ): Promise<Buffer>;
}
