/**
 * One bank line at a time: credit an unmatched line to a room — through the ledger's
 * `applyPayment`, like any other payment, never a side channel — ignore it with a reason, or
 * match it to a recorded payment by hand.
 */
import { getInCommunity } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import { outstandingFen, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { sortOldestFirst } from '../../../../miniprogram/domain/kernel/money';
import type { BankImportView } from '../../../../miniprogram/domain/reconcile/contract';
import { audit } from '../../../_shared/audit';
import { fetchAll, isDuplicate } from '../../../_shared/db';
import { sha256Hex } from '../../../_shared/ids';
import { applyPayment } from '../../../_shared/ledger';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { importView, loadImport, openLine } from '../repo/bank';

export async function assignBankLine(
  input: {
    communityId: string;
    lineId: string;
    roomId: string;
    billIds?: string[];
    reason: string;
  },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  const paymentId = `bank_${sha256Hex(line._id).slice(0, 28)}`;
  // A retry after the payment was written but before the line was marked finishes the job.
  const retry = line.status === 'assigned' && line.paymentId === paymentId;
  if (!retry && line.status !== 'unmatched' && line.status !== 'ambiguous') {
    throw new AppError('CONFLICT', '该条流水已匹配或已处理，请刷新后查看');
  }
  const room = await getInCommunity<RoomDoc>(
    ctx,
    'rooms',
    input.communityId,
    input.roomId,
    'roomId: 房屋不存在',
  );
  const _ = ctx.db.command;
  const open = (
    await fetchAll<BillDoc>(
      ctx.db
        .collection('bills')
        .where({ roomId: input.roomId, status: _.in(['unpaid', 'partial']) }),
    )
  ).filter((b) => outstandingFen(b) > 0);
  let target = open;
  if (input.billIds) {
    const wanted = new Set(input.billIds);
    target = open.filter((b) => wanted.has(b._id));
    if (target.length !== wanted.size)
      throw new AppError('INVALID_INPUT', 'billIds: 所选账单不属于该房屋或已缴清，请刷新后重试');
  }
  const billIds = sortOldestFirst(target.map((b) => ({ ...b, id: b._id }))).map((b) => b._id);
  const { payment } = await applyPayment(ctx.db, {
    paymentId,
    communityId: input.communityId,
    channel: 'transfer',
    amountFen: line.amountFen,
    billIds,
    prepaidRoomId: input.roomId,
    recordedBy: caller.openid,
    // The money arrived on the bank's value date.
    paidAt: new Date(`${line.date}T12:00:00+08:00`),
    ...(line.payer ? { payerName: line.payer.slice(0, 20) } : {}),
    ...(line.reference ? { reference: line.reference } : {}),
    note: `银行流水认领：${input.reason}`,
    correctionReason: input.reason,
    respectLocks: true,
  }).catch((e: unknown) => {
    if (isDuplicate(e))
      throw new AppError('CONFLICT', '该流水号已登记过一笔收款，请核对是否重复，或选择“忽略”');
    throw e;
  });
  const now = ctx.now();
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'assigned',
        paymentId: payment._id,
        matchedBy: 'manual',
        note: input.reason,
        decidedBy: caller.openid,
        decidedAt: now,
      },
    });
  if (!retry) {
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'bank.assign',
      targetType: 'bankLine',
      targetId: line._id,
      targetLabel: `${line.date} ${line.reference || line.payer}`,
      summary: `银行流水（${line.date}，${line.amountFen} 分）认领到 ${roomLabel(room)}，收据 ${payment.receiptNo}。原因：${input.reason}`,
      after: { paymentId: payment._id, roomId: input.roomId, billIds },
    });
  }
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}

export async function ignoreBankLine(
  input: { communityId: string; lineId: string; reason: string },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'unmatched' && line.status !== 'ambiguous')
    throw new AppError('CONFLICT', '该条流水已匹配或已处理，请刷新后查看');
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'ignored',
        note: input.reason,
        decidedBy: caller.openid,
        decidedAt: ctx.now(),
      },
    });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'bank.ignore',
    targetType: 'bankLine',
    targetId: line._id,
    targetLabel: `${line.date} ${line.reference || line.payer}`,
    summary: `银行流水（${line.date}，${line.amountFen} 分）标记为非物业费收入。原因：${input.reason}`,
  });
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}

export async function matchBankLine(
  input: { communityId: string; lineId: string; paymentId: string },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'ambiguous' || !line.candidates?.includes(input.paymentId))
    throw new AppError('INVALID_INPUT', 'paymentId: 只能在该流水的候选收款中选择');
  const used = await ctx.db
    .collection('bank_lines')
    .where({ communityId: input.communityId, paymentId: input.paymentId })
    .count();
  if (used.total > 0) throw new AppError('CONFLICT', '该笔收款已与另一条流水匹配，请选择其他收款');
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'matched',
        paymentId: input.paymentId,
        matchedBy: 'manual',
        decidedBy: caller.openid,
        decidedAt: ctx.now(),
      },
    });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'bank.match',
    targetType: 'bankLine',
    targetId: line._id,
    targetLabel: `${line.date} ${line.reference || line.payer}`,
    summary: `银行流水（${line.date}，${line.amountFen} 分）人工匹配到收款 ${input.paymentId}`,
  });
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}
