/**
 * A `PrintDoc` printed to PDF and stored as a generated file, for the pages that open it with
 * `wx.openDocument` (services/document.ts). The rendering happens in the `print` function, the
 * only one that bundles pdf-lib, fontkit and the font: this asks it through `cloud.callFunction`,
 * so the asking function stays small and starts fast. `print` stores the file with `storeExport`
 * (storage.ts: a fresh unguessable path each time); the page gets a half-hour link, never the file
 * id, which stays with the asking function for its audit log.
 */
import cloud from 'wx-server-sdk';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type { PrintedFile, StoredPdf } from '../../miniprogram/domain/print/file';

/** The function that renders (cloudfunctions/print). */
export const PRINT_FUNCTION = 'print';

/**
 * A synchronous invocation carries at most 6 MB of event; keep well inside it (a batch of 200
 * receipts is a few hundred KB).
 */
export const MAX_PRINT_EVENT_BYTES = 4 * 1024 * 1024;

export async function printToCloud(
  doc: PrintDoc,
  where: { communityId: string; name: string },
  now: Date,
): Promise<{ printed: PrintedFile; fileID: string }> {
  const data = { action: 'render', doc, ...where, now: now.toISOString() };
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > MAX_PRINT_EVENT_BYTES) {
    throw new Error(`print: the document is ${size} bytes, over ${MAX_PRINT_EVENT_BYTES}`);
  }
  const res = await cloud.callFunction({ name: PRINT_FUNCTION, data });
  const reply = res.result as Reply<StoredPdf> | undefined;
  if (!reply || reply.ok !== true) {
    // A refusal here is our own mistake (a document or name print does not accept), never the
    // user's: the asking action fails as INTERNAL with the reason in its log.
    throw new Error(
      `print.render failed: ${reply ? `${reply.code} ${reply.message}` : 'no reply'}`,
    );
  }
  const { fileID, ...printed } = reply.data;
  return { printed, fileID };
}
