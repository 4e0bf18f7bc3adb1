/**
 * The CJK font the PDF renderer embeds (as a subset: only the glyphs a document uses). It comes
 * from an npm package (SIL Open Font License) and `tools/build.ts` copies it into every function
 * whose bundle includes `_shared/pdf.ts`, as `cloudfunctions/<name>/fonts/<file>`, so it ships
 * with the function's upload. Kept free of imports so the build tool can read it.
 */
export const PDF_FONT = {
  /** npm package (devDependency) that provides the font */
  package: '@expo-google-fonts/noto-sans-sc',
  /** path of the TrueType file inside that package */
  packagePath: '400Regular/NotoSansSC_400Regular.ttf',
  /** folder inside a function folder where the build puts it */
  dir: 'fonts',
  /** file name inside that folder */
  file: 'NotoSansSC-Regular.ttf',
} as const;
