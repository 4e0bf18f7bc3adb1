/**
 * The overdue function's reads and views shared by its actions: the community and room of a
 * request, open bills, and the case, event, task, plan and hold views staff and owners see.
 */
import { agingBucket, overdueDaysOn } from '../../../../miniprogram/domain/ledger/aging';
import { openBillsOf } from '../../../_shared/bills';
import type { RoomDoc } from '../../../_shared/records';
import { getDoc, getInCommunity } from '../../../_shared/records';
import {
  OPEN_BILL_STATUSES,
  isPastDue,
  outstandingFen,
  type BillDoc,
} from '../../../../miniprogram/domain/fee/bill';
import {
  HOLD_REASON_LABELS,
  PLAN_STATUS_LABELS,
  installmentProgress,
  NONPAYMENT_REASON_LABELS,
  STAGE_LABELS,
} from '../../../../miniprogram/domain/overdue/rules';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import {
  type CaseEventView,
  type CaseItem,
  type HoldView,
  type PlanView,
  type TaskView,
} from '../../../../miniprogram/domain/overdue/contract';
import { TASK_KIND_TEXT, TASK_SOURCE_TEXT, type TaskDoc } from '../../../_shared/contacts';
import { fetchAll } from '../../../_shared/db';
import { isHeld, type HoldDoc } from '../../../_shared/holds';
import { loadCommunity, type CommunitySettingsDoc } from '../../../_shared/remind';
import { AppError, type ActionContext } from '../../../_shared/router';
import type { CaseDoc, EventDoc, PlanDoc } from '../../../_shared/overdue-records';

/** The open bill statuses, for queries. */
export const OPEN: string[] = [...OPEN_BILL_STATUSES];

export const HOLD_TEXT = HOLD_REASON_LABELS;
export const PLAN_STATUS_TEXT = PLAN_STATUS_LABELS;

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export const today = (ctx: ActionContext) => shanghaiDate(ctx.now());

export async function community(ctx: ActionContext, id: string): Promise<CommunitySettingsDoc> {
  const c = await loadCommunity(ctx.db, id);
  if (!c) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
  return c;
}

export async function room(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
): Promise<RoomDoc> {
  return getInCommunity<RoomDoc>(ctx, 'rooms', communityId, roomId, 'roomId: 该小区没有此房屋');
}

export function openBills(ctx: ActionContext, communityId: string, roomIds: string[]) {
  return openBillsOf(ctx, roomIds, { communityId });
}

export function holdView(h: HoldDoc): HoldView {
  return { reason: h.reason, reasonText: HOLD_TEXT[h.reason] ?? h.reason, from: h.from, to: h.to };
}

/** What a room owes on overdue bills: the database sums it for the list, code for one case. */
export interface RoomArrears {
  roomId: string;
  roomLabel: string;
  arrearsFen: number;
  lateFeeFen: number;
  billCount: number;
  /** The oldest overdue due date; null when nothing is overdue. */
  oldestDueDate: string | null;
  /** The overdue bills that still owe something. */
  billIds: string[];
}

/** The same sums over one room's bills (the case page has them at hand). */
export function arrearsOf(
  r: { roomId: string; roomLabel: string },
  bills: readonly BillDoc[],
  day: string,
  grace: number,
): RoomArrears {
  // the bills a case is about: past due plus the grace days, still owing (as letters count)
  const overdue = bills.filter((b) => isPastDue(b.dueDate, day, grace) && outstandingFen(b) > 0);
  return {
    ...r,
    arrearsFen: overdue.reduce((s, b) => s + outstandingFen(b), 0),
    lateFeeFen: overdue.reduce((s, b) => s + b.lateFeeFen, 0),
    billCount: overdue.length,
    oldestDueDate: overdue.map((b) => b.dueDate).sort()[0] ?? null,
    billIds: overdue.map((b) => b._id),
  };
}

export function caseItem(
  r: RoomArrears,
  day: string,
  grace: number,
  c: Pick<CaseDoc, 'stage' | 'billIds'> | undefined,
  holds: HoldDoc[],
  openTasks: number,
  specialCare: boolean,
  bound: boolean,
): CaseItem {
  const oldest = r.oldestDueDate ?? day;
  const days = overdueDaysOn(oldest, day, grace);
  const activeHold =
    r.billIds.length > 0 && r.billIds.every((id) => isHeld(holds, id, day))
      ? holds.find((h) => r.billIds.some((id) => isHeld([h], id, day)))
      : undefined;
  const sameEpisode = c && c.billIds.some((id) => r.billIds.includes(id));
  return {
    roomId: r.roomId,
    roomLabel: r.roomLabel,
    arrearsFen: r.arrearsFen,
    lateFeeFen: r.lateFeeFen,
    billCount: r.billCount,
    oldestDueDate: oldest,
    overdueDays: days,
    agingBucket: agingBucket(days),
    stage: sameEpisode ? c.stage : null,
    stageLabel: sameEpisode && c.stage ? STAGE_LABELS[c.stage] : '尚未提醒',
    held: activeHold ? holdView(activeHold) : null,
    openTasks,
    specialCare,
    bound,
  };
}

export function eventView(e: EventDoc): CaseEventView {
  return {
    eventId: e._id,
    kind: e.kind,
    stage: e.stage,
    title: e.title,
    detail: e.detail,
    channel: e.channel,
    reason: e.reason,
    reasonText: e.reason ? NONPAYMENT_REASON_LABELS[e.reason] : '',
    notes: e.notes,
    nextStep: e.nextStep,
    ownerResponse: e.ownerResponse,
    at: new Date(e.at).toISOString(),
    byName: e.byName,
  };
}

export function taskView(t: TaskDoc, label: string, arrearsFen: number): TaskView {
  return {
    taskId: t._id,
    roomId: t.roomId,
    roomLabel: label,
    kind: t.kind,
    kindText: TASK_KIND_TEXT[t.kind],
    source: t.source,
    sourceText: TASK_SOURCE_TEXT[t.source],
    status: t.status,
    assignedTo: t.assignedTo,
    assignedName: t.assignedName,
    outcome: t.outcome,
    createdAt: new Date(t.createdAt).toISOString(),
    arrearsFen,
  };
}

export function planView(p: PlanDoc, paidNowFen: number | null, day: string): PlanView {
  const progress = installmentProgress(
    p.installments,
    paidNowFen === null ? 0 : paidNowFen - p.paidAtStartFen,
    day,
    7,
  );
  return {
    planId: p._id,
    communityId: p.communityId,
    roomId: p.roomId,
    roomLabel: p.roomLabel,
    status: p.status,
    statusText: PLAN_STATUS_TEXT[p.status],
    arrearsFen: p.arrearsFen,
    billIds: p.billIds,
    installments: p.installments.map((it, i) => ({ ...it, coveredFen: progress.covered[i] ?? 0 })),
    note: p.note,
    proposedByName: p.proposedByName,
    approvedByName: p.approvedByName ?? '',
    acceptedAt: iso(p.acceptedAt),
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

export async function planPaid(ctx: ActionContext, p: PlanDoc): Promise<number> {
  const _ = ctx.db.command;
  const bills = await fetchAll<BillDoc>(ctx.db.collection('bills').where({ _id: _.in(p.billIds) }));
  return bills.reduce((s, b) => s + b.paidFen, 0);
}

export async function loadPlan(ctx: ActionContext, planId: string): Promise<PlanDoc> {
  return getDoc<PlanDoc>(ctx, 'installment_plans', planId, 'planId: 分期方案不存在');
}

export async function addEvent(ctx: ActionContext, e: EventDoc): Promise<void> {
  await ctx.db.collection('collection_events').add({ data: e });
}

export async function staffNames(ctx: ActionContext, communityId: string) {
  const docs = await fetchAll<{
    openid: string;
    name?: string;
    roles: string[];
    revokedAt?: Date | null;
  }>(ctx.db.collection('staff_roles').where({ communityId }));
  return docs.filter((d) => !d.revokedAt);
}
