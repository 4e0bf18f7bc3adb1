/**
 * `npm start` as a newcomer runs it: a separate process on a free port that seeds the demo,
 * answers /healthz (`"ready": false` while seeding, the banner only once ready) and whoami, works
 * with the `npm run cloud` CLI, and stops cleanly on Ctrl-C.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/cloud';
import {
  getJson,
  killHard,
  postJson,
  startServerProcess,
  stopGracefully,
  type StartedProcess,
} from '../helpers/process';

const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(90_000);

interface Health {
  ok: boolean;
  ready: boolean;
}
/** /healthz answers from the moment the server listens until it says ready. */
interface Probe {
  health: Health;
  /** the ready banner had been printed when the request was sent */
  bannerBefore: boolean;
}
const probes: Probe[] = [];
/** whoami of the demo admin, asked the moment /healthz first said ready */
let whoamiWhenReady: unknown;
let probing: Promise<void> | undefined;

async function probeUntilReady(url: string, output: () => string): Promise<void> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    const bannerBefore = /local cloud ready/.test(output());
    const health = await getJson<Health>(`${url}/healthz`);
    probes.push({ health, bannerBefore });
    if (health.ready) {
      whoamiWhenReady = (
        await postJson(`${url}/dev/call/account`, {
          event: { action: 'whoami' },
          openid: 'o_demo_admin',
        })
      ).body;
      return;
    }
  }
}

let server: StartedProcess;
beforeAll(async () => {
  let out = () => '';
  server = await startServerProcess(
    { PORT: '0', CLOUD_DATA_DIR: tempDir('start'), QUIET: '0' },
    90_000,
    (url) => {
      probing = probeUntilReady(url, () => out());
    },
  );
  out = server.output;
  await probing;
});
afterAll(async () => {
  if (server) await killHard(server);
});

const cli = (...args: string[]) =>
  promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tools', 'cli.ts'), ...args, '--url', server.url],
    {
      cwd: ROOT,
    },
  );

test('/healthz says ready: false while the demo is seeded; the banner comes only once it is ready', async () => {
  // The first probe went out as soon as the server said it listens, while it was seeding.
  expect(probes[0]!.health).toMatchObject({ ok: true, ready: false });
  // Polling went on until ready, and the moment it said so the demo was there.
  expect(probes.at(-1)!.health).toMatchObject({ ok: true, ready: true });
  expect(whoamiWhenReady).toMatchObject({ ok: true, data: { roles: ['admin'] } });
  // Never "not ready" after the banner.
  expect(probes.filter((p) => p.bannerBefore && !p.health.ready)).toEqual([]);
  expect(server.output()).toMatch(/local cloud ready \(data prepared in \d+\.\d s\)/);
  expect(server.output().indexOf('listening on')).toBeLessThan(
    server.output().indexOf('local cloud ready'),
  );
});

test('serves /healthz and whoami for any openid', async () => {
  expect(await getJson(`${server.url}/healthz`)).toMatchObject({ ok: true, ready: true });
  const res = await postJson(`${server.url}/dev/call/account`, {
    event: { action: 'whoami' },
    openid: 'o_x',
  });
  expect(res.body).toMatchObject({ ok: true, data: { openid: 'o_x' } });
});

test('the demo community is seeded: staff see their roles', async () => {
  const res = await postJson(`${server.url}/dev/call/account`, {
    event: { action: 'whoami' },
    openid: 'o_demo_admin',
  });
  expect(res.body).toMatchObject({ ok: true, data: { roles: ['admin'], isStaff: true } });
});

test('the CLI calls functions, reads and moves the clock', async () => {
  const call = await cli('call', 'account', '{"action":"whoami"}', '--openid', 'o_demo_owner');
  expect(JSON.parse(call.stdout)).toMatchObject({
    ok: true,
    data: { openid: 'o_demo_owner', isStaff: false },
  });
  // Back in time (fires nothing, so it is quick), then a day forward.
  const moved = await cli('clock', '2025-01-01T00:00:00.000Z');
  // The dev clock keeps running from the time set.
  expect((JSON.parse(moved.stdout) as { now: string }).now.slice(0, 16)).toBe('2025-01-01T00:00');
  await cli('clock', '+1d');
  const now = JSON.parse((await cli('clock')).stdout).now as string;
  expect(now.slice(0, 10)).toBe('2025-01-02');
  await expect(cli('call', 'account', 'not json')).rejects.toMatchObject({
    stderr: expect.stringContaining('must be JSON'),
  });
});

test('Ctrl-C stops it cleanly', async () => {
  expect(await stopGracefully(server)).toBe(0);
});
