/**
 * Owners' photos of their meters: the page uploads them to `readings/<openid>/<name>.<ext>` (the
 * `readings` folder of storage.rules.json: a client writes only new files or its own), and the
 * function accepts a photo only from the caller's own folder — another owner's photo, a generated
 * file or anything else is refused naming the field (docs/security.md). Staff see photos only as
 * temporary links made here after their role was checked.
 */
import cloud from 'wx-server-sdk';
import { AppError } from '../../../_shared/router';

/** The page's file name: letters, digits, `_`/`-`, an image extension. */
const PHOTO_NAME = /^[A-Za-z0-9_-]{1,64}\.(jpg|jpeg|png|gif|webp|heic)$/;
/** A link in the reading sheet lives as long as the page reasonably stays open. */
const VIEW_LINK_SECONDS = 2 * 60 * 60;

export function photoFolder(openid: string): string {
  return `readings/${openid}/`;
}

/** Temporary links of files (a missing file gets none); at most 50 a request, as CloudBase. */
export async function photoLinks(
  fileIDs: readonly string[],
  maxAge = VIEW_LINK_SECONDS,
): Promise<Map<string, string>> {
  const unique = [...new Set(fileIDs)];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 50) {
    const res = await cloud.getTempFileURL({
      fileList: unique.slice(i, i + 50).map((fileID) => ({ fileID, maxAge })),
    });
    for (const f of res.fileList as { fileID: string; tempFileURL?: string; code?: string }[]) {
      if (f.tempFileURL && (f.code === undefined || f.code === 'SUCCESS')) {
        out.set(f.fileID, f.tempFileURL);
      }
    }
  }
  return out;
}

/** The photo must be the caller's own upload in the readings folder, and be there. */
export async function requireOwnPhoto(openid: string, fileID: string): Promise<void> {
  const path = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)?.[1] ?? '';
  const folder = photoFolder(openid);
  if (!path.startsWith(folder) || !PHOTO_NAME.test(path.slice(folder.length))) {
    throw new AppError('INVALID_INPUT', 'photo: 请在本页给表拍照上传后再提交');
  }
  if (!(await photoLinks([fileID], 60)).has(fileID)) {
    throw new AppError('INVALID_INPUT', 'photo: 找不到上传的照片，请重新拍照后再提交');
  }
}
