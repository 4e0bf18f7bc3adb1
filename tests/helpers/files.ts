/**
 * Cloud storage as a client reaches it on the local cloud: the preview's gateway, identified by
 * the openid it sends (none: not signed in), under storage.rules.json — and what a function's
 * temporary link points at.
 */
import type { LocalCloud } from '../../tools/cloud/server';

/** `cloud://<env>.<bucket>/<path>` → `<path>`. */
export const pathOfId = (fileID: string): string => fileID.replace(/^cloud:\/\/[^/]+\//, '');

/** The stored path a temporary link (`/files/get/<path>?t=&sign=`) opens. */
export function pathOfLink(url: string): string {
  return decodeURI(new URL(url).pathname.replace(/^\/files\/get\//, ''));
}

/** The file id of the local cloud's bucket for a path. */
export const idOfPath = (cloudPath: string): string =>
  `cloud://local-dev.local-bucket/${cloudPath}`;

/** wx.cloud.downloadFile as `openid`. */
export function clientGet(cloud: LocalCloud, fileID: string, openid?: string): Promise<Response> {
  const q = new URLSearchParams({ fileID, ...(openid ? { openid } : {}) });
  return fetch(`${cloud.url}/gateway/file?${q}`);
}

/** wx.cloud.uploadFile as `openid`. */
export function clientUpload(
  cloud: LocalCloud,
  cloudPath: string,
  bytes: Buffer,
  openid?: string,
): Promise<Response> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  if (openid) form.append('openid', openid);
  form.append('file', new Blob([new Uint8Array(bytes)]), cloudPath.split('/').pop());
  return fetch(`${cloud.url}/gateway/upload`, { method: 'POST', body: form });
}

/** A client upload that must succeed: its file id. */
export async function uploadAs(
  cloud: LocalCloud,
  openid: string,
  cloudPath: string,
  bytes: Buffer,
): Promise<string> {
  const res = await clientUpload(cloud, cloudPath, bytes, openid);
  if (res.status !== 200) throw new Error(`upload of ${cloudPath} as ${openid}: ${res.status}`);
  return ((await res.json()) as { fileID: string }).fileID;
}

/** wx.cloud.getTempFileURL as `openid`: one entry per file. */
export async function clientTempUrls(
  cloud: LocalCloud,
  fileList: string[],
  openid?: string,
): Promise<{ fileID: string; tempFileURL: string; status: number }[]> {
  const res = await fetch(`${cloud.url}/gateway/tempurl`, {
    method: 'POST',
    body: JSON.stringify({ ...(openid ? { openid } : {}), fileList }),
  });
  return (
    (await res.json()) as { fileList: { fileID: string; tempFileURL: string; status: number }[] }
  ).fileList;
}

/** A PNG's signature, enough for the folders that take images. */
export const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

/** A file through the link a function answered (generated files are never readable by id). */
export async function fetchLinked(file: { tempFileURL: string }): Promise<Buffer> {
  const res = await fetch(file.tempFileURL);
  if (res.status !== 200) throw new Error(`link answered ${res.status}: ${file.tempFileURL}`);
  return Buffer.from(await res.arrayBuffer());
}
