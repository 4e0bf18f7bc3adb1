/**
 * The CJK font the PDF renderer embeds. The source is Noto Sans SC Regular from an npm package
 * (SIL Open Font License, 10 MB); `tools/build.ts` subsets it (tools/print-font.ts: GB2312 and
 * every character the product's own text and data use) into `cloudfunctions/print/fonts/<file>`,
 * so it ships once, with the `print` function only. Each document then embeds a subset of that
 * subset: only the glyphs it uses. Kept free of imports so the build tool can read it.
 */
export const PDF_FONT = {
  /** npm package (devDependency) that provides the full font */
  package: '@expo-google-fonts/noto-sans-sc',
  /** path of the TrueType file inside that package */
  packagePath: '400Regular/NotoSansSC_400Regular.ttf',
  /** the one function whose upload carries the font */
  home: 'print',
  /** folder inside the function's folder where the build puts it */
  dir: 'fonts',
  /** file name inside that folder (the build-time subset) */
  file: 'NotoSansSC-Print.ttf',
  /** budget for the shipped subset */
  maxBytes: 4 * 1024 * 1024,
} as const;
