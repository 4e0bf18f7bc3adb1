/**
 * database.rules.json proven through the client route (`POST /gateway/db`, answered as the
 * mini-program's SDK answers): every declared collection × {the document's owner, a stranger, an
 * anonymous caller} × {get, count, add, update, remove}. The model it checks (docs/security.md):
 * no client writes anything; no client reads anything except published notices and disclosures,
 * and those only with a query that asks for published ones (rules are not filters). Every refusal
 * is -502003 and leaves the data exactly as it was.
 *
 * A second cloud whose rules lack `staff_roles` shows the matrix has teeth: there a client forges
 * a staff role, as CloudBase's default for a collection without a rule would let it.
 */
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { readDatabaseRules } from '../../tools/security-rules';
import { ensureSchema, startTestCloud, useTestCloud } from '../helpers/cloud';

const OWNER = 'o_matrix_owner';
const STRANGER = 'o_matrix_stranger';
/** What clients may read, and with which condition: the security model, stated independently. */
const PUBLIC_WHEN = { status: 'published' };
const PUBLIC = new Set(['notices', 'disclosures']);

type DbReply = {
  status: number;
  body: { errCode?: number; errMsg?: string; data?: { _id: string }[]; total?: number };
};

async function db(cloud: LocalCloud, req: Record<string, unknown>): Promise<DbReply> {
  const res = await fetch(`${cloud.url}/gateway/db`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  return { status: res.status, body: (await res.json()) as DbReply['body'] };
}

const DENIED = { status: 403, body: expect.objectContaining({ errCode: -502003 }) as unknown };

const cloud = useTestCloud({ seeder: undefined, per: 'file' });
beforeAll(async () => {
  ensureSchema(cloud.store);
  for (const { name, indexes } of COLLECTIONS) {
    // One document the owner would own by every convention the app uses, published and not;
    // fields of unique indexes get the document's id so the two do not collide.
    const doc = (status: string) => {
      const d: Record<string, unknown> = {
        _id: `${status === 'published' ? 'pub' : 'draft'}_${name}`,
        _openid: OWNER,
        openid: OWNER,
        communityId: `c_m_${status}`,
        status,
      };
      for (const k of indexes.filter((i) => i.unique).flatMap((i) => i.keys)) d[k] ??= d._id;
      return d;
    };
    cloud.store.insert(name, [doc('published'), doc('draft')]);
  }
});

const IDENTITIES = [
  ['owner', OWNER],
  ['stranger', STRANGER],
  ['anonymous', undefined],
] as const;

test('the matrix covers every declared collection and the rules file has nothing else', () => {
  expect(Object.keys(readDatabaseRules()).sort()).toEqual(COLLECTIONS.map((c) => c.name).sort());
  expect(COLLECTIONS.length).toBeGreaterThanOrEqual(50);
  // The daily backups' manifests (docs/backup.md) are as closed as the data they describe.
  expect(COLLECTIONS.map((c) => c.name)).toContain('backups');
});

describe.each(COLLECTIONS.map((c) => [c.name]))('%s', (name) => {
  const snapshot = () => JSON.stringify(cloud.store.find(name, {}, { sort: { _id: 1 } }));

  test.each(IDENTITIES)(
    '%s: reads as the model says, writes refused, nothing changes',
    async (_who, openid) => {
      const before = snapshot();
      const as = (req: Record<string, unknown>) => db(cloud, { openid, collection: name, ...req });

      // Reads: an unconditioned query, one's "own" documents, drafts: never.
      for (const where of [
        {},
        { _openid: '{openid}' },
        { openid: '{openid}' },
        { status: 'draft' },
      ]) {
        expect(await as({ action: 'get', where })).toEqual(DENIED);
        expect(await as({ action: 'count', where })).toEqual(DENIED);
      }
      // Published documents: only where the model says they are public.
      const published = await as({ action: 'get', where: PUBLIC_WHEN });
      const counted = await as({ action: 'count', where: PUBLIC_WHEN });
      if (PUBLIC.has(name)) {
        expect(published.status).toBe(200);
        expect(published.body.data!.map((d) => d._id)).toEqual([`pub_${name}`]);
        expect(counted.body.total).toBe(1);
      } else {
        expect(published).toEqual(DENIED);
        expect(counted).toEqual(DENIED);
      }

      // Writes: never, whatever the caller claims.
      expect(
        await as({
          action: 'add',
          data: { communityId: 'c_m', role: 'admin', openid, _openid: OWNER },
        }),
      ).toEqual(DENIED);
      for (const where of [
        { _id: `pub_${name}` },
        { _id: `pub_${name}`, _openid: '{openid}' },
        PUBLIC_WHEN,
      ]) {
        expect(await as({ action: 'update', where, data: { status: 'hacked' } })).toEqual(DENIED);
        expect(await as({ action: 'remove', where })).toEqual(DENIED);
      }
      expect(snapshot()).toBe(before);
    },
  );
});

test('a client cannot forge a staff role (the issue’s example), and the role it tried is not there', async () => {
  const forged = await db(cloud, {
    openid: STRANGER,
    collection: 'staff_roles',
    action: 'add',
    data: { communityId: 'c_m', openid: STRANGER, roles: ['admin'] },
  });
  expect(forged).toEqual(DENIED);
  expect(cloud.store.count('staff_roles', { openid: STRANGER })).toBe(0);
});

test('the client SDK’s shape: 20 documents a page at most, errors name the API', async () => {
  cloud.store.insert(
    'notices',
    Array.from({ length: 25 }, (_, i) => ({ _id: `bulk_${i}`, status: 'published' })),
  );
  try {
    const page = await db(cloud, {
      openid: STRANGER,
      collection: 'notices',
      action: 'get',
      where: PUBLIC_WHEN,
      limit: 100,
    });
    expect(page.body.data).toHaveLength(20);
    const refused = await db(cloud, { openid: STRANGER, collection: 'rooms', action: 'get' });
    expect(refused.body.errMsg).toBe(
      'collection.get:fail -502003 database permission denied | errMsg: Permission denied',
    );
    const missing = await db(cloud, { openid: STRANGER, collection: 'nope', action: 'get' });
    expect(missing.body.errCode).toBe(-502005);
  } finally {
    cloud.store.remove('notices', { _id: { $regex: '^bulk_' } }, { multi: true });
  }
});

describe('with a rule missing (what the deploy check prevents)', () => {
  let drifted: LocalCloud;
  beforeAll(async () => {
    const rules = readDatabaseRules();
    delete rules.staff_roles;
    drifted = await startTestCloud({ seeder: undefined, rules: { database: rules } });
    ensureSchema(drifted.store);
  });
  afterAll(async () => {
    await drifted.close();
  });

  test('staff_roles falls back to CloudBase’s creator-only default, and a client forges a role', async () => {
    const forged = await db(drifted, {
      openid: STRANGER,
      collection: 'staff_roles',
      action: 'add',
      data: { communityId: 'c_m', openid: STRANGER, roles: ['admin'] },
    });
    expect(forged.status).toBe(200);
    expect(drifted.store.find('staff_roles', { openid: STRANGER })).toEqual([
      expect.objectContaining({ _openid: STRANGER, roles: ['admin'] }),
    ]);
  });

  test('under that default a client changes only what its query pins as its own', async () => {
    drifted.store.insert('staff_roles', [
      { _id: 'theirs', _openid: OWNER, communityId: 'c_m', openid: OWNER, roles: ['cashier'] },
    ]);
    const as = (req: Record<string, unknown>) =>
      db(drifted, { openid: STRANGER, collection: 'staff_roles', ...req });
    // not pinned to the caller: refused even though some matches are the caller's
    expect(await as({ action: 'update', where: {}, data: { roles: ['admin'] } })).toEqual(DENIED);
    expect(await as({ action: 'get', where: { communityId: 'c_m' } })).toEqual(DENIED);
    const mine = await as({
      action: 'update',
      where: { _openid: '{openid}' },
      data: { roles: ['finance'] },
    });
    expect(mine.body).toMatchObject({ stats: { updated: 1 } });
    const read = await as({ action: 'get', where: { _openid: '{openid}' } });
    expect(read.body.data!.map((d) => d._id)).toHaveLength(1);
    expect(drifted.store.find('staff_roles', { _id: 'theirs' })[0]).toMatchObject({
      roles: ['cashier'],
    });
  });
});

describe('public collections on the demo data', () => {
  let demo: LocalCloud;
  beforeAll(async () => {
    demo = await startTestCloud({ seed: 'demo' });
  });
  afterAll(async () => {
    await demo.close();
  });

  /**
   * Paths in what a stranger can read from public collections whose value names a staff member:
   * their openid, or their name as staff see it (孙会计, 赵经理 …).
   */
  async function staffExposed(): Promise<string[]> {
    const grants = demo.store.find('staff_roles', {});
    const staff = new Set<string>(grants.map((r) => String(r.openid)));
    const names = new Set<string>(grants.map((r) => String(r.name ?? '')).filter(Boolean));
    expect(staff.size).toBeGreaterThan(0);
    expect(names.size).toBeGreaterThan(0);
    const found = new Set<string>();
    const walk = (v: unknown, at: string) => {
      if (typeof v === 'string' && (staff.has(v) || names.has(v))) found.add(at);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, at));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
    };
    for (const name of PUBLIC) {
      const r = await db(demo, {
        openid: STRANGER,
        collection: name,
        action: 'get',
        where: PUBLIC_WHEN,
      });
      expect(r.status).toBe(200);
      expect(r.body.data!.length).toBeGreaterThan(0);
      for (const d of r.body.data!) walk(d, name);
    }
    return [...found].sort();
  }

  // Issue 20: who published a notice, or prepared, reviewed and published a disclosure, is kept
  // in staff_signoffs (closed to clients), never on the public documents.
  test('published notices and disclosures name no staff member, by openid or by name', async () => {
    expect(await staffExposed()).toEqual([]);
    expect(demo.store.count('staff_signoffs', {})).toBeGreaterThanOrEqual(2);
    for (const openid of [STRANGER, DEMO_USERS.owner, DEMO_USERS.admin]) {
      const read = await db(demo, { openid, collection: 'staff_signoffs', action: 'get' });
      expect(read).toEqual(DENIED);
    }
  });
});
