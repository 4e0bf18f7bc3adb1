/**
 * The sums with late fees on (issue 16): the database holds each bill's late fee as settled at
 * the last month end, owners and staff are shown it as of today. A week after the month-end
 * settlement the reports and the overdue list must add up exactly what the cashier's desk shows
 * bill by bill (`payment.roomBills`) and the case page shows room by room (`overdue.case`), in a
 * bounded number of database requests.
 */
import { agingBucket, overdueDaysOn } from '../../miniprogram/domain/ledger/aging';
import { isPastDue, type BillSummary } from '../../miniprogram/domain/fee/bill';
import type {
  AgingReport,
  ArrearsReport,
  CollectionReport,
  ReasonsReport,
} from '../../miniprogram/domain/report/contract';
import type { CaseItem } from '../../miniprogram/domain/overdue/contract';
import { dataOf } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import { DEMO_USERS } from '../../tools/seed/demo';
import type { LateFeeRule } from '../../miniprogram/domain/fee/types';
import { lateFeeAsOf } from '../../cloudfunctions/_shared/ledger/state';
import { C } from './money-helpers';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const TODAY = '2026-12-09';
const OPEN = ['unpaid', 'partial'];

interface Stored {
  _id: string;
  roomId: string;
  period: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  dueDate: string;
  status: string;
  spaceKind?: string;
  lateFee?: { accruedThrough: string | null };
}

/** A bill as staff are shown it today: its late fee and outstanding amount. */
interface Today {
  bill: Stored;
  building: string;
  lateFeeFen: number;
  out: number;
}

let today: Today[];
/** Requests of each counted call, printed at the end (the figures docs/reports.md quotes). */
const measured: string[] = [];
afterAll(() => console.log(`database requests with late fees on: ${measured.join(', ')}`));

/** A report call with its database requests. */
async function counted<T>(
  fn: 'report' | 'overdue',
  event: Record<string, unknown>,
  openid: string = DEMO_USERS.finance,
): Promise<{ data: T; requests: number }> {
  const { reply, requests } = await countedCall(cloud, fn, { communityId: C, ...event }, openid);
  measured.push(`${fn}.${String(event.action)} ${requests}`);
  return { data: await dataOf<T>(reply), requests };
}

const sum = (list: readonly Today[], f: (t: Today) => number) => list.reduce((s, t) => s + f(t), 0);

const RULE: LateFeeRule = {
  enabled: true,
  rateBpPerDay: 5,
  graceDays: 5,
  cap: { kind: 'percentOfPrincipal', bp: 3000 },
};

/**
 * Late fees on for every fee item of the demo (万分之五 a day after 5 days' grace, capped at 30%
 * of the principal, so most of the demo's overdue bills are still accruing in December).
 */
function enableLateFees(): void {
  cloud.store.update(
    'fee_standards',
    { communityId: C },
    { $set: { lateFee: RULE } },
    { multi: true, replace: false, upsert: false },
  );
}

beforeAll(async () => {
  enableLateFees();
  // The first overdue run of December settles every open bill's late fee through November 30.
  await cloud.setClock(Date.parse('2026-12-01T08:00:00+08:00'), { fireTimers: false });
  await cloud.fireTimer('overdue');
  await cloud.setClock(Date.parse(`${TODAY}T10:00:00+08:00`), { fireTimers: false });
  const rooms = new Map(
    cloud.store.find('rooms', { communityId: C }).map((r) => [String(r._id), String(r.building)]),
  );
  const bills = cloud.store.find('bills', { communityId: C }) as unknown as Stored[];
  // What the cashier's desk shows for every room with an open bill.
  const shown = new Map<string, BillSummary>();
  for (const roomId of new Set(bills.filter((b) => OPEN.includes(b.status)).map((b) => b.roomId))) {
    const desk = await dataOf<{ unpaid: BillSummary[] }>(
      cloud.call('payment', { action: 'roomBills', roomId }, DEMO_USERS.cashier),
    );
    for (const b of desk.unpaid) shown.set(b.billId, b);
  }
  today = bills
    .filter((b) => b.status !== 'void' && rooms.has(b.roomId))
    .map((bill) => {
      const s = shown.get(bill._id);
      return {
        bill,
        building: rooms.get(bill.roomId)!,
        lateFeeFen: s?.lateFeeFen ?? bill.lateFeeFen,
        out: s?.outstandingFen ?? 0,
      };
    });
}, 120_000);

test('a week after the month-end settlement, what staff are shown has grown past what is stored', () => {
  const settled = today.filter((t) => t.bill.lateFee?.accruedThrough === '2026-11-30');
  expect(settled.length).toBeGreaterThan(0);
  const grown = today.filter((t) => t.lateFeeFen > t.bill.lateFeeFen);
  expect(grown.length).toBeGreaterThan(3);
  // Growth is only ever on bills that owe principal (so no room enters or leaves arrears by it).
  for (const t of grown) expect(t.bill.amountDueFen).toBeGreaterThan(t.bill.paidFen);
});

test('aging: every bucket of every building is the sum of what is shown today, rooms unchanged', async () => {
  for (const asOf of [TODAY, '2026-11-20']) {
    const { data, requests } = await counted<AgingReport>('report', {
      action: 'aging',
      ...(asOf === TODAY ? {} : { asOf }),
    });
    const owing = today.filter(
      (t) => OPEN.includes(t.bill.status) && t.bill.dueDate <= asOf && t.out > 0,
    );
    const bucket = (t: Today) => agingBucket(overdueDaysOn(t.bill.dueDate, asOf));
    expect(data.total.totalFen).toBe(sum(owing, (t) => t.out));
    expect(data.total.rooms).toBe(new Set(owing.map((t) => t.bill.roomId)).size);
    for (const row of data.buildings) {
      const mine = owing.filter((t) => t.building === row.building);
      expect(row.totalFen).toBe(sum(mine, (t) => t.out));
      for (const [b, cell] of Object.entries(row.buckets)) {
        const inBucket = mine.filter((t) => bucket(t) === b);
        expect(cell.fen).toBe(sum(inBucket, (t) => t.out));
        expect(cell.bills).toBe(inBucket.length);
      }
    }
    // 4 as before, plus the late-fee rules, one page of candidate bills and the holds.
    expect(requests).toBeLessThanOrEqual(7);
  }
});

test('largest arrears: ranked and summed on what is shown today', async () => {
  const byRoom = new Map<string, number>();
  for (const t of today)
    if (OPEN.includes(t.bill.status) && t.bill.dueDate <= TODAY && t.out > 0)
      byRoom.set(t.bill.roomId, (byRoom.get(t.bill.roomId) ?? 0) + t.out);
  const expected = [...byRoom]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([roomId, fen]) => ({ roomId, outstandingFen: fen }));
  for (const limit of [3, 20]) {
    const { data, requests } = await counted<ArrearsReport>('report', { action: 'arrears', limit });
    expect(
      data.entries.map((e) => ({ roomId: e.roomId, outstandingFen: e.outstandingFen })),
    ).toEqual(expected.slice(0, limit));
    expect(requests).toBeLessThanOrEqual(10);
  }
});

test('collection: due and outstanding of every period, building and kind include today’s late fees', async () => {
  const first = await counted<CollectionReport>('report', { action: 'collection' });
  const periods = first.data.periods;
  let grownPeriods = 0;
  for (const period of periods) {
    const { data, requests } = await counted<CollectionReport>('report', {
      action: 'collection',
      period,
    });
    const mine = today.filter((t) => t.bill.period === period);
    const due = (t: Today) => t.bill.amountDueFen + t.lateFeeFen;
    if (mine.some((t) => t.lateFeeFen > t.bill.lateFeeFen)) grownPeriods++;
    expect(data.total).toMatchObject({
      dueFen: sum(mine, due),
      outstandingFen: sum(mine, (t) => t.out),
      collectedFen: sum(mine, (t) => due(t) - t.out),
      arrearsRooms: new Set(mine.filter((t) => t.out > 0).map((t) => t.bill.roomId)).size,
    });
    for (const row of data.buildings) {
      const b = mine.filter((t) => t.building === row.building);
      expect([row.dueFen, row.outstandingFen]).toEqual([sum(b, due), sum(b, (t) => t.out)]);
    }
    for (const k of data.byKind) {
      const b = mine.filter((t) => (t.bill.spaceKind ?? 'room') === k.kind);
      expect([k.dueFen, k.outstandingFen]).toEqual([sum(b, due), sum(b, (t) => t.out)]);
    }
    // 6 as before, plus the late-fee rules, one page of candidate bills and the holds.
    expect(requests).toBeLessThanOrEqual(9);
  }
  expect(grownPeriods).toBeGreaterThan(0);
});

test('non-payment reasons: complaints from rooms in arrears as shown today', async () => {
  const { data, requests } = await counted<ReasonsReport>('report', { action: 'reasons' });
  const inArrears = new Set(
    today
      .filter((t) => OPEN.includes(t.bill.status) && t.bill.dueDate <= TODAY && t.out > 0)
      .map((t) => t.bill.roomId),
  );
  const from = Date.parse(`${data.from}T00:00:00+08:00`);
  const complaints = cloud.store
    .find('complaints', { communityId: C, kind: 'complaint' })
    .filter((c) => new Date(c.createdAt as string).getTime() >= from);
  expect(data.complaints.total).toBe(complaints.length);
  expect(data.complaints.fromArrearsRooms).toBe(
    complaints.filter((c) => inArrears.has(String(c.roomId))).length,
  );
  expect(requests).toBeLessThanOrEqual(8);
});

test('overdue.cases: every item and the total are what the case page shows today', async () => {
  const grace = Number(cloud.store.find('communities', { _id: C })[0]!.overdueGraceDays ?? 0);
  type Page = { items: CaseItem[]; total: number; totalArrearsFen: number };
  for (const filter of ['all', 'letters']) {
    const { data, requests } = await counted<Page>(
      'overdue',
      { action: 'cases', filter, limit: 200 },
      DEMO_USERS.service,
    );
    expect(requests).toBeLessThanOrEqual(10);
    expect(data.items).toHaveLength(data.total);
    for (const item of data.items) {
      const page = await dataOf<{ item: CaseItem }>(
        cloud.call(
          'overdue',
          { action: 'case', communityId: C, roomId: item.roomId },
          DEMO_USERS.service,
        ),
      );
      expect(item).toMatchObject({
        arrearsFen: page.item.arrearsFen,
        lateFeeFen: page.item.lateFeeFen,
        billCount: page.item.billCount,
      });
    }
    expect(data.totalArrearsFen).toBe(data.items.reduce((s, i) => s + i.arrearsFen, 0));
    if (filter === 'all') {
      const overdue = today.filter(
        (t) => OPEN.includes(t.bill.status) && t.out > 0 && isPastDue(t.bill.dueDate, TODAY, grace),
      );
      expect(data.totalArrearsFen).toBe(sum(overdue, (t) => t.out));
      expect(overdue.some((t) => t.lateFeeFen > t.bill.lateFeeFen)).toBe(true);
    }
  }
});

/** What a room owes on bills due by today: as stored, and as shown today. */
function owed(roomId: string, list = today): { stored: number; shown: number } {
  const mine = list.filter(
    (t) => t.bill.roomId === roomId && OPEN.includes(t.bill.status) && t.bill.dueDate <= TODAY,
  );
  const stored = (b: Stored) => Math.max(0, b.amountDueFen + b.lateFeeFen - b.paidFen);
  return { stored: sum(mine, (t) => stored(t.bill)), shown: sum(mine, (t) => t.out) };
}

// Last: it adds a bill to the demo.
test('largest arrears: a room whose late fee grew past the last of the list enters it', async () => {
  const top = await counted<ArrearsReport>('report', { action: 'arrears', limit: 4 });
  const [third, rival] = [top.data.entries[2]!.roomId, top.data.entries[3]!.roomId];
  // A bill for the fourth room, settled through November 30 by the rule, just large enough that
  // the room stays below the third as stored but passes it with December's days.
  const gap = owed(third).stored - owed(rival).stored;
  const bill = (fen: number) => {
    const draft = {
      _id: `b_lfsum_${rival}`,
      communityId: C,
      roomId: rival,
      period: '2026-10',
      key: 'lfsum',
      title: '物业服务费（补收）',
      items: [{ itemId: 'property', name: '物业服务费', basis: '补收', amountFen: fen }],
      amountDueFen: fen,
      lateFeeFen: 0,
      paidFen: 0,
      dueDate: '2026-10-15',
      status: 'unpaid' as const,
    };
    const settled = lateFeeAsOf(draft, new Map([['property', RULE]]), [], '2026-11-30')!;
    return { ...draft, ...settled };
  };
  let fen = Math.floor(gap / 1.0205) + 50;
  while (fen + bill(fen).lateFeeFen >= gap) fen--;
  cloud.store.insert('bills', [bill(fen)]);
  const shown = await dataOf<{ unpaid: BillSummary[] }>(
    cloud.call('payment', { action: 'roomBills', roomId: rival }, DEMO_USERS.cashier),
  );
  const added = shown.unpaid.find((b) => b.billId === bill(fen)._id)!;
  const rivalToday = owed(rival).shown + added.outstandingFen;
  expect(owed(rival).stored + fen + bill(fen).lateFeeFen).toBeLessThan(owed(third).stored);
  expect(rivalToday).toBeGreaterThan(owed(third).shown);
  const { data, requests } = await counted<ArrearsReport>('report', {
    action: 'arrears',
    limit: 3,
  });
  expect(data.entries.map((e) => [e.roomId, e.outstandingFen])).toEqual([
    [top.data.entries[0]!.roomId, top.data.entries[0]!.outstandingFen],
    [top.data.entries[1]!.roomId, top.data.entries[1]!.outstandingFen],
    [rival, rivalToday],
  ]);
  // The list as before, plus the rules, the candidate bills and the rival room's sums.
  expect(requests).toBeLessThanOrEqual(top.requests + 1);
});
