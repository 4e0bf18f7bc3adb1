/**
 * What the local cloud's endpoints (admin.ts, gateway.ts, dev.ts) share: the parts startCloud
 * makes once and wires together.
 */
import type { DevClock } from './clock';
import type { InstanceFaults } from './faults';
import type { CloudFiles } from './files';
import type { FunctionRunner } from './functions';
import type { OpenApi } from './openapi';
import type { PaySandbox } from './pay';
import type { LiveRules } from './rules';
import type { Scheduler } from './scheduler';
import type { RequestStats } from './stats';
import type { Store } from './store';

export const LOCAL_ENV_ID = 'local-dev';
export const LOCAL_APPID = 'wxlocaldevappid';
export const LOCAL_BUCKET = 'local-bucket';

export interface CloudContext {
  store: Store;
  clock: DevClock;
  functions: FunctionRunner;
  pay: PaySandbox;
  files: CloudFiles;
  rules: LiveRules;
  stats: RequestStats;
  openApi: OpenApi;
  faults: InstanceFaults;
  scheduler: Scheduler;
  /** Delay every database request by this many ms (what production would feel). */
  dbLatencyMs: number;
  /** The environment that points any wx-server-sdk process at this cloud. */
  cloudEnv(): Record<string, string>;
  /** Wipes everything and seeds again (`POST /dev/reset`). */
  reset(seed: 'demo' | 'empty'): Promise<void>;
  warn(m: string): void;
}
