/**
 * 支付异常 a page at a time (issue 16): on a desk of 1,500 exceptions — notifications and failed
 * refunds mixed, their times tied in threes — `payment.exceptions` walks either tab page by page
 * with every exception exactly once, in the tab's time order (open: oldest first; resolved: newest
 * first), each page in the same small number of database requests (the page's orders, rooms and
 * payments in one read each, never one per refund), with the tab's total and the open count.
 */
import { COMMUNITY, benchRoom } from '../../tools/bench/rooms';
import { seedExceptions, type SeededDesk } from '../../tools/bench/exceptions';
import { ensureSchema, useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { PayExceptionView } from '../../miniprogram/domain/payment/exceptions.contract';

const cloud = useTestCloud({ per: 'file' });
const FINANCE = 'o_desk_finance';
const ROOMS = 200;
const COUNT = 1_500;
/** Requests one page may make, whatever the desk's size. */
const BUDGET = 10;

let desk: SeededDesk;
beforeAll(() => {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [{ _id: COMMUNITY, name: '基准小区', servicePhone: '0571-1' }]);
  store.insert('staff_roles', [
    {
      _id: `${COMMUNITY}:${FINANCE}`,
      communityId: COMMUNITY,
      openid: FINANCE,
      roles: ['finance'],
      name: '小李',
    },
  ]);
  store.insert(
    'rooms',
    Array.from({ length: ROOMS }, (_, i) => benchRoom(i)),
  );
  desk = seedExceptions(store, ROOMS, COUNT);
});

interface DeskPage {
  exceptions: PayExceptionView[];
  nextCursor: string | null;
  total: number;
  openCount: number;
}

async function pageOf(
  input: Record<string, unknown>,
): Promise<{ page: DeskPage; requests: number; bytes: number }> {
  const { reply, requests, bytes } = await countedCall(
    cloud,
    'payment',
    { action: 'exceptions', communityId: COMMUNITY, ...input },
    FINANCE,
  );
  const r = reply as Reply<DeskPage>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return { page: r.data, requests, bytes };
}

/** Every page of a tab from the first; the items in order and each page's request count. */
async function walk(
  status: 'open' | 'resolved',
  limit: number,
  pages = Infinity,
): Promise<{ items: PayExceptionView[]; requests: number[]; last: DeskPage }> {
  const items: PayExceptionView[] = [];
  const requests: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { page, requests: n, bytes } = await pageOf({ status, limit, cursor });
    expect(bytes).toBeLessThan(256 * 1024);
    expect(page.exceptions.length).toBeLessThanOrEqual(limit);
    items.push(...page.exceptions);
    requests.push(n);
    if (!page.nextCursor || requests.length >= pages) return { items, requests, last: page };
    expect(page.nextCursor.length).toBeLessThanOrEqual(200);
    cursor = page.nextCursor;
  }
}

const ids = (list: PayExceptionView[]) => list.map((e) => e.exceptionId);
const times = (list: PayExceptionView[]) => list.map((e) => Date.parse(e.at));

test.each([
  ['open', 50],
  ['resolved', 100],
] as const)(
  'the %s tab, %d a page: every exception once, in time order, each page in the same few requests',
  async (status, limit) => {
    const seeded = desk[status];
    const { items, requests, last } = await walk(status, limit);
    // nothing lost, nothing repeated
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(new Set(ids(items))).toEqual(new Set(seeded.keys()));
    for (const e of items) expect(Date.parse(e.at)).toBe(seeded.get(e.exceptionId));
    // open: the oldest first; resolved: the newest first
    const t = times(items);
    const sorted = [...t].sort((a, b) => (status === 'open' ? a - b : b - a));
    expect(t).toEqual(sorted);
    expect(last).toMatchObject({ total: seeded.size, openCount: desk.open.size });
    // a fixed number of requests a page, whatever its place in the list
    expect(requests).toHaveLength(Math.ceil(seeded.size / limit));
    expect(Math.max(...requests)).toBeLessThanOrEqual(BUDGET);
    console.log(
      `payment.exceptions ${status}, ${seeded.size} items, ${limit} a page: requests per page ${[...new Set(requests)].join('/')}`,
    );
  },
);

test('a page mixes both kinds with their rooms; pages cut inside tied times lose and repeat nothing', async () => {
  const { page } = await pageOf({ status: 'resolved', limit: 9 });
  const kinds = new Set(page.exceptions.map((e) => e.kind));
  expect([...kinds].sort()).toEqual(['refund-failed', 'short-paid', 'unknown-order']);
  for (const e of page.exceptions) {
    if (e.kind === 'unknown-order') expect(e.roomLabels).toEqual([]);
    else expect(e.roomLabels[0]).toMatch(/^\d+栋\d单元\d+$/);
    expect(e.resolution).toMatchObject({ action: 'close' });
  }
  // Two pages of 7 (the second starts inside a minute shared by three) are the first 14 of a
  // page of 14.
  const small = await walk('resolved', 7, 2);
  const { page: big } = await pageOf({ status: 'resolved', limit: 14 });
  expect(ids(small.items)).toEqual(ids(big.exceptions));
  expect(new Set(small.items.map((e) => e.kind)).size).toBe(3);
});

test('an exception resolved between two pages neither hides nor repeats another', async () => {
  const whole = (await walk('open', 100, 1)).items;
  const first = await pageOf({ status: 'open', limit: 50 });
  const gone = first.page.exceptions[10]!;
  cloud.store.update(
    'pay_exceptions',
    { _id: gone.exceptionId },
    { $set: { status: 'resolved' } },
    { multi: false, replace: false, upsert: false },
  );
  try {
    const second = await pageOf({ status: 'open', limit: 50, cursor: first.page.nextCursor });
    expect(ids(second.page.exceptions)).toEqual(ids(whole.slice(50, 100)));
    expect(second.page.total).toBe(desk.open.size - 1);
  } finally {
    cloud.store.update(
      'pay_exceptions',
      { _id: gone.exceptionId },
      { $set: { status: 'open' } },
      { multi: false, replace: false, upsert: false },
    );
  }
});

test('a cursor that is not one is refused, naming the field', async () => {
  for (const cursor of ['abc', '{"x":[1,"a"]}', '{"p":["t","a"]}']) {
    const reply = (await cloud.call(
      'payment',
      { action: 'exceptions', communityId: COMMUNITY, cursor },
      FINANCE,
    )) as Reply<DeskPage>;
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(JSON.stringify(reply)).toContain('cursor');
  }
});
