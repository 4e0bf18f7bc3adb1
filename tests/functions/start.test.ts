/**
 * `npm start` as a newcomer runs it: a separate process on a free port that seeds the demo,
 * answers /healthz and whoami, works with the `npm run cloud` CLI, and stops cleanly on Ctrl-C.
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

let server: StartedProcess;
beforeAll(async () => {
  server = await startServerProcess({ PORT: '0', CLOUD_DATA_DIR: tempDir('start') });
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

test('serves /healthz and whoami for any openid', async () => {
  expect(await getJson(`${server.url}/healthz`)).toMatchObject({ ok: true });
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
  const moved = await cli('clock', '2030-01-01T00:00:00.000Z');
  // The dev clock keeps running from the time set.
  expect((JSON.parse(moved.stdout) as { now: string }).now.slice(0, 16)).toBe('2030-01-01T00:00');
  await cli('clock', '+1d');
  const now = JSON.parse((await cli('clock')).stdout).now as string;
  expect(now.slice(0, 10)).toBe('2030-01-02');
  await expect(cli('call', 'account', 'not json')).rejects.toMatchObject({
    stderr: expect.stringContaining('must be JSON'),
  });
});

test('Ctrl-C stops it cleanly', async () => {
  expect(await stopGracefully(server)).toBe(0);
});
