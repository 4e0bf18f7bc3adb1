/**
 * The shipped rule files, without a cloud: complete (every declared collection has a rule), valid
 * for CloudBase (parse, ≤ 1024 characters), storage.rules.json generated from UPLOAD_FOLDERS, every
 * folder the pages upload to covered, and the storage rule itself: a client reads and writes only
 * its own files in an upload folder, never anything a function generated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { checkDatabaseRules, StorageRuleSet } from '../../tools/cloud/rules';
import {
  checkRuleFiles,
  readDatabaseRules,
  readStorageRules,
  storageRules,
  UPLOAD_FOLDERS,
  uploadFolderOf,
} from '../../tools/security-rules';

const ROOT = path.resolve(__dirname, '..', '..');

test('the repository rule files pass every check deploy runs', () => {
  expect(checkRuleFiles().problems).toEqual([]);
  expect(readStorageRules()).toEqual(storageRules());
});

test('a declared collection without a rule is a problem (deploy refuses, the cloud would default to creator-writable)', () => {
  const rules = readDatabaseRules();
  const names = COLLECTIONS.map((c) => c.name);
  delete rules.staff_roles;
  expect(checkDatabaseRules(rules, names)).toEqual([
    expect.stringContaining('collection "staff_roles" has no rule'),
  ]);
  expect(
    checkDatabaseRules({ ...readDatabaseRules(), ghosts: { read: false, write: false } }, names),
  ).toEqual([expect.stringContaining('"ghosts" is not a declared collection')]);
  expect(
    checkDatabaseRules(
      { ...readDatabaseRules(), rooms: { read: 'doc.x = 1', write: false } },
      names,
    ),
  ).toEqual([expect.stringContaining('rooms.read:')]);
  expect(checkDatabaseRules({ ...readDatabaseRules(), rooms: { read: false } }, names)).toEqual([
    expect.stringContaining('"write" is missing'),
  ]);
});

/** Every `cloudPath: \`<folder>/…\`` the mini-program's pages upload to. */
function uploadCallSites(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'miniprogram_npm' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.ts')) {
        for (const m of fs
          .readFileSync(abs, 'utf8')
          .matchAll(/cloudPath(?::|\s*=)\s*`([^/`$]+)\//g)) {
          out.set(m[1]!, [...(out.get(m[1]!) ?? []), path.relative(ROOT, abs)]);
        }
      }
    }
  };
  walk(path.join(ROOT, 'miniprogram'));
  return out;
}

test('every folder a page uploads to has an upload rule, and every upload rule has a page', () => {
  const sites = uploadCallSites();
  expect(sites.size).toBeGreaterThanOrEqual(6);
  expect([...sites.keys()].sort()).toEqual(UPLOAD_FOLDERS.map((f) => f.folder).sort());
});

describe('storage.rules.json', () => {
  const rules = new StorageRuleSet(readStorageRules());
  const as = (openid: string | null) => (openid ? { openid } : null);
  const can = (op: 'read' | 'write', who: string | null, owner: string, p: string) =>
    rules.allows(op, { auth: as(who), resource: { openid: owner, path: p } });

  test.each(UPLOAD_FOLDERS.map((f) => [f.folder, f] as const))(
    '%s/: the uploader writes and reads back its own file; others and anonymous callers cannot',
    (_name, f) => {
      expect(uploadFolderOf(f.example)).toBe(f);
      expect(can('write', 'o_up', 'o_up', f.example)).toBe(true);
      expect(can('read', 'o_up', 'o_up', f.example)).toBe(true);
      expect(can('write', 'o_other', 'o_up', f.example)).toBe(false);
      expect(can('read', 'o_other', 'o_up', f.example)).toBe(false);
      expect(can('write', null, '', f.example)).toBe(false);
      expect(can('read', null, '', f.example)).toBe(false);
      // a file a function put there (no client owner) is not a client's to touch
      expect(can('write', 'o_up', '', f.example)).toBe(false);
      // only the folder's types
      const other = f.example.replace(/\.[a-z]+$/, '.exe');
      expect(can('write', 'o_up', 'o_up', other)).toBe(false);
      expect(can('write', 'o_up', 'o_up', f.example.replace(/\.[a-z]+$/, '.html'))).toBe(false);
    },
  );

  test('generated files (exports/…, backups/…) are neither readable nor writable by any client, owner or not', () => {
    for (const p of [
      'exports/c_cuihu/letter-CJ2026-0001-2-1-502-2026-12-01.pdf',
      'exports/c_cuihu/notice-n1.pdf',
      'exports/c_cuihu/7f3c9a0e4b2d4c1fa2b6e8d0c4a1f9e3/receipts.pdf',
      'exports/c_cuihu/reports/20261201T010203-ABC123-collection.xlsx',
      'backups/2026-11-27/bills.ndjson.gz',
      'backups/2026-11-27/staff_roles.ndjson.gz',
      'backups/2026-11-27/manifest.json',
    ]) {
      for (const who of [null, 'o_demo_owner', 'o_demo_admin']) {
        for (const owner of ['', who ?? '']) {
          expect(can('read', who, owner, p)).toBe(false);
          expect(can('write', who, owner, p)).toBe(false);
        }
      }
    }
  });

  test('paths outside the upload folders, or that try to climb out of one, are refused', () => {
    for (const p of [
      'tickets/e2e/leak.png',
      'complaints/o_a/../exports/x.png',
      'complaints/o_a/sub/x.png',
      'complaints/o_a/x.png.pdf',
      'imports/c_cuihu/roster.xlsx.exe',
      'recon/c_cuihu/statement.csv',
    ]) {
      expect(can('write', 'o_a', 'o_a', p)).toBe(false);
    }
  });
});
