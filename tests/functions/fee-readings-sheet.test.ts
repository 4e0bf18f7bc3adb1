/**
 * The reading sheet behind 抄表录入 through the local cloud, on the demo's seeded tap-water item
 * (building 1): rooms in reading order with the previous reading saveReadings would use, the
 * pending and flagged filters, counts, and entering a reading updating the sheet.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_METER_ITEM } from '../../tools/seed/fees';
import { addMonths } from '../../miniprogram/domain/fee';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { MeterItem, ReadingSheet } from '../../miniprogram/domain/fee/readings.contract';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import type { SavedReadings } from '../../miniprogram/domain/fee/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const C = DEMO_COMMUNITY_ID;
const { raw, call: fee } = caller(cloud, 'fee', DEMO_USERS.finance);
const lastMonth = () => addMonths(shanghaiDate(new Date(cloud.clock.now())).slice(0, 7), -1);

/** The demo tap-water item's reading sheet for a period (`extra`: filter, building, limit). */
const sheetOf = (period: string, extra: Record<string, unknown> = {}) =>
  fee<ReadingSheet>({
    action: 'readingSheet',
    communityId: C,
    itemId: DEMO_METER_ITEM,
    period,
    ...extra,
  });

test('meter items: the seeded tap water, for any staff role; owners are refused', async () => {
  const items = await fee<{ items: MeterItem[] }>(
    { action: 'meterItems', communityId: C },
    DEMO_USERS.service,
  );
  expect(items.items).toEqual([
    { itemId: DEMO_METER_ITEM, name: '自来水费（1栋代收）', unit: 'm³' },
  ]);
  expect(await raw({ action: 'meterItems', communityId: C }, DEMO_USERS.owner)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
});

test('the sheet lists building 1 in order with previous readings; pending and flagged filter it', async () => {
  const period = lastMonth();
  const sheet = await sheetOf(period, { limit: 100 });
  const rooms = cloud.store.find('rooms', { communityId: C, building: '1' });
  expect(sheet).toMatchObject({ unit: 'm³', buildings: ['1'], total: rooms.length });
  expect(sheet.counts).toMatchObject({ rooms: rooms.length, flagged: 1 });
  expect(sheet.counts.entered).toBe(Math.ceil(rooms.length / 2));
  expect(sheet.rows.every((r) => r.roomLabel.startsWith('1栋'))).toBe(true);
  // Every room has a previous reading: last month's own previous reading for those entered.
  for (const row of sheet.rows) {
    expect(row.previous).not.toBeNull();
    if (row.reading) expect(row.reading.previous).toBe(row.previous);
    expect(row.previousPeriod).toBe(addMonths(period, -1));
  }

  const flagged = await sheetOf(period, { filter: 'flagged' });
  expect(flagged.total).toBe(1);
  expect(flagged.rows[0]!.reading).toMatchObject({ status: 'flagged', flags: ['spike'] });

  const pending = await sheetOf(period, { filter: 'pending', limit: 10 });
  expect(pending.total).toBe(rooms.length - sheet.counts.entered);
  expect(pending.rows).toHaveLength(10);
  expect(pending.nextCursor).not.toBeNull();
  const first = pending.rows[0]!;
  expect(first.reading).toBeNull();

  // Entering a reading (service may) takes the sheet's previous reading by default.
  const saved = await fee<SavedReadings>(
    {
      action: 'saveReadings',
      communityId: C,
      itemId: DEMO_METER_ITEM,
      period,
      readings: [{ roomId: first.roomId, current: String(Number(first.previous) + 11) }],
    },
    DEMO_USERS.service,
  );
  expect(saved.results[0]).toMatchObject({ outcome: 'saved', usage: '11' });
  const after = await sheetOf(period, { filter: 'pending' });
  expect(after.total).toBe(pending.total - 1);
});

test('building filter, a building the item does not cover, bad input and other communities', async () => {
  const period = lastMonth();
  const none = await sheetOf(period, { building: '2' });
  expect(none).toMatchObject({ total: 0, rows: [] });
  expect(
    await raw({ action: 'readingSheet', communityId: C, itemId: 'property', period }),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(
    await raw({
      action: 'readingSheet',
      communityId: C,
      itemId: DEMO_METER_ITEM,
      period: '2026-13',
    }),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(
    await raw(
      { action: 'readingSheet', communityId: 'c_other', itemId: DEMO_METER_ITEM, period },
      DEMO_USERS.finance,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
});
