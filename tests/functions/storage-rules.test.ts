/**
 * Files on the local cloud under storage.rules.json, as a client reaches them (the preview's
 * gateway, identified by the openid it sends) and as functions do (the real wx-server-sdk):
 *
 * - a generated 催缴函 PDF cannot be read or overwritten by an anonymous client, another owner, or
 *   even the staff member who had it made; the temporary link the function returned works, and
 *   nothing else under /files/ answers without a valid, unexpired signature;
 * - clients upload only to their own files in an upload folder, with the folder's types and size;
 * - wx.cloud.getTempFileURL hands out links only for files the caller may read.
 */
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { UPLOAD_FOLDERS } from '../../tools/security-rules';
import { useTestCloud } from '../helpers/cloud';

let letter: PrintedFile;
const C = DEMO_COMMUNITY_ID;
const PDF = (text: string) => Buffer.from(`%PDF-1.4 forged ${text}`);

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
beforeAll(async () => {
  const row = cloud.store.find('collection_letters', { communityId: C })[0] as unknown as {
    roomId: string;
  };
  const r = (await cloud.call(
    'overdue',
    { action: 'letterPdf', communityId: C, roomId: row.roomId },
    DEMO_USERS.service,
  )) as Reply<PrintedFile>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  letter = r.data;
});

const pathOf = (fileID: string) => fileID.replace(/^cloud:\/\/[^/]+\//, '');

function clientGet(fileID: string, openid?: string) {
  const q = new URLSearchParams({ fileID, ...(openid ? { openid } : {}) });
  return fetch(`${cloud.url}/gateway/file?${q}`);
}

function clientUpload(cloudPath: string, bytes: Buffer, openid?: string) {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  if (openid) form.append('openid', openid);
  form.append('file', new Blob([new Uint8Array(bytes)]), cloudPath.split('/').pop());
  return fetch(`${cloud.url}/gateway/upload`, { method: 'POST', body: form });
}

async function bytesOfLetter(): Promise<Buffer> {
  const res = await fetch(letter.tempFileURL);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

test('the function’s temporary link opens the generated letter', async () => {
  expect(pathOf(letter.fileID)).toMatch(/^exports\//);
  const bytes = await bytesOfLetter();
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.length).toBe(letter.bytes);
});

test('no client reads the generated letter by file id: anonymous, another owner, or its staff', async () => {
  for (const who of [
    undefined,
    DEMO_USERS.owner,
    DEMO_USERS.paid,
    DEMO_USERS.service,
    DEMO_USERS.admin,
  ]) {
    const res = await clientGet(letter.fileID, who);
    expect({ who, status: res.status }).toEqual({ who, status: 403 });
    const body = (await res.json()) as { errCode: number };
    expect(body.errCode).toBe(-503002);
  }
  const temp = await fetch(`${cloud.url}/gateway/tempurl`, {
    method: 'POST',
    body: JSON.stringify({ openid: DEMO_USERS.owner, fileList: [letter.fileID] }),
  });
  const list = ((await temp.json()) as { fileList: { tempFileURL: string; status: number }[] })
    .fileList;
  expect(list).toEqual([expect.objectContaining({ tempFileURL: '', status: -503002 })]);
});

test('no client overwrites the generated letter; the file is unchanged afterwards', async () => {
  const before = await bytesOfLetter();
  for (const who of [undefined, DEMO_USERS.owner, DEMO_USERS.service, DEMO_USERS.admin]) {
    const res = await clientUpload(pathOf(letter.fileID), PDF('overwrite'), who);
    expect({ who, status: res.status }).toEqual({ who, status: 403 });
  }
  expect((await bytesOfLetter()).equals(before)).toBe(true);
});

test('nothing under /files/ answers without a valid, unexpired signature', async () => {
  const url = new URL(letter.tempFileURL);
  const bare = `${cloud.url}${url.pathname}`;
  expect((await fetch(bare)).status).toBe(403);
  const forged = new URL(letter.tempFileURL);
  forged.searchParams.set('sign', 'f'.repeat(64));
  expect((await fetch(forged)).status).toBe(403);
  // a link signed for one file does not open another
  const other = new URL(letter.tempFileURL);
  other.pathname = other.pathname.replace(/[^/]+$/, 'other.pdf');
  expect((await fetch(other)).status).toBe(403);
  // an anonymous PUT to the server-side upload URL is refused, with or without a made-up signature
  for (const authorization of [undefined, `local ${Date.now() + 60_000}:${'0'.repeat(64)}`]) {
    const put = await fetch(`${cloud.url}/files/put/${pathOf(letter.fileID)}`, {
      method: 'PUT',
      headers: authorization ? { authorization } : {},
      body: new Uint8Array(PDF('put')),
    });
    expect(put.status).toBe(403);
  }
  // links expire: a day later on the dev clock the same link is refused
  const now = cloud.clock.now();
  try {
    await cloud.setClock(now + 86_400_000 + 60_000, { fireTimers: false });
    expect((await fetch(letter.tempFileURL)).status).toBe(403);
  } finally {
    await cloud.setClock(now, { fireTimers: false });
  }
  expect((await fetch(letter.tempFileURL)).status).toBe(200);
});

describe('client uploads', () => {
  const OWNER = DEMO_USERS.owner;
  const photo = `complaints/${OWNER}/t${Date.now().toString(36)}.png`;
  const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

  test('an owner uploads a complaint photo to its folder and reads it back; others cannot', async () => {
    const up = await clientUpload(photo, PNG, OWNER);
    expect(up.status).toBe(200);
    const { fileID } = (await up.json()) as { fileID: string };
    expect(pathOf(fileID)).toBe(photo);
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
    const mine = `cloud://local-dev.local-bucket/${photo}`;
    const res = await fetch(`${cloud.url}/gateway/tempurl`, {
      method: 'POST',
      body: JSON.stringify({ openid: OWNER, fileList: [mine, letter.fileID] }),
    });
    const { fileList } = (await res.json()) as {
      fileList: { fileID: string; tempFileURL: string; status: number }[];
    };
    expect(fileList[0]).toMatchObject({ fileID: mine, status: 0 });
    expect((await fetch(fileList[0]!.tempFileURL)).status).toBe(200);
    expect(fileList[1]).toMatchObject({ tempFileURL: '', status: -503002 });
  });
});
