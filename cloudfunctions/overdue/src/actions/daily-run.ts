/**
 * The daily overdue run (timer `0 0 8-20 * * * *`, UTC+8: the first firing of the day does the
 * day's work, later ones resume it if it ran out of time, send reminders that waited for the
 * quiet hours, and continue notice pushes). Per community and day one `overdue_runs` document
 * keeps the phase and a cursor, so the run is resumable and a repeated delivery redoes nothing:
 *
 * 1. mark: open bills past their due date (+ grace) get `overdueDays`, `agingBucket` and
 *    `overdueAsOf` — one multi-document update per distinct due date, not one write per bill;
 * 2. accounts: overdue bills in room order, 1000 per page: each room not on hold advances to the
 *    escalation stage it is due for (reminder, 催缴函 with a letter task, home-visit task), with
 *    the stage recorded as an event. Late fees are not written day by day: every reader derives
 *    them as of today (`_shared/ledger/as-of.ts`); the first run of a month settles them through
 *    the last day of the month before, in this pass (rule from the fee standard, never
 *    compounding, never above the cap, paused by holds);
 * 3. plans: active installment plans are checked — completed ones end, a missed installment past
 *    its grace lapses the plan and releases its hold, so escalation resumes; the next installment
 *    gets its own reminder.
 */
import { overdueDaysOn } from '../../../../miniprogram/domain/ledger/aging';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import cloud from 'wx-server-sdk';
import {
  OPEN_BILL_STATUSES,
  outstandingFen,
  type BillDoc,
} from '../../../../miniprogram/domain/fee/bill';
import type { LateFeeRule } from '../../../../miniprogram/domain/fee/types';
import {
  installmentProgress,
  letterNumber,
  STAGE_LABELS,
  STAGE_NOTES,
  stageToRun,
  inQuietHours,
  type StageKey,
} from '../../../../miniprogram/domain/overdue/rules';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { OverdueRunReport } from '../../../../miniprogram/domain/overdue/contract';
import { ensureTasks, insertMany, type TaskRequest } from '../../../_shared/contacts';
import { fetchAll, isDuplicate, type Database } from '../../../_shared/db';
import { holdsForRooms, isHeld, releaseHolds, type HoldDoc } from '../../../_shared/holds';
import { stableId } from '../../../_shared/ids';

import { accrueLateFees, billAsOf, markOverdue } from '../../../_shared/ledger';
import {
  boundOpenids,
  periodsWithoutNotice,
  pushNotice,
  specialCareRooms,
  type NoticeDoc,
} from '../../../_shared/notice-push';
import {
  escalationOf,
  quietHoursOf,
  sendPending,
  sendReminder,
  sendReminders,
  unreached,
  type ReminderRequest,
  type CommunitySettingsDoc,
  type ReminderStatus,
} from '../../../_shared/remind';
import type { CaseDoc, EventDoc, LetterDoc, PlanDoc } from '../../../_shared/overdue-records';
import { flushSms, queueSms, roomNumbers, smsOn, type SmsRequest } from '../../../_shared/sms';

/** The open bill statuses, for queries. */
const OPEN: string[] = [...OPEN_BILL_STATUSES];
const PAGE = 1000;

interface RunDoc {
  _id: string;
  communityId: string;
  day: string;
  phase: 'mark' | 'accounts' | 'plans' | 'done';
  cursor: string;
  /** Month end the accounts pass settles late fees through (the first run of a month), or null. */
  settleThrough?: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Staff were told today of periods without a notice (once a day, outside the quiet hours). */
  noticesChecked?: boolean;
  counts: Omit<OverdueRunReport, 'day' | 'communities' | 'done' | 'quiet'>;
}

function emptyCounts(): RunDoc['counts'] {
  return {
    billsScanned: 0,
    billsMarked: 0,
    lateFeesAccrued: 0,
    stagesRun: {
      'friendly-reminder': 0,
      'second-reminder': 0,
      'formal-notice': 0,
      'home-visit': 0,
    },
    remindersSent: 0,
    remindersPending: 0,
    tasksCreated: 0,
    held: 0,
    noticePushes: 0,
  };
}

interface StandardDoc {
  itemId: string;
  lateFee?: LateFeeRule | null;
}

type BillWithState = BillDoc & { overdueDays?: number };

/** Runs (or resumes) the day's work for every community until done or out of time. */
export async function runDaily(budgetMs = 45_000): Promise<OverdueRunReport> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const now = new Date();
  const stopAt = Date.now() + budgetMs;
  const day = shanghaiDate(now);
  const communities = await fetchAll<CommunitySettingsDoc>(db.collection('communities'));
  const report: OverdueRunReport = {
    day,
    communities: communities.length,
    ...emptyCounts(),
    done: true,
    quiet: false,
  };
  // Whether any reminder can still be pending (else the firing's report says 0 without a count).
  let mayBePending = false;
  for (const c of communities) {
    const run = await loadRun(db, c._id, day, now);
    if (run.phase !== 'done' && Date.now() < stopAt) {
      mayBePending = true;
      await runCommunity(db, c, run, now, stopAt);
    }
    add(report, run.counts);
    if (run.phase !== 'done') report.done = false;
    const quiet = inQuietHours(now, quietHoursOf(c));
    report.quiet ||= quiet;
    if (quiet || Date.now() >= stopAt) mayBePending = true;
    if (!quiet && Date.now() < stopAt) {
      const pending = await sendPending(db, c, now);
      if (pending.seen > 0) mayBePending = true;
      report.remindersSent += pending.sent;
      report.tasksCreated += await ensureTasks(
        db,
        c._id,
        pending.unreached.map((r) => ({
          roomId: r.roomId,
          kind: 'call' as const,
          source: 'no-subscription' as const,
          refId: r.refId,
        })),
        now,
      );
      // Once a day (the run remembers it), so the firings with nothing due skip it.
      if (!run.noticesChecked) {
        await remindMissingNotices(db, c._id, day, now);
        await db
          .collection('overdue_runs')
          .doc(run._id)
          .update({ data: { noticesChecked: true } });
      }
      const pushes = await fetchAll<NoticeDoc>(
        db.collection('notices').where({ communityId: c._id, 'push.status': 'running' }),
      );
      if (pushes.length > 0) mayBePending = true;
      for (const n of pushes) {
        if (Date.now() >= stopAt) break;
        const p = await pushNotice(db, c, n, now, stopAt);
        report.noticePushes++;
        if (p.status !== 'done') report.done = false;
      }
      // SMS queued by the pushes and the stages (or waiting for the quiet hours or the cap).
      await flushSms(db, c, now, stopAt);
    }
  }
  // Reminders still pending: counted unless this firing saw none and ran no stage (an idle
  // firing stays within its 5 requests).
  report.remindersPending = mayBePending
    ? (await db.collection('reminders').where({ status: 'pending' }).count()).total
    : 0;
  return report;
}

/** Once a day: staff are told which issued periods still have no payment notice. */
async function remindMissingNotices(
  db: Database,
  communityId: string,
  day: string,
  now: Date,
): Promise<void> {
  const periods = await periodsWithoutNotice(db, communityId, now);
  if (periods.length === 0) return;
  await insertMany(db, 'staff_reminders', [
    {
      _id: `${communityId}:notice-missing:${day}`,
      communityId,
      kind: 'notice-missing',
      day,
      periods: periods.map((p) => p.period),
      at: now,
    },
  ]);
}

function add(into: OverdueRunReport, c: RunDoc['counts']): void {
  into.billsScanned += c.billsScanned;
  into.billsMarked += c.billsMarked;
  into.lateFeesAccrued += c.lateFeesAccrued;
  for (const k of Object.keys(c.stagesRun) as StageKey[]) into.stagesRun[k] += c.stagesRun[k];
  into.remindersSent += c.remindersSent;
  into.tasksCreated += c.tasksCreated;
  into.held += c.held;
}

async function loadRun(db: Database, communityId: string, day: string, now: Date): Promise<RunDoc> {
  const _id = `${communityId}:${day}`;
  const res = await db.collection('overdue_runs').where({ _id }).limit(1).get();
  const found = res.data[0] as RunDoc | undefined;
  if (found) return found;
  const doc: RunDoc = {
    _id,
    communityId,
    day,
    phase: 'mark',
    cursor: '',
    settleThrough: await settleDue(db, communityId, day),
    startedAt: now,
    finishedAt: null,
    counts: emptyCounts(),
  };
  try {
    await db.collection('overdue_runs').add({ data: doc });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    return (await db.collection('overdue_runs').doc(_id).get()).data as RunDoc;
  }
  return doc;
}

/** The marker of the last month end a community's late fees were settled through. */
function settledMarker(communityId: string): string {
  return `${communityId}:settled`;
}

/** The month end to settle late fees through today, unless that was done already. */
async function settleDue(db: Database, communityId: string, day: string): Promise<string | null> {
  const monthEnd = addDays(`${day.slice(0, 7)}-01`, -1);
  const res = await db
    .collection('overdue_runs')
    .where({ _id: settledMarker(communityId) })
    .limit(1)
    .get();
  const through = (res.data[0] as { through?: string } | undefined)?.through ?? '';
  return through >= monthEnd ? null : monthEnd;
}

async function saveRun(db: Database, run: RunDoc, now: Date): Promise<void> {
  const _ = db.command;
  await db
    .collection('overdue_runs')
    .doc(run._id)
    .update({
      data: {
        phase: run.phase,
        cursor: run.cursor,
        counts: _.set(run.counts),
        finishedAt: run.phase === 'done' ? now : null,
      },
    });
}

async function runCommunity(
  db: Database,
  c: CommunitySettingsDoc,
  run: RunDoc,
  now: Date,
  stopAt: number,
): Promise<void> {
  const _ = db.command;
  const grace = c.overdueGraceDays ?? 0;
  const lastDue = addDays(run.day, -grace - 1);
  if (run.phase === 'mark') {
    run.counts.billsMarked += await markOverdue(db, {
      communityId: c._id,
      day: run.day,
      lastDue,
      graceDays: grace,
    });
    run.phase = 'accounts';
    run.cursor = '';
    await saveRun(db, run, now);
  }
  if (run.phase === 'accounts') {
    const standards = await fetchAll<StandardDoc>(
      db
        .collection('fee_standards')
        .where({ communityId: c._id })
        .field({ itemId: true, lateFee: true }),
    );
    const rules = new Map<string, LateFeeRule>();
    for (const s of standards) if (s.lateFee?.enabled) rules.set(s.itemId, s.lateFee);
    while (Date.now() < stopAt) {
      const res = await db
        .collection('bills')
        .where({
          communityId: c._id,
          status: _.in(OPEN),
          dueDate: _.lte(lastDue),
          roomId: _.gt(run.cursor),
        })
        .orderBy('roomId', 'asc')
        .orderBy('_id', 'asc')
        .limit(PAGE)
        .get();
      let bills = res.data as BillWithState[];
      const full = bills.length === PAGE;
      if (full) {
        // Never split a room across pages: its account is judged on all its bills.
        const lastRoom = bills[bills.length - 1]!.roomId;
        const cut = bills.filter((b) => b.roomId !== lastRoom);
        if (cut.length > 0) bills = cut;
      }
      if (bills.length === 0) break;
      await processAccounts(db, c, run, bills, rules, now);
      run.cursor = bills[bills.length - 1]!.roomId;
      if (!full) run.phase = 'plans';
      await saveRun(db, run, now);
      if (!full) break;
    }
    if (run.phase === 'accounts' && Date.now() < stopAt) {
      run.phase = 'plans';
      await saveRun(db, run, now);
    }
    if (run.phase === 'plans' && run.settleThrough) {
      await db
        .collection('overdue_runs')
        .doc(settledMarker(c._id))
        .set({ data: { communityId: c._id, through: run.settleThrough, at: now } });
    }
  }
  if (run.phase === 'plans' && Date.now() < stopAt) {
    await checkPlans(db, c, run, now);
    run.phase = 'done';
    await saveRun(db, run, now);
  }
}

async function processAccounts(
  db: Database,
  c: CommunitySettingsDoc,
  run: RunDoc,
  page: BillWithState[],
  rules: Map<string, LateFeeRule>,
  now: Date,
): Promise<void> {
  const _ = db.command;
  const day = run.day;
  const grace = c.overdueGraceDays ?? 0;
  const roomIds = [...new Set(page.map((b) => b.roomId))];
  run.counts.billsScanned += page.length;
  const holds = await holdsForRooms(db, c._id, roomIds);
  if (run.settleThrough) {
    run.counts.lateFeesAccrued += await accrueLateFees(db, {
      bills: page,
      rules,
      holds,
      day: run.settleThrough,
    });
  }
  // What each bill owes today (its late fee derived, not written): the amounts reminders name.
  const view = { day, rules: new Map([[c._id, rules]]), holds };
  const bills = page.map((b) => billAsOf(b, view));

  // Escalation per room.
  const stages = escalationOf(c);
  const caseIds = roomIds.map((r) => `case_${r}`);
  const cases = new Map<string, CaseDoc>();
  for (let i = 0; i < caseIds.length; i += PAGE) {
    const docs = await fetchAll<CaseDoc>(
      db.collection('collection_cases').where({ _id: _.in(caseIds.slice(i, i + PAGE)) }),
    );
    for (const d of docs) cases.set(d.roomId, d);
  }
  const byRoom = new Map<string, BillWithState[]>();
  for (const b of bills) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b]);
  const due: {
    roomId: string;
    stage: StageKey;
    bills: BillWithState[];
    days: number;
    c?: CaseDoc;
  }[] = [];
  for (const [roomId, list] of byRoom) {
    const roomHolds: HoldDoc[] = holds.get(roomId) ?? [];
    const open = list.filter((b) => outstandingFen(b) > 0);
    const unheld = open.filter((b) => !isHeld(roomHolds, b._id, day));
    if (open.length > 0 && unheld.length === 0) {
      run.counts.held++;
      continue;
    }
    if (unheld.length === 0) continue;
    const days = Math.max(...unheld.map((b) => overdueDaysOn(b.dueDate, day, grace)));
    const existing = cases.get(roomId);
    // A new episode (every bill of the last one is settled) starts the stages again.
    const sameEpisode = existing && existing.billIds.some((id) => open.some((b) => b._id === id));
    const done = sameEpisode ? existing.stagesDone.map((s) => s.stage) : [];
    const stage = stageToRun(stages, days, done);
    if (!stage) continue;
    due.push({
      roomId,
      stage: stage.stage,
      bills: unheld,
      days,
      c: sameEpisode ? existing : undefined,
    });
  }
  if (due.length === 0) return;

  const dueRooms = due.map((d) => d.roomId);
  const labels = new Map<string, string>();
  for (let i = 0; i < dueRooms.length; i += PAGE) {
    const rooms = await fetchAll<{ _id: string; building: string; unit: string; number: string }>(
      db.collection('rooms').where({ _id: _.in(dueRooms.slice(i, i + PAGE)) }),
    );
    for (const r of rooms) labels.set(r._id, roomLabel(r));
  }
  const bound = await boundOpenids(db, dueRooms);
  const cared = await specialCareRooms(db, c._id, dueRooms);
  // Stages 1 and 2 reach by SMS where WeChat cannot (and SMS is on), else by phone.
  const texts = smsOn(c) ? await roomNumbers(db, c._id, dueRooms, day) : new Map();
  const smsRequests: SmsRequest[] = [];
  const tasks: TaskRequest[] = [];
  const eventDocs: EventDoc[] = [];
  const letterDocs: LetterDoc[] = [];
  const newCases: CaseDoc[] = [];
  const changedCases: CaseDoc[] = [];
  // Each room's oldest bill and arrears today; the stage's reminders sent as one batch.
  const facts = due.map((d) => {
    const oldest = [...d.bills].sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a._id.localeCompare(b._id),
    )[0]!;
    return {
      label: labels.get(d.roomId) ?? d.roomId,
      oldest,
      arrears: d.bills.reduce((s, b) => s + outstandingFen(b), 0),
    };
  });
  const requests: ReminderRequest[] = due.flatMap((d, i) => {
    if (d.stage === 'home-visit') return [];
    const { label, oldest, arrears } = facts[i]!;
    return (bound.get(d.roomId) ?? []).map((openid) => ({
      communityId: c._id,
      roomId: d.roomId,
      openid,
      refId: oldest._id,
      stage: d.stage,
      purpose: 'overdueReminder' as const,
      page: 'pages/bills/index',
      fields: {
        subject: `${label} 物业费`,
        amountFen: arrears,
        date: oldest.dueDate,
        note: STAGE_NOTES[d.stage].note,
        phone: c.servicePhone ?? '',
        status: STAGE_NOTES[d.stage].status,
        days: d.days,
        code: d.roomId,
      },
    }));
  });
  const sentStatus = await sendReminders(db, c, requests, now);
  const statusesOf = new Map<string, ReminderStatus[]>();
  requests.forEach((r, i) =>
    statusesOf.set(r.roomId, [...(statusesOf.get(r.roomId) ?? []), sentStatus[i]!]),
  );
  due.forEach((d, i) => {
    const { label, oldest, arrears } = facts[i]!;
    const refKey = `${d.stage}:${oldest._id}`;
    const actions: string[] = [];
    if (d.stage !== 'home-visit') {
      const openids = bound.get(d.roomId) ?? [];
      const statuses = statusesOf.get(d.roomId) ?? [];
      const sent = statuses.filter((s) => s === 'sent').length;
      const pending = statuses.filter((s) => s === 'pending').length;
      run.counts.remindersSent += sent;
      if (sent) actions.push(`已发送微信提醒 ${sent} 人`);
      if (pending) actions.push(`免打扰时段，${pending} 条提醒稍后发送`);
      const missed =
        openids.length === 0
          ? 'not-bound'
          : sent === 0 && pending === 0 && statuses.some(unreached)
            ? 'no-subscription'
            : null;
      const why = missed === 'not-bound' ? '业主未绑定小程序' : '微信消息未送达（无订阅次数）';
      if (missed && d.stage !== 'formal-notice' && texts.has(d.roomId)) {
        actions.push(`${why}，已安排短信提醒`);
        smsRequests.push({
          roomId: d.roomId,
          roomLabel: label,
          refId: oldest._id,
          stage: d.stage,
          kind: 'overdue',
          period: oldest.period,
          amountFen: arrears,
          deadline: oldest.dueDate,
          bound: openids.length > 0,
        });
      } else if (missed) {
        actions.push(`${why}，已列入电话联系`);
        tasks.push({ roomId: d.roomId, kind: 'call', source: missed, refId: refKey });
      }
    }
    if (d.stage === 'formal-notice') {
      const letter: LetterDoc = {
        _id: stableId('letter', d.roomId, oldest._id),
        communityId: c._id,
        roomId: d.roomId,
        letterNo: letterNumber(day, label),
        billIds: d.bills.map((b) => b._id),
        issuedOn: day,
        payBy: addDays(day, 15),
        createdAt: now,
        deliveredAt: null,
        delivery: null,
      };
      letterDocs.push(letter);
      actions.push(`已生成催缴函 ${letter.letterNo}，待送达`);
      tasks.push({ roomId: d.roomId, kind: 'letter', source: 'formal-notice', refId: refKey });
    }
    if (d.stage === 'home-visit') {
      actions.push('已生成上门拜访任务');
      tasks.push({ roomId: d.roomId, kind: 'visit', source: 'home-visit', refId: refKey });
    }
    if (cared.has(d.roomId)) {
      actions.push('特殊关怀业主，请客服电话关怀');
      tasks.push({ roomId: d.roomId, kind: 'call', source: 'special-care', refId: refKey });
    }
    const event: EventDoc = {
      _id: stableId('ev', d.roomId, d.stage, oldest._id),
      communityId: c._id,
      roomId: d.roomId,
      kind: 'stage',
      stage: d.stage,
      title: STAGE_LABELS[d.stage],
      detail: `逾期 ${d.days} 天，欠费 ${formatYuan(arrears)}（${d.bills.length} 笔）。${actions.join('；')}`,
      channel: null,
      reason: null,
      notes: '',
      nextStep: '',
      ownerResponse: '',
      by: 'system',
      byName: '系统',
      at: now,
    };
    eventDocs.push(event);
    const prev = d.c;
    const caseDoc: CaseDoc = {
      _id: `case_${d.roomId}`,
      communityId: c._id,
      roomId: d.roomId,
      roomLabel: label,
      stage: d.stage,
      stageAt: now,
      stagesDone: [...(prev?.stagesDone ?? []), { stage: d.stage, at: now, day }],
      billIds: [...new Set([...(prev?.billIds ?? []), ...d.bills.map((b) => b._id)])],
      oldestDueDate: oldest.dueDate,
      updatedAt: now,
    };
    (cases.has(d.roomId) ? changedCases : newCases).push(caseDoc);
    run.counts.stagesRun[d.stage]++;
  });
  // Batched: one insert per kind for the page, one update per stage for the cases that existed.
  await insertMany(db, 'collection_letters', letterDocs as unknown as Record<string, unknown>[]);
  await insertMany(db, 'collection_events', eventDocs as unknown as Record<string, unknown>[]);
  await insertMany(db, 'collection_cases', newCases as unknown as Record<string, unknown>[]);
  await moveCases(db, changedCases, cases, day, now);
  // The SMS go out with the next flush (now, or after the quiet hours); a room whose number
  // has gone since goes to the call list instead.
  const texted = await queueSms(db, c, smsRequests, now);
  for (const r of smsRequests) {
    if (!texted.has(r.roomId))
      tasks.push({
        roomId: r.roomId,
        kind: 'call',
        source: r.bound ? 'no-subscription' : 'not-bound',
        refId: `${r.stage}:${r.refId}`,
      });
  }
  run.counts.tasksCreated += await ensureTasks(db, c._id, tasks, now);
}

/**
 * Moves existing cases to their new stage: one multi-document update per (stage, oldest due
 * date) for cases whose bills did not change, conditional on the stage they were read at (an
 * overlapping delivery that moved them first makes this one change nothing); a case whose bill
 * list grew is written on its own, conditional in the same way.
 */
async function moveCases(
  db: Database,
  moved: readonly CaseDoc[],
  before: ReadonlyMap<string, CaseDoc>,
  day: string,
  now: Date,
): Promise<void> {
  const _ = db.command;
  const groups = new Map<string, { c: CaseDoc; from: CaseDoc['stage']; ids: string[] }>();
  const single: { c: CaseDoc; from: CaseDoc }[] = [];
  for (const c of moved) {
    const prev = before.get(c.roomId)!;
    const sameBills =
      prev.billIds.length === c.billIds.length &&
      c.billIds.every((id) => prev.billIds.includes(id));
    const sameRun = prev.stagesDone.length === c.stagesDone.length - 1;
    if (!sameBills || !sameRun) {
      single.push({ c, from: prev });
      continue;
    }
    const key = `${prev.stage}|${c.stage}|${c.oldestDueDate}|${prev.stagesDone.length}`;
    const g = groups.get(key) ?? { c, from: prev.stage, ids: [] };
    g.ids.push(c._id);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    for (let i = 0; i < g.ids.length; i += 1000) {
      await db
        .collection('collection_cases')
        .where({
          _id: _.in(g.ids.slice(i, i + 1000)),
          stage: g.from,
          stagesDone: _.size(g.c.stagesDone.length - 1),
        })
        .update({
          data: {
            stage: g.c.stage,
            stageAt: now,
            stagesDone: _.push([{ stage: g.c.stage, at: now, day }]),
            oldestDueDate: g.c.oldestDueDate,
            updatedAt: now,
          },
        });
    }
  }
  for (let i = 0; i < single.length; i += 10) {
    await Promise.all(
      single.slice(i, i + 10).map(({ c: { _id, ...rest }, from }) =>
        db
          .collection('collection_cases')
          .where({ _id, stage: from.stage, stagesDone: _.size(from.stagesDone.length) })
          .update({
            data: { ...rest, stagesDone: _.set(rest.stagesDone), billIds: _.set(rest.billIds) },
          }),
      ),
    );
  }
}

async function checkPlans(
  db: Database,
  c: CommunitySettingsDoc,
  run: RunDoc,
  now: Date,
): Promise<void> {
  const _ = db.command;
  const plans = await fetchAll<PlanDoc>(
    db.collection('installment_plans').where({ communityId: c._id, status: 'active' }),
  );
  if (plans.length === 0) return;
  const billIds = [...new Set(plans.flatMap((p) => p.billIds))];
  const bills = new Map<string, BillDoc>();
  for (let i = 0; i < billIds.length; i += 500) {
    const docs = await fetchAll<BillDoc>(
      db.collection('bills').where({ _id: _.in(billIds.slice(i, i + 500)) }),
    );
    for (const b of docs) bills.set(b._id, b);
  }
  const grace = c.installmentGraceDays ?? 7;
  const bound = await boundOpenids(
    db,
    plans.map((p) => p.roomId),
  );
  for (const p of plans) {
    const paidNow = p.billIds.reduce((s, id) => s + (bills.get(id)?.paidFen ?? 0), 0);
    const progress = installmentProgress(
      p.installments,
      paidNow - p.paidAtStartFen,
      run.day,
      grace,
    );
    if (progress.complete) {
      await db
        .collection('installment_plans')
        .doc(p._id)
        .update({ data: { status: 'completed', endedAt: now } });
      await releaseHolds(db, 'installment', p._id, { to: run.day, by: 'system', at: now });
      continue;
    }
    if (progress.lapsed) {
      const missed = p.installments[progress.lapsedIndex!]!;
      await db
        .collection('installment_plans')
        .doc(p._id)
        .update({ data: { status: 'lapsed', endedAt: now } });
      await releaseHolds(db, 'installment', p._id, {
        to: addDays(run.day, -1),
        by: 'system',
        at: now,
      });
      const ev: EventDoc = {
        _id: stableId('ev', p.roomId, 'plan-lapsed', p._id),
        communityId: c._id,
        roomId: p.roomId,
        kind: 'plan',
        stage: null,
        title: '分期未按期缴纳，恢复催缴',
        detail: `第 ${progress.lapsedIndex! + 1} 期（${missed.dueDate}，${formatYuan(missed.amountFen)}）逾期超过 ${grace} 天未缴`,
        channel: null,
        reason: null,
        notes: '',
        nextStep: '客服回访了解情况',
        ownerResponse: '',
        by: 'system',
        byName: '系统',
        at: now,
      };
      try {
        await db.collection('collection_events').add({ data: ev });
      } catch (e) {
        if (!isDuplicate(e)) throw e;
      }
      run.counts.tasksCreated += await ensureTasks(
        db,
        c._id,
        [
          {
            roomId: p.roomId,
            kind: 'call',
            source: 'no-subscription',
            refId: `plan-lapsed:${p._id}`,
          },
        ],
        now,
      );
      continue;
    }
    // Each installment has its own reminder, three days before its date.
    const next = progress.nextIndex === null ? null : p.installments[progress.nextIndex];
    if (next && run.day >= addDays(next.dueDate, -3)) {
      for (const openid of bound.get(p.roomId) ?? []) {
        const s = await sendReminder(
          db,
          c,
          {
            communityId: c._id,
            roomId: p.roomId,
            openid,
            refId: `${p._id}:${progress.nextIndex}`,
            stage: 'installment',
            purpose: 'billReminder',
            page: 'pages/plan/index',
            fields: {
              subject: `分期第${progress.nextIndex! + 1}期 ${p.roomLabel}`,
              amountFen: next.amountFen - progress.covered[progress.nextIndex!]!,
              date: next.dueDate,
              note: '感谢您按约缴纳',
              phone: c.servicePhone ?? '',
              status: '待缴费',
              code: p.roomId,
            },
          },
          now,
        );
        if (s === 'sent') run.counts.remindersSent++;
      }
    }
  }
}
