/**
 * Files in cloud storage as the functions hand them out. Clients never read a file by its id
 * unless they uploaded it themselves (storage.rules.json): everything else reaches them only as a
 * temporary link, made here by a function that has checked who is asking.
 *
 * - Generated files (PDFs, spreadsheets) go to `exports/<communityId>/<128-bit random token>/<name>`,
 *   a fresh token each time, so no path can be guessed from a letter number, a date or an id, and
 *   nothing is ever overwritten; the link lives EXPORT_LINK_SECONDS.
 * - Files another user uploaded (complaint photos for staff, invoice documents, adjustment
 *   documents, expense vouchers) are answered in views as links living VIEW_LINK_SECONDS.
 */
import { randomBytes } from 'node:crypto';
import cloud from 'wx-server-sdk';

/** A generated file is opened right away: its link lives half an hour. */
export const EXPORT_LINK_SECONDS = 30 * 60;
/** Links in a view live as long as a page reasonably stays open (pages reload when shown). */
export const VIEW_LINK_SECONDS = 2 * 60 * 60;
/** CloudBase makes at most 50 links per request. */
const LINKS_PER_REQUEST = 50;

export interface StoredFile {
  /** For the audit log only: never sent to a client. */
  fileID: string;
  /** The temporary link the client opens. */
  tempFileURL: string;
}

/** `exports/<communityId>/<32 hex characters>/<name>`: a new unguessable folder per file. */
export function exportPath(communityId: string, name: string): string {
  return `exports/${communityId}/${randomBytes(16).toString('hex')}/${name}`;
}

/**
 * Stores a generated file at a fresh unguessable path and answers a short-lived link to it.
 * `name` is the last path segment, ASCII (the SDK sends the path in an HTTP header).
 */
export async function storeExport(
  communityId: string,
  name: string,
  content: Buffer,
): Promise<StoredFile> {
  const up = await cloud.uploadFile({
    cloudPath: exportPath(communityId, name),
    fileContent: content,
  });
  const links = await fileLinks([up.fileID], EXPORT_LINK_SECONDS);
  return { fileID: up.fileID, tempFileURL: links.get(up.fileID) ?? '' };
}

/**
 * Temporary links for files (server side: not subject to the rules, so the caller must have
 * checked that the asker may see them). A file that does not exist has no entry; no files, no
 * request.
 */
export async function fileLinks(
  fileIDs: readonly string[],
  maxAge = VIEW_LINK_SECONDS,
): Promise<Map<string, string>> {
  const unique = [...new Set(fileIDs)];
  const out = new Map<string, string>();
  for (let i = 0; i < unique.length; i += LINKS_PER_REQUEST) {
    const res = await cloud.getTempFileURL({
      fileList: unique.slice(i, i + LINKS_PER_REQUEST).map((fileID) => ({ fileID, maxAge })),
    });
    for (const f of res.fileList as { fileID: string; tempFileURL?: string; code?: string }[]) {
      if (f.tempFileURL && (f.code === undefined || f.code === 'SUCCESS'))
        out.set(f.fileID, f.tempFileURL);
    }
  }
  return out;
}

/**
 * Views of `docs` made with temporary links to the files each names, all fetched in one request:
 * how a view shows files another user uploaded (views never carry file ids).
 */
export async function viewsWithLinks<D, V>(
  docs: readonly D[],
  filesOf: (d: D) => readonly string[],
  view: (d: D, links: Map<string, string>) => V,
): Promise<V[]> {
  const links = await fileLinks(docs.flatMap(filesOf));
  return docs.map((d) => view(d, links));
}

/** The links of `fileIDs` in their order; a file no longer there is left out. */
export function linksIn(fileIDs: readonly string[], links: Map<string, string>): string[] {
  return fileIDs.flatMap((id) => {
    const url = links.get(id);
    return url ? [url] : [];
  });
}
