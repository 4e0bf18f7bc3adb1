/**
 * Files the functions make for staff and owners (PDFs, spreadsheets) go to cloud storage under
 * `exports/<communityId>/…` and are answered with the file id and a temporary link.
 */
import cloud from 'wx-server-sdk';

export interface StoredFile {
  fileID: string;
  /** Temporary link (a few hours), for printing or opening on a computer. */
  tempFileURL: string;
}

export async function storeFile(cloudPath: string, content: Buffer): Promise<StoredFile> {
  const up = await cloud.uploadFile({ cloudPath, fileContent: content });
  const url = await cloud.getTempFileURL({ fileList: [up.fileID] });
  return { fileID: up.fileID, tempFileURL: url.fileList[0]?.tempFileURL ?? '' };
}

/** `20261127T043105` for file names: sortable, ASCII (the SDK sends paths in an HTTP header). */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').slice(0, 15);
}
