/**
 * Daily backups through the local cloud (docs/backup.md): the demo community, the backup timer
 * fired on the dev clock, every collection exported as gzip NDJSON with a manifest, within the
 * server's read limits; `npm run backup -- restore` into a fresh local cloud gives the same
 * documents and a clean `npm run ledger:check`; a damaged file or a non-empty target is refused
 * with nothing loaded; old backups are deleted after the kept days; clients read none of it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { BackupList } from '../../miniprogram/domain/backup/contract';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud, tempDir } from '../helpers/cloud';

const ROOT = path.resolve(__dirname, '..', '..');
const C = DEMO_COMMUNITY_ID;
const DAY = '2026-11-27';
const BACKED_UP = COLLECTIONS.map((c) => c.name).filter((n) => n !== 'backups');

let source: LocalCloud;
const others: LocalCloud[] = [];

beforeAll(async () => {
  source = await startTestCloud({ seed: 'demo' });
});
afterAll(async () => {
  await Promise.all([source, ...others].map((c) => c.close()));
});

/** A fresh local cloud as `SEED=empty npm start` leaves it (collections, the first-admin code). */
async function emptyCloud(): Promise<LocalCloud> {
  const c = await startTestCloud({ seed: 'empty' });
  others.push(c);
  return c;
}

/** Runs a tools/ command as a person would; resolves with its exit code and output. */
function tool(script: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'tools', script), ...args],
      { cwd: ROOT, env: { ...process.env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

/** The documents of a collection, in _id order. */
function docsOf(cloud: LocalCloud, name: string): Record<string, unknown>[] {
  return cloud.store.find(name, {}, { sort: { _id: 1 } });
}

/** Every document in every declared collection but `backups`. */
function dataCount(cloud: LocalCloud): number {
  return BACKED_UP.reduce((n, name) => n + cloud.store.find(name, {}).length, 0);
}

async function fireBackupAt(at: string): Promise<unknown> {
  await source.setClock(Date.parse(at), { fireTimers: false });
  return source.fireTimer('backup');
}

test('the 02:00 timer writes every collection as gzip NDJSON with counts and checksums, within the read limits', async () => {
  const timers = (await (await fetch(`${source.url}/dev/timers`)).json()) as {
    fn: string;
    nextAt: string;
  }[];
  expect(JSON.stringify(timers)).toContain('backup');
  await fetch(`${source.url}/dev/stats/reset`, { method: 'POST' });
  const report = (await fireBackupAt(`${DAY}T02:00:00+08:00`)) as {
    date: string;
    done: boolean;
  };
  expect(report).toMatchObject({ date: DAY, done: true });

  const doc = source.store.find('backups', { _id: `bk_${DAY}` })[0] as unknown as {
    status: string;
    files: Record<string, { documents: number; sha256: string; path: string; bytes: number }>;
    manifestFileID: string;
  };
  expect(doc.status).toBe('done');
  expect(Object.keys(doc.files).sort()).toEqual([...BACKED_UP].sort());
  for (const name of BACKED_UP) {
    const f = doc.files[name]!;
    expect(f.documents).toBe(source.store.find(name, {}).length);
    expect(f.path).toBe(`backups/${DAY}/${name}.ndjson.gz`);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(source.files.exists(f.path)).toBe(true);
  }
  expect(source.files.exists(`backups/${DAY}/manifest.json`)).toBe(true);

  // Reads: one request per 1000 documents of each collection (at least one), one write per
  // collection recording its file, and a handful for the day's record and retention.
  const stats = (await (await fetch(`${source.url}/dev/stats`)).json()) as {
    db: { byFunction: Record<string, number> };
  };
  const pages = BACKED_UP.reduce(
    (n, name) => n + Math.floor(source.store.find(name, {}).length / 1000) + 1,
    0,
  );
  const used = stats.db.byFunction.backup!;
  expect(used).toBeGreaterThanOrEqual(pages + BACKED_UP.length);
  expect(used).toBeLessThanOrEqual(pages + BACKED_UP.length + 10);
  console.log(
    `backup of the demo: ${dataCount(source)} documents in ${BACKED_UP.length} collections, ${used} database requests (${pages} page reads)`,
  );

  // A later firing the same night costs one read and writes nothing.
  await fetch(`${source.url}/dev/stats/reset`, { method: 'POST' });
  expect(await fireBackupAt(`${DAY}T02:20:00+08:00`)).toMatchObject({ done: true, written: [] });
  const again = (await (await fetch(`${source.url}/dev/stats`)).json()) as {
    db: { byFunction: Record<string, number> };
  };
  expect(again.db.byFunction.backup).toBe(1);
});

test('restore into a fresh local cloud: the same documents, and the ledger check passes', async () => {
  const target = await emptyCloud();
  const r = await tool('backup.ts', ['restore', DAY, '--from', source.url, '--url', target.url]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/checksums verified/);
  expect(r.out).toMatch(/✓ restored \d+ documents/);
  for (const name of BACKED_UP)
    expect([name, docsOf(target, name)]).toEqual([name, docsOf(source, name)]);
  // Dates come back as dates, not text.
  expect(docsOf(target, 'payments')[0]!.paidAt).toBeInstanceOf(Date);

  const check = await tool('ledger-check.ts', ['--url', target.url]);
  expect(check.code).toBe(0);
  expect(check.out).toMatch(/✓ all invariants hold/);
  expect(check.out).toMatch(/[1-9]\d* bills, [1-9]\d* payments/);
});

test('a damaged file is refused with a clear error and nothing is loaded', async () => {
  const dir = tempDir('backup-dl');
  const dl = await tool('backup.ts', ['download', DAY, '--out', dir, '--url', source.url]);
  expect(dl.code).toBe(0);
  expect(fs.readdirSync(dir).sort()).toEqual(
    ['manifest.json', ...BACKED_UP.map((n) => `${n}.ndjson.gz`)].sort(),
  );
  const bills = path.join(dir, 'bills.ndjson.gz');
  const bytes = fs.readFileSync(bills);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  fs.writeFileSync(bills, bytes);

  const target = await emptyCloud();
  const before = dataCount(target);
  const r = await tool('backup.ts', ['restore', dir, '--url', target.url]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/bills: checksum mismatch/);
  expect(dataCount(target)).toBe(before);
  expect(target.store.find('app_config', {}).map((d) => d._id)).toEqual(['bootstrap']);
});

test('a cloud that holds data is never restored into', async () => {
  const r = await tool('backup.ts', ['restore', DAY, '--from', source.url, '--url', source.url]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/the target is not empty: .*bills \(\d+\)/);
  expect(r.err).toMatch(/nothing was loaded/);
});

test('backups are kept the days the settings say, then deleted with their files', async () => {
  const set = (await source.call(
    'settings',
    { action: 'update', communityId: C, backupKeepDays: 2 },
    DEMO_USERS.admin,
  )) as Reply<{ backupKeepDays: number }>;
  expect(set).toMatchObject({ ok: true, data: { backupKeepDays: 2 } });
  await fireBackupAt('2026-11-28T02:00:00+08:00');
  expect(source.store.find('backups', {}).map((d) => d.date)).toEqual([DAY, '2026-11-28']);
  const report = (await fireBackupAt('2026-11-29T02:00:00+08:00')) as { deleted: string[] };
  expect(report.deleted).toEqual([DAY]);
  expect(
    source.store
      .find('backups', {})
      .map((d) => d.date)
      .sort(),
  ).toEqual(['2026-11-28', '2026-11-29']);
  expect(source.files.exists(`backups/${DAY}/bills.ndjson.gz`)).toBe(false);
  expect(source.files.exists(`backups/${DAY}/manifest.json`)).toBe(false);
  expect(source.files.exists('backups/2026-11-28/bills.ndjson.gz')).toBe(true);
});

test('admins see the list; nobody else, and no client reads a backup', async () => {
  const list = (await source.call(
    'backup',
    { action: 'list', communityId: C },
    DEMO_USERS.admin,
  )) as Reply<BackupList>;
  if (!list.ok) throw new Error(list.message);
  expect(list.data.keepDays).toBe(2);
  expect(list.data.collectionsExpected).toBe(BACKED_UP.length);
  expect(list.data.backups.map((b) => [b.date, b.status, b.keptUntil])).toEqual([
    ['2026-11-29', 'done', '2026-11-30'],
    ['2026-11-28', 'done', '2026-11-29'],
  ]);
  expect(list.data.backups[0]!.files.find((f) => f.collection === 'bills')).toMatchObject({
    documents: source.store.find('bills', {}).length,
  });
  for (const who of [DEMO_USERS.finance, DEMO_USERS.owner]) {
    expect(await source.call('backup', { action: 'list', communityId: C }, who)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  }
  // A client asks for the file by id, for a link, or for the record: refused every time.
  const fileID = (
    source.store.find('backups', {})[0] as unknown as { files: { bills: { fileID: string } } }
  ).files.bills.fileID;
  for (const openid of [DEMO_USERS.admin, DEMO_USERS.owner]) {
    const file = await fetch(
      `${source.url}/gateway/file?${new URLSearchParams({ fileID, openid })}`,
    );
    expect(file.status).not.toBe(200);
    const link = (await (
      await fetch(`${source.url}/gateway/tempurl`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid, fileList: [fileID] }),
      })
    ).json()) as { fileList: { tempFileURL?: string }[] };
    expect(link.fileList[0]!.tempFileURL ?? '').toBe('');
    const db = (await (
      await fetch(`${source.url}/gateway/db`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid, collection: 'backups', action: 'get', where: {} }),
      })
    ).json()) as { code?: string | number; data?: unknown[] };
    expect(db.data ?? []).toEqual([]);
  }
});

test('two deliveries at once: one writes, the other stands aside', async () => {
  await source.setClock(Date.parse('2026-11-30T02:00:00+08:00'), { fireTimers: false });
  const [a, b] = (await Promise.all([source.fireTimer('backup'), source.fireTimer('backup')])) as {
    busy: boolean;
    done: boolean;
  }[];
  expect([a!.busy, b!.busy].sort()).toEqual([false, true]);
  expect([a, b].some((x) => x!.done)).toBe(true);
});
