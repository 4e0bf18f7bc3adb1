/**
 * One-off charges (临时收费): staff raise a charge on a room with a reason from the list; it is
 * previewed, and above the community's threshold a second person (finance or admin, never the
 * raiser) approves it; then the ledger issues its bill, which owners pay (WeChat Pay) or the desk
 * takes like any bill, with the usual receipt. Every raise and decision is audited.
 */
import { billDocId } from '../../../../miniprogram/domain/fee/billing';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import {
  CHARGE_REASON_LABELS,
  chargeTitle,
  needsApproval,
} from '../../../../miniprogram/domain/charge/rules';
import type { chargeContracts } from '../../../../miniprogram/domain/charge/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { isDuplicate } from '../../../_shared/db';
import { listPage } from '../../../_shared/paging';
import { stableId } from '../../../_shared/ids';
import { issueChargeBill } from '../../../_shared/ledger';
import { getRoom, type RoomDoc } from '../../../_shared/records';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext, type Handlers } from '../../../_shared/router';
import {
  chargeDoc,
  chargeThreshold,
  chargeView,
  chargeViews,
  type ChargeDoc,
} from '../repo/records';
import type { ChargeView } from '../../../../miniprogram/domain/charge/contract';

type H = Handlers<typeof chargeContracts>;

/** A charge is due 15 days after it is billed unless staff name a date. */
const DEFAULT_DUE_DAYS = 15;

interface Planned {
  room: RoomDoc;
  title: string;
  dueDate: string;
  thresholdFen: number;
}

async function plan(
  input: Parameters<H['previewCharge']>[0],
  ctx: ActionContext,
): Promise<Planned> {
  const room = await getRoom(ctx, input.communityId, input.roomId);
  const today = shanghaiDate(ctx.now());
  if (input.dueDate && input.dueDate < today)
    throw new AppError('INVALID_INPUT', 'dueDate: 缴费期限不能早于今天');
  return {
    room,
    title: chargeTitle(input.reason, input.otherText),
    dueDate: input.dueDate ?? addDays(today, DEFAULT_DUE_DAYS),
    thresholdFen: await chargeThreshold(ctx, input.communityId),
  };
}

export const previewCharge: H['previewCharge'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const p = await plan(input, ctx);
  return {
    roomLabel: roomLabel(p.room),
    title: p.title,
    amountFen: input.amountFen,
    dueDate: p.dueDate,
    thresholdFen: p.thresholdFen,
    needsApproval: needsApproval(input.amountFen, p.thresholdFen),
  };
};

/** The bill a charge is billed as: its id comes from the charge (period: the month raised). */
function billIdOf(charge: Pick<ChargeDoc, '_id' | 'roomId' | 'raisedAt'>): string {
  return billDocId(charge.roomId, periodOf(charge), `oc-${charge._id}`);
}

function periodOf(charge: Pick<ChargeDoc, 'raisedAt'>): string {
  return shanghaiDate(new Date(charge.raisedAt)).slice(0, 7);
}

/** Issues a billed charge's bill through the ledger (idempotent: a repeat inserts nothing). */
async function issueBill(ctx: ActionContext, charge: ChargeDoc): Promise<void> {
  const itemId = `oneoff:${charge.reason}`;
  await issueChargeBill(ctx.db, {
    _id: billIdOf(charge),
    communityId: charge.communityId,
    roomId: charge.roomId,
    period: periodOf(charge),
    key: `oc-${charge._id}`,
    title: charge.title,
    items: [
      {
        itemId,
        name: charge.title,
        basis: `${CHARGE_REASON_LABELS[charge.reason]}${charge.note ? `（${charge.note}）` : ''} = ${formatYuan(charge.amountFen)}`,
        amountFen: charge.amountFen,
        kind: 'charge' as const,
      },
    ],
    amountDueFen: charge.amountFen,
    dueDate: charge.dueDate,
    building: charge.building,
    itemIds: [itemId],
    chargeId: charge._id,
    issuedAt: ctx.now(),
  });
}

function label(charge: ChargeDoc): string {
  return `${charge.roomLabel} ${charge.title}`;
}

export const raiseCharge: H['raiseCharge'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ANY_STAFF);
  const p = await plan(input, ctx);
  const approval = needsApproval(input.amountFen, p.thresholdFen);
  const draft: ChargeDoc = {
    _id: stableId('oc_', input.communityId, input.requestId),
    communityId: input.communityId,
    roomId: p.room._id,
    roomLabel: roomLabel(p.room),
    building: p.room.building,
    reason: input.reason,
    title: p.title,
    note: input.note,
    amountFen: input.amountFen,
    dueDate: p.dueDate,
    status: 'pending-approval',
    thresholdFen: p.thresholdFen,
    raisedBy: caller.openid,
    raisedByName: caller.name,
    raisedAt: ctx.now(),
  };
  // At or below the threshold the charge is billed at once (its bill id is known up front).
  const charge: ChargeDoc = approval
    ? draft
    : { ...draft, status: 'billed', billId: billIdOf(draft) };
  try {
    await ctx.db.collection('charges').add({ data: charge });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    // The same form sent again: answer what it recorded (finishing its bill if need be).
    const earlier = await chargeDoc(ctx, charge._id);
    if (earlier.status === 'billed') await issueBill(ctx, earlier);
    return (await chargeViews(ctx, [earlier]))[0]!;
  }
  if (!approval) await issueBill(ctx, charge);
  await audit(ctx, caller, {
    ...auditTarget('charge', charge.communityId, charge._id, label(charge)),
    action: 'charge.raise',
    summary: `临时收费 ${charge.title} ${formatYuan(charge.amountFen)}（${approval ? `超过 ${formatYuan(p.thresholdFen)}，待审批` : '直接出账'}）${charge.note ? `：${charge.note}` : ''}`,
    after: { amountFen: charge.amountFen, reason: charge.reason, roomId: charge.roomId },
  });
  return (await chargeViews(ctx, [charge]))[0]!;
};

export const decideCharge: H['decideCharge'] = async (input, ctx) => {
  const charge = await chargeDoc(ctx, input.chargeId);
  const caller = await requireRole(ctx, charge.communityId, ['finance']);
  if (charge.raisedBy === caller.openid)
    throw new AppError('FORBIDDEN', '临时收费须由发起人以外的财务或管理员审批');
  if (charge.status === 'billed' && input.approve && charge.decidedBy === caller.openid) {
    // Approved, but the instance stopped before the bill: approving again finishes it.
    await issueBill(ctx, charge);
    return (await chargeViews(ctx, [charge]))[0]!;
  }
  if (charge.status !== 'pending-approval')
    throw new AppError('PRECONDITION_FAILED', '该临时收费不在待审批状态');
  const decided = {
    status: input.approve ? ('billed' as const) : ('rejected' as const),
    ...(input.approve ? { billId: billIdOf(charge) } : {}),
    decidedBy: caller.openid,
    decidedByName: caller.name,
    decidedAt: ctx.now(),
    decisionNote: input.note ?? '',
  };
  // Only a pending charge is decided, once: the conditional write is the guard, and it comes
  // before the bill, so an approval and a rejection can never both take effect.
  const res = await ctx.db
    .collection('charges')
    .where({ _id: charge._id, status: 'pending-approval' })
    .update({ data: decided });
  if (Number(res.stats.updated) !== 1) throw new AppError('CONFLICT', '该临时收费已被处理，请刷新');
  const after: ChargeDoc = { ...charge, ...decided };
  if (input.approve) await issueBill(ctx, after);
  await audit(ctx, caller, {
    ...auditTarget('charge', charge.communityId, charge._id, label(charge)),
    action: input.approve ? 'charge.approve' : 'charge.reject',
    summary: `${input.approve ? '批准' : '驳回'}临时收费 ${charge.title} ${formatYuan(charge.amountFen)}${input.note ? `：${input.note}` : ''}`,
  });
  return chargeView(after, input.approve ? 'unpaid' : null);
};

/**
 * The community's charges, newest first, a page at a time (a busy estate raises hundreds a
 * year): the page, its count and its bills' states — four requests whatever the page.
 */
export const charges: H['charges'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const [page, thresholdFen] = await Promise.all([
    listPage<ChargeDoc, ChargeView>(
      ctx,
      'charges',
      { communityId: input.communityId, ...(input.status ? { status: input.status } : {}) },
      [
        ['raisedAt', 'desc'],
        ['_id', 'asc'],
      ],
      input,
      (docs) => chargeViews(ctx, docs),
    ),
    chargeThreshold(ctx, input.communityId),
  ]);
  return { charges: page.items, nextCursor: page.nextCursor, total: page.total, thresholdFen };
};
