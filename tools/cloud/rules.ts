/**
 * The two security-rule files the project ships, as CloudBase reads them, checked and compiled:
 *
 * - `database.rules.json`: one rule per collection, `{ read, write }` (optionally `create`,
 *   `update`, `delete`, which fall back to `write`); a missing operation is refused. Variables:
 *   `auth` (`{ openid }` for a WeChat user, null when not signed in), `doc` (the document, or for
 *   reads/updates/removes the query's conditions), `request.data` (what a create/update writes)
 *   and `now` (ms).
 * - `storage.rules.json`: one rule for the whole bucket, `{ read, write }`; `write` covers upload,
 *   overwrite and delete. Variables: `auth` and `resource` (`{ openid, path }`: the file's owner
 *   and its path without the bucket).
 *
 * Rules only bind clients (the mini-program); cloud functions and the console are never subject
 * to them. See docs/security.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  evaluateRule,
  parseRule,
  RuleSyntaxError,
  type UNKNOWN,
  type ParsedRule,
  type Value,
} from './rules-expr';

export type RuleValue = boolean | string;
export const DATABASE_OPS = ['read', 'write', 'create', 'update', 'delete'] as const;
export type DatabaseOp = (typeof DATABASE_OPS)[number];
export type DatabaseRule = Partial<Record<DatabaseOp, RuleValue>>;
export type DatabaseRules = Record<string, DatabaseRule>;
export const STORAGE_OPS = ['read', 'write'] as const;
export type StorageRule = Partial<Record<(typeof STORAGE_OPS)[number], RuleValue>>;

export const DATABASE_VARIABLES = ['auth', 'doc', 'request', 'now'] as const;
export const STORAGE_VARIABLES = ['auth', 'resource'] as const;

/**
 * What CloudBase applies to a collection that has no custom rule: the console's default for a
 * new collection, "only the creator reads and writes". A client could then create documents in
 * it (e.g. forge a staff role), which is why every declared collection must have a rule.
 */
export const DEFAULT_COLLECTION_RULE: DatabaseRule = {
  read: 'doc._openid == auth.openid',
  write: 'doc._openid == auth.openid',
};

export const ROOT = path.resolve(__dirname, '..', '..');
export const DATABASE_RULES_FILE = path.join(ROOT, 'database.rules.json');
export const STORAGE_RULES_FILE = path.join(ROOT, 'storage.rules.json');

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkRuleObject(
  where: string,
  rule: unknown,
  ops: readonly string[],
  variables: readonly string[],
): string[] {
  if (!isObject(rule)) return [`${where}: a rule must be an object like { "read": …, "write": … }`];
  const problems: string[] = [];
  for (const [op, value] of Object.entries(rule)) {
    if (!ops.includes(op)) {
      problems.push(`${where}: unknown operation "${op}" (allowed: ${ops.join(', ')})`);
      continue;
    }
    if (typeof value === 'boolean') continue;
    if (typeof value !== 'string') {
      problems.push(`${where}.${op}: must be true, false or an expression string`);
      continue;
    }
    try {
      parseRule(value, variables);
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      problems.push(`${where}.${op}: ${e.message}`);
    }
  }
  for (const op of ops.filter((o) => o === 'read' || o === 'write')) {
    if (!(op in rule)) problems.push(`${where}: "${op}" is missing (say false to refuse it)`);
  }
  return problems;
}

/**
 * Problems with a database rules object: a declared collection without a rule, a rule for a
 * collection nobody declares, an unknown operation, an expression that does not parse (or that
 * the local cloud cannot evaluate) or is longer than CloudBase accepts.
 */
export function checkDatabaseRules(rules: unknown, collections: readonly string[]): string[] {
  if (!isObject(rules)) return ['database.rules.json: must be an object of collection → rule'];
  const problems: string[] = [];
  for (const name of collections) {
    if (!(name in rules)) {
      problems.push(
        `database.rules.json: collection "${name}" has no rule (run \`npx tsx tools/security-rules.ts\`)`,
      );
    }
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (!collections.includes(name)) {
      problems.push(`database.rules.json: "${name}" is not a declared collection`);
    }
    problems.push(...checkRuleObject(name, rule, DATABASE_OPS, DATABASE_VARIABLES));
  }
  return problems;
}

export function checkStorageRules(rule: unknown): string[] {
  return checkRuleObject('storage.rules.json', rule, STORAGE_OPS, STORAGE_VARIABLES);
}

export function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

type Compiled = boolean | ParsedRule;

function compile(value: RuleValue | undefined, variables: readonly string[]): Compiled {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  return parseRule(value, variables);
}

function decide(rule: Compiled, vars: Record<string, Value>): boolean | typeof UNKNOWN {
  return typeof rule === 'boolean' ? rule : evaluateRule(rule, vars);
}

/** The database rules in force, compiled once; `decide` answers one operation. */
export class DatabaseRuleSet {
  private compiled = new Map<string, Record<'read' | 'create' | 'update' | 'delete', Compiled>>();

  constructor(readonly rules: DatabaseRules) {
    for (const [name, rule] of Object.entries(rules))
      this.compiled.set(name, this.compileOne(rule));
  }

  private compileOne(rule: DatabaseRule) {
    const write = rule.write;
    return {
      read: compile(rule.read, DATABASE_VARIABLES),
      create: compile(rule.create ?? write, DATABASE_VARIABLES),
      update: compile(rule.update ?? write, DATABASE_VARIABLES),
      delete: compile(rule.delete ?? write, DATABASE_VARIABLES),
    };
  }

  hasRule(collection: string): boolean {
    return this.compiled.has(collection);
  }

  /**
   * True only when the rule is definitely true for what the request pins: `doc` is the new
   * document for a create, and the query's conditions otherwise.
   */
  decide(
    collection: string,
    op: 'read' | 'create' | 'update' | 'delete',
    vars: { auth: { openid: string } | null; doc: Value; request?: { data: Value }; now: number },
  ): boolean {
    const rule = this.compiled.get(collection) ?? this.compileOne(DEFAULT_COLLECTION_RULE);
    return decide(rule[op], { request: { data: undefined }, ...vars }) === true;
  }
}

/** The storage rule in force for the bucket. */
export class StorageRuleSet {
  private read: Compiled;
  private write: Compiled;

  constructor(readonly rule: StorageRule) {
    this.read = compile(rule.read, STORAGE_VARIABLES);
    this.write = compile(rule.write, STORAGE_VARIABLES);
  }

  allows(
    op: 'read' | 'write',
    vars: { auth: { openid: string } | null; resource: { openid: string; path: string } },
  ): boolean {
    return decide(op === 'read' ? this.read : this.write, vars) === true;
  }
}

/** CloudBase's simple permission tags, as the rules they stand for. */
export type AclTag = 'READONLY' | 'PRIVATE' | 'ADMINWRITE' | 'ADMINONLY' | 'CUSTOM';
export const ACL_TAGS: readonly AclTag[] = [
  'READONLY',
  'PRIVATE',
  'ADMINWRITE',
  'ADMINONLY',
  'CUSTOM',
];

/** A tag's read and write rule, where `own` says the record is the caller's own. */
function ruleOfTag(tag: Exclude<AclTag, 'CUSTOM'>, own: string): StorageRule {
  return {
    READONLY: { read: true, write: own },
    PRIVATE: { read: own, write: own },
    ADMINWRITE: { read: true, write: false },
    ADMINONLY: { read: false, write: false },
  }[tag];
}

export function databaseRuleOfTag(tag: Exclude<AclTag, 'CUSTOM'>): DatabaseRule {
  return ruleOfTag(tag, 'doc._openid == auth.openid');
}

export function storageRuleOfTag(tag: Exclude<AclTag, 'CUSTOM'>): StorageRule {
  return ruleOfTag(tag, 'resource.openid == auth.openid');
}

/** A rule object with its keys in a fixed order, for comparing what is live with the files. */
export function canonicalRule(rule: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(rule).sort(([a], [b]) => a.localeCompare(b))),
  );
}

/**
 * The rules in force on the local cloud: the repository's files unless told otherwise, and
 * changed only as CloudBase's are (the management API, see tools/cloud/tcbapi.ts).
 */
export class LiveRules {
  private databaseSet: DatabaseRuleSet;
  private storageSet: StorageRuleSet;
  private readonly tags = new Map<string, AclTag>();
  private storageTag: AclTag = 'CUSTOM';

  constructor(
    private readonly initialDatabase: DatabaseRules,
    private readonly initialStorage: StorageRule,
  ) {
    this.databaseSet = new DatabaseRuleSet(initialDatabase);
    this.storageSet = new StorageRuleSet(initialStorage);
    this.reset();
  }

  /** Back to the rules the cloud started with (`POST /dev/reset`). */
  reset(): void {
    this.tags.clear();
    for (const name of Object.keys(this.initialDatabase)) this.tags.set(name, 'CUSTOM');
    this.databaseSet = new DatabaseRuleSet(this.initialDatabase);
    this.storageSet = new StorageRuleSet(this.initialStorage);
    this.storageTag = 'CUSTOM';
  }

  /** The repository's rule files (a broken file stops the cloud from starting). */
  static fromFiles(files: { database?: string; storage?: string } = {}): LiveRules {
    return new LiveRules(
      readJsonFile(files.database ?? DATABASE_RULES_FILE) as DatabaseRules,
      readJsonFile(files.storage ?? STORAGE_RULES_FILE) as StorageRule,
    );
  }

  database(): DatabaseRuleSet {
    return this.databaseSet;
  }

  storage(): StorageRuleSet {
    return this.storageSet;
  }

  /** What DescribeSafeRule answers: a custom rule, or the tag (PRIVATE when never set). */
  describeCollection(name: string): { tag: AclTag; rule: DatabaseRule | null } {
    const tag = this.tags.get(name) ?? 'PRIVATE';
    return { tag, rule: tag === 'CUSTOM' ? (this.databaseSet.rules[name] ?? null) : null };
  }

  setCollection(name: string, tag: AclTag, rule?: DatabaseRule): void {
    const next = { ...this.databaseSet.rules };
    next[name] = tag === 'CUSTOM' ? rule! : databaseRuleOfTag(tag);
    this.databaseSet = new DatabaseRuleSet(next);
    this.tags.set(name, tag);
  }

  describeStorage(): { tag: AclTag; rule: StorageRule | null } {
    return {
      tag: this.storageTag,
      rule: this.storageTag === 'CUSTOM' ? this.storageSet.rule : null,
    };
  }

  setStorage(tag: AclTag, rule?: StorageRule): void {
    this.storageSet = new StorageRuleSet(tag === 'CUSTOM' ? rule! : storageRuleOfTag(tag));
    this.storageTag = tag;
  }
}

/** The rules a local cloud starts with: given ones (tests), else the repository's files. */
export function initialRules(given?: {
  database?: DatabaseRules;
  storage?: StorageRule;
}): LiveRules {
  const files = given?.database && given.storage ? undefined : LiveRules.fromFiles();
  return new LiveRules(
    given?.database ?? files!.database().rules,
    given?.storage ?? files!.storage().rule,
  );
}
