/**
 * Reconciliation for the demo (`npm start`): two days ago five owners paid by WeChat Pay. Three
 * payments were applied normally, one notification never arrived (the order had been marked
 * failed when unifiedOrder's reply was lost) and one notification's amount differed from the
 * order. Finance reconciled the day through the `reconcile` function — found the lost callback
 * and the mismatch, applied the first through the callback's own path, accepted the second with
 * a reason — and closed the day. A bank statement for last quarter's transfers and POS takings
 * was imported: every line matched except a transfer without a reference, which finance
 * assigned to its room, and a line of bank interest, marked as not fee income.
 *
 * Everything after the sandbox's own records is done by calling the real functions, so the
 * demo shows exactly what finance would have seen. Kept out of `seedDemo` itself, so tests that
 * count the demo's payments are not affected.
 */
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { fenToYuanString } from '../../miniprogram/domain/kernel/money';
import { DEFAULT_BANK_MAPPING } from '../../miniprogram/domain/reconcile/bank';
import { PAY_ORDERS } from '../cloud/pay';
import type { SeedContext, Seeder } from '../cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS, seedDemo } from './demo';
import { seedFile } from './files';
import { seedLastNightsBackup } from './backups';
import { seedReach } from './reach';
import { seedOwnerReading } from './owner-reading';
import { seedChargesDemo } from './charges';
import { seedSpacesDemo } from './spaces';
import { seedShifts } from './shifts';

const C = DEMO_COMMUNITY_ID;
const SUB_MCH = '1900000109';
const DEMO_ROOMS = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201', 'r_3_2_801']);

interface Reply<T> {
  ok: boolean;
  data: T;
  code?: string;
  message?: string;
}

async function must<T>(ctx: SeedContext, fn: string, event: unknown, openid: string): Promise<T> {
  const r = (await ctx.call(fn, event, openid)) as Reply<T>;
  if (!r.ok)
    throw new Error(
      `[seed reconcile] ${fn}.${(event as { action: string }).action}: ${r.code} ${r.message}`,
    );
  return r.data;
}

interface SeedBill {
  _id: string;
  roomId: string;
  period: string;
  amountDueFen: number;
  paidFen: number;
  status: string;
}

function wxTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** The sandbox's record of a paid order, and ours, as the live flow would have left them. */
function paidOrder(
  ctx: SeedContext,
  n: number,
  bill: SeedBill,
  paidAtMs: number,
  ours: { status: string; amountFen: number },
  collectedFen: number,
): string {
  const outTradeNo = `PFDEMO${wxTime(paidAtMs).slice(0, 8)}${String(n).padStart(4, '0')}`;
  const openid = `o_demo_payer_${n}`;
  ctx.store.insert(PAY_ORDERS, [
    {
      _id: outTradeNo,
      outTradeNo,
      body: '翠湖花园-物业费',
      totalFee: collectedFen,
      subMchId: SUB_MCH,
      envId: 'local-dev',
      functionName: 'payNotify',
      attach: C,
      spbillCreateIp: '127.0.0.1',
      openid,
      prepayId: `wx_demo_prepay_${n}`,
      tradeState: 'SUCCESS',
      createdAt: paidAtMs - 60_000,
      expireAt: paidAtMs + 29 * 60_000,
      transactionId: `4200000${wxTime(paidAtMs)}${String(n).padStart(7, '0')}`,
      paidAt: paidAtMs,
      refundedFee: 0,
    },
  ]);
  ctx.store.insert('pay_orders', [
    {
      _id: outTradeNo,
      communityId: C,
      openid,
      baseKey: `demo${n}`,
      attempt: 0,
      billIds: [bill._id],
      roomIds: [bill.roomId],
      amountFen: ours.amountFen,
      subMchId: SUB_MCH,
      status: ours.status,
      createdAt: new Date(paidAtMs - 60_000),
      expireAt: new Date(paidAtMs + 29 * 60_000),
    },
  ]);
  return outTradeNo;
}

export async function seedReconciliationDemo(ctx: SeedContext): Promise<void> {
  const now = ctx.clock.now();
  const today = shanghaiDate(new Date(now));
  const day = addDays(today, -2);
  const open = (
    ctx.store.find('bills', { communityId: C, status: 'unpaid' }) as unknown as SeedBill[]
  )
    .filter((b) => !DEMO_ROOMS.has(b.roomId))
    .sort((a, b) => a._id.localeCompare(b._id));
  if (open.length < 6) return;
  const at = (h: number, m: number) =>
    Date.parse(`${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`);
  const [b1, b2, b3, lostBill, oddBill, bankBill] = open as [
    SeedBill,
    SeedBill,
    SeedBill,
    SeedBill,
    SeedBill,
    SeedBill,
  ];
  const normal = [
    paidOrder(
      ctx,
      1,
      b1,
      at(8, 42),
      { status: 'pending', amountFen: b1.amountDueFen },
      b1.amountDueFen,
    ),
    paidOrder(
      ctx,
      2,
      b2,
      at(12, 5),
      { status: 'pending', amountFen: b2.amountDueFen },
      b2.amountDueFen,
    ),
    paidOrder(
      ctx,
      3,
      b3,
      at(19, 31),
      { status: 'pending', amountFen: b3.amountDueFen },
      b3.amountDueFen,
    ),
  ];
  // unifiedOrder's reply was lost, so the order was marked failed; the owner paid anyway.
  paidOrder(
    ctx,
    4,
    lostBill,
    at(20, 16),
    { status: 'failed', amountFen: lostBill.amountDueFen },
    lostBill.amountDueFen,
  );
  // The notification says ¥1.00 more than our order.
  const odd = paidOrder(
    ctx,
    5,
    oddBill,
    at(21, 3),
    { status: 'pending', amountFen: oddBill.amountDueFen },
    oddBill.amountDueFen + 100,
  );
  // Owners returning from the pay sheet: orderStatus asks WeChat Pay and applies each payment.
  for (const [i, outTradeNo] of [...normal, odd].entries()) {
    await must(
      ctx,
      'payment',
      { action: 'orderStatus', outTradeNo },
      `o_demo_payer_${i < 3 ? i + 1 : 5}`,
    );
  }

  /** The finance clerk's reconcile action in the demo community. */
  const reconcile = <T>(action: string, input: Record<string, unknown>) =>
    must<T>(ctx, 'reconcile', { action, communityId: C, ...input }, DEMO_USERS.finance);
  const run = await reconcile<{ items: { key: string; kind: string }[] }>('runWechat', {
    date: day,
  });
  for (const item of run.items) {
    if (item.kind === 'missing-in-system') {
      await reconcile('applyMissing', { date: day, itemKey: item.key });
    } else if (item.kind === 'amount-mismatch') {
      await reconcile('acceptStatement', {
        date: day,
        itemKey: item.key,
        reason: '经核实业主实付多 ¥1.00，按微信实收入账，多出部分转入预存',
      });
    }
  }

  // Last quarter's bank statement: every transfer and POS taking, one transfer without a
  // reference (a room's fee), one line of interest.
  const takings = (
    ctx.store.find('payments', {
      communityId: C,
      channel: { $in: ['transfer', 'card'] },
    }) as unknown as {
      amountFen: number;
      paidAt: Date;
      reference?: string;
      channel: string;
    }[]
  )
    .filter((p) => p.amountFen > 0)
    .sort((a, b) => new Date(b.paidAt).getTime() - new Date(a.paidAt).getTime());
  if (takings.length) {
    const newest = shanghaiDate(new Date(takings[0]!.paidAt));
    const from = addDays(newest, -20);
    const lines = takings
      .filter((p) => shanghaiDate(new Date(p.paidAt)) >= from)
      .reverse()
      .map((p, i) => [
        shanghaiDate(new Date(p.paidAt)),
        fenToYuanString(p.amountFen),
        '',
        p.channel === 'transfer' ? (p.reference ?? '') : `CUP${String(880000 + i)}`,
        p.channel === 'transfer' ? '业主转账' : '银联商务',
        p.channel === 'transfer' ? '物业费' : `POS 结算 ${p.reference ?? ''}`,
      ]);
    const room = ctx.store.find('rooms', { _id: bankBill.roomId })[0] as unknown as {
      building: string;
      unit: string;
      number: string;
    };
    const unmatchedDate = addDays(newest, -1);
    lines.push([
      unmatchedDate,
      fenToYuanString(bankBill.amountDueFen),
      '',
      'B2026DEMO001',
      '钱女士',
      `${room.building}-${room.unit}-${room.number} 物业费`,
    ]);
    lines.push([newest, '3.21', '', 'INT0001', '本行', '结息']);
    const header = ['交易日期', '贷方金额', '借方金额', '交易流水号', '对方户名', '摘要'];
    const csv = `\ufeff${[['翠湖花园物业 基本户 交易明细'], header, ...lines].map((r) => r.join(',')).join('\r\n')}\r\n`;
    // Named as 对账 names an upload (recon/<community>/bank-<ms>.csv): the function takes no other.
    const fileID = await seedFile(ctx.url, `recon/${C}/bank-${ctx.clock.now()}.csv`, csv, {
      owner: DEMO_USERS.finance,
    });
    const imp = await reconcile<{
      lines: { lineId: string; status: string; reference: string }[];
    }>('importBank', {
      fileID,
      fileName: `基本户流水-${newest}.csv`,
      mapping: DEFAULT_BANK_MAPPING,
    });
    for (const line of imp.lines) {
      if (line.status !== 'unmatched') continue;
      if (line.reference === 'B2026DEMO001') {
        await reconcile('assignBankLine', {
          lineId: line.lineId,
          roomId: bankBill.roomId,
          reason: '业主电话确认：转账未写房号，为本户物业费',
        });
      } else if (line.reference === 'INT0001') {
        await reconcile('ignoreBankLine', {
          lineId: line.lineId,
          reason: '银行结息，非物业费收入',
        });
      }
    }
  }
  await reconcile('closeDay', { date: day, note: '微信支付两项差异已处理' });
}

/** The demo community plus its reconciliation history (what `npm start` seeds). */
export const seedDemoWithReconciliation: Seeder = async (kind, ctx) => {
  await seedDemo(kind, ctx);
  if (kind === 'demo') await seedReconciliationDemo(ctx);
  if (kind === 'demo') await seedOwnerReading(ctx);
  if (kind === 'demo') {
    await seedSpacesDemo(ctx);
    // yesterday's shift first (closed and confirmed), so the desk work the charges seed does now
    // lands in today's open shift, never in a closed one dated before it
    await seedShifts(ctx);
    await seedChargesDemo(ctx);
    await seedReach(ctx);
  }
  // last: it backs up what the seeds above made
  if (kind === 'demo') await seedLastNightsBackup(ctx);
};
