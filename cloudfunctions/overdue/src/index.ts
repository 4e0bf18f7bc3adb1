/**
 * overdue: graduated follow-up of overdue accounts (先礼后兵、分级递进、人文关怀). The daily timer
 * (`run.ts`) marks overdue bills, accrues late fees and advances accounts through the escalation
 * stages; staff work the cases here — calls and visits with the reason for non-payment, promises
 * to pay (a 'promise' hold), the contact list, 催缴函 letters and their delivery, installment
 * plans (service proposes, admin approves, the owner accepts: an 'installment' hold), and late-fee
 * waivers by finance. Every staff action checks the role in the community and is audited.
 * docs/overdue.md.
 */
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { waiveLateFee } from '../../_shared/ledger';
import cloud from 'wx-server-sdk';
import { outstandingFen, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { maskMobile, maskName } from '../../../miniprogram/domain/community/mask';
import { formatYuan } from '../../../miniprogram/domain/kernel/money';
import {
  agingBucket,
  CONTACT_CHANNEL_LABELS,
  installmentProgress,
  NONPAYMENT_REASON_LABELS,
  overdueDaysOn,
  overdueLettersDoc,
  STAGE_LABELS,
  validateInstallments,
  validateStages,
} from '../../../miniprogram/domain/overdue/rules';
import { addDays, shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import {
  overdueContracts,
  type CaseEventView,
  type CaseItem,
  type HoldView,
  type LetterView,
  type OverduePolicy,
  type PlanView,
  type TaskView,
} from '../../../miniprogram/domain/overdue/contract';
import { audit } from '../../_shared/audit';
import { TASK_KIND_TEXT, TASK_SOURCE_TEXT, type TaskDoc } from '../../_shared/contacts';
import { fetchAll, isMissing } from '../../_shared/db';
import { holdsForRooms, isHeld, placeHold, ticketHoldRef, type HoldDoc } from '../../_shared/holds';
import { stableId } from '../../_shared/ids';

import { boundOpenids, specialCareRooms } from '../../_shared/notice-push';
import {
  escalationOf,
  loadCommunity,
  quietHoursOf,
  type CommunitySettingsDoc,
} from '../../_shared/remind';
import { printToCloud } from '../../_shared/print-file';
import { ANY_STAFF, requireRole, type StaffCaller } from '../../_shared/roles';
import { AppError, createRouter, requireOpenid, type ActionContext } from '../../_shared/router';
import type { CaseDoc, EventDoc, LetterDoc, PlanDoc } from '../../_shared/overdue-records';
import { runDaily } from './run';

const OPEN = ['unpaid', 'partial'];
const HOLD_TEXT: Record<string, string> = {
  complaint: '投诉处理中',
  dispute: '费用争议处理中',
  installment: '分期缴纳中',
  promise: '业主承诺缴费',
};
const PLAN_STATUS_TEXT: Record<PlanView['status'], string> = {
  proposed: '待审批',
  approved: '待业主确认',
  rejected: '未通过',
  active: '执行中',
  completed: '已完成',
  lapsed: '已中止（逾期未缴）',
};

interface RoomDoc {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const today = (ctx: ActionContext) => shanghaiDate(ctx.now());

async function community(ctx: ActionContext, id: string): Promise<CommunitySettingsDoc> {
  const c = await loadCommunity(ctx.db, id);
  if (!c) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
  return c;
}

async function room(ctx: ActionContext, communityId: string, roomId: string): Promise<RoomDoc> {
  try {
    const r = (await ctx.db.collection('rooms').doc(roomId).get()).data as RoomDoc;
    if (r.communityId === communityId) return r;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  throw new AppError('NOT_FOUND', 'roomId: 该小区没有此房屋');
}

async function openBills(ctx: ActionContext, communityId: string, roomIds: string[]) {
  const _ = ctx.db.command;
  const out: BillDoc[] = [];
  for (let i = 0; i < roomIds.length; i += 500) {
    out.push(
      ...(await fetchAll<BillDoc>(
        ctx.db
          .collection('bills')
          .where({ communityId, roomId: _.in(roomIds.slice(i, i + 500)), status: _.in(OPEN) }),
      )),
    );
  }
  return out;
}

function holdView(h: HoldDoc): HoldView {
  return { reason: h.reason, reasonText: HOLD_TEXT[h.reason] ?? h.reason, from: h.from, to: h.to };
}

function caseItem(
  r: { roomId: string; roomLabel: string },
  bills: BillDoc[],
  day: string,
  grace: number,
  c: CaseDoc | undefined,
  holds: HoldDoc[],
  openTasks: number,
  specialCare: boolean,
  bound: boolean,
): CaseItem {
  const overdue = bills.filter((b) => b.dueDate < day && outstandingFen(b) > 0);
  const oldest = overdue.map((b) => b.dueDate).sort()[0] ?? day;
  const days = overdueDaysOn(oldest, day, grace);
  const activeHold =
    overdue.length > 0 && overdue.every((b) => isHeld(holds, b._id, day))
      ? holds.find((h) => overdue.some((b) => isHeld([h], b._id, day)))
      : undefined;
  const sameEpisode = c && c.billIds.some((id) => overdue.some((b) => b._id === id));
  return {
    roomId: r.roomId,
    roomLabel: r.roomLabel,
    arrearsFen: overdue.reduce((s, b) => s + outstandingFen(b), 0),
    lateFeeFen: overdue.reduce((s, b) => s + b.lateFeeFen, 0),
    billCount: overdue.length,
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

function eventView(e: EventDoc): CaseEventView {
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

function taskView(t: TaskDoc, label: string, arrearsFen: number): TaskView {
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

function planView(p: PlanDoc, paidNowFen: number | null, day: string): PlanView {
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

async function planPaid(ctx: ActionContext, p: PlanDoc): Promise<number> {
  const _ = ctx.db.command;
  const bills = await fetchAll<BillDoc>(ctx.db.collection('bills').where({ _id: _.in(p.billIds) }));
  return bills.reduce((s, b) => s + b.paidFen, 0);
}

async function loadPlan(ctx: ActionContext, planId: string): Promise<PlanDoc> {
  try {
    return (await ctx.db.collection('installment_plans').doc(planId).get()).data as PlanDoc;
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'planId: 分期方案不存在');
    throw e;
  }
}

async function addEvent(ctx: ActionContext, e: EventDoc): Promise<void> {
  await ctx.db.collection('collection_events').add({ data: e });
}

async function staffNames(ctx: ActionContext, communityId: string) {
  const docs = await fetchAll<{
    openid: string;
    name?: string;
    roles: string[];
    revokedAt?: Date | null;
  }>(ctx.db.collection('staff_roles').where({ communityId }));
  return docs.filter((d) => !d.revokedAt);
}

async function letterFor(
  ctx: ActionContext,
  c: CommunitySettingsDoc,
  r: RoomDoc,
): Promise<{ letter: LetterDoc; view: LetterView }> {
  const res = await ctx.db
    .collection('collection_letters')
    .where({ communityId: c._id, roomId: r._id })
    .orderBy('createdAt', 'desc')
    .limit(1)
    .get();
  const letter = res.data[0] as LetterDoc | undefined;
  if (!letter) throw new AppError('NOT_FOUND', 'roomId: 该房屋尚未到书面催缴阶段，没有催缴函');
  const bills = (await openBills(ctx, c._id, [r._id])).filter((b) => outstandingFen(b) > 0);
  const day = today(ctx);
  const list = bills.length
    ? bills
    : await fetchAll<BillDoc>(
        ctx.db.collection('bills').where({ _id: ctx.db.command.in(letter.billIds) }),
      );
  const label = roomLabel(r);
  const rel = await fetchAll<{ ownerId: string; relation: string }>(
    ctx.db.collection('room_owners').where({ roomId: r._id, relation: 'owner' }),
  );
  let addressee = '业主';
  if (rel[0]) {
    try {
      const o = (await ctx.db.collection('owners').doc(rel[0].ownerId).get()).data as {
        name?: string;
      };
      if (o.name) addressee = o.name;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  const lateRules = await fetchAll<{
    lateFee?: { enabled: boolean; rateBpPerDay: number; graceDays: number } | null;
  }>(ctx.db.collection('fee_standards').where({ communityId: c._id }));
  const rule = lateRules.map((s) => s.lateFee).find((l) => l?.enabled);
  const doc = overdueLettersDoc([
    {
      letterNo: letter.letterNo,
      communityName: c.name,
      roomLabel: label,
      addressee,
      bills: [...list]
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
        .map((b) => ({
          period: b.period,
          title: b.title,
          dueDate: b.dueDate,
          amountDueFen: b.amountDueFen,
          lateFeeFen: b.lateFeeFen,
          paidFen: b.paidFen,
          outstandingFen: outstandingFen(b),
          overdueDays: overdueDaysOn(b.dueDate, day),
        })),
      issuedOn: letter.issuedOn,
      payBy: letter.payBy,
      servicePhone: c.servicePhone ?? '',
      frontDesk: c.frontDesk ?? '物业服务中心',
      serviceHours: c.serviceHours ?? '',
      lateFeePolicy: rule
        ? `自应缴日期后第 ${rule.graceDays + 1} 天起按每日 ${(rule.rateBpPerDay / 100).toFixed(2)}% 计收，设有上限`
        : null,
    },
  ]);
  return {
    letter,
    view: {
      roomId: r._id,
      roomLabel: label,
      letterNo: letter.letterNo,
      doc,
      deliveredAt: iso(letter.deliveredAt),
    },
  };
}

function policyView(c: CommunitySettingsDoc): OverduePolicy {
  return {
    communityId: c._id,
    escalation: escalationOf(c),
    overdueGraceDays: c.overdueGraceDays ?? 0,
    installmentGraceDays: c.installmentGraceDays ?? 7,
    quietHours: quietHoursOf(c),
  };
}

/** The fields of a complaint ticket (complaint function) a contact record links to. */
interface LinkedTicket {
  _id: string;
  communityId: string;
  roomId: string;
  ticketNo: string;
  status: 'registered' | 'accepted' | 'in-progress' | 'resolved' | 'closed';
  billIds?: string[];
  reopenCount: number;
  holdRefId: string | null;
}

const router = createRouter('overdue', overdueContracts, {
  async policy(input, ctx) {
    await requireRole(ctx, input.communityId, ANY_STAFF);
    return policyView(await community(ctx, input.communityId));
  },

  async setPolicy(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['admin']);
    const before = await community(ctx, input.communityId);
    if (input.escalation) {
      const problems = validateStages(input.escalation);
      if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
    }
    const _ = ctx.db.command;
    const data: Record<string, unknown> = {};
    if (input.escalation) data.escalation = _.set(input.escalation);
    if (input.overdueGraceDays !== undefined) data.overdueGraceDays = input.overdueGraceDays;
    if (input.installmentGraceDays !== undefined)
      data.installmentGraceDays = input.installmentGraceDays;
    if (Object.keys(data).length === 0) return policyView(before);
    await ctx.db.collection('communities').doc(before._id).update({ data });
    const after = await community(ctx, input.communityId);
    await audit(ctx, caller, {
      communityId: before._id,
      action: 'overdue.policy',
      targetType: 'community',
      targetId: before._id,
      targetLabel: before.name,
      summary: `修改催缴策略：${Object.keys(data).join('、')}`,
      before: { ...policyView(before) },
      after: { ...policyView(after) },
    });
    return policyView(after);
  },

  async cases(input, ctx) {
    await requireRole(ctx, input.communityId, ['service', 'finance']);
    const c = await community(ctx, input.communityId);
    const day = today(ctx);
    const _ = ctx.db.command;
    const bills = await fetchAll<BillDoc>(
      ctx.db
        .collection('bills')
        .where({ communityId: c._id, status: _.in(OPEN), dueDate: _.lt(day) }),
    );
    const roomIds = [...new Set(bills.map((b) => b.roomId))];
    const rooms = new Map<string, RoomDoc>();
    const cases = new Map<string, CaseDoc>();
    for (let i = 0; i < roomIds.length; i += 500) {
      const chunk = roomIds.slice(i, i + 500);
      for (const r of await fetchAll<RoomDoc>(
        ctx.db.collection('rooms').where({ _id: _.in(chunk) }),
      ))
        rooms.set(r._id, r);
      for (const k of await fetchAll<CaseDoc>(
        ctx.db.collection('collection_cases').where({ _id: _.in(chunk.map((r) => `case_${r}`)) }),
      ))
        cases.set(k.roomId, k);
    }
    const holds = await holdsForRooms(ctx.db, c._id, roomIds);
    const tasks = await fetchAll<TaskDoc>(
      ctx.db.collection('collection_tasks').where({ communityId: c._id, status: 'open' }),
    );
    const cared = await specialCareRooms(ctx.db, c._id, roomIds);
    const bound = await boundOpenids(ctx.db, roomIds);
    const byRoom = new Map<string, BillDoc[]>();
    for (const b of bills) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b]);
    let items = [...byRoom.entries()]
      .map(([roomId, list]) =>
        caseItem(
          { roomId, roomLabel: rooms.has(roomId) ? roomLabel(rooms.get(roomId)!) : roomId },
          list,
          day,
          c.overdueGraceDays ?? 0,
          cases.get(roomId),
          holds.get(roomId) ?? [],
          tasks.filter((t) => t.roomId === roomId).length,
          cared.has(roomId),
          (bound.get(roomId) ?? []).length > 0,
        ),
      )
      .filter((i) => i.arrearsFen > 0);
    if (input.filter === 'held') items = items.filter((i) => i.held);
    if (input.filter === 'letters')
      items = items.filter((i) => i.stage === 'formal-notice' || i.stage === 'home-visit');
    if (input.filter === 'visits') items = items.filter((i) => i.stage === 'home-visit');
    items.sort(
      (a, b) => b.overdueDays - a.overdueDays || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
    );
    return {
      items: items.slice(0, input.limit),
      total: items.length,
      totalArrearsFen: items.reduce((s, i) => s + i.arrearsFen, 0),
    };
  },

  async case(input, ctx) {
    await requireRole(ctx, input.communityId, ['service', 'finance']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    const day = today(ctx);
    const bills = await openBills(ctx, c._id, [r._id]);
    const holds = (await holdsForRooms(ctx.db, c._id, [r._id])).get(r._id) ?? [];
    let caseDoc: CaseDoc | undefined;
    try {
      caseDoc = (await ctx.db.collection('collection_cases').doc(`case_${r._id}`).get())
        .data as CaseDoc;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    const events = await fetchAll<EventDoc>(
      ctx.db.collection('collection_events').where({ communityId: c._id, roomId: r._id }),
    );
    events.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
    const tasks = await fetchAll<TaskDoc>(
      ctx.db.collection('collection_tasks').where({ communityId: c._id, roomId: r._id }),
    );
    const plans = await fetchAll<PlanDoc>(
      ctx.db.collection('installment_plans').where({ communityId: c._id, roomId: r._id }),
    );
    const label = roomLabel(r);
    const rel = await fetchAll<{ ownerId: string }>(
      ctx.db.collection('room_owners').where({ roomId: r._id, relation: 'owner' }),
    );
    interface OwnerRec {
      _id: string;
      name?: string;
      mobile?: string;
      specialCare?: boolean;
      careNote?: string | null;
    }
    let owner: OwnerRec | null = null;
    if (rel[0]) {
      try {
        owner = (await ctx.db.collection('owners').doc(rel[0].ownerId).get()).data as OwnerRec;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    const bound = (await boundOpenids(ctx.db, [r._id])).get(r._id) ?? [];
    const open = bills.filter((b) => outstandingFen(b) > 0);
    const arrears = open.reduce((s, b) => s + outstandingFen(b), 0);
    const letters = await ctx.db
      .collection('collection_letters')
      .where({ roomId: r._id })
      .orderBy('createdAt', 'desc')
      .limit(1)
      .get();
    const letter = letters.data[0] as LetterDoc | undefined;
    const planViews: PlanView[] = [];
    for (const p of plans) planViews.push(planView(p, await planPaid(ctx, p), day));
    return {
      item: caseItem(
        { roomId: r._id, roomLabel: label },
        bills,
        day,
        c.overdueGraceDays ?? 0,
        caseDoc,
        holds,
        tasks.filter((t) => t.status === 'open').length,
        Boolean(owner?.specialCare),
        bound.length > 0,
      ),
      ownerId: owner?._id ?? null,
      ownerName: maskName(owner?.name ?? ''),
      ownerMobile: maskMobile(owner?.mobile ?? ''),
      careNote: owner?.specialCare ? (owner.careNote ?? '') : '',
      bills: open
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
        .map((b) => {
          const s = b as BillDoc & { lateFee?: { waivedFen?: number } };
          return {
            billId: b._id,
            period: b.period,
            title: b.title,
            dueDate: b.dueDate,
            amountDueFen: b.amountDueFen,
            lateFeeFen: b.lateFeeFen,
            lateFeeWaivedFen: s.lateFee?.waivedFen ?? 0,
            paidFen: b.paidFen,
            outstandingFen: outstandingFen(b),
            overdueDays: b.dueDate < day ? overdueDaysOn(b.dueDate, day) : 0,
          };
        }),
      events: events.map(eventView),
      tasks: tasks
        .sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1))
        .map((t) => taskView(t, label, arrears)),
      plans: planViews,
      holds: holds.filter((h) => h.active).map(holdView),
      letter: letter ? { letterNo: letter.letterNo, deliveredAt: iso(letter.deliveredAt) } : null,
    };
  },

  async record(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    const day = today(ctx);
    if (input.promiseDate !== undefined && input.promiseDate < day)
      throw new AppError('INVALID_INPUT', 'promiseDate: 承诺缴费日期不能早于今天');
    if (input.promiseDate !== undefined && input.promiseDate > addDays(day, 90))
      throw new AppError('INVALID_INPUT', 'promiseDate: 承诺缴费日期最多 90 天内');
    let task: TaskDoc | undefined;
    if (input.taskId) {
      try {
        task = (await ctx.db.collection('collection_tasks').doc(input.taskId).get())
          .data as TaskDoc;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      if (!task || task.communityId !== c._id || task.roomId !== r._id)
        throw new AppError('INVALID_INPUT', 'taskId: 该房屋没有此联系任务');
    }
    // A linked complaint must be an open ticket of this room. When the owner is dissatisfied
    // with the service or disputes the bill, the ticket pauses collection on the room until it
    // is resolved (the complaint desk releases the hold, as for fee complaints).
    let ticket: LinkedTicket | undefined;
    if (input.complaintId) {
      try {
        ticket = (await ctx.db.collection('complaints').doc(input.complaintId).get())
          .data as LinkedTicket;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      if (!ticket || ticket.communityId !== c._id || ticket.roomId !== r._id)
        throw new AppError('INVALID_INPUT', 'complaintId: 该房屋没有此投诉工单');
      if (ticket.status === 'resolved' || ticket.status === 'closed')
        throw new AppError('INVALID_INPUT', 'complaintId: 该投诉工单已办结，请关联未办结的工单');
    }
    const label = roomLabel(r);
    const ev: EventDoc = {
      _id: stableId('ev', r._id, 'contact', caller.openid, ctx.now().toISOString()),
      communityId: c._id,
      roomId: r._id,
      kind: 'contact',
      stage: null,
      title: `${CONTACT_CHANNEL_LABELS[input.channel]}联系：${NONPAYMENT_REASON_LABELS[input.reason]}`,
      detail: input.promiseDate ? `业主承诺于 ${input.promiseDate} 前缴费，期间暂缓催缴` : '',
      channel: input.channel,
      reason: input.reason,
      notes: input.notes,
      nextStep: input.nextStep,
      ownerResponse: input.ownerResponse,
      by: caller.openid,
      byName: caller.name,
      at: ctx.now(),
      promiseDate: input.promiseDate ?? null,
      complaintId: input.complaintId ?? null,
      taskId: input.taskId ?? null,
    };
    await addEvent(ctx, ev);
    if (ticket && (input.reason === 'service' || input.reason === 'dispute') && !ticket.holdRefId) {
      const refId = ticketHoldRef(ticket._id, ticket.reopenCount);
      await placeHold(ctx.db, {
        communityId: c._id,
        roomId: r._id,
        billIds: ticket.billIds ?? [],
        reason: 'complaint',
        refId,
        from: day,
        note: `上门/电话联系：${NONPAYMENT_REASON_LABELS[input.reason]}，关联投诉工单 ${ticket.ticketNo}`,
        by: caller.openid,
        at: ctx.now(),
      });
      await ctx.db
        .collection('complaints')
        .doc(ticket._id)
        .update({ data: { holdRefId: refId } });
    }
    if (input.promiseDate) {
      await placeHold(ctx.db, {
        communityId: c._id,
        roomId: r._id,
        reason: 'promise',
        refId: ev._id,
        from: day,
        to: input.promiseDate,
        note: input.notes,
        by: caller.openid,
        at: ctx.now(),
      });
    }
    if (task && task.status === 'open') {
      await ctx.db
        .collection('collection_tasks')
        .doc(task._id)
        .update({
          data: {
            status: 'done',
            outcome: `${NONPAYMENT_REASON_LABELS[input.reason]}；${input.nextStep}`,
            doneAt: ctx.now(),
            doneBy: caller.openid,
          },
        });
    }
    await audit(ctx, caller, {
      communityId: c._id,
      action: 'overdue.contact',
      targetType: 'collectionCase',
      targetId: r._id,
      targetLabel: label,
      summary: `${ev.title}${input.promiseDate ? `，承诺 ${input.promiseDate} 前缴费` : ''}`,
      after: {
        reason: input.reason,
        nextStep: input.nextStep,
        promiseDate: input.promiseDate ?? null,
      },
    });
    return eventView(ev);
  },

  async tasks(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const where: Record<string, unknown> = { communityId: c._id, status: input.status };
    if (input.mine) where.assignedTo = caller.openid;
    const docs = await fetchAll<TaskDoc>(ctx.db.collection('collection_tasks').where(where));
    const roomIds = [...new Set(docs.map((d) => d.roomId))];
    const _ = ctx.db.command;
    const labels = new Map<string, string>();
    for (let i = 0; i < roomIds.length; i += 500) {
      for (const r of await fetchAll<RoomDoc>(
        ctx.db.collection('rooms').where({ _id: _.in(roomIds.slice(i, i + 500)) }),
      ))
        labels.set(r._id, roomLabel(r));
    }
    const arrears = new Map<string, number>();
    for (const b of await openBills(ctx, c._id, roomIds))
      arrears.set(b.roomId, (arrears.get(b.roomId) ?? 0) + outstandingFen(b));
    const order: Record<string, number> = { visit: 0, letter: 1, call: 2 };
    const items = docs
      .map((t) => taskView(t, labels.get(t.roomId) ?? t.roomId, arrears.get(t.roomId) ?? 0))
      // A contact about a room that has since paid in full is no longer needed.
      .filter((t) => input.status === 'done' || t.arrearsFen > 0)
      .sort(
        (a, b) =>
          (order[a.kind] ?? 9) - (order[b.kind] ?? 9) ||
          b.arrearsFen - a.arrearsFen ||
          a.roomLabel.localeCompare(b.roomLabel, 'zh'),
      );
    const staff = await staffNames(ctx, c._id);
    return {
      items,
      assignees: staff
        .filter((s) => s.roles.includes('service') || s.roles.includes('admin'))
        .map((s) => ({ openid: s.openid, name: s.name ?? '' })),
    };
  },

  async assign(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const staff = await staffNames(ctx, input.communityId);
    const who = staff.find((s) => s.openid === input.assignee);
    if (!who || !(who.roles.includes('service') || who.roles.includes('admin')))
      throw new AppError('INVALID_INPUT', 'assignee: 只能分派给本小区的客服人员');
    let task: TaskDoc;
    try {
      task = (await ctx.db.collection('collection_tasks').doc(input.taskId).get()).data as TaskDoc;
    } catch (e) {
      if (isMissing(e)) throw new AppError('NOT_FOUND', 'taskId: 任务不存在');
      throw e;
    }
    if (task.communityId !== input.communityId)
      throw new AppError('NOT_FOUND', 'taskId: 任务不存在');
    await ctx.db
      .collection('collection_tasks')
      .doc(task._id)
      .update({ data: { assignedTo: who.openid, assignedName: who.name ?? '' } });
    const r = await room(ctx, input.communityId, task.roomId);
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'overdue.assign',
      targetType: 'collectionCase',
      targetId: task.roomId,
      targetLabel: roomLabel(r),
      summary: `${TASK_KIND_TEXT[task.kind]}任务分派给 ${who.name ?? ''}`,
    });
    return taskView(
      { ...task, assignedTo: who.openid, assignedName: who.name ?? '' },
      roomLabel(r),
      0,
    );
  },

  async letter(input, ctx) {
    await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    return (await letterFor(ctx, c, r)).view;
  },

  async letterPdf(input, ctx) {
    await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    const { view } = await letterFor(ctx, c, r);
    // Amounts on the letter are as of today: the file is named by letter and day.
    return printToCloud(
      view.doc,
      `exports/${c._id}/letter-${view.letterNo}-${today(ctx)}.pdf`,
      ctx.now(),
    );
  },

  async letterDelivered(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    const { letter, view } = await letterFor(ctx, c, r);
    if (letter.deliveredAt) return view;
    const methodText = { 'in-person': '本人签收', family: '家属代收', posted: '张贴/投递' }[
      input.method
    ];
    const now = ctx.now();
    const upd = await ctx.db
      .collection('collection_letters')
      .where({ _id: letter._id, deliveredAt: null })
      .update({
        data: {
          deliveredAt: now,
          delivery: {
            method: input.method,
            receivedBy: input.receivedBy,
            note: input.note,
            by: caller.openid,
            byName: caller.name,
          },
        },
      });
    if (Number(upd.stats.updated) === 1) {
      await addEvent(ctx, {
        _id: stableId('ev', r._id, 'letter-delivered', letter._id),
        communityId: c._id,
        roomId: r._id,
        kind: 'letter-delivered',
        stage: 'formal-notice',
        title: `催缴函已送达（${methodText}）`,
        detail: `函件编号 ${letter.letterNo}${input.receivedBy ? `，签收人 ${input.receivedBy}` : ''}`,
        channel: 'letter',
        reason: null,
        notes: input.note,
        nextStep: '',
        ownerResponse: '',
        by: caller.openid,
        byName: caller.name,
        at: now,
      });
      await ctx.db
        .collection('collection_tasks')
        .where({ communityId: c._id, roomId: r._id, kind: 'letter', status: 'open' })
        .update({
          data: {
            status: 'done',
            outcome: `已送达：${methodText}`,
            doneAt: now,
            doneBy: caller.openid,
          },
        });
      await audit(ctx, caller, {
        communityId: c._id,
        action: 'overdue.letterDelivered',
        targetType: 'collectionCase',
        targetId: r._id,
        targetLabel: roomLabel(r),
        summary: `催缴函 ${letter.letterNo} 送达：${methodText}`,
      });
    }
    return { ...view, deliveredAt: now.toISOString() };
  },

  async proposePlan(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    const r = await room(ctx, c._id, input.roomId);
    const day = today(ctx);
    const bills = (await openBills(ctx, c._id, [r._id])).filter(
      (b) => outstandingFen(b) > 0 && b.dueDate < day,
    );
    if (bills.length === 0) throw new AppError('PRECONDITION_FAILED', 'roomId: 该房屋没有逾期欠费');
    const arrears = bills.reduce((s, b) => s + outstandingFen(b), 0);
    const problems = validateInstallments(arrears, input.installments, day);
    if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
    const _ = ctx.db.command;
    const live = await ctx.db
      .collection('installment_plans')
      .where({ roomId: r._id, status: _.in(['proposed', 'approved', 'active']) })
      .count();
    if (live.total > 0) throw new AppError('CONFLICT', 'roomId: 该房屋已有进行中的分期方案');
    const plan: PlanDoc = {
      _id: stableId('plan', r._id, ctx.now().toISOString()),
      communityId: c._id,
      roomId: r._id,
      roomLabel: roomLabel(r),
      status: 'proposed',
      arrearsFen: arrears,
      billIds: bills.map((b) => b._id),
      paidAtStartFen: bills.reduce((s, b) => s + b.paidFen, 0),
      installments: input.installments,
      note: input.note,
      proposedBy: caller.openid,
      proposedByName: caller.name,
      createdAt: ctx.now(),
      acceptedAt: null,
    };
    await ctx.db.collection('installment_plans').add({ data: plan });
    await addEvent(ctx, {
      _id: stableId('ev', r._id, 'plan-proposed', plan._id),
      communityId: c._id,
      roomId: r._id,
      kind: 'plan',
      stage: null,
      title: '提出分期方案',
      detail: `欠费 ${formatYuan(arrears)} 分 ${input.installments.length} 期，待管理员审批`,
      channel: null,
      reason: 'hardship',
      notes: input.note,
      nextStep: '管理员审批后请业主在小程序确认',
      ownerResponse: '',
      by: caller.openid,
      byName: caller.name,
      at: ctx.now(),
    });
    await audit(ctx, caller, {
      communityId: c._id,
      action: 'installment.propose',
      targetType: 'installmentPlan',
      targetId: plan._id,
      targetLabel: plan.roomLabel,
      summary: `提出分期：${formatYuan(arrears)} 分 ${input.installments.length} 期`,
      after: { installments: input.installments },
    });
    return planView(plan, plan.paidAtStartFen, day);
  },

  async decidePlan(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['admin']);
    const p = await loadPlan(ctx, input.planId);
    if (p.communityId !== input.communityId)
      throw new AppError('NOT_FOUND', 'planId: 分期方案不存在');
    if (p.status !== 'proposed')
      throw new AppError('CONFLICT', `planId: 方案当前为${PLAN_STATUS_TEXT[p.status]}，无需审批`);
    if (!input.approve && input.note.length < 2)
      throw new AppError('INVALID_INPUT', 'note: 不通过时请填写原因');
    const status = input.approve ? 'approved' : 'rejected';
    const upd = await ctx.db
      .collection('installment_plans')
      .where({ _id: p._id, status: 'proposed' })
      .update({
        data: {
          status,
          approvedBy: caller.openid,
          approvedByName: caller.name,
          decisionNote: input.note,
        },
      });
    if (Number(upd.stats.updated) !== 1) throw new AppError('CONFLICT', 'planId: 方案已被处理');
    await audit(ctx, caller, {
      communityId: p.communityId,
      action: input.approve ? 'installment.approve' : 'installment.reject',
      targetType: 'installmentPlan',
      targetId: p._id,
      targetLabel: p.roomLabel,
      summary: `${input.approve ? '批准' : '不批准'}分期方案${input.note ? `：${input.note}` : ''}`,
    });
    const next = { ...p, status, approvedByName: caller.name } as PlanDoc;
    return planView(next, await planPaid(ctx, p), today(ctx));
  },

  async myPlans(_input, ctx) {
    const openid = requireOpenid(ctx);
    const _ = ctx.db.command;
    const bindings = await fetchAll<{ roomId: string }>(
      ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
    );
    if (bindings.length === 0) return [];
    const plans = await fetchAll<PlanDoc>(
      ctx.db.collection('installment_plans').where({
        roomId: _.in(bindings.map((b) => b.roomId)),
        status: _.in(['approved', 'active', 'completed', 'lapsed']),
      }),
    );
    const out: PlanView[] = [];
    for (const p of plans) out.push(planView(p, await planPaid(ctx, p), today(ctx)));
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  },

  async acceptPlan(input, ctx) {
    const openid = requireOpenid(ctx);
    const p = await loadPlan(ctx, input.planId).catch(() => {
      throw new AppError('NOT_FOUND', '抱歉，没有找到该分期方案');
    });
    const binding = await ctx.db
      .collection('room_bindings')
      .where({
        roomId: p.roomId,
        openid,
        status: 'verified',
        relation: ctx.db.command.in(['owner', 'co-owner']),
      })
      .count();
    if (binding.total === 0)
      throw new AppError('FORBIDDEN', '抱歉，只有该房屋的业主可以确认分期方案');
    if (p.status === 'active') return planView(p, await planPaid(ctx, p), today(ctx));
    if (p.status !== 'approved')
      throw new AppError('CONFLICT', '该分期方案当前无法确认，请联系物业客服');
    const now = ctx.now();
    const day = today(ctx);
    const upd = await ctx.db
      .collection('installment_plans')
      .where({ _id: p._id, status: 'approved' })
      .update({ data: { status: 'active', acceptedBy: openid, acceptedAt: now } });
    if (Number(upd.stats.updated) === 1) {
      await placeHold(ctx.db, {
        communityId: p.communityId,
        roomId: p.roomId,
        billIds: p.billIds,
        reason: 'installment',
        refId: p._id,
        from: day,
        note: `分期 ${p.installments.length} 期`,
        by: openid,
        at: now,
      });
      await addEvent(ctx, {
        _id: stableId('ev', p.roomId, 'plan-accepted', p._id),
        communityId: p.communityId,
        roomId: p.roomId,
        kind: 'plan',
        stage: null,
        title: '业主确认分期方案',
        detail: `分 ${p.installments.length} 期缴纳 ${formatYuan(p.arrearsFen)}，期间暂停催缴和滞纳金`,
        channel: 'wechat',
        reason: null,
        notes: '',
        nextStep: '按期提醒',
        ownerResponse: '同意分期',
        by: openid,
        byName: '业主',
        at: now,
      });
      await audit(
        ctx,
        { openid, roles: ['owner'] },
        {
          communityId: p.communityId,
          action: 'installment.accept',
          targetType: 'installmentPlan',
          targetId: p._id,
          targetLabel: p.roomLabel,
          summary: '业主确认分期方案',
        },
      );
    }
    return planView({ ...p, status: 'active', acceptedAt: now }, await planPaid(ctx, p), day);
  },

  async waive(input, ctx) {
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
      communityId: bill.communityId,
      action: 'latefee.waive',
      targetType: 'bill',
      targetId: bill._id,
      targetLabel: bill.title,
      summary: `减免滞纳金 ${formatYuan(input.amountFen)}：${input.reason}`,
      before: { lateFeeFen: bill.lateFeeFen },
      after: { lateFeeFen: after, waivedFen: waived },
    });
    return { billId: bill._id, lateFeeFen: after, lateFeeWaivedFen: waived };
  },
});

/** Timer deliveries run the day's work; everything else goes through the action router. */
export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger') return runDaily();
  return router(event, context);
}
