/**
 * Prepares the environment: collections, default settings and the data migrations not yet applied,
 * answering with the indexes and security rules to apply in the console. Idempotent.
 */
import type { DB } from 'wx-server-sdk';
import rules from '../../../../database.rules.json';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import { COLLECTIONS } from '../../../_shared/collections';
import { AppError, type ActionContext } from '../../../_shared/router';
import { MIGRATIONS } from '../repo/migrations';
import type { SetupReport } from '../../../../miniprogram/domain/setup/contract';

export function isExisting(e: unknown): boolean {
  return /exist|duplicate key/i.test(
    String((e as { errMsg?: string }).errMsg ?? (e as Error).message ?? e),
  );
}

export async function requireSetupCaller(ctx: ActionContext): Promise<void> {
  if (ctx.source !== 'wx_client') return; // console, DevTools or a trigger
  // From the mini-program: an admin (of any community: setup is deployment-wide) whose grant stands.
  const grants = await ctx.db
    .collection('staff_roles')
    .where({ openid: ctx.openid, roles: 'admin' })
    .limit(100)
    .get();
  const active = (grants.data as { revokedAt?: Date | null }[]).some((g) => !g.revokedAt);
  if (!active) throw new AppError('FORBIDDEN', '请在云开发控制台运行初始化，或由管理员执行');
}

export async function ensureCollections(
  db: DB.Database,
): Promise<{ created: string[]; existing: number }> {
  const created: string[] = [];
  let existing = 0;
  for (const decl of COLLECTIONS) {
    try {
      await db.createCollection(decl.name);
      created.push(decl.name);
    } catch (e) {
      if (!isExisting(e)) throw e;
      existing++;
    }
  }
  return { created, existing };
}

export async function run(_input: object, ctx: ActionContext): Promise<SetupReport> {
  await requireSetupCaller(ctx);
  const db = ctx.db;
  const { created, existing } = await ensureCollections(db);
  let settingsCreated = false;
  try {
    await db
      .collection('app_config')
      .add({ data: { _id: 'defaults', ...DEFAULT_SETTINGS, createdAt: ctx.now() } });
    settingsCreated = true;
  } catch (e) {
    if (!isExisting(e)) throw e;
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    const id = `migration:${m.version}`;
    const done = await db.collection('app_config').where({ _id: id }).count();
    if (done.total > 0) continue;
    await m.up(db, ctx.now());
    try {
      await db
        .collection('app_config')
        .add({ data: { _id: id, version: m.version, name: m.name, appliedAt: ctx.now() } });
      applied.push(m.version);
    } catch (e) {
      if (!isExisting(e)) throw e; // another setup run recorded it first; migrations are idempotent
    }
  }
  return {
    collectionsCreated: created,
    collectionsExisting: existing,
    settingsCreated,
    migrationsApplied: applied,
    schemaVersion: Math.max(0, ...MIGRATIONS.map((m) => m.version)),
    indexes: COLLECTIONS.flatMap((c) =>
      c.indexes.map((i) => ({
        collection: c.name,
        name: i.name,
        keys: i.keys,
        unique: i.unique === true,
      })),
    ),
    securityRules: rules as Record<string, unknown>,
  };
}
