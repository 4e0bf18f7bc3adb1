/**
 * The cashier's shift close (交班日结; docs/payments.md "Shift close"). Desk payments and the red
 * reversals of them, and deposits taken or paid back at the desk, join the cashier's open shift
 * in the ledger's transaction (`_shared/ledger/shift.ts`); here the cashier sees the open shift's totals and closes it with
 * the cash counted (a difference needs a note), finance — another person — confirms the
 * handover, and the sheet prints as a PDF. A closed shift keeps the totals it was closed with:
 * an entry after the close goes to the cashier's next shift, and a reversal of one of its
 * receipts is listed there as a correction.
 */
import { audit } from '../../../_shared/audit';
import { fetchAll, withConflictRetry } from '../../../_shared/db';
import {
  latestShift,
  numberDepositEntry,
  numberPayment,
  shiftId,
  type DepositEntryDoc,
  type PaymentDoc,
  type ShiftDoc,
} from '../../../_shared/ledger';
import { fetchByIds, listPage } from '../../../_shared/paging';
import { printToCloud } from '../../../_shared/print-file';
import { getDoc } from '../../../_shared/records';
import { hasRole, requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext, type Handlers } from '../../../_shared/router';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import type { paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import {
  SHIFT_STATUS_LABELS,
  cashDifference,
  differenceText,
  shiftEntryCount,
  shiftSheetDoc,
  shiftTotals,
  withDepositLines,
  type ShiftDepositEntry,
  type ShiftEntry,
  type ShiftTotals,
  type ShiftView,
} from '../../../../miniprogram/domain/payment/shift';
import { communityInfo } from './receipt-print';

type ClosedShift = ShiftDoc & { totals?: ShiftTotals };

/** The n of `<community>:<cashier>:<n>`. */
function shiftNo(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}

/** The shift's entries, each numbered (a receipt still waiting for its number gets it now). */
async function shiftEntries(ctx: ActionContext, id: string): Promise<ShiftEntry[]> {
  const docs = await fetchAll<PaymentDoc>(ctx.db.collection('payments').where({ shiftId: id }));
  const payments = await Promise.all(docs.map((p) => numberPayment(ctx.db, p)));
  const originalIds = [...new Set(payments.flatMap((p) => (p.reverses ? [p.reverses] : [])))];
  const _ = ctx.db.command;
  const originals = originalIds.length
    ? await fetchAll<PaymentDoc>(
        ctx.db
          .collection('payments')
          .where({ _id: _.in(originalIds) })
          .field({ _id: true, receiptNo: true }),
      )
    : [];
  const numberOf = new Map(originals.map((o) => [o._id, o.receiptNo]));
  return payments.map((p) => ({
    paymentId: p._id,
    receiptNo: p.receiptNo,
    channel: p.channel,
    amountFen: p.amountFen,
    paidAt: new Date(p.paidAt).toISOString(),
    ...(p.reverses ? { reversesReceiptNo: numberOf.get(p.reverses) ?? '' } : {}),
    ...(p.shiftCorrectionOf ? { correctionOfShiftNo: shiftNo(p.shiftCorrectionOf) } : {}),
  }));
}

/** The shift's deposit money (押金收取 / 押金退还), each entry numbered. */
async function shiftDepositEntries(ctx: ActionContext, id: string): Promise<ShiftDepositEntry[]> {
  const docs = await fetchAll<DepositEntryDoc>(
    ctx.db.collection('deposit_entries').where({ shiftId: id }),
  );
  const entries = await Promise.all(docs.map((e) => numberDepositEntry(ctx.db, e)));
  return entries.map((e) => ({
    entryId: e._id,
    receiptNo: e.receiptNo,
    kind: e.kind,
    channel: e.channel,
    // a refund hands back what was refunded; the deductions stay and move no money
    amountFen: e.kind === 'collect' ? e.amountFen : (e.refundFen ?? -e.amountFen),
    at: new Date(e.at).toISOString(),
    ...(e.shiftCorrectionOf ? { correctionOfShiftNo: shiftNo(e.shiftCorrectionOf) } : {}),
  }));
}

/** Everything the shift joined, added up. */
async function shiftTotalsOf(ctx: ActionContext, id: string): Promise<ShiftTotals> {
  const [payments, deposits] = await Promise.all([
    shiftEntries(ctx, id),
    shiftDepositEntries(ctx, id),
  ]);
  return shiftTotals(payments, deposits);
}

async function staffName(ctx: ActionContext, communityId: string, openid: string) {
  const res = await ctx.db
    .collection('staff_roles')
    .where({ _id: `${communityId}:${openid}` })
    .limit(1)
    .field({ name: true })
    .get();
  return (res.data[0] as { name?: string } | undefined)?.name || '收款员';
}

/** The names of a page's cashiers and confirmers, in one read (not one per shift). */
async function staffNames(
  ctx: ActionContext,
  communityId: string,
  docs: readonly ClosedShift[],
): Promise<Map<string, string>> {
  const openids = [
    ...new Set(docs.flatMap((d) => (d.confirmedBy ? [d.cashier, d.confirmedBy] : [d.cashier]))),
  ];
  const grants = await fetchByIds<{ _id: string; name?: string }>(
    ctx,
    'staff_roles',
    openids.map((o) => `${communityId}:${o}`),
    {},
    { _id: true, name: true },
  );
  const byId = new Map(grants.map((g) => [g._id, g.name]));
  return new Map(openids.map((o) => [o, byId.get(`${communityId}:${o}`) || '收款员']));
}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/**
 * A shift as staff see it: a closed one with the totals frozen at its close. `names` (a list's
 * page) saves reading the cashier's and confirmer's names one shift at a time.
 */
async function shiftView(
  ctx: ActionContext,
  doc: ClosedShift,
  names?: Map<string, string>,
): Promise<ShiftView> {
  const nameOf = (openid: string) => names?.get(openid) ?? staffName(ctx, doc.communityId, openid);
  const totals =
    doc.status !== 'open' && doc.totals
      ? withDepositLines(doc.totals)
      : await shiftTotalsOf(ctx, doc._id);
  const closedAt = iso(doc.closedAt);
  const confirmedAt = iso(doc.confirmedAt);
  return {
    shiftId: doc._id,
    communityId: doc.communityId,
    no: doc.no,
    cashier: doc.cashier,
    cashierName: await nameOf(doc.cashier),
    status: doc.status,
    statusLabel: SHIFT_STATUS_LABELS[doc.status],
    openedAt: iso(doc.openedAt) ?? null,
    totals,
    ...(closedAt ? { closedAt } : {}),
    ...(doc.declaredCashFen !== undefined ? { declaredCashFen: doc.declaredCashFen } : {}),
    ...(doc.differenceFen !== undefined ? { differenceFen: doc.differenceFen } : {}),
    ...(doc.note ? { note: doc.note } : {}),
    ...(confirmedAt ? { confirmedAt } : {}),
    ...(doc.confirmedBy ? { confirmedByName: await nameOf(doc.confirmedBy) } : {}),
    ...(doc.confirmNote ? { confirmNote: doc.confirmNote } : {}),
  };
}

export const shiftSummary: Handlers<typeof paymentContracts>['shiftSummary'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['cashier']);
  const last = await latestShift(ctx.db, input.communityId, caller.openid);
  if (last?.status === 'open') return shiftView(ctx, last);
  // No entry yet since the last close: the next shift, empty until its first entry opens it.
  const no = (last?.no ?? 0) + 1;
  return {
    shiftId: shiftId(input.communityId, caller.openid, no),
    communityId: input.communityId,
    no,
    cashier: caller.openid,
    cashierName: caller.name || '收款员',
    status: 'open',
    statusLabel: SHIFT_STATUS_LABELS.open,
    openedAt: null,
    totals: shiftTotals([]),
  };
};

/** Another entry joined while the close counted: count again. */
class CountedShort extends Error {}

export const closeShift: Handlers<typeof paymentContracts>['closeShift'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['cashier']);
  const shift = await getDoc<ClosedShift>(
    ctx,
    'cashier_shifts',
    input.shiftId,
    '本班次还没有收款，无需交班',
  );
  if (shift.communityId !== input.communityId || shift.cashier !== caller.openid)
    throw new AppError('NOT_FOUND', 'shiftId: 只能交自己的班');
  if (shift.status !== 'open') return repeatedClose(ctx, shift, input.declaredCashFen);
  for (let attempt = 1; ; attempt++) {
    const totals = await shiftTotalsOf(ctx, shift._id);
    if (totals.expectedCashFen !== input.expectedCashFen) {
      throw new AppError(
        'CONFLICT',
        `expectedCashFen: 交班期间又有收款或退款，应交现金已变为 ${formatYuan(totals.expectedCashFen)}，请刷新后重新清点`,
      );
    }
    const counted = shiftEntryCount(totals);
    const closed = await withConflictRetry(() =>
      ctx.db.runTransaction(async (t) => {
        const ref = t.collection('cashier_shifts').doc(shift._id);
        const now = (await ref.get()).data as ClosedShift;
        if (now.status !== 'open') return false;
        if (now.entries !== counted) throw new CountedShort();
        await ref.update({
          data: {
            status: 'closed',
            closedAt: ctx.now(),
            declaredCashFen: input.declaredCashFen,
            expectedCashFen: totals.expectedCashFen,
            differenceFen: cashDifference(input.declaredCashFen, totals.expectedCashFen),
            ...(input.note ? { note: input.note } : {}),
            totals,
          },
        });
        return true;
      }, 1),
    ).catch((e: unknown) => {
      if (e instanceof CountedShort && attempt < 5) return null;
      throw e;
    });
    if (closed === null) continue;
    const done = await getDoc<ClosedShift>(ctx, 'cashier_shifts', shift._id, '未找到该班次');
    if (!closed) return repeatedClose(ctx, done, input.declaredCashFen);
    await audit(ctx, caller, {
      communityId: shift.communityId,
      action: 'shift.close',
      targetType: 'cashierShift',
      targetId: shift._id,
      targetLabel: `第 ${shift.no} 班`,
      summary: `交班：收据 ${totals.receipts.count} 张，净收 ${totals.netFen} 分，押金收取 ${totals.deposits.collected.amountFen} 分、退还 ${totals.deposits.refunded.amountFen} 分，应交现金 ${totals.expectedCashFen} 分，实交 ${input.declaredCashFen} 分（${differenceText(done.differenceFen ?? 0)}）${input.note ? `：${input.note}` : ''}`,
    });
    return shiftView(ctx, done);
  }
};

/** The same close sent again answers the closed shift; a different count is refused. */
async function repeatedClose(
  ctx: ActionContext,
  shift: ClosedShift,
  declaredCashFen: number,
): Promise<ShiftView> {
  if (shift.declaredCashFen !== declaredCashFen)
    throw new AppError('CONFLICT', '该班次已交班，交班记录不能修改；如有差错请在当前班次登记更正');
  return shiftView(ctx, shift);
}

export const confirmShift: Handlers<typeof paymentContracts>['confirmShift'] = async (
  input,
  ctx,
) => {
  const shift = await getDoc<ClosedShift>(
    ctx,
    'cashier_shifts',
    input.shiftId,
    'shiftId: 未找到该班次',
  );
  const caller = await requireRole(ctx, shift.communityId, ['finance']);
  if (caller.openid === shift.cashier)
    throw new AppError('FORBIDDEN', '交班须由收款员以外的财务人员确认');
  if (shift.status === 'open') throw new AppError('PRECONDITION_FAILED', '该班次尚未交班');
  if (shift.status === 'confirmed') {
    if (shift.confirmedBy === caller.openid) return shiftView(ctx, shift);
    throw new AppError('CONFLICT', '该班次已由其他财务人员确认');
  }
  const at = ctx.now();
  const res = await ctx.db
    .collection('cashier_shifts')
    .where({ _id: shift._id, status: 'closed' })
    .update({
      data: {
        status: 'confirmed',
        confirmedBy: caller.openid,
        confirmedAt: at,
        ...(input.note ? { confirmNote: input.note } : {}),
      },
    });
  if (Number(res.stats.updated) !== 1) throw new AppError('CONFLICT', '该班次刚刚已被确认，请刷新');
  await audit(ctx, caller, {
    communityId: shift.communityId,
    action: 'shift.confirm',
    targetType: 'cashierShift',
    targetId: shift._id,
    targetLabel: `第 ${shift.no} 班`,
    summary: `确认收款员交班（${differenceText(shift.differenceFen ?? 0)}）${input.note ? `：${input.note}` : ''}`,
  });
  return shiftView(ctx, {
    ...shift,
    status: 'confirmed',
    confirmedBy: caller.openid,
    confirmedAt: at,
    ...(input.note ? { confirmNote: input.note } : {}),
  });
};

/** Finance sees every cashier's shifts; a cashier only their own. */
function sees(caller: StaffCaller, shift: Pick<ShiftDoc, 'cashier'>): boolean {
  return hasRole(caller.roles, ['finance']) || shift.cashier === caller.openid;
}

export const shifts: Handlers<typeof paymentContracts>['shifts'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['cashier', 'finance']);
  const where = {
    communityId: input.communityId,
    ...(input.status ? { status: input.status } : {}),
    ...(sees(caller, { cashier: '' }) ? {} : { cashier: caller.openid }),
  };
  const page = await listPage<ClosedShift, ShiftView>(
    ctx,
    'cashier_shifts',
    where,
    [
      ['openedAt', 'desc'],
      ['_id', 'asc'],
    ],
    input,
    async (docs) => {
      const names = await staffNames(ctx, input.communityId, docs);
      return Promise.all(docs.map((d) => shiftView(ctx, d, names)));
    },
  );
  return { shifts: page.items, nextCursor: page.nextCursor, total: page.total };
};

export const shiftPdf: Handlers<typeof paymentContracts>['shiftPdf'] = async (input, ctx) => {
  const shift = await getDoc<ClosedShift>(
    ctx,
    'cashier_shifts',
    input.shiftId,
    'shiftId: 未找到该班次',
  );
  const caller = await requireRole(ctx, shift.communityId, ['cashier', 'finance']);
  if (!sees(caller, shift)) throw new AppError('NOT_FOUND', 'shiftId: 未找到该班次');
  const view = await shiftView(ctx, shift);
  const comm = await communityInfo(ctx, shift.communityId);
  const now = ctx.now();
  const day = shanghaiDate(shift.closedAt ? new Date(shift.closedAt) : now);
  const { printed } = await printToCloud(
    shiftSheetDoc(view, comm, now),
    { communityId: shift.communityId, name: `shift-${day}-${shift.no}.pdf` },
    now,
  );
  return printed;
};
