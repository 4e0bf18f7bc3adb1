/**
 * exceljs, loaded on first use. Only the actions that read or write a spreadsheet (roster
 * import/export, opening balances, bank statements, report export) call `newWorkbook()`; every
 * other action of those functions, and their cold starts, never run exceljs's code.
 *
 * It loads `exceljs/lib/doc/workbook` (the Workbook class with its .xlsx reader and writer)
 * rather than the package's entry, which adds the streaming reader and writer (archiver,
 * unzipper, bluebird …) we never use: 480 KB minified instead of 1 MB.
 */
import type { Workbook } from 'exceljs';

type WorkbookClass = new () => Workbook;
let WorkbookCtor: WorkbookClass | undefined;

export function newWorkbook(): Workbook {
  // A require inside the function: esbuild keeps the module in the bundle but runs it only here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  WorkbookCtor ??= require('exceljs/lib/doc/workbook') as WorkbookClass;
  return new WorkbookCtor();
}
