/**
 * The cloud-call APIs that reach owners outside the mini-program, as the local cloud answers them
 * (openapi.ts routes here): `cloudbase.sendSmsV2` / `cloudbase.sendSms` (CloudBase's SMS for
 * mini-programs), `urllink.generate` (the link an SMS carries) and `wxacode.getUnlimited` (the
 * personal code on a printed household notice). Each checks its parameters as the official docs
 * state them and answers WeChat's error codes; what it sends is kept for `/dev/sms`,
 * `/dev/urllinks` and `/dev/wxacodes`. A generated code is a real PNG holding a QR code of
 * `wxacode:<page>?scene=<scene, URL-encoded>`, so `/dev/scan` reads the page back from the image
 * as a phone would (WeChat's round "sun code" is proprietary; a QR code stands in for it).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import encodeQR from '@paulmillr/qr';
import decodeQR from '@paulmillr/qr/decode.js';
import {
  isValidScene,
  SMS_LIMITS,
  SMS_TEMPLATE_ID,
  smsLength,
  smsMessage,
} from '../../miniprogram/domain/notice/reach';

type Json = Record<string, unknown>;

/** An answer with a body that is not JSON (the image of `wxacode.getUnlimited`). */
export interface BinaryAnswer {
  buffer: Buffer;
  contentType: string;
}

/** One SMS to one number, with its delivery report. */
export interface SmsRecord {
  id: string;
  channel: 'sms';
  api: string;
  at: string;
  phone: string;
  /** The whole message as the phone shows it. */
  content: string;
  link: string;
  /** Where the link opens (path + query), when it is one of ours. */
  opens: string | null;
  serialNo: string;
  /** The delivery report: `Ok`, or the SMS platform's reason. */
  code: string;
  message: string;
}

export interface UrlLinkRecord {
  urlLink: string;
  path: string;
  query: string;
  createdAt: string;
  expiresAt: string;
}

export interface WxacodeRecord {
  id: string;
  at: string;
  scene: string;
  page: string;
  envVersion: string;
  width: number;
  bytes: number;
}

/** What `/dev/sms/faults` can inject. */
export interface SmsFaults {
  /** The next this-many sends answer -1 (system busy) and send nothing. */
  busy: number;
  /** SMS left in the resource package; null is unlimited. */
  quota: number | null;
}

const INVALID_ARGS = (what: string): Json => ({ errcode: 40097, errmsg: `invalid args: ${what}` });
const QUERY_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
const DAY_MS = 86_400_000;
/** `wxacode.getUnlimited` calls allowed a minute (the docs: 5000/min). */
export const WXACODE_PER_MINUTE = 5000;

/** Pages of the mini-program (app.json, subpackages included), for check_path and urllink path. */
export function miniprogramPages(root = path.resolve(__dirname, '../../miniprogram')): Set<string> {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    pages: string[];
    subpackages?: { root: string; pages: string[] }[];
    subPackages?: { root: string; pages: string[] }[];
  };
  const subs = app.subpackages ?? app.subPackages ?? [];
  return new Set([
    ...app.pages,
    ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
  ]);
}

export class ReachApis {
  readonly sms: SmsRecord[] = [];
  readonly links = new Map<string, UrlLinkRecord>();
  readonly codes: (WxacodeRecord & { png: Buffer })[] = [];
  /** Numbers whose owner replied T (回T退订): the platform sends them nothing more. */
  readonly optedOut = new Set<string>();
  faults: SmsFaults = { busy: 0, quota: null };
  private serial = 0;

  constructor(
    private readonly now: () => number,
    /** The SMS signature: the mini-program's name. */
    readonly signature = '物业费收缴',
    private readonly pages = miniprogramPages(),
  ) {}

  handle(api: string, req: Json): Json | BinaryAnswer | null {
    if (api === 'cloudbase.sendSmsV2') return this.sendSms(api, req, true);
    if (api === 'cloudbase.sendSms') return this.sendSms(api, req, false);
    if (api === 'urllink.generate') return this.generateLink(req);
    if (api === 'wxacode.getUnlimited') return this.unlimitedCode(req);
    return null;
  }

  private sendSms(api: string, req: Json, v2: boolean): Json {
    if (typeof req.env !== 'string' || !req.env) return INVALID_ARGS('env');
    const numbers = req.phone_number_list;
    if (
      !Array.isArray(numbers) ||
      numbers.length === 0 ||
      numbers.some((n) => typeof n !== 'string')
    )
      return INVALID_ARGS('phone_number_list');
    if (numbers.length > SMS_LIMITS.perRequest)
      return INVALID_ARGS(`phone_number_list: at most ${SMS_LIMITS.perRequest} numbers a request`);
    let custom: string;
    let link: string;
    let opens: string | null = null;
    if (v2) {
      if (req.template_id !== SMS_TEMPLATE_ID) return INVALID_ARGS('template_id');
      const params = req.template_param_list;
      if (!Array.isArray(params) || params.length !== 1 || typeof params[0] !== 'string')
        return INVALID_ARGS('template_param_list: one custom text');
      custom = params[0];
      link = typeof req.url_link === 'string' ? req.url_link : '';
      const known = this.links.get(link);
      if (!known) return INVALID_ARGS('url_link');
      if (Date.parse(known.expiresAt) <= this.now()) return INVALID_ARGS('url_link expired');
      opens = known.query ? `${known.path}?${known.query}` : known.path;
    } else {
      // The older API: the custom text and a page of the environment's static website.
      custom = typeof req.content === 'string' ? req.content : '';
      const page = typeof req.path === 'string' ? req.path : '';
      if (!page.startsWith('/')) return INVALID_ARGS('path');
      link = `https://${req.env}.tcloudbaseapp.com${page}`;
    }
    if (smsLength(custom) === 0 || smsLength(custom) > SMS_LIMITS.custom)
      return INVALID_ARGS(`custom text must be 1–${SMS_LIMITS.custom} characters`);
    const content = smsMessage(this.signature, custom, link);
    if (smsLength(content) > SMS_LIMITS.whole)
      return INVALID_ARGS(`message longer than ${SMS_LIMITS.whole} characters`);
    if (this.faults.busy > 0) {
      this.faults.busy--;
      return { errcode: -1, errmsg: 'system error, please retry' };
    }
    const billable = numbers.filter((n) => this.deliverable(n as string) === null).length;
    if (this.faults.quota !== null && billable > this.faults.quota)
      return { errcode: -501007, errmsg: 'sms resource package balance is insufficient' };
    if (this.faults.quota !== null) this.faults.quota -= billable;
    const at = new Date(this.now()).toISOString();
    const list = (numbers as string[]).map((phone) => {
      const refused = this.deliverable(phone);
      const serialNo = `${this.now()}-${++this.serial}`;
      const status = {
        serial_no: serialNo,
        phone_number: phone,
        fee: refused ? 0 : 1,
        session_context: '',
        code: refused?.code ?? 'Ok',
        message: refused?.message ?? 'send success',
        iso_code: 'CN',
      };
      this.sms.push({
        id: serialNo,
        channel: 'sms',
        api,
        at,
        phone,
        content,
        link,
        opens,
        serialNo,
        code: status.code,
        message: status.message,
      });
      return status;
    });
    return { errcode: 0, errmsg: 'ok', send_status_list: list };
  }

  /** Why the SMS platform would not deliver to a number (Tencent Cloud SMS's codes), or null. */
  private deliverable(phone: string): { code: string; message: string } | null {
    if (!/^\+861[3-9]\d{9}$/.test(phone))
      return { code: 'InvalidParameterValue.IncorrectPhoneNumber', message: 'incorrect number' };
    if (this.optedOut.has(phone))
      return { code: 'FailedOperation.PhoneNumberInBlacklist', message: 'unsubscribed (回T退订)' };
    return null;
  }

  private generateLink(req: Json): Json {
    const p = req.path === undefined ? [...this.pages][0]! : req.path;
    if (typeof p !== 'string' || p.startsWith('/') || p.includes('?') || !this.pages.has(p))
      return { errcode: 40165, errmsg: 'invalid weapp pagepath' };
    const query = req.query === undefined ? '' : req.query;
    if (typeof query !== 'string' || query.length > 1024 || !QUERY_CHARS.test(query))
      return { errcode: 40212, errmsg: 'invalid query' };
    const now = this.now();
    let expiresAt: number;
    if (req.expire_type === 1) {
      const days = req.expire_interval;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 30)
        return INVALID_ARGS('expire_interval must be 1–30 days');
      expiresAt = now + days * DAY_MS;
    } else if (req.expire_type === 0 || req.expire_type === undefined) {
      const t = req.expire_time;
      if (typeof t !== 'number' || t * 1000 <= now || t * 1000 > now + 30 * DAY_MS)
        return INVALID_ARGS('expire_time must be within 30 days');
      expiresAt = t * 1000;
    } else return INVALID_ARGS('expire_type');
    // Like WeChat's: https://wxaurl.cn/ and 11 letters or digits (29 characters in all).
    const code = createHash('sha256')
      .update(`${now}:${this.links.size}:${p}?${query}`)
      .digest('base64')
      .replace(/[^0-9A-Za-z]/g, '')
      .slice(0, 11);
    const urlLink = `https://wxaurl.cn/${code}`;
    this.links.set(urlLink, {
      urlLink,
      path: p,
      query,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    });
    return { errcode: 0, errmsg: 'ok', url_link: urlLink };
  }

  private unlimitedCode(req: Json): Json | BinaryAnswer {
    const scene = req.scene;
    if (typeof scene !== 'string' || !isValidScene(scene))
      return { errcode: 40129, errmsg: 'invalid scene' };
    const page = req.page === undefined ? [...this.pages][0]! : req.page;
    if (typeof page !== 'string' || page.startsWith('/') || page.includes('?'))
      return { errcode: 41030, errmsg: 'invalid page' };
    if (req.check_path !== false && !this.pages.has(page))
      return { errcode: 41030, errmsg: 'invalid page' };
    const envVersion = req.env_version ?? 'release';
    if (envVersion !== 'release' && envVersion !== 'trial' && envVersion !== 'develop')
      return INVALID_ARGS('env_version');
    const now = this.now();
    if (this.codes.filter((c) => Date.parse(c.at) > now - 60_000).length >= WXACODE_PER_MINUTE)
      return { errcode: 45009, errmsg: 'reach max api daily quota limit' };
    const asked = typeof req.width === 'number' ? req.width : 430;
    const width = Math.min(1280, Math.max(280, Math.round(asked)));
    const png = qrPng(`wxacode:${page}?scene=${encodeURIComponent(scene)}`, width);
    const record = {
      id: `code-${this.codes.length + 1}`,
      at: new Date(now).toISOString(),
      scene,
      page,
      envVersion: String(envVersion),
      width,
      bytes: png.length,
    };
    this.codes.push({ ...record, png });
    return { buffer: png, contentType: 'image/png' };
  }

  /** An owner replying to an SMS: `T` unsubscribes the number (回T退订). */
  reply(phone: string, text: string): boolean {
    if (text.trim().toUpperCase() !== 'T') return false;
    this.optedOut.add(phone);
    return true;
  }

  clear(): void {
    this.sms.length = 0;
    this.links.clear();
    this.codes.length = 0;
    this.optedOut.clear();
    this.faults = { busy: 0, quota: null };
  }
}

// ------------------------------------------------------------------ the image

/** A PNG of a QR code for `text`, `width` pixels square with a quiet zone, black on white. */
export function qrPng(text: string, width: number): Buffer {
  const modules = encodeQR(text, 'raw', { ecc: 'medium', border: 4 });
  const n = modules.length;
  const scale = Math.max(1, Math.floor(width / n));
  const size = n * scale;
  const rows = Buffer.alloc((size + 1) * size, 255);
  for (let y = 0; y < size; y++) {
    rows[y * (size + 1)] = 0; // filter byte: none
    const row = modules[Math.floor(y / scale)]!;
    for (let x = 0; x < size; x++) if (row[Math.floor(x / scale)]) rows[y * (size + 1) + 1 + x] = 0;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * Reads a code image back as a phone camera would: the PNG decoded to pixels (8-bit greyscale or
 * RGB(A), unfiltered or Sub/Up/Average/Paeth rows) and the QR code found in them. Returns the
 * page and its query, or null when the image holds no mini-program code.
 */
export function scanCode(png: Buffer): { page: string; query: string } | null {
  const img = decodePng(png);
  let text: string;
  try {
    text = decodeQR(img);
  } catch {
    return null;
  }
  const m = /^wxacode:([^?]+)\?(.*)$/.exec(text);
  return m ? { page: m[1]!, query: m[2]! } : null;
}

function decodePng(png: Buffer): { width: number; height: number; data: Uint8Array } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('ascii', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = data.subarray(8, 13);
      channels = ({ 0: 1, 2: 3, 6: 4 } as Record<number, number>)[color!] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0)
        throw new Error('only 8-bit greyscale/RGB/RGBA non-interlaced PNGs are read');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = (v + pred) & 0xff;
    }
  }
  // The decoder takes RGBA.
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    rgba[i * 4] = pixels[s]!;
    rgba[i * 4 + 1] = pixels[channels >= 3 ? s + 1 : s]!;
    rgba[i * 4 + 2] = pixels[channels >= 3 ? s + 2 : s]!;
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, data: rgba };
}
