/**
 * A `PrintDoc` printed to PDF and put in cloud storage, answered with its file id and a temporary
 * link, for the pages that open it with `wx.openDocument` (services/document.ts). The rendering
 * happens in the `print` function, the only one that bundles pdf-lib, fontkit and the font: this
 * asks it through `cloud.callFunction`, so the asking function stays small and starts fast.
 * Documents that never change for the same input (a published disclosure, a letter, a notice)
 * use a fixed path, so asking again overwrites the file with the same content.
 */
import cloud from 'wx-server-sdk';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type { PrintedFile } from '../../miniprogram/domain/print/file';

/** The function that renders (cloudfunctions/print). */
export const PRINT_FUNCTION = 'print';

/**
 * A synchronous invocation carries at most 6 MB of event; keep well inside it (a batch of 200
 * receipts is a few hundred KB).
 */
export const MAX_PRINT_EVENT_BYTES = 4 * 1024 * 1024;

export async function printToCloud(
  doc: PrintDoc,
  cloudPath: string,
  now: Date,
): Promise<PrintedFile> {
  const data = { action: 'render', doc, cloudPath, now: now.toISOString() };
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > MAX_PRINT_EVENT_BYTES) {
    throw new Error(`print: the document is ${size} bytes, over ${MAX_PRINT_EVENT_BYTES}`);
  }
  const res = await cloud.callFunction({ name: PRINT_FUNCTION, data });
  const reply = res.result as Reply<PrintedFile> | undefined;
  if (!reply || reply.ok !== true) {
    // A refusal here is our own mistake (a document or path print does not accept), never the
    // user's: the asking action fails as INTERNAL with the reason in its log.
    throw new Error(
      `print.render failed: ${reply ? `${reply.code} ${reply.message}` : 'no reply'}`,
    );
  }
  return reply.data;
}
