/**
 * Durability: an acknowledged write survives a restart and a kill -9; a torn last journal
 * record is skipped with a warning on restart, never a crash. The cloud runs as `npm start`
 * does, in its own process; a separate SDK client (this test) writes to it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  killHard,
  getJson,
  startServerProcess,
  stopGracefully,
  type StartedProcess,
} from '../helpers/process';
import { tempDir } from '../helpers/cloud';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs an SDK script in a fresh Node process with the environment from GET /dev/env — exactly
 * what any developer's script would do.
 */
async function sdkScript(url: string, body: string): Promise<unknown> {
  const env = await getJson<Record<string, string>>(`${url}/dev/env`);
  const script = `
    process.on('unhandledRejection', (e) => { console.error(e); process.exit(3); });
    const cloud = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'wx-server-sdk'))});
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    const db = cloud.database();
    (async () => { ${body} })().then((r) => { process.stdout.write(JSON.stringify(r === undefined ? null : r)); }, (e) => { console.error(e); process.exit(4); });
  `;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`sdk script exited ${code}: ${err}`)),
    );
  });
}

jest.setTimeout(120_000);

let server: StartedProcess | undefined;
afterEach(async () => {
  if (server) await killHard(server);
  server = undefined;
});

test('writes survive a graceful restart and a kill -9', async () => {
  const dataDir = tempDir('durable');
  const env = { PORT: '0', CLOUD_DATA_DIR: dataDir, SEED: 'empty' };
  server = await startServerProcess(env);
  await sdkScript(
    server.url,
    `await db.createCollection('ledger');
     await db.collection('ledger').add({ data: { _id: 'one', fen: 100 } });
     await db.collection('ledger').doc('one').update({ data: { fen: db.command.inc(5) } });`,
  );
  expect(await stopGracefully(server)).toBe(0);

  server = await startServerProcess(env);
  expect(
    await sdkScript(
      server.url,
      `return (await db.collection('ledger').doc('one').get()).data.fen;`,
    ),
  ).toBe(105);
  await sdkScript(
    server.url,
    `await db.collection('ledger').add({ data: { _id: 'two', fen: 7 } });`,
  );
  await killHard(server);

  server = await startServerProcess(env);
  const docs = (await sdkScript(
    server.url,
    `return (await db.collection('ledger').orderBy('_id','asc').get()).data;`,
  )) as {
    _id: string;
    fen: number;
  }[];
  expect(docs.map((d) => [d._id, d.fen])).toEqual([
    ['one', 105],
    ['two', 7],
  ]);
});

test('kill -9 in the middle of a burst loses no acknowledged write', async () => {
  const dataDir = tempDir('burst');
  const env = { PORT: '0', CLOUD_DATA_DIR: dataDir, SEED: 'empty' };
  server = await startServerProcess(env);
  await sdkScript(server.url, `await db.createCollection('burst');`);
  const sdkEnv = await getJson<Record<string, string>>(`${server.url}/dev/env`);
  // The writer prints each id as soon as its add is acknowledged; we kill the cloud mid-stream.
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `process.on('unhandledRejection', () => {});
       const cloud = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'wx-server-sdk'))});
       cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
       const db = cloud.database();
       (async () => { for (let i = 0; i < 100000; i++) {
         const id = 'w' + i;
         try { await db.collection('burst').add({ data: { _id: id, i } }); } catch (e) { process.exit(0); }
         process.stdout.write(id + '\\n');
       } })();`,
    ],
    { env: { ...process.env, ...sdkEnv }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const acked: string[] = [];
  let buf = '';
  writer.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    acked.push(...lines.filter(Boolean));
  });
  // Kill once the burst is under way (on a loaded machine the writer takes a while to start).
  const end = Date.now() + 60_000;
  while (acked.length <= 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await killHard(server);
  await new Promise<void>((r) => writer.on('exit', () => r()));
  expect(acked.length).toBeGreaterThan(20);

  server = await startServerProcess(env);
  const count = (await sdkScript(
    server.url,
    `return (await db.collection('burst').count()).total;`,
  )) as number;
  const ids = new Set(
    (await sdkScript(
      server.url,
      `const out = []; for (let s = 0; ; s += 1000) { const r = await db.collection('burst').skip(s).limit(1000).field({ _id: true }).get(); out.push(...r.data.map(d => d._id)); if (r.data.length < 1000) break; } return out;`,
    )) as string[],
  );
  expect(ids.size).toBe(count);
  for (const id of acked) expect(ids.has(id)).toBe(true);
});

test('a torn last journal record is skipped with a warning, not a crash', async () => {
  const dataDir = tempDir('torn');
  const env = { PORT: '0', CLOUD_DATA_DIR: dataDir, SEED: 'empty' };
  server = await startServerProcess(env);
  await sdkScript(
    server.url,
    `await db.createCollection('t'); await db.collection('t').add({ data: { _id: 'kept', v: 1 } });`,
  );
  await killHard(server);
  // Simulate a write cut off half-way (power loss during append).
  fs.appendFileSync(
    path.join(dataDir, 'journal.ndjson'),
    '[{"t":"put","c":"t","d":{"_id":"torn","v":{"$numberI',
  );

  server = await startServerProcess(env);
  expect(server.output()).toMatch(/skipping a torn or unreadable record/);
  const docs = (await sdkScript(
    server.url,
    `return (await db.collection('t').get()).data.map(d => d._id);`,
  )) as string[];
  expect(docs).toEqual(['kept']);
  // And the journal keeps working after the repair.
  await sdkScript(server.url, `await db.collection('t').add({ data: { _id: 'after', v: 2 } });`);
  await killHard(server);
  server = await startServerProcess(env);
  expect(
    (await sdkScript(
      server.url,
      `return (await db.collection('t').orderBy('_id','asc').get()).data.map(d => d._id);`,
    )) as string[],
  ).toEqual(['after', 'kept']);
});
