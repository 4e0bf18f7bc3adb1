/**
 * A `PrintDoc` rendered to PDF (`pdf.ts`) and stored as a generated file (`storage.ts`: a fresh
 * unguessable path each time, a half-hour link), for the pages that open it with
 * `wx.openDocument` (services/document.ts). The reply carries the link, never the file id.
 */
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import { renderPdfWithInfo } from './pdf';
import { storeExport } from './storage';

export async function printToCloud(
  doc: PrintDoc,
  where: { communityId: string; name: string },
  now: Date,
): Promise<{ printed: PrintedFile; fileID: string }> {
  const { bytes, pages } = await renderPdfWithInfo(doc, { now });
  const { fileID, tempFileURL } = await storeExport(
    where.communityId,
    where.name,
    Buffer.from(bytes),
  );
  return { printed: { tempFileURL, pages, bytes: bytes.length }, fileID };
}
