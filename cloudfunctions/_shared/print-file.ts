/**
 * A `PrintDoc` rendered to PDF (`pdf.ts`) and put in cloud storage, answered with its file id and
 * a temporary link, for the pages that open it with `wx.openDocument` (services/document.ts).
 * Documents that never change for the same input (a published disclosure, a letter, a notice)
 * use a fixed path, so asking again overwrites the file with the same content.
 */
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import { renderPdfWithInfo } from './pdf';
import { storeFile } from './storage';

export async function printToCloud(
  doc: PrintDoc,
  cloudPath: string,
  now: Date,
): Promise<PrintedFile> {
  const { bytes, pages } = await renderPdfWithInfo(doc, { now });
  return { ...(await storeFile(cloudPath, Buffer.from(bytes))), pages, bytes: bytes.length };
}
