/**
 * The reading sheet at scale (issue 16): on the demo community with 3,000 more rooms and a meter
 * item read in every room, `fee.readingSheet` answers any page — all rooms, 未录入 (pending),
 * flagged, submitted, with or without a building — in a fixed number of database requests, and
 * its counts and totals equal a hand count from the stored rooms and readings.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_METER_ITEM } from '../../tools/seed/fees';
import { roomSortKey } from '../../miniprogram/domain/community/vocabulary';
import type { ReadingSheet } from '../../miniprogram/domain/fee/readings.contract';
import { caller } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const { call: fee } = caller(cloud, 'fee', DEMO_USERS.finance);
const C = DEMO_COMMUNITY_ID;
const ITEM = 'water_all';
const PERIOD = '2026-11';
const EXTRA = 3000;
/**
 * Requests per sheet call, whatever the community's size (issue 16): the caller's role, the
 * item, its buildings, the counts, the page with its readings, the page's previous readings.
 * (Before the sheet was an aggregation it was 10–11 here and 43 at 20,000 rooms.)
 */
const BUDGET = 6;

/** Statuses in turn over the extra rooms; every fifth room has no reading (未录入). */
const STATUSES = ['ok', 'flagged', 'submitted', 'confirmed', null, 'rejected', 'billed'] as const;

beforeAll(() => {
  const [standard] = cloud.store.find('fee_standards', {
    _id: `fs_${C}_${DEMO_METER_ITEM}`,
  });
  cloud.store.insert('fee_standards', [
    {
      ...standard,
      _id: `fs_${C}_${ITEM}`,
      itemId: ITEM,
      name: '全区水费',
      applicability: { scope: 'all' },
    },
  ]);
  const now = new Date('2026-12-01T00:00:00Z');
  const rooms = Array.from({ length: EXTRA }, (_, i) => {
    const building = String(20 + Math.floor(i / 300));
    const unit = String(1 + (Math.floor(i / 100) % 3));
    const number = String(101 + (i % 100));
    return {
      _id: `r_scale_${i}`,
      communityId: C,
      building,
      unit,
      number,
      sortKey: roomSortKey({ building, unit, number }),
      createdAt: now,
      updatedAt: now,
    };
  });
  cloud.store.insert('rooms', rooms);
  const readings = rooms.flatMap((room, i) => {
    const status = STATUSES[i % STATUSES.length];
    if (!status) return [];
    return [
      {
        _id: `mr_${room._id}_${ITEM}_${PERIOD}`,
        communityId: C,
        roomId: room._id,
        itemId: ITEM,
        period: PERIOD,
        previous: '100',
        current: '110',
        multiplier: '1',
        loss: '0',
        usage: '10',
        readOn: `${PERIOD}-28`,
        status,
        flags: status === 'flagged' ? ['spike'] : [],
        median: null,
        note: null,
        enteredBy: 'seed',
        enteredAt: now,
      },
    ];
  });
  // A reading of another period must not count.
  readings.push({ ...readings[0]!, _id: `mr_r_scale_0_${ITEM}_2026-10`, period: '2026-10' });
  cloud.store.insert('meter_readings', readings);
});

const sheet = (extra: Record<string, unknown> = {}) =>
  countedCall(
    cloud,
    'fee',
    { action: 'readingSheet', communityId: C, itemId: ITEM, period: PERIOD, ...extra },
    DEMO_USERS.finance,
  );

/** The hand count: every room of the community, its reading of the period if any. */
function handCount(building?: string) {
  const rooms = cloud.store
    .find('rooms', building ? { communityId: C, building } : { communityId: C })
    .sort((a, b) => ((a.sortKey as string) < (b.sortKey as string) ? -1 : 1));
  const readings = new Map(
    cloud.store
      .find('meter_readings', { communityId: C, itemId: ITEM, period: PERIOD })
      .map((r) => [r.roomId as string, r.status as string]),
  );
  const statusOf = (id: string) => readings.get(id);
  const n = (s: string) => rooms.filter((r) => statusOf(r._id) === s).length;
  return {
    rooms,
    statusOf,
    counts: {
      rooms: rooms.length,
      entered: rooms.filter((r) => statusOf(r._id)).length,
      flagged: n('flagged'),
      submitted: n('submitted'),
      confirmed: n('confirmed'),
      rejected: n('rejected'),
      billed: n('billed'),
    },
  };
}

test('every page and filter costs a fixed number of requests; counts equal a hand count', async () => {
  const hand = handCount();
  expect(hand.rooms.length).toBeGreaterThan(EXTRA);
  const pending = hand.rooms.filter((r) => [undefined, 'rejected'].includes(hand.statusOf(r._id)));
  const cases = [
    { filter: 'all', expected: hand.rooms },
    { filter: 'pending', expected: pending },
    { filter: 'flagged', expected: hand.rooms.filter((r) => hand.statusOf(r._id) === 'flagged') },
    {
      filter: 'submitted',
      expected: hand.rooms.filter((r) => hand.statusOf(r._id) === 'submitted'),
    },
  ];
  const used: number[] = [];
  for (const { filter, expected } of cases) {
    for (const from of [0, 1200, expected.length - 30]) {
      const cursor = from ? from.toString(36) : undefined;
      const { requests, reply } = await sheet({ filter, cursor, limit: 50 });
      const page = (reply as { data: ReadingSheet }).data;
      used.push(requests);
      expect(page.counts).toEqual(hand.counts);
      expect(page.total).toBe(expected.length);
      expect(page.rows.map((r) => r.roomId)).toEqual(
        expected.slice(from, from + 50).map((r) => r._id),
      );
      for (const row of page.rows) {
        expect(row.reading?.status).toBe(hand.statusOf(row.roomId));
      }
    }
  }
  console.log(`fee.readingSheet: ${used.join(' ')} requests per page`);
  expect(Math.max(...used)).toBeLessThanOrEqual(BUDGET);
});

test('a building: its rooms only, counted the same way, in the same budget', async () => {
  const hand = handCount('21');
  const { requests, reply } = await sheet({ building: '21', filter: 'pending', limit: 100 });
  const page = (reply as { data: ReadingSheet }).data;
  expect(requests).toBeLessThanOrEqual(BUDGET);
  expect(page.counts).toEqual(hand.counts);
  const pending = hand.rooms.filter((r) => [undefined, 'rejected'].includes(hand.statusOf(r._id)));
  expect(page.total).toBe(pending.length);
  expect(page.rows.map((r) => r.roomId)).toEqual(pending.slice(0, 100).map((r) => r._id));
  // The page shows what the database holds, through the ordinary caller too.
  const same = await fee<ReadingSheet>({
    action: 'readingSheet',
    communityId: C,
    itemId: ITEM,
    period: PERIOD,
    building: '21',
    filter: 'pending',
    limit: 100,
  });
  expect(same.rows).toEqual(page.rows);
});
