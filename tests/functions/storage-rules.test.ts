/**
 * Files on the local cloud under storage.rules.json, as a client reaches them (the preview's
 * gateway, identified by the openid it sends) and as functions do (the real wx-server-sdk):
 *
 * - every generated file (催缴函, notice poster, receipts, disclosure poster, roster export and
 *   template, report export) lives at `exports/<community>/<128-bit random token>/<name>`, a new
 *   path each time; the reply carries only a half-hour link, never a file id; no client —
 *   anonymous, an owner, another owner, even the staff member who had it made — reads it by id or
 *   overwrites it; the link works until it expires, and nothing else under /files/ answers
 *   without a valid, unexpired signature;
 * - clients upload only to their own files in an upload folder, with the folder's types and size;
 * - wx.cloud.getTempFileURL hands out links only for files the caller may read.
 */
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { UPLOAD_FOLDERS } from '../../tools/security-rules';
import { EXPORT_LINK_SECONDS } from '../../cloudfunctions/_shared/storage';
import { useTestCloud } from '../helpers/cloud';
import {
  PNG,
  clientGet as get,
  clientTempUrls,
  clientUpload as put,
  idOfPath,
  pathOfId,
  pathOfLink,
} from '../helpers/files';

const C = DEMO_COMMUNITY_ID;
const PDF = (text: string) => Buffer.from(`%PDF-1.4 forged ${text}`);
const clientGet = (fileID: string, openid?: string) => get(cloud, fileID, openid);
const clientUpload = (p: string, bytes: Buffer, openid?: string) => put(cloud, p, bytes, openid);
/** Everyone who might try: not signed in, owners (one of them the letter's), every staff role. */
const CLIENTS = [undefined, ...Object.values(DEMO_USERS), 'o_stranger'];

async function must<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await cloud.call(fn, event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.code} ${r.message}`);
  return r.data;
}

type Made = { tempFileURL: string } & Record<string, unknown>;
/** Each kind of generated file, made as the page that asks for it would. */
const GENERATED: Record<string, () => Promise<Made>> = {
  '催缴函 (overdue.letterPdf)': () => {
    const row = cloud.store.find('collection_letters', { communityId: C })[0]!;
    return must(
      'overdue',
      { action: 'letterPdf', communityId: C, roomId: row.roomId },
      DEMO_USERS.service,
    );
  },
  'notice poster (notice.posterPdf)': () =>
    must(
      'notice',
      { action: 'posterPdf', communityId: C, noticeId: 'n_welcome' },
      DEMO_USERS.service,
    ),
  'receipts (payment.printReceipts)': () => {
    const p = cloud.store.find('payments', { communityId: C, amountFen: { $gt: 0 } })[0]!;
    return must(
      'payment',
      { action: 'printReceipts', communityId: C, receiptNos: [p.receiptNo] },
      DEMO_USERS.cashier,
    );
  },
  'disclosure poster (disclosure.posterPdf)': () => {
    const d = cloud.store.find('disclosures', { communityId: C, status: 'published' })[0]!;
    return must('disclosure', { action: 'posterPdf', disclosureId: d._id }, DEMO_USERS.owner);
  },
  'roster export (community.exportRoster)': () =>
    must('community', { action: 'exportRoster', communityId: C }, DEMO_USERS.admin),
  'import template (community.importTemplate)': () =>
    must('community', { action: 'importTemplate', communityId: C }, DEMO_USERS.admin),
  'report export (report.export)': () =>
    must('report', { action: 'export', communityId: C, report: 'aging' }, DEMO_USERS.finance),
};
const made = new Map<string, Made>();
const KINDS = Object.keys(GENERATED);

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
beforeAll(async () => {
  for (const kind of KINDS) made.set(kind, await GENERATED[kind]!());
});

const fileOf = (kind: string) => idOfPath(pathOfLink(made.get(kind)!.tempFileURL));

async function bytesOf(kind: string): Promise<Buffer> {
  const res = await fetch(made.get(kind)!.tempFileURL);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe.each(KINDS)('%s', (kind) => {
  test('the reply is a link, never a file id; the path holds a 128-bit random token', async () => {
    const reply = made.get(kind)!;
    expect(JSON.stringify(reply)).not.toContain('cloud://');
    expect(reply).not.toHaveProperty('fileID');
    expect(pathOfLink(reply.tempFileURL)).toMatch(
      new RegExp(`^exports/${C}/[0-9a-f]{32}/[A-Za-z0-9_.-]+\\.(pdf|xlsx)$`),
    );
    const bytes = await bytesOf(kind);
    expect(bytes.length).toBeGreaterThan(100);
    if (typeof reply.bytes === 'number') expect(bytes.length).toBe(reply.bytes);
  });

  test('asking again makes a new file at a new path; nothing is overwritten', async () => {
    const again = await GENERATED[kind]!();
    expect(pathOfLink(again.tempFileURL)).not.toBe(pathOfLink(made.get(kind)!.tempFileURL));
    expect((await bytesOf(kind)).length).toBeGreaterThan(100);
  });

  test('no client reads it by file id, by getTempFileURL or overwrites it', async () => {
    const fileID = fileOf(kind);
    const before = await bytesOf(kind);
    for (const who of CLIENTS) {
      const res = await clientGet(fileID, who);
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
      expect(((await res.json()) as { errCode: number }).errCode).toBe(-503002);
      expect(await clientTempUrls(cloud, [fileID], who)).toEqual([
        expect.objectContaining({ tempFileURL: '', status: -503002 }),
      ]);
      const over = await clientUpload(pathOfId(fileID), PDF('overwrite'), who);
      expect({ who, status: over.status }).toEqual({ who, status: 403 });
    }
    expect((await bytesOf(kind)).equals(before)).toBe(true);
  });
});

test('the issue’s guessable path holds nothing: a letter is found only through its link', async () => {
  const row = cloud.store.find('collection_letters', { communityId: C })[0]!;
  const today = new Date(cloud.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const guessed = `exports/${C}/letter-${String(row.letterNo)}-${today}.pdf`;
  expect(cloud.files.exists(guessed)).toBe(false);
  for (const who of [undefined, DEMO_USERS.owner]) {
    expect((await clientGet(idOfPath(guessed), who)).status).toBe(403);
  }
});

test('a generated file’s link lives half an hour; nothing under /files/ answers without a valid signature', async () => {
  const link = made.get(KINDS[0]!)!.tempFileURL;
  const url = new URL(link);
  expect((await fetch(`${cloud.url}${url.pathname}`)).status).toBe(403);
  const forged = new URL(link);
  forged.searchParams.set('sign', 'f'.repeat(64));
  expect((await fetch(forged)).status).toBe(403);
  // a link signed for one file does not open another
  const other = new URL(link);
  other.pathname = other.pathname.replace(/[^/]+$/, 'other.pdf');
  expect((await fetch(other)).status).toBe(403);
  // an anonymous PUT to the server-side upload URL is refused, with or without a made-up signature
  for (const authorization of [undefined, `local ${Date.now() + 60_000}:${'0'.repeat(64)}`]) {
    const res = await fetch(`${cloud.url}/files/put/${pathOfLink(link)}`, {
      method: 'PUT',
      headers: authorization ? { authorization } : {},
      body: new Uint8Array(PDF('put')),
    });
    expect(res.status).toBe(403);
  }
  // on the dev clock: still open a minute before the half hour, refused a minute after
  expect(EXPORT_LINK_SECONDS).toBe(1800);
  const fresh = (await GENERATED[KINDS[0]!]!()).tempFileURL;
  const now = cloud.clock.now();
  try {
    await cloud.setClock(now + (EXPORT_LINK_SECONDS - 60) * 1000, { fireTimers: false });
    expect((await fetch(fresh)).status).toBe(200);
    await cloud.setClock(now + (EXPORT_LINK_SECONDS + 60) * 1000, { fireTimers: false });
    expect((await fetch(fresh)).status).toBe(403);
  } finally {
    await cloud.setClock(now, { fireTimers: false });
  }
});

describe('client uploads', () => {
  const OWNER = DEMO_USERS.owner;
  const photo = `complaints/${OWNER}/t${Date.now().toString(36)}.png`;

  test('an owner uploads a complaint photo to its folder and reads it back; others cannot', async () => {
    const up = await clientUpload(photo, PNG, OWNER);
    expect(up.status).toBe(200);
    const { fileID } = (await up.json()) as { fileID: string };
    expect(pathOfId(fileID)).toBe(photo);
    const mine = await clientGet(fileID, OWNER);
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer()).equals(PNG)).toBe(true);
    for (const who of [undefined, DEMO_USERS.paid, DEMO_USERS.service]) {
      expect((await clientGet(fileID, who)).status).toBe(403);
      expect((await clientUpload(photo, Buffer.from('x'), who)).status).toBe(403);
    }
    // the owner may replace its own photo
    expect((await clientUpload(photo, PNG, OWNER)).status).toBe(200);
  });

  test('anonymous uploads, other folders, generated folders and other types are refused', async () => {
    for (const [p, who] of [
      [`complaints/${OWNER}/anon.png`, undefined],
      [`exports/${C}/notice-forged.pdf`, OWNER],
      [`exports/${C}/letter-x.pdf`, DEMO_USERS.admin],
      ['tickets/e2e/leak.png', OWNER],
      [`complaints/${OWNER}/script.html`, OWNER],
      [`imports/${C}/1767225600000.xlsx.exe`, DEMO_USERS.admin],
    ] as const) {
      const res = await clientUpload(p, PDF('x'), who);
      expect({ p, status: res.status }).toEqual({ p, status: 403 });
    }
  });

  test('a staff spreadsheet goes to imports/ for its uploader only; over the size limit is refused', async () => {
    const sheet = `imports/${C}/${Date.now()}.csv`;
    expect((await clientUpload(sheet, Buffer.from('a,b\n1,2\n'), DEMO_USERS.admin)).status).toBe(
      200,
    );
    expect((await clientUpload(sheet, Buffer.from('forged'), DEMO_USERS.finance)).status).toBe(403);
    const limit = UPLOAD_FOLDERS.find((f) => f.folder === 'complaints')!.maxBytes;
    const big = await clientUpload(`complaints/${OWNER}/big.jpg`, Buffer.alloc(limit + 1), OWNER);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errCode: number }).errCode).toBe(-403001);
  });

  test('getTempFileURL gives a link for one’s own upload and an error status for another’s', async () => {
    const mine = idOfPath(photo);
    const fileList = await clientTempUrls(cloud, [mine, fileOf(KINDS[0]!)], OWNER);
    expect(fileList[0]).toMatchObject({ fileID: mine, status: 0 });
    expect((await fetch(fileList[0]!.tempFileURL)).status).toBe(200);
    expect(fileList[1]).toMatchObject({ tempFileURL: '', status: -503002 });
  });
});
