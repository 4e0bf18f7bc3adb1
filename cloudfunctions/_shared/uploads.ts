/**
 * File ids a client hands to a function — complaint photos, invoice documents, adjustment
 * documents, expense vouchers, roster/opening spreadsheets, statements — are accepted only as
 * uploads the caller made for this action: the path must lie in the action's upload folder,
 * under the caller's own part of it (their openid folder, their community's folder, the record's
 * name), and have a name the folder's storage rule allows. Anything else (another owner's photo,
 * a generated file under exports/, another community's statement) is refused with INVALID_INPUT
 * naming the field, before anything is stored or read.
 *
 * In production nothing tells a function who uploaded a file, so the path is the check: the
 * storage rule lets a client write only new files or its own, and the pages put the caller's
 * openid or the community and request in the path (docs/security.md).
 */
import cloud from 'wx-server-sdk';
import { AppError } from './router';
import { fileLinks } from './storage';
import { UPLOAD_FOLDERS, uploadFolderOf, type UploadFolderName } from './upload-folders';

export interface UploadPlace {
  folder: UploadFolderName;
  /** What the path must start with, e.g. `complaints/<openid>/`, `imports/<communityId>/`. */
  prefix: string;
  /** The refusal's sentence: where this page's files belong. */
  refusal: string;
}

/** The path of a `cloud://<env>.<bucket>/<path>` file id, or null. */
export function pathOfFileId(fileID: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID);
  return m ? m[1]! : null;
}

/** Refuses, naming `field`, any id that is not an upload at `place` (no request made). */
export function checkUploadPaths(
  field: string,
  fileIDs: readonly string[],
  place: UploadPlace,
): void {
  for (const id of fileIDs) {
    const p = pathOfFileId(id);
    if (!p || !p.startsWith(place.prefix) || uploadFolderOf(p)?.folder !== place.folder) {
      throw new AppError('INVALID_INPUT', `${field}: ${place.refusal}`);
    }
  }
}

/** As checkUploadPaths, and each file must exist (a record never points at nothing). */
export async function requireUploads(
  field: string,
  fileIDs: readonly string[],
  place: UploadPlace,
): Promise<void> {
  checkUploadPaths(field, fileIDs, place);
  if (fileIDs.length === 0) return;
  const links = await fileLinks(fileIDs, 60);
  if (fileIDs.some((id) => !links.has(id))) {
    throw new AppError('INVALID_INPUT', `${field}: 找不到上传的文件，请重新上传后再提交`);
  }
}

/**
 * One upload's bytes, after the path check, refused when larger than its folder takes (the
 * storage rule cannot see sizes, so the function that reads the file checks it).
 */
export async function downloadUpload(
  field: string,
  fileID: string,
  place: UploadPlace,
): Promise<Buffer> {
  checkUploadPaths(field, [fileID], place);
  let bytes: Buffer;
  try {
    bytes = (await cloud.downloadFile({ fileID })).fileContent;
  } catch {
    throw new AppError('NOT_FOUND', `${field}: 找不到上传的文件，可能已过期，请重新上传`);
  }
  const max = UPLOAD_FOLDERS.find((f) => f.folder === place.folder)!.maxBytes;
  if (bytes.length > max) {
    throw new AppError(
      'INVALID_INPUT',
      `${field}: 文件超过 ${Math.round(max / 1024 / 1024)} MB，请拆分后再上传`,
    );
  }
  return bytes;
}
