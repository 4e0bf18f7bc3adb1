/**
 * Points this process's wx-server-sdk at the environment a command works on, as the commands that
 * read or write a whole database do (`npm run ledger:check`, `npm run backup`):
 *
 *   (nothing)          the running local cloud (PORT, default 8787)
 *   --url <base>       a local cloud elsewhere, e.g. http://127.0.0.1:8788
 *   --env              a real CloudBase environment: the SDK's own environment variables
 *                      (TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY, TCB_ENV …)
 */
export type WxCloud = typeof import('wx-server-sdk');

/** The value after `--name` (or `--name=value`), if given. */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** A short name of the target, for messages. */
export function targetName(args: readonly string[]): string {
  if (args.includes('--env'))
    return `the CloudBase environment ${process.env.TCB_ENV ?? ''}`.trim();
  return flagValue(args, 'url') ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
}

export async function connectSdk(args: readonly string[]): Promise<WxCloud> {
  if (!args.includes('--env')) {
    const base = targetName(args);
    let env: Record<string, string>;
    try {
      env = (await (await fetch(`${base}/dev/env`)).json()) as Record<string, string>;
    } catch {
      throw new Error(
        `no local cloud answers at ${base}; start it with "npm start" or pass --url / --env`,
      );
    }
    Object.assign(process.env, env);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as WxCloud;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return cloud;
}
