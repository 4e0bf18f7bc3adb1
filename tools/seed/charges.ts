/**
 * One-off charges and deposits for the demo (`npm start`), made by calling the real `charge` and
 * `payment` functions as staff and owners would (docs/charges.md):
 * - 2栋1单元302: a 装修垃圾清运费 of ¥800 raised by the cashier (above the ¥500 threshold),
 *   approved by finance and paid in cash at the desk (a receipt like any bill's); its 装修押金
 *   of ¥3,000 taken in cash, then refunded less ¥500 for the corridor wall, which the owner
 *   agreed to in the mini-program (押金收据 and 红字收据);
 * - 1栋1单元1501 (the demo owner): a 门禁卡工本费 of ¥50 billed at once (pay it on 账单), a
 *   装修押金 of ¥2,000 held whose refund less ¥200 waits for the owner's agreement (我的押金), and a
 *   车位押金 of ¥500 asked for, to pay by WeChat in the preview;
 * - 1栋2单元201: a ¥650 repair charge waiting for finance's approval (临时收费);
 * - 3栋2单元801: a 车位押金 of ¥500 held (finance can refund it on 押金管理).
 */
import type { ChargeView, DepositView } from '../../miniprogram/domain/charge/contract';
import type { SeedContext } from '../cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from './demo';

const C = DEMO_COMMUNITY_ID;

async function must<T>(
  ctx: SeedContext,
  fn: string,
  event: Record<string, unknown>,
  openid: string,
): Promise<T> {
  const r = (await ctx.call(fn, event, openid)) as
    { ok: true; data: T } | { ok: false; code: string; message: string };
  if (!r.ok) throw new Error(`[seed charges] ${fn}.${String(event.action)}: ${r.message}`);
  return r.data;
}

const charge = <T>(ctx: SeedContext, event: Record<string, unknown>, openid: string) =>
  must<T>(ctx, 'charge', event, openid);

async function raise(
  ctx: SeedContext,
  key: string,
  roomId: string,
  fields: Record<string, unknown>,
  openid: string,
): Promise<ChargeView> {
  return charge<ChargeView>(
    ctx,
    { action: 'raiseCharge', communityId: C, roomId, requestId: `seed-charge-${key}`, ...fields },
    openid,
  );
}

async function collected(
  ctx: SeedContext,
  key: string,
  roomId: string,
  fields: Record<string, unknown>,
): Promise<DepositView> {
  const dep = await charge<DepositView>(
    ctx,
    {
      action: 'requestDeposit',
      communityId: C,
      roomId,
      requestId: `seed-deposit-${key}`,
      ...fields,
    },
    DEMO_USERS.cashier,
  );
  return charge<DepositView>(
    ctx,
    { action: 'collectDeposit', depositId: dep.depositId, channel: 'cash' },
    DEMO_USERS.cashier,
  );
}

export async function seedChargesDemo(ctx: SeedContext): Promise<void> {
  // A charge above the threshold: approved by finance, then paid at the desk.
  const debris = await raise(
    ctx,
    'debris-302',
    'r_2_1_302',
    { reason: 'debris', amountFen: 80_000, note: '装修垃圾清运 4 车' },
    DEMO_USERS.cashier,
  );
  const billed = await charge<ChargeView>(
    ctx,
    { action: 'decideCharge', chargeId: debris.chargeId, approve: true },
    DEMO_USERS.finance,
  );
  await must(
    ctx,
    'payment',
    {
      action: 'recordOffline',
      roomId: 'r_2_1_302',
      channel: 'cash',
      amountFen: 80_000,
      billIds: [billed.billId],
      idempotencyKey: 'seed-charge-debris-302-cash',
      payerName: '装修公司 王师傅',
    },
    DEMO_USERS.cashier,
  );
  await raise(
    ctx,
    'card-1501',
    'r_1_1_1501',
    { reason: 'access-card', amountFen: 5_000, note: '补办门禁卡 1 张' },
    DEMO_USERS.service,
  );
  await raise(
    ctx,
    'repair-201',
    'r_1_2_201',
    { reason: 'repair', amountFen: 65_000, note: '更换入户水管阀门（业主委托）' },
    DEMO_USERS.service,
  );

  // A renovation deposit taken, refunded less a deduction the owner agreed to.
  const done = await collected(ctx, 'reno-302', 'r_2_1_302', {
    kind: 'renovation',
    amountFen: 300_000,
    note: '装修期 3 个月',
  });
  await charge(
    ctx,
    {
      action: 'refundDeposit',
      depositId: done.depositId,
      channel: 'cash',
      deductions: [{ reason: '公共楼道墙面修补', amountFen: 50_000 }],
    },
    DEMO_USERS.finance,
  );
  await charge(ctx, { action: 'ackDeduction', depositId: done.depositId }, DEMO_USERS.owner);

  await collected(ctx, 'parking-801', 'r_3_2_801', {
    kind: 'parking',
    amountFen: 50_000,
    note: '地下车位 B-006',
  });

  // The demo owner's: one held with a deduction to agree to, one asked for.
  const held = await collected(ctx, 'reno-1501', 'r_1_1_1501', {
    kind: 'renovation',
    amountFen: 200_000,
    note: '厨卫翻新',
  });
  await charge(
    ctx,
    {
      action: 'refundDeposit',
      depositId: held.depositId,
      channel: 'transfer',
      reference: 'TR-DEMO-1501',
      deductions: [{ reason: '装修垃圾超期未清运', amountFen: 20_000 }],
    },
    DEMO_USERS.finance,
  );
  await charge(
    ctx,
    {
      action: 'requestDeposit',
      communityId: C,
      roomId: 'r_1_1_1501',
      kind: 'parking',
      amountFen: 50_000,
      note: '地下车位 B-018 月租',
      requestId: 'seed-deposit-parking-1501',
    },
    DEMO_USERS.cashier,
  );
}
