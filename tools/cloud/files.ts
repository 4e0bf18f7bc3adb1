/**
 * Cloud storage on the local cloud, with the two kinds of access CloudBase has:
 *
 * - **Server side** (functions through wx-server-sdk, the console): never subject to rules. An
 *   upload goes to a signed `PUT /files/put/<path>` URL from `storage.getUploadMetadata`; a
 *   download link from `storage.batchGetDownloadUrl` is a temporary URL, signed and expiring
 *   (`GET /files/get/<path>?t=…&sign=…`, at most a day on the dev clock). Like a CloudBase temp
 *   URL it works for whoever holds it, and nothing else under /files/ answers without a valid
 *   signature.
 * - **Client side** (the mini-program through the preview gateway, identified by the openid the
 *   preview sends): `POST /gateway/upload`, `GET /gateway/file`, `POST /gateway/tempurl` answer
 *   only what `storage.rules.json` allows, with `resource.openid` the file's owner (its uploader;
 *   empty for files functions wrote) and `resource.path` its path. Refusals carry CloudBase's
 *   -503002; a file over its upload folder's size limit, -403001.
 *
 * Owners are kept beside the files (`.owners.json`), so they survive a restart with the files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { clientError, type Answer } from './answer';
import type { StorageRuleSet } from './rules';
import { uploadFolderOf } from '../security-rules';

/** CloudBase: a temporary link lives a day at most. */
export const MAX_TEMP_URL_SECONDS = 86_400;
const ERR_PARAM = -501007;
const ERR_NO_AUTHORITY = -503002;
const ERR_NOT_EXIST = -503003;
const ERR_TOO_LARGE = -403001;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export interface CloudFilesOptions {
  dir: string;
  envId: string;
  bucket: string;
  baseUrl: () => string;
  now: () => number;
  rules: () => StorageRuleSet;
}

function contentTypeOf(file: string): string {
  const types: Record<string, string> = {
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.webp': 'image/webp',
    '.svg': 'image/svg+xml',
    '.pdf': 'application/pdf',
    '.json': 'application/json',
    '.txt': 'text/plain; charset=utf-8',
    '.csv': 'text/csv; charset=utf-8',
    '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
  return types[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export class CloudFiles {
  /** Signs upload authorizations and temp URLs; new each start, so old links die with it. */
  private readonly secret = crypto.randomBytes(32);
  private owners = new Map<string, string>();
  private readonly ownersFile: string;

  constructor(private readonly o: CloudFilesOptions) {
    fs.mkdirSync(o.dir, { recursive: true });
    this.ownersFile = path.join(o.dir, '.owners.json');
    if (fs.existsSync(this.ownersFile)) {
      const saved = JSON.parse(fs.readFileSync(this.ownersFile, 'utf8')) as Record<string, string>;
      this.owners = new Map(Object.entries(saved));
    }
  }

  // ---------------------------------------------------------------- paths and ids

  /** A storable path: relative, no `..`, no hidden segments, no backslashes. */
  static validPath(p: string): boolean {
    if (!p || p.length > 1024 || p.startsWith('/') || p.includes('\\')) return false;
    return p.split('/').every((seg) => seg !== '' && !seg.startsWith('.'));
  }

  fileId(cloudPath: string): string {
    return `cloud://${this.o.envId}.${this.o.bucket}/${cloudPath}`;
  }

  /** The path of a `cloud://env.bucket/path` id, or null. */
  static pathOf(fileId: string): string | null {
    const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
    return m && CloudFiles.validPath(m[1]!) ? m[1]! : null;
  }

  private file(cloudPath: string): string {
    return path.join(this.o.dir, cloudPath);
  }

  exists(cloudPath: string): boolean {
    return fs.existsSync(this.file(cloudPath));
  }

  /** Every stored path under a folder (`exports/c1`), sorted; [] when there is none. */
  list(folder: string): string[] {
    const root = this.file(folder);
    if (!fs.existsSync(root)) return [];
    return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((e) => e.isFile())
      .map((e) =>
        path.relative(this.o.dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'),
      )
      .sort();
  }

  ownerOf(cloudPath: string): string {
    return this.owners.get(cloudPath) ?? '';
  }

  private write(cloudPath: string, data: Buffer, owner: string): void {
    const file = this.file(cloudPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    if (owner) this.owners.set(cloudPath, owner);
    else this.owners.delete(cloudPath);
    this.saveOwners();
  }

  private remove(cloudPath: string): boolean {
    const file = this.file(cloudPath);
    if (!fs.existsSync(file)) return false;
    fs.unlinkSync(file);
    if (this.owners.delete(cloudPath)) this.saveOwners();
    return true;
  }

  private saveOwners(): void {
    fs.writeFileSync(this.ownersFile, JSON.stringify(Object.fromEntries(this.owners)));
  }

  clear(): void {
    fs.rmSync(this.o.dir, { recursive: true, force: true });
    fs.mkdirSync(this.o.dir, { recursive: true });
    this.owners.clear();
  }

  private sign(kind: 'put' | 'get', cloudPath: string, expiresAt: number): string {
    return crypto
      .createHmac('sha256', this.secret)
      .update(`${kind}\n${cloudPath}\n${expiresAt}`)
      .digest('hex');
  }

  private signatureValid(kind: 'put' | 'get', cloudPath: string, t: string, sign: string): boolean {
    const expiresAt = Number(t);
    if (!/^[0-9]{1,15}$/.test(t) || expiresAt < this.o.now()) return false;
    const want = Buffer.from(this.sign(kind, cloudPath, expiresAt), 'hex');
    const got = Buffer.from(/^[0-9a-f]{64}$/.test(sign) ? sign : '', 'hex');
    return got.length === want.length && crypto.timingSafeEqual(got, want);
  }

  /** A temporary link: signed, expiring, not subject to rules (CloudBase's are the same). */
  tempUrl(cloudPath: string, maxAgeSeconds = MAX_TEMP_URL_SECONDS): string {
    const age = Math.max(
      1,
      Math.min(Math.floor(maxAgeSeconds) || MAX_TEMP_URL_SECONDS, MAX_TEMP_URL_SECONDS),
    );
    const t = this.o.now() + age * 1000;
    // Unencoded, as COS gives it: the SDK applies encodeURI itself.
    return `${this.o.baseUrl()}/files/get/${cloudPath}?t=${t}&sign=${this.sign('get', cloudPath, t)}`;
  }

  // ---------------------------------------------------------------- server side (SDK)

  /** `storage.getUploadMetadata`: where the SDK PUTs the file, with a short-lived signature. */
  uploadMetadata(
    cloudPath: string,
  ): { data: Record<string, string> } | { code: string; message: string } {
    if (!CloudFiles.validPath(cloudPath))
      return { code: 'INVALID_PARAM', message: `invalid cloudPath: ${cloudPath}` };
    const t = this.o.now() + 10 * 60_000;
    return {
      data: {
        url: `${this.o.baseUrl()}/files/put/${encodeURI(cloudPath)}`,
        token: 'local',
        authorization: `local ${t}:${this.sign('put', cloudPath, t)}`,
        fileId: this.fileId(cloudPath),
        cosFileId: cloudPath,
      },
    };
  }

  /** `PUT /files/put/<path>` with the authorization header from uploadMetadata. */
  cosPut(cloudPath: string, authorization: string, body: Buffer): Answer {
    const m = /^local ([0-9]+):([0-9a-f]+)$/.exec(authorization);
    if (
      !CloudFiles.validPath(cloudPath) ||
      !m ||
      !this.signatureValid('put', cloudPath, m[1]!, m[2]!)
    ) {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>' +
        '<Message>Access Denied.</Message><RequestId>local</RequestId><TraceId>local</TraceId></Error>';
      return { status: 403, bytes: Buffer.from(xml), contentType: 'application/xml' };
    }
    this.write(cloudPath, body, '');
    return { status: 200, bytes: Buffer.alloc(0), contentType: 'text/plain' };
  }

  /** `GET /files/get/<path>?t=&sign=`: only with a valid, unexpired signature. */
  cosGet(cloudPath: string, query: URLSearchParams): Answer {
    const t = query.get('t') ?? '';
    const sign = query.get('sign') ?? '';
    if (!CloudFiles.validPath(cloudPath) || !this.signatureValid('get', cloudPath, t, sign)) {
      return {
        status: 403,
        json: { error: 'AccessDenied: a valid, unexpired temporary link is required' },
      };
    }
    return this.bytesOf(cloudPath) ?? { status: 404, json: { error: 'file not found' } };
  }

  private bytesOf(cloudPath: string): Answer | undefined {
    if (!this.exists(cloudPath)) return undefined;
    return {
      status: 200,
      bytes: fs.readFileSync(this.file(cloudPath)),
      contentType: contentTypeOf(cloudPath),
      // Temporary links are opened from pages served elsewhere too (the preview dev server).
      headers: { 'access-control-allow-origin': '*' },
    };
  }

  /** `storage.batchGetDownloadUrl` (server side: no rules). */
  downloadUrls(list: unknown): Record<string, unknown>[] {
    return (Array.isArray(list) ? (list as { fileid?: unknown; max_age?: unknown }[]) : []).map(
      (f) => {
        const id = String(f.fileid ?? '');
        const p = CloudFiles.pathOf(id);
        return p && this.exists(p)
          ? {
              fileID: id,
              tempFileURL: this.tempUrl(p, Number(f.max_age ?? MAX_TEMP_URL_SECONDS)),
              code: 'SUCCESS',
            }
          : { fileID: id, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' };
      },
    );
  }

  /** `storage.batchDeleteFile` (server side: no rules). */
  deleteFiles(list: unknown): Record<string, unknown>[] {
    return (Array.isArray(list) ? (list as unknown[]) : []).map((raw) => {
      const id = String(raw);
      const p = CloudFiles.pathOf(id);
      return { fileID: id, code: p && this.remove(p) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
    });
  }

  /** The console writing a file (seeds use it); `owner` makes it a user's file. */
  adminUpload(cloudPath: string, data: Buffer, owner = ''): Answer {
    if (!CloudFiles.validPath(cloudPath) || (owner && !OPENID.test(owner)))
      return {
        status: 400,
        json: { error: 'a relative cloudPath (and an optional openid owner) is required' },
      };
    this.write(cloudPath, data, owner);
    return { status: 200, json: { fileID: this.fileId(cloudPath) } };
  }

  // ---------------------------------------------------------------- client side (rules apply)

  private auth(openid: unknown): { openid: string } | null | undefined {
    if (openid === undefined || openid === null || openid === '') return null;
    return typeof openid === 'string' && OPENID.test(openid) ? { openid } : undefined;
  }

  private allowed(
    op: 'read' | 'write',
    auth: { openid: string } | null,
    cloudPath: string,
  ): boolean {
    const exists = this.exists(cloudPath);
    // A new file becomes its uploader's; an existing one keeps its owner.
    const owner = exists ? this.ownerOf(cloudPath) : op === 'write' ? (auth?.openid ?? '') : '';
    return this.o.rules().allows(op, { auth, resource: { openid: owner, path: cloudPath } });
  }

  /** wx.cloud.uploadFile: `openid` is who asks (absent: not signed in). */
  clientUpload(openid: unknown, cloudPath: string, data: Buffer | undefined): Answer {
    const api = 'cloud.uploadFile';
    const auth = this.auth(openid);
    if (auth === undefined) return clientError(400, api, ERR_PARAM, 'invalid openid');
    if (!data || !CloudFiles.validPath(cloudPath))
      return clientError(400, api, ERR_PARAM, 'a file and a relative cloudPath are required');
    if (!this.allowed('write', auth, cloudPath))
      return clientError(403, api, ERR_NO_AUTHORITY, `no permission to write ${cloudPath}`);
    const folder = uploadFolderOf(cloudPath);
    if (folder && data.length > folder.maxBytes) {
      return clientError(
        413,
        api,
        ERR_TOO_LARGE,
        `file is ${data.length} bytes; ${folder.folder}/ takes at most ${folder.maxBytes}`,
      );
    }
    this.write(cloudPath, data, auth!.openid);
    return { status: 200, json: { fileID: this.fileId(cloudPath), statusCode: 200 } };
  }

  /** wx.cloud.downloadFile, and `<image src="cloud://…">` in the preview. */
  clientDownload(openid: unknown, fileId: string): Answer {
    const api = 'cloud.downloadFile';
    const auth = this.auth(openid);
    if (auth === undefined) return clientError(400, api, ERR_PARAM, 'invalid openid');
    const p = CloudFiles.pathOf(fileId);
    if (!p) return clientError(400, api, ERR_PARAM, 'fileID must be a cloud:// file id');
    if (!this.allowed('read', auth, p))
      return clientError(403, api, ERR_NO_AUTHORITY, 'no permission to read this file');
    return this.bytesOf(p) ?? clientError(404, api, ERR_NOT_EXIST, 'storage file not exists');
  }

  /** wx.cloud.getTempFileURL: a link per file the caller may read, an error status otherwise. */
  clientTempUrls(openid: unknown, fileList: unknown): Answer {
    const api = 'cloud.getTempFileURL';
    const auth = this.auth(openid);
    if (auth === undefined) return clientError(400, api, ERR_PARAM, 'invalid openid');
    if (!Array.isArray(fileList) || fileList.length > 50)
      return clientError(400, api, ERR_PARAM, 'fileList must be an array of at most 50');
    const out = fileList.map((f) => {
      const item =
        typeof f === 'string'
          ? { fileID: f }
          : ((f ?? {}) as { fileID?: unknown; maxAge?: unknown });
      const id = String(item.fileID ?? '');
      const p = CloudFiles.pathOf(id);
      if (!p) return { fileID: id, tempFileURL: '', status: ERR_PARAM, errMsg: 'invalid fileID' };
      if (!this.allowed('read', auth, p))
        return {
          fileID: id,
          tempFileURL: '',
          status: ERR_NO_AUTHORITY,
          errMsg: 'STORAGE_EXCEED_AUTHORITY',
        };
      if (!this.exists(p))
        return {
          fileID: id,
          tempFileURL: '',
          status: ERR_NOT_EXIST,
          errMsg: 'STORAGE_FILE_NONEXIST',
        };
      const maxAge = Number(item.maxAge ?? MAX_TEMP_URL_SECONDS);
      return { fileID: id, tempFileURL: this.tempUrl(p, maxAge), status: 0, errMsg: 'ok' };
    });
    return { status: 200, json: { fileList: out, errMsg: `${api}:ok` } };
  }
}
