/**
 * Finance waives (part of) a bill's late fee with a reason: the ledger writes the bill, this
 * action records the event and the audit entry.
 */
import { waiveLateFee } from '../../../_shared/ledger';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { type overdueContracts } from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { stableId } from '../../../_shared/ids';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import type { Handlers } from '../../../_shared/router';
import { addEvent } from '../repo/cases';

export const waive: Handlers<typeof overdueContracts>['waive'] = async (input, ctx) => {
  const caller: StaffCaller = await requireRole(ctx, input.communityId, ['finance']);
  // One write through the ledger: the late fee, the waived total and (when nothing else is
  // owed) the status.
  const {
    bill,
    lateFeeFen: after,
    waivedFen: waived,
  } = await waiveLateFee(ctx.db, {
    communityId: input.communityId,
    billId: input.billId,
    amountFen: input.amountFen,
  });
  await addEvent(ctx, {
    _id: stableId('ev', bill.roomId, 'waiver', bill._id, ctx.now().toISOString()),
    communityId: bill.communityId,
    roomId: bill.roomId,
    kind: 'waiver',
    stage: null,
    title: `减免滞纳金 ${formatYuan(input.amountFen)}`,
    detail: `${bill.title}`,
    channel: null,
    reason: null,
    notes: input.reason,
    nextStep: '',
    ownerResponse: '',
    by: caller.openid,
    byName: caller.name,
    at: ctx.now(),
  });
  await audit(ctx, caller, {
    ...auditTarget('bill', bill.communityId, bill._id, bill.title),
    action: 'latefee.waive',
    summary: `减免滞纳金 ${formatYuan(input.amountFen)}：${input.reason}`,
    before: { lateFeeFen: bill.lateFeeFen },
    after: { lateFeeFen: after, waivedFen: waived },
  });
  return { billId: bill._id, lateFeeFen: after, lateFeeWaivedFen: waived };
};
