/**
 * 交班日结 for the demo (`npm start`), through the functions as the desk would: yesterday the
 * demo cashier (陈收费员) took cash and a card payment, closed the shift ¥0.50 short with a note,
 * and finance (o_demo_finance) confirmed it; in the last hour a few payments and a 车位押金 taken
 * in cash joined the open shift (押金收取: its own line, and in the cash expected), and one of
 * yesterday's cash receipts was partly refunded — listed in today's shift as a correction of
 * yesterday's (the closed shift keeps its totals). It runs before charges.ts, whose desk work
 * (a charge paid in cash, deposits taken and refunded) lands in today's open shift.
 */
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { ShiftView } from '../../miniprogram/domain/payment/shift';
import type { SeedContext } from '../cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from './demo';
import { DESK_ROOMS } from './desk';

const C = DEMO_COMMUNITY_ID;
/** Rooms other demo seeds and tests use: left alone. */
const KEEP = new Set([
  'r_1_1_1501',
  'r_2_1_302',
  'r_1_2_201',
  'r_3_2_801',
  DESK_ROOMS.movein,
  DESK_ROOMS.sold,
]);

async function must<T>(
  ctx: SeedContext,
  event: Record<string, unknown>,
  openid: string,
  fn = 'payment',
) {
  const r = (await ctx.call(fn, event, openid)) as
    { ok: true; data: T } | { ok: false; code: string; message: string };
  if (!r.ok) throw new Error(`[seed shifts] ${fn}.${String(event.action)}: ${r.message}`);
  return r.data;
}

/** Rooms with bills still unpaid, from the end of the list (reconcile's seed takes the first). */
function roomsToPay(ctx: SeedContext, n: number): string[] {
  const bills = ctx.store.find('bills', { communityId: C }) as unknown as {
    roomId: string;
    status: string;
    payHold?: unknown;
  }[];
  // a room whose bill an owner's WeChat order holds is not the desk's to take
  const held = new Set(bills.filter((b) => b.payHold).map((b) => b.roomId));
  const rooms = [...new Set(bills.filter((b) => b.status === 'unpaid').map((b) => b.roomId))]
    .filter((r) => !KEEP.has(r) && !held.has(r))
    .sort();
  return rooms.slice(-n);
}

export async function seedShifts(ctx: SeedContext): Promise<void> {
  const offset = ctx.clock.offset;
  const today = shanghaiDate(new Date(ctx.clock.now()));
  const yesterday = addDays(today, -1);
  const at = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00+08:00`);
  const rooms = roomsToPay(ctx, 5);
  if (rooms.length < 5) return;
  const pay = (roomId: string, channel: string, amountFen: number, key: string, ref?: string) =>
    must<{ paymentId: string }>(
      ctx,
      {
        action: 'recordOffline',
        roomId,
        channel,
        amountFen,
        idempotencyKey: `seedshift_${key}`,
        ...(ref ? { reference: ref } : {}),
      },
      DEMO_USERS.cashier,
    );
  try {
    // Yesterday: two cash payments and a card payment, closed ¥0.50 short, confirmed by finance.
    ctx.clock.set(at(yesterday, '09:20'));
    const cash = await pay(rooms[0]!, 'cash', 50_000, 'y1');
    ctx.clock.set(at(yesterday, '11:05'));
    await pay(rooms[1]!, 'card', 36_000, 'y2', 'POS-DEMO-0001');
    ctx.clock.set(at(yesterday, '15:40'));
    await pay(rooms[2]!, 'cash', 20_000, 'y3');
    ctx.clock.set(at(yesterday, '17:30'));
    const open = await must<ShiftView>(
      ctx,
      { action: 'shiftSummary', communityId: C },
      DEMO_USERS.cashier,
    );
    const closed = await must<ShiftView>(
      ctx,
      {
        action: 'closeShift',
        communityId: C,
        shiftId: open.shiftId,
        expectedCashFen: open.totals.expectedCashFen,
        declaredCashFen: open.totals.expectedCashFen - 50,
        note: '找零时少收 5 角，已与收款员核对',
      },
      DEMO_USERS.cashier,
    );
    ctx.clock.set(at(yesterday, '18:00'));
    await must(
      ctx,
      { action: 'confirmShift', shiftId: closed.shiftId, note: '现金已存入保险柜' },
      DEMO_USERS.finance,
    );
    // Today (the last hour, never in the future): the open shift with a cash and a transfer
    // payment, and a partial refund of yesterday's first cash receipt (a correction of
    // yesterday's closed shift).
    const now = Date.now() + offset;
    ctx.clock.set(now - 45 * 60_000);
    await pay(rooms[3]!, 'cash', 30_000, 't1');
    ctx.clock.set(now - 35 * 60_000);
    const deposit = await must<{ depositId: string }>(
      ctx,
      {
        action: 'requestDeposit',
        communityId: C,
        roomId: rooms[3]!,
        kind: 'parking',
        amountFen: 50_000,
        note: '地上车位 A-012',
        requestId: 'seedshift-deposit-t1',
      },
      DEMO_USERS.cashier,
      'charge',
    );
    await must(
      ctx,
      { action: 'collectDeposit', depositId: deposit.depositId, channel: 'cash' },
      DEMO_USERS.cashier,
      'charge',
    );
    ctx.clock.set(now - 25 * 60_000);
    await pay(rooms[4]!, 'transfer', 45_000, 't2', 'TRF-DEMO-0001');
    ctx.clock.set(now - 10 * 60_000);
    await must(
      ctx,
      {
        action: 'requestRefund',
        paymentId: cash.paymentId,
        amountFen: 10_000,
        reason: '业主多交一个月，退回现金',
      },
      DEMO_USERS.finance,
    );
  } finally {
    ctx.clock.set(Date.now() + offset);
  }
}
