/**
 * The overdue lists staff page through (issue 16: at 20,000 rooms a list must not fetch the
 * community's bills or tasks, nor filter them per room in memory). The database sums each room's
 * overdue bills, joins the case and sorts; only one page of rooms comes back, and the totals are
 * a second aggregation over the same pipeline. Everything per item beyond the sums (holds,
 * special care, bindings, open contacts) is joined onto the page's rooms in the page's request.
 */
import type { DB } from 'wx-server-sdk';
import { outstandingExpr } from '../../../_shared/bills';
import { decodeCursor } from '../../../_shared/paging';
import type { RoomDoc } from '../../../_shared/records';
import type { ActionContext } from '../../../_shared/router';
import type { CaseDoc } from '../../../_shared/overdue-records';
import type { TaskDoc } from '../../../_shared/contacts';
import type { HoldDoc } from '../../../_shared/holds';
import { OPEN, type RoomArrears } from './cases';

type Aggregate = ReturnType<ReturnType<ActionContext['db']['collection']>['aggregate']>;

/** A room's overdue sums as the aggregation returns them, with the joined case and room. */
export interface ArrearsRow extends Omit<RoomArrears, 'roomId' | 'roomLabel'> {
  _id: string;
  caseDoc?: Pick<CaseDoc, 'stage' | 'billIds'>[];
  room?: RoomDoc[];
  /** Every hold of the room (active or not: `isHeld` decides), joined for the page. */
  holds?: HoldDoc[];
  /** What the item shows beyond its sums, joined for the page (`arrearsPage`). */
  tasks?: Pick<TaskDoc, 'status'>[];
  bindings?: { status: string }[];
  relations?: { ownerId: string; relation: string }[];
  relationOwners?: { _id: string; specialCare?: boolean }[];
}

/** The open contacts, special care and verified bindings of a row joined by `arrearsPage`. */
export function rowExtras(r: ArrearsRow): { openTasks: number; cared: boolean; bound: boolean } {
  const cared = new Set(
    (r.relationOwners ?? []).filter((o) => o.specialCare === true).map((o) => o._id),
  );
  return {
    openTasks: (r.tasks ?? []).filter((t) => t.status === 'open').length,
    cared: (r.relations ?? []).some(
      (rel) => (rel.relation === 'owner' || rel.relation === 'co-owner') && cared.has(rel.ownerId),
    ),
    bound: (r.bindings ?? []).some((b) => b.status === 'verified'),
  };
}

/**
 * Overdue rooms of the community as a pipeline: bills due before `before` (today less the grace
 * days: `isPastDue`) that still owe something,
 * grouped per room (optionally only `roomIds`), with the case joined (and, with `stages`, only
 * rooms whose case of this episode is at one of them).
 */
export function arrearsPipeline(
  ctx: ActionContext,
  communityId: string,
  before: string,
  opts: { roomIds?: string[]; stages?: string[] } = {},
): Aggregate {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const where: Record<string, unknown> = { communityId, status: _.in(OPEN), dueDate: _.lt(before) };
  if (opts.roomIds) where.roomId = _.in(opts.roomIds);
  let agg = ctx.db
    .collection('bills')
    .aggregate()
    .match(where)
    .project({ roomId: true, dueDate: true, lateFeeFen: true, out: outstandingExpr(ctx) })
    .match({ out: _.gt(0) })
    .group({
      _id: '$roomId',
      arrearsFen: $.sum('$out'),
      lateFeeFen: $.sum('$lateFeeFen'),
      billCount: $.sum(1),
      oldestDueDate: $.min('$dueDate'),
      billIds: $.push('$_id'),
    })
    .lookup({ from: 'collection_cases', localField: '_id', foreignField: 'roomId', as: 'caseDoc' });
  if (opts.stages) {
    // the case's stage counts only for this episode: it names one of the overdue bills
    agg = agg
      .addFields({
        stage: $.arrayElemAt(['$caseDoc.stage', 0]),
        episodeBills: $.size(
          $.setIntersection(['$billIds', $.ifNull([$.arrayElemAt(['$caseDoc.billIds', 0]), []])]),
        ),
      })
      .match({ stage: _.in(opts.stages), episodeBills: _.gt(0) });
  }
  return agg;
}

type PageAsk = { limit: number; cursor?: string };

/** One page of a pipeline in `order`, each row joined to its room (and `more` joins). */
async function pageOf<R>(
  agg: Aggregate,
  order: Record<string, 1 | -1>,
  page: PageAsk,
  roomField: string,
  more: { from: string; foreignField: string; as: string; localField?: string }[] = [],
): Promise<{ rows: R[]; offset: number }> {
  const offset = decodeCursor(page.cursor);
  let q = agg
    .sort(order)
    .skip(offset)
    .limit(page.limit)
    .lookup({ from: 'rooms', localField: roomField, foreignField: '_id', as: 'room' });
  for (const m of more) q = q.lookup({ localField: roomField, ...m });
  return { rows: (await q.end()).list as R[], offset };
}

/**
 * Rooms of one page, most overdue first (the oldest due date), with everything an item shows
 * joined in the same request (issue 16: one request for the page): the room, its holds, its
 * contact-list tasks, its bindings, and its owners on record with their owner documents (special
 * care). `rowExtras` reads them.
 */
export function arrearsPage(agg: Aggregate, page: PageAsk) {
  return pageOf<ArrearsRow>(agg, { oldestDueDate: 1, _id: 1 }, page, '_id', [
    { from: 'bill_holds', foreignField: 'roomId', as: 'holds' },
    { from: 'collection_tasks', foreignField: 'roomId', as: 'tasks' },
    { from: 'room_bindings', foreignField: 'roomId', as: 'bindings' },
    { from: 'room_owners', foreignField: 'roomId', as: 'relations' },
    { from: 'owners', localField: 'relations.ownerId', foreignField: '_id', as: 'relationOwners' },
  ]);
}

/**
 * How many rooms the pipeline yields and what they owe together, with today's late-fee growth
 * (`grown`, by room) of the rooms among them. (A pipeline object collects its stages as they are
 * added: build a fresh one for the page and another for the totals.)
 */
export async function arrearsTotals(
  ctx: ActionContext,
  agg: Aggregate,
  grown: ReadonlyMap<string, number> = new Map(),
): Promise<{ total: number; arrearsFen: number }> {
  const $ = ctx.db.command.aggregate;
  const sums = { _id: null, total: $.sum(1), arrearsFen: $.sum('$arrearsFen') };
  // Which rooms: only asked for when some room's late fee has grown since it was stored.
  const res = await agg.group(grown.size > 0 ? { ...sums, roomIds: $.push('$_id') } : sums).end();
  const t = res.list[0] as { total: number; arrearsFen: number; roomIds?: string[] } | undefined;
  if (!t) return { total: 0, arrearsFen: 0 };
  const growth = (t.roomIds ?? []).reduce((s, id) => s + (grown.get(id) ?? 0), 0);
  return { total: t.total, arrearsFen: t.arrearsFen + growth };
}

/** A task of the contact list with what the room still owes (joined bills, summed). */
export interface TaskRow extends TaskDoc {
  arrearsFen: number;
  room?: RoomDoc[];
}

/**
 * The contact list as a pipeline: the community's tasks of a status (optionally one
 * colleague's), each with its room's outstanding amount over open bills; open tasks of rooms
 * that have since paid in full are left out (no longer needed).
 */
export function tasksPipeline(
  ctx: ActionContext,
  where: { communityId: string; status: 'open' | 'done'; assignedTo?: string },
): Aggregate {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const owed = (b: string) =>
    $.max([0, $.subtract([$.add([`${b}.amountDueFen`, `${b}.lateFeeFen`]), `${b}.paidFen`])]);
  const agg = ctx.db
    .collection('collection_tasks')
    .aggregate()
    .match(where as DB.QueryCondition)
    .lookup({ from: 'bills', localField: 'roomId', foreignField: 'roomId', as: 'roomBills' })
    .addFields({
      arrearsFen: $.sum(
        $.map({
          input: $.filter({ input: '$roomBills', as: 'b', cond: $.in(['$$b.status', OPEN]) }),
          as: 'o',
          in: owed('$$o'),
        }),
      ),
      kindOrder: $.indexOfArray([['visit', 'letter', 'call'], '$kind']),
    })
    .project({ roomBills: false });
  return where.status === 'open' ? agg.match({ arrearsFen: _.gt(0) }) : agg;
}

/** One page of tasks: visits, then letters, then calls; the largest arrears first. */
export function tasksPage(agg: Aggregate, page: PageAsk) {
  return pageOf<TaskRow>(agg, { kindOrder: 1, arrearsFen: -1, roomId: 1, _id: 1 }, page, 'roomId');
}

export async function countOf(agg: Aggregate): Promise<number> {
  const res = await agg.count('n').end();
  return (res.list[0] as { n: number } | undefined)?.n ?? 0;
}
