/**
 * `npm run deploy`: uploads the cloud functions and the mini-program with miniprogram-ci.
 * `npm run deploy -- --dry-run`: every check offline, then what would be uploaded. The checks
 * include `npm run size`'s function budgets (tools/function-size.ts: bundle bytes, cold load
 * against wx-server-sdk's, timeout headroom, the print font's single home).
 *
 * Settings come from the environment or a git-ignored `.deploy.env` (KEY=value lines):
 *   WX_APPID            the mini-program's appid
 *   WX_CLOUD_ENV        the cloud environment id
 *   WX_UPLOAD_KEY       path to the code-upload private key (mp.weixin.qq.com → 开发管理 → 小程序代码上传)
 *   WX_UPLOAD_VERSION   version to upload (default: package.json version)
 *   WX_UPLOAD_DESC      description (default: the latest git commit subject)
 *   WX_APP_SECRET       the AppSecret: with it, deploy also creates the database collections
 *                       and their indexes (unique ones included) through the HTTPS API
 *   WX_API_BASE         default https://api.weixin.qq.com (tests point it at the local cloud)
 *   WX_TCB_SECRET_ID    a Tencent Cloud API key of the account that owns the environment: with it,
 *   WX_TCB_SECRET_KEY   deploy applies database.rules.json and storage.rules.json and verifies
 *                       what is live (CloudBase management API); without it, it prints them for
 *                       the console and refuses to upload until told they were set by hand
 *   WX_TCB_API_BASE     default https://tcb.tencentcloudapi.com (tests point it at the local cloud)
 * `npm run deploy -- --database` only creates collections and indexes.
 * `npm run deploy -- --rules` only applies and verifies the security rules (`--dry-run`: only
 * compares). Any difference between what is live and the files, or a declared collection without
 * a rule, stops deploy (the dry run too). See docs/security.md.
 * No id or secret is written in the source.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';
import { build } from './build';
import { parseCron7 } from './cloud/cron';
import {
  canonicalRule,
  databaseRuleOfTag,
  storageRuleOfTag,
  type AclTag,
  type DatabaseRule,
  type StorageRule,
} from './cloud/rules';
import { collectMiniprogramFiles, readAppJson } from './miniprogram-files';
import { checkRuleFiles, readDatabaseRules, readStorageRules } from './security-rules';
import { measureFunctions } from './function-size';
import { measure, PACKAGE_LIMIT } from './size';
import { TcbApiError, tcbCall, type TcbTarget } from './tcb-api';

const ROOT = path.resolve(__dirname, '..');
const nodeRequire = createRequire(__filename);

export interface Check {
  what: string;
  problems: string[];
}

function readJson(file: string, problems: string[]): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    problems.push(`${path.relative(ROOT, file)}: ${(e as Error).message}`);
    return null;
  }
}

/** project.config.json and app.json agree, and every page and component exists. */
export function checkProject(root = ROOT): Check {
  const problems: string[] = [];
  const project = readJson(path.join(root, 'project.config.json'), problems);
  if (project) {
    for (const key of ['miniprogramRoot', 'cloudfunctionRoot'] as const) {
      const dir = project[key];
      if (typeof dir !== 'string' || !fs.existsSync(path.join(root, dir))) {
        problems.push(`project.config.json: ${key} "${String(dir)}" does not exist`);
      }
    }
    const setting = (project.setting ?? {}) as Record<string, unknown>;
    if (
      !Array.isArray(setting.useCompilerPlugins) ||
      !setting.useCompilerPlugins.includes('typescript')
    ) {
      problems.push('project.config.json: setting.useCompilerPlugins must include "typescript"');
    }
  }
  const mpRoot = path.join(root, 'miniprogram');
  const app = readAppJson(root === ROOT ? mpRoot : mpRoot);
  const reached = collectMiniprogramFiles(mpRoot);
  problems.push(...reached.problems.map((p) => `app.json/usingComponents: ${p}`));
  const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const tabBar = (app as { tabBar?: { list?: { pagePath: string }[]; custom?: boolean } }).tabBar;
  for (const tab of tabBar?.list ?? []) {
    if (subRoots.some((r) => tab.pagePath.startsWith(`${r}/`))) {
      problems.push(
        `app.json: tab page ${tab.pagePath} must be in the main package, not a subpackage`,
      );
    }
    if (!app.pages.includes(tab.pagePath))
      problems.push(`app.json: tab page ${tab.pagePath} is not listed in pages`);
  }
  if (tabBar?.custom && !fs.existsSync(path.join(mpRoot, 'custom-tab-bar', 'index.json'))) {
    problems.push('app.json: tabBar.custom is set but custom-tab-bar/index.json is missing');
  }
  if ((app as { lazyCodeLoading?: string }).lazyCodeLoading !== 'requiredComponents') {
    problems.push('app.json: lazyCodeLoading should be "requiredComponents"');
  }
  if (
    Object.keys((app as { usingComponents?: Record<string, string> }).usingComponents ?? {}).length
  ) {
    problems.push(
      'app.json: declare components per page, not globally (usingComponents in app.json)',
    );
  }
  return { what: 'project.config.json and app.json', problems };
}

/** Every WXML file compiles with the WeChat compiler; errors name file:line. */
export function checkWxml(mpRoot = path.join(ROOT, 'miniprogram')): Check & { files: number } {
  const compiler = nodeRequire('miniprogram-compiler') as {
    wxmlToJs(root: string, options: { wxmlList?: string[]; wxsList?: string[] }): string;
  };
  const problems: string[] = [];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.name.endsWith('.wxml'))
        files.push(path.relative(mpRoot, abs).split(path.sep).join('/'));
    }
  };
  walk(mpRoot);
  for (const file of files) {
    try {
      compiler.wxmlToJs(mpRoot, { wxmlList: [file] });
    } catch (e) {
      const text = String((e as Error).message ?? e).trim();
      problems.push(`miniprogram/${text.includes(file) ? text : `${file}: ${text}`}`);
    }
  }
  return { what: 'WXML compiles', problems, files: files.length };
}

/**
 * Our budget for one function's upload (its folder, unzipped: bundle, manifests, fonts, src).
 * Kept well below what CloudBase accepts so uploads stay quick; print's font (≤ 4 MB) fits.
 */
export const FUNCTION_UPLOAD_BUDGET = 20 * 1024 * 1024;

/** Bytes of the files an upload of a function folder sends (node_modules is installed remotely). */
export function functionUploadBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const abs = path.join(dir, entry.name);
    total += entry.isDirectory() ? functionUploadBytes(abs) : fs.statSync(abs).size;
  }
  return total;
}

export interface FunctionInfo {
  name: string;
  bytes: number;
  /** everything uploaded from the folder */
  uploadBytes: number;
  timer?: string;
  timeout: number;
  openapi: string[];
}

/**
 * Every function: built bundle with main, package.json with only wx-server-sdk, valid config.json
 * (its bundle bytes, cold load and the font's one home are `functionBudgets`, below).
 */
export function checkFunctions(
  fnRoot = path.join(ROOT, 'cloudfunctions'),
): Check & { functions: FunctionInfo[] } {
  const problems: string[] = [];
  const functions: FunctionInfo[] = [];
  for (const entry of fs.readdirSync(fnRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const dir = path.join(fnRoot, entry.name);
    if (!fs.existsSync(path.join(dir, 'src', 'index.ts'))) continue;
    const name = entry.name;
    const where = `cloudfunctions/${name}`;
    const bundle = path.join(dir, 'index.js');
    if (!fs.existsSync(bundle)) problems.push(`${where}/index.js is not built (run npm run build)`);
    const pkg = readJson(path.join(dir, 'package.json'), problems);
    const deps = Object.keys((pkg?.dependencies ?? {}) as Record<string, string>);
    if (pkg && (deps.length !== 1 || deps[0] !== 'wx-server-sdk')) {
      problems.push(
        `${where}/package.json: dependencies must be exactly wx-server-sdk (found ${deps.join(', ') || 'none'})`,
      );
    }
    const uploadBytes = functionUploadBytes(dir);
    if (uploadBytes > FUNCTION_UPLOAD_BUDGET) {
      problems.push(
        `${where} uploads ${kb(uploadBytes)} (budget ${kb(FUNCTION_UPLOAD_BUDGET)}); remove what it does not need`,
      );
    }
    const config = readJson(path.join(dir, 'config.json'), problems) ?? {};
    const timeout = config.timeout === undefined ? 3 : Number(config.timeout);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 60) {
      problems.push(
        `${where}/config.json: timeout must be 1–60 seconds (found ${String(config.timeout)})`,
      );
    }
    const openapi = ((config.permissions as { openapi?: unknown } | undefined)?.openapi ??
      []) as unknown;
    if (!Array.isArray(openapi) || openapi.some((a) => typeof a !== 'string')) {
      problems.push(`${where}/config.json: permissions.openapi must be a list of API names`);
    }
    const triggers = (config.triggers ?? []) as { name?: string; type?: string; config?: string }[];
    const timers = triggers.filter((t) => t.type === 'timer');
    if (timers.length > 1)
      problems.push(
        `${where}/config.json: WeChat allows one timer trigger per function (found ${timers.length})`,
      );
    for (const t of timers) {
      if (!t.name) problems.push(`${where}/config.json: the timer trigger needs a name`);
      try {
        parseCron7(String(t.config ?? ''));
      } catch (e) {
        problems.push(`${where}/config.json: ${(e as Error).message}`);
      }
    }
    functions.push({
      name,
      bytes: fs.existsSync(bundle) ? fs.statSync(bundle).size : 0,
      uploadBytes,
      ...(timers[0]?.config ? { timer: timers[0].config } : {}),
      timeout,
      openapi: Array.isArray(openapi) ? (openapi as string[]) : [],
    });
  }
  return { what: 'cloud functions', problems, functions };
}

function loadDeployEnv(): Record<string, string> {
  const file = path.join(ROOT, '.deploy.env');
  const out: Record<string, string> = {};
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && !line.trim().startsWith('#')) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
    }
  }
  return {
    ...out,
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k.startsWith('WX_')) as [string, string][],
    ),
  };
}

export interface DatabaseTarget {
  apiBase: string;
  appid: string;
  secret: string;
  env: string;
  log: (line: string) => void;
}

export interface DatabaseResult {
  collectionsCreated: string[];
  indexesApplied: number;
  failures: string[];
}

async function wxPost(
  url: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown> & { errcode?: number; errmsg?: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url.split('?')[0]}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown> & { errcode?: number; errmsg?: string };
}

/**
 * Creates every declared collection that is missing and applies every declared index
 * (`cloudfunctions/_shared/collections.ts`) through WeChat's HTTPS API: the one step the setup
 * function cannot do, because wx-server-sdk has no index API. Safe to run again: existing
 * collections are listed first and skipped; an index is sent by name with its definition, and a
 * refusal (e.g. a unique index over data that already has duplicates) is reported, never hidden.
 */
export async function applyDatabase(t: DatabaseTarget): Promise<DatabaseResult> {
  const tok = await wxPost(`${t.apiBase}/cgi-bin/stable_token`, {
    grant_type: 'client_credential',
    appid: t.appid,
    secret: t.secret,
  });
  if (typeof tok.access_token !== 'string')
    throw new Error(`access token refused: ${tok.errcode} ${tok.errmsg}`);
  const q = `access_token=${encodeURIComponent(tok.access_token)}`;
  const existing = new Set<string>();
  for (let offset = 0; ; offset += 100) {
    const page = await wxPost(`${t.apiBase}/tcb/databasecollectionget?${q}`, {
      env: t.env,
      limit: 100,
      offset,
    });
    if (page.errcode) throw new Error(`listing collections: ${page.errcode} ${page.errmsg}`);
    const cols = (page.collections ?? []) as { name: string }[];
    for (const c of cols) existing.add(c.name);
    const total = Number((page.pager as { Total?: number } | undefined)?.Total ?? 0);
    if (cols.length === 0 || offset + cols.length >= total) break;
  }
  const result: DatabaseResult = { collectionsCreated: [], indexesApplied: 0, failures: [] };
  for (const decl of COLLECTIONS) {
    if (!existing.has(decl.name)) {
      const r = await wxPost(`${t.apiBase}/tcb/databasecollectionadd?${q}`, {
        env: t.env,
        collection_name: decl.name,
      });
      if (r.errcode) {
        result.failures.push(`collection ${decl.name}: ${r.errcode} ${r.errmsg}`);
        continue;
      }
      result.collectionsCreated.push(decl.name);
      t.log(`  + collection ${decl.name}`);
    }
    for (const idx of decl.indexes) {
      const r = await wxPost(`${t.apiBase}/tcb/updateindex?${q}`, {
        env: t.env,
        collection_name: decl.name,
        create_indexes: [
          {
            name: idx.name,
            unique: idx.unique === true,
            keys: idx.keys.map((k) => ({ name: k, direction: '1' })),
          },
        ],
        drop_indexes: [],
      });
      if (r.errcode)
        result.failures.push(`index ${decl.name}.${idx.name}: ${r.errcode} ${r.errmsg}`);
      else result.indexesApplied++;
    }
  }
  return result;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function deployDatabase(env: Record<string, string>): Promise<void> {
  const missing = ['WX_APPID', 'WX_CLOUD_ENV', 'WX_APP_SECRET'].filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(
      `set ${missing.join(', ')} in the environment or .deploy.env to create collections and indexes`,
    );
  }
  console.log('creating collections and indexes …');
  const r = await applyDatabase({
    apiBase: env.WX_API_BASE ?? 'https://api.weixin.qq.com',
    appid: env.WX_APPID!,
    secret: env.WX_APP_SECRET!,
    env: env.WX_CLOUD_ENV!,
    log: (l) => console.log(l),
  });
  console.log(
    `database: ${r.collectionsCreated.length} collection(s) created, ${r.indexesApplied} index(es) applied`,
  );
  if (r.failures.length) {
    console.error(r.failures.map((f) => `  ✗ ${f}`).join('\n'));
    throw new Error(
      `${r.failures.length} collection/index step(s) failed; fix them (see README "Go live") and run \`npm run deploy -- --database\` again`,
    );
  }
}

// ------------------------------------------------------------------ security rules

export interface RulesResult {
  /** what was checked: every declared collection and the bucket */
  checked: number;
  /** what this run changed */
  applied: string[];
  /** what is still not as the files say (empty when live = files) */
  differences: string[];
}

type Live = { AclTag?: AclTag; Rule?: string | null };

/** What a live setting means as a rule object (a simple tag stands for a fixed rule). */
function liveRule(
  live: Live,
  ofTag: (t: Exclude<AclTag, 'CUSTOM'>) => Record<string, unknown>,
): Record<string, unknown> | null {
  if (live.AclTag === 'CUSTOM') {
    try {
      return JSON.parse(live.Rule ?? '') as Record<string, unknown>;
    } catch {
      return null;
    }
  }
  return live.AclTag ? ofTag(live.AclTag) : null;
}

function liveText(live: Live): string {
  return live.AclTag === 'CUSTOM' ? `CUSTOM ${live.Rule ?? ''}` : String(live.AclTag ?? 'nothing');
}

/**
 * Compares the environment's security rules with database.rules.json and storage.rules.json
 * through CloudBase's management API and, with `apply`, sets every one that differs (as a
 * custom rule) and reads it back. Returns what still differs: deploy refuses to go on unless it
 * is empty.
 */
export async function syncSecurityRules(
  t: TcbTarget,
  mode: 'verify' | 'apply',
  log: (line: string) => void = () => {},
  files: { database: Record<string, DatabaseRule>; storage: StorageRule } = {
    database: readDatabaseRules(),
    storage: readStorageRules(),
  },
): Promise<RulesResult> {
  const result: RulesResult = { checked: 0, applied: [], differences: [] };
  const envs = await tcbCall<{ EnvList?: { EnvId: string; Storages?: { Bucket?: string }[] }[] }>(
    t,
    'DescribeEnvs',
    { EnvId: t.envId },
  );
  const bucket = envs.EnvList?.find((e) => e.EnvId === t.envId)?.Storages?.[0]?.Bucket;
  if (!bucket) throw new Error(`DescribeEnvs: environment ${t.envId} has no storage bucket`);

  const items = [
    ...COLLECTIONS.map((c) => ({
      what: `collection ${c.name}`,
      want: files.database[c.name] as Record<string, unknown> | undefined,
      read: () =>
        tcbCall<Live>(t, 'DescribeSafeRule', {
          EnvId: t.envId,
          CollectionName: c.name,
          ...(t.wxAppId ? { WxAppId: t.wxAppId } : {}),
        }),
      write: (rule: string) =>
        tcbCall(t, 'ModifySafeRule', {
          EnvId: t.envId,
          CollectionName: c.name,
          AclTag: 'CUSTOM',
          Rule: rule,
        }),
      ofTag: databaseRuleOfTag,
    })),
    {
      what: `storage bucket ${bucket}`,
      want: files.storage as Record<string, unknown> | undefined,
      read: () => tcbCall<Live>(t, 'DescribeStorageSafeRule', { EnvId: t.envId, Bucket: bucket }),
      write: (rule: string) =>
        tcbCall(t, 'ModifyStorageSafeRule', {
          EnvId: t.envId,
          Bucket: bucket,
          AclTag: 'CUSTOM',
          Rule: rule,
        }),
      ofTag: storageRuleOfTag,
    },
  ];
  for (const item of items) {
    result.checked++;
    if (!item.want) {
      result.differences.push(`${item.what}: no rule in the files`);
      continue;
    }
    const want = canonicalRule(item.want);
    let live: Live;
    try {
      live = await item.read();
    } catch (e) {
      if (e instanceof TcbApiError && e.code.startsWith('ResourceNotFound')) {
        result.differences.push(
          `${item.what}: not found (${e.message}); create it first (--database)`,
        );
        continue;
      }
      throw e;
    }
    const same = (l: Live) => {
      const rule = liveRule(l, item.ofTag);
      return rule !== null && canonicalRule(rule) === want;
    };
    if (same(live)) continue;
    if (mode === 'apply') {
      log(`  ~ ${item.what}: ${liveText(live)} → ${JSON.stringify(item.want)}`);
      await item.write(JSON.stringify(item.want));
      result.applied.push(item.what);
      live = await item.read();
      if (same(live)) continue;
    }
    result.differences.push(
      `${item.what}: live is ${liveText(live)}, the files say ${JSON.stringify(item.want)}`,
    );
  }
  return result;
}

function tcbTargetOf(env: Record<string, string>): TcbTarget | null {
  if (!env.WX_TCB_SECRET_ID || !env.WX_TCB_SECRET_KEY || !env.WX_CLOUD_ENV) return null;
  return {
    apiBase: env.WX_TCB_API_BASE ?? 'https://tcb.tencentcloudapi.com',
    secretId: env.WX_TCB_SECRET_ID,
    secretKey: env.WX_TCB_SECRET_KEY,
    envId: env.WX_CLOUD_ENV,
    ...(env.WX_APPID ? { wxAppId: env.WX_APPID } : {}),
  };
}

/** The rules as they are pasted in the console, for an environment deploy cannot reach. */
function printRulesForConsole(): void {
  const db = readDatabaseRules();
  console.log('\nSet these in the CloudBase console (数据库 › 集合 › 数据权限 › 自定义安全规则):');
  for (const c of COLLECTIONS) console.log(`  ${c.name.padEnd(20)} ${JSON.stringify(db[c.name])}`);
  console.log('and 存储 › 权限设置 › 自定义安全规则:');
  console.log(`  ${JSON.stringify(readStorageRules())}`);
}

/**
 * The rule step of a deploy: apply and verify (or, on a dry run, only verify) where an API key
 * allows, else print the rules. Throws when what is live differs from the files, or when it
 * cannot be verified and `--rules-set-by-hand` was not given for a real deploy.
 */
async function deployRules(env: Record<string, string>, dryRun: boolean): Promise<void> {
  const target = tcbTargetOf(env);
  if (!target) {
    printRulesForConsole();
    const why =
      'WX_TCB_SECRET_ID / WX_TCB_SECRET_KEY (and WX_CLOUD_ENV) are not set, so the live rules cannot be applied or verified';
    if (dryRun) {
      console.log(`\nsecurity rules: NOT VERIFIED — ${why}`);
      return;
    }
    if (!process.argv.includes('--rules-set-by-hand')) {
      throw new Error(
        `${why}. Set them, or paste the rules above in the console and run again with --rules-set-by-hand`,
      );
    }
    console.warn('security rules: set by hand (--rules-set-by-hand); deploy did not verify them');
    return;
  }
  console.log(
    `security rules: ${dryRun ? 'comparing' : 'applying and verifying'} in ${target.envId} …`,
  );
  const r = await syncSecurityRules(target, dryRun ? 'verify' : 'apply', (l) => console.log(l));
  console.log(
    `security rules: ${r.checked} checked, ${r.applied.length} applied, ${r.differences.length} different`,
  );
  if (r.differences.length) {
    console.error(r.differences.map((d) => `  ✗ ${d}`).join('\n'));
    throw new Error(
      dryRun
        ? 'the live security rules differ from the files; `npm run deploy -- --rules` applies them'
        : 'the live security rules still differ from the files; nothing uploaded',
    );
  }
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  if (process.argv.includes('--database')) return deployDatabase(loadDeployEnv());
  if (process.argv.includes('--rules')) {
    const files = checkRuleFiles();
    if (files.problems.length) {
      console.error(files.problems.map((p) => `  ✗ ${p}`).join('\n'));
      throw new Error(`${files.problems.length} problem(s) in the rule files; nothing applied`);
    }
    return deployRules(loadDeployEnv(), dryRun);
  }
  await build({ log: () => {} });
  const checks: Check[] = [checkProject(), checkWxml(), checkFunctions(), checkRuleFiles()];
  const budgets = await measureFunctions(path.join(ROOT, 'cloudfunctions'), { rounds: 3 });
  checks.push({ what: 'function budgets (npm run size)', problems: budgets.problems });
  const size = measure(path.join(ROOT, 'miniprogram'));
  checks.push({
    what: 'package sizes',
    problems: [
      ...size.over,
      ...size.packages
        .filter((p) => p.bytes > PACKAGE_LIMIT)
        .map((p) => `${p.name} is ${kb(p.bytes)} (limit 2 MB)`),
    ],
  });
  const problems = checks.flatMap((c) => c.problems.map((p) => `  ✗ ${p}`));
  for (const c of checks) console.log(`${c.problems.length ? '✗' : '✓'} ${c.what}`);
  if (problems.length) {
    console.error(
      `\n${problems.join('\n')}\n\ndeploy: ${problems.length} problem(s); nothing uploaded`,
    );
    process.exit(1);
  }
  const fns = (checks[2] as ReturnType<typeof checkFunctions>).functions;
  console.log('\nWould upload:');
  console.log('  mini-program');
  for (const p of size.packages)
    console.log(`    ${p.name.padEnd(10)} ${kb(p.bytes).padStart(10)}  ${p.files} files`);
  console.log(
    '  cloud functions (index.js, package.json, config.json, src/ and fonts/ if any; dependencies installed in the cloud)',
  );
  for (const f of fns) {
    const load = budgets.functions.find((b) => b.name === f.name)?.loadRatio;
    console.log(
      `    ${f.name.padEnd(12)} ${kb(f.bytes).padStart(10)}  upload ${kb(f.uploadBytes).padStart(10)}  cold load ${load ? `${load.toFixed(2)}×` : '?'}  timeout ${f.timeout}s${f.timer ? `  timer "${f.timer}" (UTC+8)` : ''}${f.openapi.length ? `  openapi ${f.openapi.join(',')}` : ''}`,
    );
  }
  const indexCount = COLLECTIONS.reduce((n, c) => n + c.indexes.length, 0);
  console.log(
    `  database    ${COLLECTIONS.length} collections, ${indexCount} indexes (created when WX_APP_SECRET is set, or with --database)`,
  );
  console.log(
    `  rules       database.rules.json (${COLLECTIONS.length} collections), storage.rules.json`,
  );
  if (dryRun) {
    await deployRules(loadDeployEnv(), true);
    console.log('\nDry run: all checks passed; nothing was uploaded.');
    return;
  }
  const env = loadDeployEnv();
  const missing = ['WX_APPID', 'WX_CLOUD_ENV', 'WX_UPLOAD_KEY'].filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(
      `set ${missing.join(', ')} in the environment or .deploy.env (see README "Go live")`,
    );
  }
  if (!fs.existsSync(env.WX_UPLOAD_KEY!))
    throw new Error(`WX_UPLOAD_KEY: no file at ${env.WX_UPLOAD_KEY}`);
  // The environment first: collections exist and their rules are the files' before any code that
  // relies on them is uploaded.
  if (env.WX_APP_SECRET) await deployDatabase(env);
  else
    console.log(
      'database: WX_APP_SECRET not set, collections and indexes not created (run `npm run deploy -- --database` with it)',
    );
  await deployRules(env, false);
  const ci = nodeRequire('miniprogram-ci') as {
    Project: new (o: Record<string, unknown>) => unknown;
    upload(o: Record<string, unknown>): Promise<unknown>;
    cloud: { uploadFunction(o: Record<string, unknown>): Promise<unknown> };
  };
  const project = new ci.Project({
    appid: env.WX_APPID,
    type: 'miniProgram',
    projectPath: ROOT,
    privateKeyPath: env.WX_UPLOAD_KEY,
    ignores: [
      'node_modules/**/*',
      'tests/**/*',
      'tools/**/*',
      '.cloud-data/**/*',
      'screenshots/**/*',
    ],
  });
  for (const f of fns) {
    console.log(`uploading function ${f.name} …`);
    await ci.cloud.uploadFunction({
      project,
      env: env.WX_CLOUD_ENV,
      name: f.name,
      path: path.join(ROOT, 'cloudfunctions', f.name),
      remoteNpmInstall: true,
    });
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  let desc = env.WX_UPLOAD_DESC;
  if (!desc) {
    try {
      desc = execFileSync('git', ['log', '-1', '--format=%s'], { cwd: ROOT })
        .toString()
        .trim()
        .slice(0, 100);
    } catch {
      desc = 'upload';
    }
  }
  console.log('uploading the mini-program …');
  await ci.upload({
    project,
    version: env.WX_UPLOAD_VERSION ?? pkg.version,
    desc,
    setting: { es6: true, minify: true },
  });
  console.log(
    'done: set the uploaded version as 体验版 or submit it for review in mp.weixin.qq.com',
  );
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().catch((e: unknown) => {
    console.error(`deploy: ${(e as Error).message}`);
    process.exit(1);
  });
}
