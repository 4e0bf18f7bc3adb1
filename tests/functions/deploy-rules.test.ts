/**
 * deploy's security-rule step against the local cloud's copy of CloudBase's management API
 * (TC3-signed DescribeEnvs, Describe/ModifySafeRule, Describe/ModifyStorageSafeRule), starting
 * from a drifted environment: staff_roles without a rule, rooms readable by anyone, a bucket any
 * client can read. Verifying reports each difference and changes nothing, and the CLI refuses a
 * dry run; applying fixes them, reads them back, and client requests prove the result; a wrong
 * key is refused before anything is read.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LocalCloud } from '../../tools/cloud/server';
import { LOCAL_APPID, LOCAL_ENV_ID } from '../../tools/cloud/server';
import { LOCAL_TC_SECRET_ID, LOCAL_TC_SECRET_KEY } from '../../tools/cloud/tcbapi';
import { syncSecurityRules } from '../../tools/deploy';
import { readDatabaseRules } from '../../tools/security-rules';
import { ensureSchema, startTestCloud } from '../helpers/cloud';

const ROOT = path.resolve(__dirname, '..', '..');
let cloud: LocalCloud;

beforeAll(async () => {
  const drifted = readDatabaseRules();
  delete drifted.staff_roles;
  drifted.rooms = { read: true, write: false };
  cloud = await startTestCloud({
    seeder: undefined,
    rules: { database: drifted, storage: { read: true, write: 'resource.openid == auth.openid' } },
  });
  ensureSchema(cloud.store);
  cloud.files.adminUpload('exports/c_x/letter-1.pdf', Buffer.from('%PDF-1.4 letter'));
});
afterAll(async () => {
  await cloud.close();
});

const target = () => ({
  apiBase: cloud.url,
  secretId: LOCAL_TC_SECRET_ID,
  secretKey: LOCAL_TC_SECRET_KEY,
  envId: LOCAL_ENV_ID,
  wxAppId: LOCAL_APPID,
});

async function client(pathname: string, body?: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${cloud.url}${pathname}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return res.status;
}
const forgeRole = () =>
  client('/gateway/db', {
    openid: 'o_intruder',
    collection: 'staff_roles',
    action: 'add',
    data: { communityId: 'c_x', openid: 'o_intruder', roles: ['admin'] },
  });
const readLetter = () =>
  client(
    `/gateway/file?fileID=${encodeURIComponent('cloud://local-dev.local-bucket/exports/c_x/letter-1.pdf')}`,
  );

/** `npm run deploy -- --rules [--dry-run]` as a process, pointed at the local cloud. */
function deployRulesCli(...args: string[]): Promise<{ code: number | null; out: string }> {
  const tsx = createRequire(__filename).resolve('tsx/cli', { paths: [ROOT] });
  const child = spawn(
    process.execPath,
    [tsx, path.join(ROOT, 'tools', 'deploy.ts'), '--rules', ...args],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        WX_CLOUD_ENV: LOCAL_ENV_ID,
        WX_APPID: LOCAL_APPID,
        WX_TCB_SECRET_ID: LOCAL_TC_SECRET_ID,
        WX_TCB_SECRET_KEY: LOCAL_TC_SECRET_KEY,
        WX_TCB_API_BASE: cloud.url,
      },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

test('a wrong API key is refused before anything is read or changed', async () => {
  await expect(syncSecurityRules({ ...target(), secretKey: 'wrong' }, 'apply')).rejects.toThrow(
    /AuthFailure\.SignatureFailure/,
  );
  expect(cloud.rules.describeCollection('staff_roles').tag).toBe('PRIVATE');
});

test('verifying reports every difference and changes nothing; the drift is real for clients', async () => {
  const r = await syncSecurityRules(target(), 'verify');
  expect(r.checked).toBe(readDatabaseRulesCount() + 1);
  expect(r.applied).toEqual([]);
  expect(r.differences).toEqual([
    expect.stringMatching(
      /^collection staff_roles: live is PRIVATE, the files say \{"read":false,"write":false\}$/,
    ),
    expect.stringMatching(/^collection rooms: live is CUSTOM \{"read":true,"write":false\}/),
    expect.stringMatching(/^storage bucket local-bucket: live is CUSTOM/),
  ]);
  expect(await readLetter()).toBe(200);
  expect(await forgeRole()).toBe(200);
  cloud.store.remove('staff_roles', { openid: 'o_intruder' }, { multi: true });
});

test('the CLI refuses a dry run while the live rules differ', async () => {
  const { code, out } = await deployRulesCli('--dry-run');
  expect(code).toBe(1);
  expect(out).toContain('✗ collection staff_roles');
  expect(out).toContain('the live security rules differ from the files');
});

test('applying sets each differing rule, reads it back, and clients are refused from then on', async () => {
  const r = await syncSecurityRules(target(), 'apply');
  expect(r.applied).toEqual([
    'collection staff_roles',
    'collection rooms',
    'storage bucket local-bucket',
  ]);
  expect(r.differences).toEqual([]);
  expect((await syncSecurityRules(target(), 'verify')).differences).toEqual([]);
  expect(await forgeRole()).toBe(403);
  expect(await readLetter()).toBe(403);
  expect(await client('/gateway/db', { openid: 'o_x', collection: 'rooms', action: 'get' })).toBe(
    403,
  );
  const { code, out } = await deployRulesCli('--dry-run');
  expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('0 different') });
});

test('a declared collection the environment does not have is reported, not skipped', async () => {
  const empty = await startTestCloud({ seeder: undefined });
  try {
    const missing = Object.keys(readDatabaseRules()).filter((c) => !empty.store.hasCollection(c));
    expect(missing.length).toBeGreaterThan(40);
    const r = await syncSecurityRules({ ...target(), apiBase: empty.url }, 'apply');
    expect(r.differences).toEqual(
      missing.map((c) =>
        expect.stringMatching(
          new RegExp(`^collection ${c}: not found .*create it first \\(--database\\)$`),
        ),
      ),
    );
  } finally {
    await empty.close();
  }
});

function readDatabaseRulesCount(): number {
  return Object.keys(readDatabaseRules()).length;
}
