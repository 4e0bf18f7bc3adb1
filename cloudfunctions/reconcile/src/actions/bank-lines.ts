/**
 * One bank line at a time: credit an unmatched line to a room — through the ledger's
 * `applyPayment`, like any other payment, never a side channel — ignore it with a reason, or
 * match it to a recorded payment by hand.
 */
import { chosenBills, oldestFirst, owingBillsOf } from '../../../_shared/bills';
import { getInCommunity } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import type { BankImportView } from '../../../../miniprogram/domain/reconcile/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { isDuplicate } from '../../../_shared/db';
import { sha256Hex } from '../../../_shared/ids';
import { applyPayment } from '../../../_shared/ledger';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { importView, loadImport, openLine, type LineDoc } from '../repo/bank';
import type { Handlers } from '../../../_shared/router';
import type { reconcileContracts } from '../../../../miniprogram/domain/reconcile/contract';

export const assignBankLine: Handlers<typeof reconcileContracts>['assignBankLine'] = async (
  input,
  ctx,
) => {
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
  const target = chosenBills(
    await owingBillsOf(ctx, [input.roomId]),
    input.billIds,
    '所选账单不属于该房屋或已缴清，请刷新后重试',
  );
  const billIds = oldestFirst(target).map((b) => b._id);
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
  return decide(
    ctx,
    caller,
    line,
    { status: 'assigned', paymentId: payment._id, matchedBy: 'manual', note: input.reason },
    retry
      ? null
      : {
          action: 'bank.assign',
          summary: `认领到 ${roomLabel(room)}，收据 ${payment.receiptNo}。原因：${input.reason}`,
          after: { paymentId: payment._id, roomId: input.roomId, billIds },
        },
  );
};

export const ignoreBankLine: Handlers<typeof reconcileContracts>['ignoreBankLine'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'unmatched' && line.status !== 'ambiguous')
    throw new AppError('CONFLICT', '该条流水已匹配或已处理，请刷新后查看');
  return decide(
    ctx,
    caller,
    line,
    { status: 'ignored', note: input.reason },
    { action: 'bank.ignore', summary: `标记为非物业费收入。原因：${input.reason}` },
  );
};

export const matchBankLine: Handlers<typeof reconcileContracts>['matchBankLine'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'ambiguous' || !line.candidates?.includes(input.paymentId))
    throw new AppError('INVALID_INPUT', 'paymentId: 只能在该流水的候选收款中选择');
  const used = await ctx.db
    .collection('bank_lines')
    .where({ communityId: input.communityId, paymentId: input.paymentId })
    .count();
  if (used.total > 0) throw new AppError('CONFLICT', '该笔收款已与另一条流水匹配，请选择其他收款');
  return decide(
    ctx,
    caller,
    line,
    { status: 'matched', paymentId: input.paymentId, matchedBy: 'manual' },
    { action: 'bank.match', summary: `人工匹配到收款 ${input.paymentId}` },
  );
};

/**
 * Records finance's decision on a line (who and when with the change), audits it (the summary
 * after the line's date and amount) and answers with the import as it now stands.
 */
async function decide(
  ctx: ActionContext,
  caller: StaffCaller,
  line: LineDoc,
  change: Record<string, unknown>,
  entry: { action: string; summary: string; after?: Record<string, unknown> } | null,
): Promise<BankImportView> {
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({ data: { ...change, decidedBy: caller.openid, decidedAt: ctx.now() } });
  if (entry) {
    await audit(ctx, caller, {
      ...auditTarget(
        'bankLine',
        line.communityId,
        line._id,
        `${line.date} ${line.reference || line.payer}`,
      ),
      action: entry.action,
      summary: `银行流水（${line.date}，${line.amountFen} 分）${entry.summary}`,
      ...(entry.after ? { after: entry.after } : {}),
    });
  }
  return importView(ctx, await loadImport(ctx, line.communityId, line.importId), false);
}
