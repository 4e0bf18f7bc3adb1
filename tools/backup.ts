/**
 * `npm run backup -- <command>`: the daily backups the `backup` function writes to cloud storage
 * (docs/backup.md), from the shell.
 *
 *   list                                   the backups an environment keeps
 *   download <date> [--out <dir>]          copy one out of cloud storage into <dir> (default
 *                                          backups/<date>/), checking every file's sha256
 *   restore <dir>                          load a downloaded backup into an EMPTY environment
 *   restore <date> --from <url>            the same, straight from the local cloud at <url>
 *
 * Each works on the running local cloud, `--url <base>` for another one, or `--env` for a real
 * CloudBase environment (the SDK's own variables; see tools/sdk-target.ts). A restore checks
 * everything before it writes anything: the manifest, every file's checksum and document count,
 * and that the target holds no data (the first-admin code of a fresh environment aside, which the
 * backup's own settings replace); one damaged file and nothing is loaded. Afterwards it counts
 * every collection again; run `npm run ledger:check` (same target flags) on the result.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';
import { readBackupFile, sha256 } from '../cloudfunctions/_shared/backup-format';
import {
  BACKUP_COLLECTION,
  backupDocId,
  type BackupManifest,
} from '../miniprogram/domain/backup/rules';
import { connectSdk, flagValue, targetName, type WxCloud } from './sdk-target';

const ROOT = path.resolve(__dirname, '..');
/** Documents a write request at most, and its size at most (JSON characters). */
const WRITE_DOCS = 500;
const WRITE_CHARS = 512 * 1024;

type Db = ReturnType<WxCloud['database']>;

interface StoredFile {
  collection: string;
  documents: number;
  bytes: number;
  sha256: string;
  path: string;
  fileID: string;
}

interface BackupDoc {
  date: string;
  status: string;
  files: Record<string, StoredFile>;
  manifestFileID: string | null;
}

function fail(message: string): never {
  throw new Error(message);
}

async function list(cloud: WxCloud): Promise<void> {
  const res = await cloud
    .database()
    .collection(BACKUP_COLLECTION)
    .where({})
    .orderBy('date', 'desc')
    .limit(100)
    .get();
  const docs = res.data as BackupDoc[];
  if (docs.length === 0) console.log('no backups yet (the backup timer runs daily at 02:00)');
  for (const d of docs) {
    const files = Object.values(d.files ?? {});
    const documents = files.reduce((s, f) => s + f.documents, 0);
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    console.log(
      `${d.date}  ${d.status === 'done' ? 'complete ' : 'running  '} ${files.length} collections, ${documents} documents, ${(bytes / 1024).toFixed(1)} KB`,
    );
  }
}

/** Copies a finished backup out of cloud storage, verifying each file as it arrives. */
async function download(cloud: WxCloud, date: string, out: string): Promise<void> {
  const res = await cloud
    .database()
    .collection(BACKUP_COLLECTION)
    .where({ _id: backupDocId(date) })
    .limit(1)
    .get();
  const doc = res.data[0] as BackupDoc | undefined;
  if (!doc) fail(`no backup of ${date} in ${targetName(process.argv)} (npm run backup -- list)`);
  if (doc.status !== 'done' || !doc.manifestFileID) {
    fail(
      `the backup of ${date} is not complete yet (${Object.keys(doc.files).length} collections written)`,
    );
  }
  fs.mkdirSync(out, { recursive: true });
  const manifestBytes = (await cloud.downloadFile({ fileID: doc.manifestFileID })).fileContent;
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as BackupManifest;
  for (const f of manifest.files) {
    const stored = doc.files[f.collection];
    if (!stored)
      fail(`${f.collection}: in the manifest but not recorded in the backups collection`);
    const bytes = (await cloud.downloadFile({ fileID: stored.fileID })).fileContent;
    if (sha256(bytes) !== f.sha256)
      fail(`${f.collection}: downloaded file does not match its sha256`);
    fs.writeFileSync(path.join(out, path.basename(f.path)), bytes);
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), manifestBytes);
  const documents = manifest.files.reduce((s, f) => s + f.documents, 0);
  console.log(
    `downloaded the backup of ${date}: ${manifest.files.length} files, ${documents} documents, checksums verified → ${out}`,
  );
}

/** Every file of a downloaded backup, checked against the manifest (throws on the first problem). */
function readBackup(dir: string): { manifest: BackupManifest; docs: Map<string, unknown[]> } {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) fail(`${dir} holds no manifest.json: not a downloaded backup`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== 'ndjson-gzip-v1')
    fail(`unknown backup format ${String(manifest.format)}`);
  const declared = new Set(COLLECTIONS.map((c) => c.name));
  const unknown = manifest.files.filter((f) => !declared.has(f.collection));
  if (unknown.length) {
    fail(
      `the backup holds collections this version does not declare (${unknown.map((f) => f.collection).join(', ')}): restore with the version that wrote it`,
    );
  }
  const docs = new Map<string, unknown[]>();
  for (const f of manifest.files) {
    const file = path.join(dir, path.basename(f.path));
    if (!fs.existsSync(file))
      fail(`${f.collection}: ${path.basename(f.path)} is missing from ${dir}`);
    docs.set(f.collection, readBackupFile(fs.readFileSync(file), f));
  }
  return { manifest, docs };
}

async function count(db: Db, name: string): Promise<number> {
  try {
    return (await db.collection(name).count()).total;
  } catch (e) {
    const text = String((e as { errMsg?: string }).errMsg ?? (e as Error).message ?? e);
    if (/-502005|not exist/i.test(text)) {
      fail(
        `collection ${name} does not exist in the target: create the collections and indexes first (npm run deploy -- --database)`,
      );
    }
    throw e;
  }
}

/**
 * The target must hold no data. A fresh environment may hold the one-time first-admin code
 * (app_config/bootstrap): returned, to be removed, as the backup brings its own staff and settings.
 */
async function checkEmpty(db: Db): Promise<{ bootstrapToRemove: boolean }> {
  const full: string[] = [];
  let bootstrapToRemove = false;
  for (const { name } of COLLECTIONS) {
    const n = await count(db, name);
    if (n === 0) continue;
    if (name === 'app_config' && n === 1) {
      const only = await db.collection(name).where({ _id: 'bootstrap' }).count();
      if (only.total === 1) {
        bootstrapToRemove = true;
        continue;
      }
    }
    full.push(`${name} (${n})`);
  }
  if (full.length) {
    fail(
      `the target is not empty: ${full.join(', ')}. A backup is restored only into an empty environment (a fresh local cloud: SEED=empty npm start with a new CLOUD_DATA_DIR); nothing was loaded`,
    );
  }
  return { bootstrapToRemove };
}

/** Writes a collection's documents in requests of at most WRITE_DOCS documents / WRITE_CHARS. */
async function load(db: Db, name: string, docs: unknown[]): Promise<void> {
  let batch: unknown[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.collection(name).add({ data: batch as never });
    batch = [];
    chars = 0;
  };
  for (const d of docs) {
    const size = JSON.stringify(d).length;
    if (batch.length >= WRITE_DOCS || (batch.length > 0 && chars + size > WRITE_CHARS)) {
      await flush();
    }
    batch.push(d);
    chars += size;
  }
  await flush();
}

async function restore(cloud: WxCloud, dir: string): Promise<void> {
  const { manifest, docs } = readBackup(dir);
  const db = cloud.database();
  const { bootstrapToRemove } = await checkEmpty(db);
  console.log(
    `restoring the backup of ${manifest.date} (taken ${manifest.finishedAt} from ${manifest.envId || 'an environment'}) into ${targetName(process.argv)}: every checksum verified, the target is empty`,
  );
  if (bootstrapToRemove) await db.collection('app_config').doc('bootstrap').remove();
  const wrong: string[] = [];
  for (const f of manifest.files) {
    await load(db, f.collection, docs.get(f.collection)!);
    const n = await count(db, f.collection);
    if (n !== f.documents) wrong.push(`${f.collection}: ${n} of ${f.documents}`);
    console.log(`  ${f.collection.padEnd(20)} ${String(f.documents).padStart(6)} documents`);
  }
  if (wrong.length) fail(`the restored counts differ from the manifest: ${wrong.join('; ')}`);
  const total = manifest.files.reduce((s, f) => s + f.documents, 0);
  console.log(
    `✓ restored ${total} documents in ${manifest.files.length} collections; now run npm run ledger:check with the same target flags`,
  );
}

/** `restore <date> --from <url>`: downloads in a process pointed at the source, then restores. */
function downloadFrom(source: string, date: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `backup-${date}-`));
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__filename), 'download', date, '--out', dir, '--url', source],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return dir;
}

const USAGE = `usage: npm run backup -- <list|download|restore> … [--url <local cloud> | --env]
  list
  download <YYYY-MM-DD> [--out <dir>]
  restore <dir>
  restore <YYYY-MM-DD> --from <local cloud url>`;

/** The words of the command line, without the flags and their values. */
function positional(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) out.push(a);
    else if (a !== '--env' && !a.includes('=')) i++;
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [cmd, what] = positional(args);
  const isDate = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);
  switch (cmd) {
    case 'list':
      return list(await connectSdk(args));
    case 'download': {
      if (!isDate(what)) fail(`download needs a date (YYYY-MM-DD)\n${USAGE}`);
      const out = path.resolve(flagValue(args, 'out') ?? path.join(ROOT, 'backups', what));
      return download(await connectSdk(args), what, out);
    }
    case 'restore': {
      if (!what) fail(`restore needs a folder or a date\n${USAGE}`);
      const from = flagValue(args, 'from');
      if (isDate(what) && !from)
        fail(
          `restore ${what} needs --from <the local cloud that took it>, or restore a downloaded folder`,
        );
      const dir = isDate(what) ? downloadFrom(from!, what) : path.resolve(what);
      return restore(await connectSdk(args), dir);
    }
    default:
      console.error(USAGE);
      process.exit(2);
  }
}

main().catch((e: unknown) => {
  console.error(`backup: ${(e as Error).message}`);
  process.exit(1);
});
