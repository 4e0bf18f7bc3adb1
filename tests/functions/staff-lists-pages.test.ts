/**
 * Staff lists that grow with the rooms and the years, a page at a time (issue 16): on a community
 * with 1,200 charges, 900 deposits — their times tied in threes — and a notice that texted 1,500
 * rooms, `charge.charges`, `charge.deposits` and `notice.smsList` walk their lists page by page
 * with every item exactly once, in the list's order, each page in the same small number of
 * database requests, with the list's total; the deposit totals are the database's sums over every
 * deposit and ledger entry, whatever page is shown.
 */
import { COMMUNITY, benchRoom } from '../../tools/bench/rooms';
import { seedChargeLists, type SeededChargeLists } from '../../tools/bench/charges';
import { BENCH_NOTICE, seedNoticeSms } from '../../tools/bench/sms';
import { BENCH_CASHIERS, BENCH_FINANCE, seedShifts } from '../../tools/bench/shifts';
import { insertTickets } from '../../tools/bench/complaints';
import { median } from '../../miniprogram/domain/complaint/rules';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { ServiceDashboard } from '../../miniprogram/domain/complaint/contract';
import { ensureSchema, useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  ChargeView,
  DepositTotals,
  DepositView,
} from '../../miniprogram/domain/charge/contract';
import type { SmsView } from '../../miniprogram/domain/notice/contract';
import type { ShiftView } from '../../miniprogram/domain/payment/shift';

const cloud = useTestCloud({ per: 'file' });
const STAFF = 'o_charge_finance';
const ROOMS = 200;
/** Requests one page may make, whatever the list's size. */
const BUDGET = 8;

let seeded: SeededChargeLists;
let texts: Map<string, string>;
let shifts: Map<string, string>;
beforeAll(() => {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [{ _id: COMMUNITY, name: '基准小区', servicePhone: '0571-1' }]);
  store.insert('staff_roles', [
    {
      _id: `${COMMUNITY}:${STAFF}`,
      communityId: COMMUNITY,
      openid: STAFF,
      roles: ['finance', 'cashier'],
      name: '小李',
    },
  ]);
  store.insert(
    'rooms',
    Array.from({ length: ROOMS }, (_, i) => benchRoom(i)),
  );
  seeded = seedChargeLists(store, ROOMS, 1_200, 900);
  texts = seedNoticeSms(store, ROOMS, 1_500);
  shifts = seedShifts(store, 600);
});

interface Page {
  nextCursor: string | null;
  total: number;
}
type ChargesPage = Page & { charges: ChargeView[]; thresholdFen: number };
type DepositsPage = Page & { deposits: DepositView[]; totals: DepositTotals };
type SmsPage = Page & { sms: SmsView[] };
type ShiftsPage = Page & { shifts: ShiftView[] };
type Action = 'charges' | 'deposits' | 'smsList' | 'shifts';
const FUNCTION_OF: Record<Action, string> = {
  charges: 'charge',
  deposits: 'charge',
  smsList: 'notice',
  shifts: 'payment',
};

async function pageOf<P extends Page>(
  action: Action,
  input: Record<string, unknown>,
  caller = STAFF,
): Promise<{ page: P; requests: number; bytes: number }> {
  const { reply, requests, bytes } = await countedCall(
    cloud,
    FUNCTION_OF[action],
    { action, communityId: COMMUNITY, ...input },
    caller,
  );
  const r = reply as Reply<P>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return { page: r.data, requests, bytes };
}

/** Every page from the first: the items in order, each page's request count, the last page. */
async function walk<P extends Page, T>(
  action: Action,
  items: (p: P) => T[],
  input: Record<string, unknown>,
  limit: number,
  caller = STAFF,
): Promise<{ items: T[]; requests: number[]; pages: P[] }> {
  const out: T[] = [];
  const requests: number[] = [];
  const pages: P[] = [];
  let cursor: string | undefined;
  for (;;) {
    const {
      page,
      requests: n,
      bytes,
    } = await pageOf<P>(action, { ...input, limit, cursor }, caller);
    expect(bytes).toBeLessThan(256 * 1024);
    expect(items(page).length).toBeLessThanOrEqual(limit);
    out.push(...items(page));
    requests.push(n);
    pages.push(page);
    if (!page.nextCursor) return { items: out, requests, pages };
    cursor = page.nextCursor;
  }
}

const newestFirst = (times: string[]) => {
  const t = times.map((s) => Date.parse(s));
  expect(t).toEqual([...t].sort((a, b) => b - a));
};

test.each([
  [undefined, 50],
  ['pending-approval', 40],
])('charges (status %s), %d a page: every charge once, newest first', async (status, limit) => {
  const { items, requests, pages } = await walk<ChargesPage, ChargeView>(
    'charges',
    (p) => p.charges,
    status ? { status } : {},
    limit,
  );
  const expected = [...seeded.charges].filter(([, s]) => !status || s === status);
  const ids = items.map((c) => c.chargeId);
  // nothing lost, nothing repeated
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(new Set(expected.map(([id]) => id)));
  for (const c of items) expect(c.status).toBe(seeded.charges.get(c.chargeId));
  newestFirst(items.map((c) => c.raisedAt));
  for (const p of pages) expect(p).toMatchObject({ total: expected.length, thresholdFen: 50_000 });
  expect(requests).toHaveLength(Math.ceil(expected.length / limit));
  expect(Math.max(...requests)).toBeLessThanOrEqual(BUDGET);
  console.log(
    `charge.charges ${status ?? 'all'}, ${expected.length} items, ${limit} a page: requests per page ${[...new Set(requests)].join('/')}`,
  );
});

test.each([
  [undefined, 50],
  ['refunded', 100],
])('deposits (status %s), %d a page: every deposit once, newest first', async (status, limit) => {
  const { items, requests, pages } = await walk<DepositsPage, DepositView>(
    'deposits',
    (p) => p.deposits,
    status ? { status } : {},
    limit,
  );
  const expected = [...seeded.deposits].filter(([, s]) => !status || s === status);
  const ids = items.map((d) => d.depositId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(new Set(expected.map(([id]) => id)));
  newestFirst(items.map((d) => d.requestedAt));
  // each refunded deposit carries its own ledger lines, whichever page it is on
  for (const d of items) {
    expect(d.status).toBe(seeded.deposits.get(d.depositId));
    expect(d.collected !== null).toBe(d.status !== 'requested');
    expect(d.released !== null).toBe(d.status === 'refunded');
  }
  // the totals are the whole community's on every page, the status filter aside
  for (const p of pages) {
    expect(p.total).toBe(expected.length);
    expect(p.totals).toEqual(seeded.totals);
  }
  expect(seeded.totals.heldFen).toBe(seeded.totals.collectedFen - seeded.totals.releasedFen);
  expect(requests).toHaveLength(Math.ceil(expected.length / limit));
  expect(Math.max(...requests)).toBeLessThanOrEqual(BUDGET);
  console.log(
    `charge.deposits ${status ?? 'all'}, ${expected.length} items, ${limit} a page: requests per page ${[...new Set(requests)].join('/')}`,
  );
});

test("a notice's SMS, 100 a page: every text once, the failed first, then by room", async () => {
  const { items, requests, pages } = await walk<SmsPage, SmsView>(
    'smsList',
    (p) => p.sms,
    { noticeId: BENCH_NOTICE },
    100,
  );
  // each text once: its room and number (the last four digits tell the seeded texts apart)
  expect(new Set(items.map((s) => `${s.roomId}|${s.phones[0]}`)).size).toBe(items.length);
  expect(items).toHaveLength(texts.size);
  const statuses = items.map((s) => s.status);
  const counts = (list: string[]) =>
    list.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});
  expect(counts(statuses)).toEqual(counts([...texts.values()]));
  // the failed first, then queued, then sent; by room within each
  const rank = { failed: 0, queued: 1, sending: 2, sent: 3 };
  const keys = items.map((s) => `${rank[s.status]}|${s.roomLabel}`);
  expect(keys).toEqual([...keys].sort());
  for (const s of items) expect(s.phones[0]).toMatch(/^138\*{4}\d{4}$/);
  for (const p of pages) expect(p.total).toBe(texts.size);
  expect(requests).toHaveLength(Math.ceil(texts.size / 100));
  expect(Math.max(...requests)).toBeLessThanOrEqual(BUDGET);
  console.log(
    `notice.smsList, ${texts.size} items, 100 a page: requests per page ${[...new Set(requests)].join('/')}`,
  );
});

test.each([
  ['finance', BENCH_FINANCE, 100],
  ['a cashier', BENCH_CASHIERS[1]!, 30],
])(
  '交班日结 for %s: every shift once, newest first, the names read once a page',
  async (_who, caller, limit) => {
    const { items, requests, pages } = await walk<ShiftsPage, ShiftView>(
      'shifts',
      (p) => p.shifts,
      {},
      limit,
      caller,
    );
    const expected = [...shifts].filter(([, c]) => caller === BENCH_FINANCE || c === caller);
    const ids = items.map((s) => s.shiftId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(expected.map(([id]) => id)));
    newestFirst(items.map((s) => s.openedAt!));
    for (const s of items) {
      expect(s.cashierName).toBe(`收银员${BENCH_CASHIERS.indexOf(s.cashier) + 1}`);
      if (s.status === 'confirmed') expect(s.confirmedByName).toBe('财务小王');
    }
    for (const p of pages) expect(p.total).toBe(expected.length);
    expect(requests).toHaveLength(Math.ceil(expected.length / limit));
    expect(Math.max(...requests)).toBeLessThanOrEqual(BUDGET);
    console.log(
      `payment.shifts ${_who}, ${expected.length} items, ${limit} a page: requests per page ${[...new Set(requests)].join('/')}`,
    );
  },
);

test.each([1_001, 2_000])(
  'the service dashboard over %d tickets: medians found by the database, in a fixed number of requests',
  async (count) => {
    const store = cloud.store;
    store.remove('complaints', {}, { multi: true });
    const now = cloud.clock.now();
    insertTickets(store, count, now);
    const grant = { communityId: COMMUNITY, openid: 'o_service', roles: ['service'], name: '客服' };
    if (store.find('staff_roles', { openid: 'o_service' }).length === 0)
      store.insert('staff_roles', [{ _id: `${COMMUNITY}:o_service`, ...grant }]);
    const to = shanghaiDate(new Date(now));
    const from = shanghaiDate(new Date(now - 400 * 86_400_000));
    const { reply, requests } = await countedCall(
      cloud,
      'complaint',
      { action: 'dashboard', communityId: COMMUNITY, from, to },
      'o_service',
    );
    const r = reply as Reply<ServiceDashboard>;
    if (!r.ok) throw new Error(r.message);
    const tickets = store.find('complaints', { communityId: COMMUNITY }) as unknown as {
      firstResponseMinutes: number | null;
      resolutionMinutes: number | null;
    }[];
    const of = (f: 'firstResponseMinutes' | 'resolutionMinutes') =>
      median(tickets.map((t) => t[f]).filter((n): n is number => n !== null));
    expect(r.data.total).toBe(count);
    expect(r.data.medianFirstResponseMinutes).toBe(of('firstResponseMinutes'));
    expect(r.data.medianResolutionMinutes).toBe(of('resolutionMinutes'));
    expect(requests).toBeLessThanOrEqual(12);
    console.log(`complaint.dashboard, ${count} tickets: ${requests} requests`);
  },
);

test('a cursor past the end gives an empty last page with the total', async () => {
  const { page } = await pageOf<ChargesPage>('charges', { limit: 20, cursor: (5000).toString(36) });
  expect(page).toMatchObject({ charges: [], nextCursor: null, total: seeded.charges.size });
});

test('a limit above 100 is refused, naming the field', async () => {
  const reply = (await cloud.call(
    'charge',
    { action: 'deposits', communityId: COMMUNITY, limit: 500 },
    STAFF,
  )) as Reply<unknown>;
  expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(!reply.ok && reply.message).toMatch(/limit/);
});
