import { contract, z } from '../kernel/contract';

export interface SetupReport {
  collectionsCreated: string[];
  collectionsExisting: number;
  settingsCreated: boolean;
  migrationsApplied: number[];
  schemaVersion: number;
  /** Create these in the console (数据库 → 集合 → 索引管理); unique ones are relied on. */
  indexes: { collection: string; name: string; keys: string[]; unique: boolean }[];
  /** Per collection, for 数据库 → 集合 → 数据权限 → 自定义安全规则. */
  securityRules: Record<string, unknown>;
}

export const setupContracts = {
  /** Prepare the environment (idempotent): collections, default settings, migrations. */
  run: contract<SetupReport>()(z.strictObject({})),
};
