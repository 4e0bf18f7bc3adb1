/**
 * The security rules the project ships, from one declaration each:
 *
 * - `database.rules.json` from the declared collections: every collection closed to clients
 *   (`read`/`write` false; cloud functions are not subject to rules) except those published to
 *   owners, readable when published and never writable. Rules already in the file are kept, so a
 *   hand-tuned rule survives; a newly declared collection gets the closed rule.
 * - `storage.rules.json` from UPLOAD_FOLDERS: deny by default; a signed-in client may write a new
 *   file (or overwrite its own) only in an upload folder, with an allowed extension, and read back
 *   only what it uploaded. Everything else (the functions' generated files under `exports/`) is
 *   neither readable nor writable from a client: functions hand those out as temporary links.
 *
 * Run after declaring a collection or changing a folder: `npx tsx tools/security-rules.ts`
 * (unit tests and `npm run deploy -- --dry-run` fail until the files match). See docs/security.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';
import { UPLOAD_FOLDERS } from '../cloudfunctions/_shared/upload-folders';
import {
  checkDatabaseRules,
  checkStorageRules,
  DATABASE_RULES_FILE,
  STORAGE_RULES_FILE,
  type DatabaseRule,
  type StorageRule,
} from './cloud/rules';

export type Rule = { read: boolean | string; write: boolean | string };

/** Collections the mini-program may read directly: published notices and disclosures. */
export const PUBLIC_READ: Record<string, Rule> = {
  notices: { read: "doc.status == 'published'", write: false },
  disclosures: { read: "doc.status == 'published'", write: false },
};

export const RULES_FILE = DATABASE_RULES_FILE;
export { STORAGE_RULES_FILE };

export function securityRules(existing: Record<string, Rule> = {}): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const name of [...COLLECTIONS.map((c) => c.name), ...Object.keys(PUBLIC_READ)]) {
    out[name] = PUBLIC_READ[name] ?? existing[name] ?? { read: false, write: false };
  }
  return out;
}

// The upload folders are declared beside the functions, which check every file id they accept
// against them (cloudfunctions/_shared/upload-folders.ts); the storage rule is made from them here.
export {
  GENERATED_FOLDERS,
  UPLOAD_FOLDERS,
  uploadFolderOf,
  type UploadFolder,
} from '../cloudfunctions/_shared/upload-folders';

/** A regex literal as CloudBase's rule language writes it: `/` escaped inside. */
function regexLiteral(pattern: string): string {
  return `/${pattern.replace(/\//g, '\\/')}/`;
}

export function storageRules(): StorageRule {
  const folders = UPLOAD_FOLDERS.map(
    (f) => `${regexLiteral(f.pattern)}.test(resource.path) == true`,
  );
  const inUploadFolder = `(${folders.join(' || ')})`;
  const own = `auth != null && resource.openid == auth.openid && ${inUploadFolder}`;
  return { read: own, write: own };
}

/** Problems with the rule files in the repository (the same checks `deploy` runs). */
export function checkRuleFiles(files: { database?: string; storage?: string } = {}): {
  what: string;
  problems: string[];
} {
  const dbFile = files.database ?? DATABASE_RULES_FILE;
  const stFile = files.storage ?? STORAGE_RULES_FILE;
  const problems: string[] = [];
  const read = (file: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      problems.push(`${path.basename(file)}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const db = read(dbFile);
  if (db !== undefined) {
    problems.push(
      ...checkDatabaseRules(
        db,
        COLLECTIONS.map((c) => c.name),
      ),
    );
  }
  const st = read(stFile);
  if (st !== undefined) {
    problems.push(...checkStorageRules(st));
    if (JSON.stringify(st) !== JSON.stringify(storageRules())) {
      problems.push(
        'storage.rules.json differs from UPLOAD_FOLDERS in tools/security-rules.ts (run `npx tsx tools/security-rules.ts`)',
      );
    }
  }
  return { what: 'security rules (database.rules.json, storage.rules.json)', problems };
}

export function readDatabaseRules(file = DATABASE_RULES_FILE): Record<string, DatabaseRule> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, DatabaseRule>;
}

export function readStorageRules(file = STORAGE_RULES_FILE): StorageRule {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StorageRule;
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const existing = fs.existsSync(RULES_FILE)
    ? (JSON.parse(fs.readFileSync(RULES_FILE, 'utf8')) as Record<string, Rule>)
    : {};
  const rules = securityRules(existing);
  fs.writeFileSync(RULES_FILE, `${JSON.stringify(rules, null, 2)}\n`);
  const added = Object.keys(rules).filter((k) => !(k in existing));
  console.log(
    `database.rules.json: ${Object.keys(rules).length} collections${added.length ? `; added ${added.join(', ')}` : ''}`,
  );
  fs.writeFileSync(STORAGE_RULES_FILE, `${JSON.stringify(storageRules(), null, 2)}\n`);
  console.log(
    `storage.rules.json: ${UPLOAD_FOLDERS.length} upload folders, everything else closed`,
  );
  const { problems } = checkRuleFiles();
  if (problems.length) {
    console.error(problems.map((p) => `  ✗ ${p}`).join('\n'));
    process.exit(1);
  }
}
