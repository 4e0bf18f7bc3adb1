/**
 * Contracts of the `print` function: the one function that bundles the PDF renderer (pdf-lib,
 * fontkit) and ships the font. Other functions hand it a `PrintDoc` with `cloud.callFunction`
 * (cloudfunctions/_shared/print-file.ts) and get back the stored file. It answers only calls from
 * another function (SOURCE ends in `scf`), never the mini-program, so it is not in `api.ts`.
 */
import { communityId, contract, z } from '../kernel/contract';
import type { PrintBlock, PrintDoc } from './document';
import type { StoredPdf } from './file';

/** A document is at most this many blocks; a batch of 200 receipts is about 2,000. */
export const MAX_PRINT_BLOCKS = 10_000;
/** Rows of one table (a long arrears list fits easily). */
export const MAX_TABLE_ROWS = 5_000;
/** One piece of text (a paragraph, a cell). */
export const MAX_PRINT_TEXT = 5_000;

/** One image (a mini-program code is 1–10 KB). */
export const MAX_IMAGE_BASE64 = 300_000;

const printText = z.string().check(z.maxLength(MAX_PRINT_TEXT));
const align = z.enum(['left', 'center', 'right']);
const cells = z.array(printText).check(z.maxLength(50));

const block = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('heading'),
    text: printText,
    level: z.optional(z.union([z.literal(1), z.literal(2)])),
  }),
  z.strictObject({
    kind: z.literal('paragraph'),
    text: printText,
    align: z.optional(align),
    bold: z.optional(z.boolean()),
  }),
  z.strictObject({
    kind: z.literal('fields'),
    rows: z
      .array(z.strictObject({ label: printText, value: printText }))
      .check(z.maxLength(MAX_TABLE_ROWS)),
  }),
  z.strictObject({
    kind: z.literal('table'),
    columns: cells,
    rows: z.array(cells).check(z.maxLength(MAX_TABLE_ROWS)),
    widths: z.optional(z.array(z.number()).check(z.maxLength(50))),
    align: z.optional(z.array(align).check(z.maxLength(50))),
    footer: z.optional(cells),
  }),
  z.strictObject({
    kind: z.literal('signature'),
    lines: z.array(printText).check(z.maxLength(20)),
  }),
  z.strictObject({
    kind: z.literal('spacer'),
    height: z.optional(z.number().check(z.minimum(0), z.maximum(800))),
  }),
  z.strictObject({ kind: z.literal('pageBreak') }),
  z.strictObject({
    kind: z.literal('image'),
    png: z.string().check(z.maxLength(MAX_IMAGE_BASE64), z.regex(/^[A-Za-z0-9+/]+=*$/)),
    widthMm: z.number().check(z.minimum(10), z.maximum(180)),
    caption: z.optional(printText),
    align: z.optional(align),
  }),
]);

export const printDoc = z.strictObject({
  title: z.string().check(z.maxLength(200)),
  blocks: z.array(block).check(z.maxLength(MAX_PRINT_BLOCKS)),
  footer: z.optional(z.string().check(z.maxLength(500))),
  size: z.optional(z.enum(['A4', 'A5'])),
});

/**
 * The PDF's file name, chosen by the asking function; `storeExport` (cloudfunctions/_shared/
 * storage.ts) puts it in a fresh unguessable folder of the community. ASCII: the SDK sends the path
 * in an HTTP header.
 */
export const exportPdfName = z
  .string()
  .check(
    z.maxLength(120),
    z.regex(/^(?!\.)[A-Za-z0-9_.-]+\.pdf$/, '应为 PDF 文件名（字母、数字、_、-、.，以 .pdf 结尾）'),
  );

export const printContracts = {
  render: contract<StoredPdf>()(
    z.strictObject({
      doc: printDoc,
      communityId,
      name: exportPdfName,
      /** The document's creation date (ISO): the asking function's clock. */
      now: z.optional(z.iso.datetime({ offset: true }).check(z.maxLength(40))),
    }),
  ),
};

// The schema and the domain's types describe the same document, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const printDocMatchesType: Same<z.output<typeof printDoc>, PrintDoc> = true;
export const printBlockMatchesType: Same<z.output<typeof block>, PrintBlock> = true;
