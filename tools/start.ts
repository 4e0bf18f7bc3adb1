/**
 * `npm start`: builds what is stale, starts the local cloud on 127.0.0.1:${PORT:-8787} with the
 * browser preview, seeds the demo community when the data directory is empty, and prints the URL
 * banner only once the demo is ready (until then `GET /healthz` answers `"ready": false`).
 * Ctrl-C stops it cleanly.
 */
import path from 'node:path';
import { build } from './build';
import { startCloud, type RequestHandler } from './cloud/server';
import { DEMO_USERS } from './seed/demo';
import { seedDemoWithReconciliation } from './seed/reconcile';

const ROOT = path.resolve(__dirname, '..');

async function loadPreview(): Promise<RequestHandler | undefined> {
  try {
    const mod = (await import('./preview')) as {
      createPreviewHandler?: (o: { rootDir: string }) => RequestHandler;
    };
    return mod.createPreviewHandler?.({ rootDir: ROOT });
  } catch (e) {
    console.warn(`[start] the browser preview is not available: ${(e as Error).message}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  }
  const dataDir = path.resolve(ROOT, process.env.CLOUD_DATA_DIR ?? '.cloud-data');
  await build({ log: () => {} });
  const started = Date.now();
  const handler = await loadPreview();
  const cloud = await startCloud({
    port,
    dataDir,
    seed: process.env.SEED === 'empty' ? 'empty' : 'demo',
    seeder: seedDemoWithReconciliation,
    handler,
    quiet: process.env.QUIET === '1',
    onListening: (url) =>
      console.log(
        `[start] listening on ${url}; preparing the data (GET /healthz answers "ready": false until done)…`,
      ),
  });
  console.log(`
本地云已就绪 · local cloud ready (data prepared in ${((Date.now() - started) / 1000).toFixed(1)} s)
  预览 preview      ${cloud.url}/
  健康 health       ${cloud.url}/healthz
  数据 data dir     ${dataDir}
  示例 try          curl -s -XPOST ${cloud.url}/dev/call/account -d '{"event":{"action":"whoami"},"openid":"${DEMO_USERS.admin}"}'
Ctrl-C 停止 to stop`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${signal}: stopping the local cloud…`);
    await cloud.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`[start] ${(e as Error).message}`);
  process.exit(1);
});
