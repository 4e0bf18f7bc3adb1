/**
 * Tickets, call records and complaint settings as stored, and their views for owners and staff.
 */
import { getDoc } from '../../../_shared/records';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type {
  OwnerTicketSummary,
  OwnerTicketView,
} from '../../../../miniprogram/domain/complaint/contract';
import { fetchAll } from '../../../_shared/db';
import { fileLinks, linksIn } from '../../../_shared/storage';
import type { UploadPlace } from '../../../_shared/uploads';
import { AppError, type ActionContext } from '../../../_shared/router';
import { auditTarget, type AuditTarget } from '../../../_shared/audit';
import {
  DEFAULT_CALENDAR,
  OPEN_STATUSES,
  REOPEN_WINDOW_MS,
  deadlineState,
  nearWindowMs,
  type ComplaintCategory,
  type TicketKind,
  type TicketStatus,
  type WorkingCalendar,
} from '../../../../miniprogram/domain/complaint/rules';
import { maskMobile } from '../../../../miniprogram/domain/community/mask';
import {
  DESK_INPUTS,
  currentDue,
  deskOrder,
  type DeskInputs,
  type DeskOrder,
} from '../../../../miniprogram/domain/complaint/desk-order';
import {
  DEFAULT_SETTINGS,
  type ComplaintDeadline,
} from '../../../../miniprogram/domain/settings/defaults';
import type {
  CallView,
  ComplaintSettingsView,
  StaffTicketSummary,
  StaffTicketView,
  TimelineEntry,
  TimelineKind,
} from '../../../../miniprogram/domain/complaint/contract';
import type { TemplateSetting } from '../../../_shared/remind';

export const SERVICE = ['service'] as const;

export const TICKETS = 'complaints';

export const CALLS = 'service_calls';

/** A timeline entry as stored: with the actor's openid (never shown) and the photos' file IDs. */
export interface EventDoc extends Omit<TimelineEntry, 'at' | 'photos'> {
  at: Date;
  byOpenid: string;
  photos: string[];
}

export type BreachKind = 'first-response' | 'resolution';

export interface TicketDoc extends Partial<DeskOrder> {
  _id: string;
  ticketNo: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  openid: string;
  ownerName: string;
  kind: TicketKind;
  category: ComplaintCategory;
  description: string;
  photos: string[];
  billIds: string[];
  bills: { billId: string; title: string }[];
  status: TicketStatus;
  handler: string | null;
  handlerName: string;
  createdAt: Date;
  updatedAt: Date;
  /** When the current deadlines started: filing, or the last reopening. */
  clockStartAt: Date;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  /** Wall-clock minutes from filing to the first response (for the dashboard's median). */
  firstResponseMinutes: number | null;
  resolvedAt: Date | null;
  /** Wall-clock minutes from filing to the latest resolution. */
  resolutionMinutes: number | null;
  closedAt: Date | null;
  reopenCount: number;
  /** Breaches, each once: `<kind>:<reopenCount>` (a reopened ticket can breach again). */
  breachKeys: string[];
  /** Near-deadline warnings already sent, same keys as breachKeys. */
  nearKeys: string[];
  /**
   * When the deadline sweep next looks at this ticket (its next near or due instant); null (or
   * absent): at the next sweep — filing and reopening set it so. The sweep reads only open
   * tickets whose time has come (issue 16: constant work when nothing is due).
   */
  sweepAt?: Date | null;
  // deskRank, deadlineAt, nearAt (DeskOrder): what the desk sorts and counts by, written with
  // every change of the status, the clock or the first response. Absent on tickets stored before
  // them until the timer's backfill or setup's migration 3 (cloudfunctions/_shared/desk-order.ts).
  /** The refId of the active fee hold (`<ticketId>` or `<ticketId>:r<n>` after a reopening). */
  holdRefId: string | null;
  events: EventDoc[];
  rating: { stars: number; comment: string; at: Date } | null;
  returnVisit: {
    at: Date;
    by: string;
    byName: string;
    method: 'phone' | 'visit' | 'wechat';
    satisfied: boolean;
    feedback: string;
  } | null;
}

/** A logged call as stored: what staff see of it (the phone in full), its room and author. */
export interface CallDoc extends Omit<CallView, 'callId' | 'at' | 'phone'> {
  _id: string;
  communityId: string;
  at: Date;
  day: string;
  phone: string;
  roomId: string | null;
  by: string;
  createdAt: Date;
  /** Lower-cased text the keyword search looks in. */
  search: string;
}

export interface CommunityDoc {
  _id: string;
  name: string;
  templates?: { complaintProgress?: TemplateSetting };
  complaints?: {
    deadlines?: ComplaintDeadline[];
    calendar?: WorkingCalendar;
    autoAssign?: Partial<Record<ComplaintCategory, string>>;
  };
}

export async function community(ctx: ActionContext, communityId: string): Promise<CommunityDoc> {
  return getDoc<CommunityDoc>(ctx, 'communities', communityId, 'communityId: 小区不存在');
}

export function settingsOf(c: CommunityDoc): ComplaintSettingsView {
  return {
    communityId: c._id,
    deadlines: c.complaints?.deadlines ?? DEFAULT_SETTINGS.complaintDeadlines,
    calendar: c.complaints?.calendar ?? DEFAULT_CALENDAR,
    autoAssign: c.complaints?.autoAssign ?? {},
  };
}

export let seq = 0;

/** A timeline entry (ids unique within a ticket). */
export function event(
  at: Date,
  kind: TimelineKind,
  who: { by: EventDoc['by']; openid: string; name: string },
  text: string,
  extra: Partial<Pick<EventDoc, 'status' | 'photos' | 'internal'>> = {},
): EventDoc {
  seq = (seq + 1) % 1000;
  return {
    id: `${at.getTime().toString(36)}${seq.toString(36).padStart(2, '0')}${Math.floor(Math.random() * 1296).toString(36)}`,
    at,
    kind,
    by: who.by,
    byOpenid: who.openid,
    byName: who.name,
    text,
    status: extra.status ?? null,
    photos: extra.photos ?? [],
    internal: extra.internal ?? false,
  };
}

export async function loadTicket(ctx: ActionContext, ticketId: string): Promise<TicketDoc> {
  const res = await ctx.db.collection(TICKETS).where({ _id: ticketId }).limit(1).get();
  const doc = res.data[0] as TicketDoc | undefined;
  if (!doc) throw new AppError('NOT_FOUND', 'ticketId: 未找到该工单');
  return doc;
}

export const iso = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;

/** An owner's complaint photos: uploaded from the page into their own openid folder. */
export function photoPlace(openid: string): UploadPlace {
  return {
    folder: 'complaints',
    prefix: `complaints/${openid}/`,
    refusal: '只能附上您在本页上传的照片',
  };
}

/**
 * Every photo of a ticket and its timeline as a temporary link, in one request: staff cannot read
 * an owner's upload by its file id (storage rules), and views never carry file ids.
 */
function photoLinks(t: TicketDoc): Promise<Map<string, string>> {
  return fileLinks([...t.photos, ...t.events.flatMap((e) => e.photos)]);
}

export function timeline(
  t: TicketDoc,
  forOwner: boolean,
  links: Map<string, string>,
): TimelineEntry[] {
  return t.events
    .filter((e) => !(forOwner && (e.internal || e.kind === 'breach' || e.kind === 'escalate')))
    .map((e) => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      by: e.by,
      byName: forOwner && e.by === 'staff' ? staffShownName(e.byName) : e.byName,
      text: e.text,
      status: e.status,
      photos: linksIn(e.photos, links),
      internal: e.internal,
    }));
}

/** Owners see a staff member's role name, never more (e.g. 客服 周客服 → 周客服). */
export function staffShownName(name: string): string {
  return name || '物业客服';
}

/** A ticket in the audit log: known by its number. */
export function ticketTarget(t: TicketDoc): AuditTarget {
  return auditTarget('complaint', t.communityId, t._id, t.ticketNo);
}

export function ownerSummary(t: TicketDoc): OwnerTicketSummary {
  return {
    ticketId: t._id,
    ticketNo: t.ticketNo,
    kind: t.kind,
    category: t.category,
    status: t.status,
    description: t.description,
    roomLabel: t.roomLabel,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
    rated: t.rating !== null,
  };
}

/** Whether an owner can still confirm or reopen (within 7 days of the resolution). */
export function inReopenWindow(t: TicketDoc, now: Date): boolean {
  if (!t.resolvedAt || (t.status !== 'resolved' && t.status !== 'closed')) return false;
  return now.getTime() - new Date(t.resolvedAt).getTime() <= REOPEN_WINDOW_MS;
}

export async function ownerView(t: TicketDoc, now: Date): Promise<OwnerTicketView> {
  const window = inReopenWindow(t, now);
  const links = await photoLinks(t);
  return {
    ...ownerSummary(t),
    photos: linksIn(t.photos, links),
    bills: t.bills,
    resolvedAt: iso(t.resolvedAt),
    handlerName: t.handlerName ? staffShownName(t.handlerName) : '',
    timeline: timeline(t, true, links),
    rating: t.rating ? { ...t.rating, at: iso(t.rating.at)! } : null,
    canReply: t.status !== 'closed',
    canConfirm: t.status === 'resolved' && window,
    canReopen: window,
    canRate: (t.status === 'resolved' || t.status === 'closed') && t.rating === null,
    reopenUntil: t.resolvedAt
      ? new Date(new Date(t.resolvedAt).getTime() + REOPEN_WINDOW_MS).toISOString()
      : null,
  };
}

/** The deadline that matters now and where it stands. */
export function currentDeadline(
  t: TicketDoc,
  now: Date,
): Pick<StaffTicketSummary, 'deadlineAt' | 'deadlineKind' | 'deadlineState'> {
  const due = currentDue(t);
  if (!due)
    return { deadlineAt: iso(t.resolutionDueAt)!, deadlineKind: 'none', deadlineState: 'met' };
  return {
    deadlineAt: due.dueAt.toISOString(),
    deadlineKind: due.kind,
    deadlineState: deadlineState(due.startAt, due.dueAt, null, now),
  };
}

/**
 * The next instant after `now` at which this open ticket's deadlines change state (a deadline
 * turning near or breached); a day later when every one has passed (it is re-checked daily while
 * it stays open). Null once it is not open.
 */
export function nextSweepAt(t: TicketDoc, now: Date): Date | null {
  if (!OPEN_STATUSES.includes(t.status)) return null;
  const start = new Date(t.clockStartAt).getTime();
  const deadlines = [new Date(t.resolutionDueAt).getTime()];
  if (!t.firstResponseAt || new Date(t.firstResponseAt).getTime() < start)
    deadlines.push(new Date(t.firstResponseDueAt).getTime());
  const instants = deadlines.flatMap((due) => [due - nearWindowMs(start, due), due + 1]);
  const next = instants.filter((at) => at > now.getTime()).sort((a, b) => a - b)[0];
  return new Date(next ?? now.getTime() + 86_400_000);
}

/** The kinds of deadline this ticket has breached (in any episode). */
export function breachKinds(t: Pick<TicketDoc, 'breachKeys'>): BreachKind[] {
  const kinds = new Set(t.breachKeys.map((k) => k.split(':')[0] as BreachKind));
  return (['first-response', 'resolution'] as const).filter((k) => kinds.has(k));
}

export function breachKey(t: Pick<TicketDoc, 'reopenCount'>, kind: BreachKind): string {
  return `${kind}:${t.reopenCount}`;
}

/** The fields `staffSummary` reads: a list leaves the timelines and photos in the database. */
export const SUMMARY_FIELDS: Record<string, true> = Object.fromEntries(
  [
    ...['ticketNo', 'kind', 'category', 'status', 'description', 'roomLabel', 'rating'],
    ...['createdAt', 'updatedAt', 'handler', 'handlerName', 'breachKeys', 'holdRefId'],
    ...['clockStartAt', 'firstResponseAt', 'firstResponseDueAt', 'resolutionDueAt'],
  ].map((f) => [f, true]),
);

export function staffSummary(t: TicketDoc, now: Date): StaffTicketSummary {
  return {
    ...ownerSummary(t),
    handler: t.handler,
    handlerName: t.handlerName,
    firstResponseDueAt: iso(t.firstResponseDueAt)!,
    resolutionDueAt: iso(t.resolutionDueAt)!,
    ...currentDeadline(t, now),
    breaches: breachKinds(t),
    hasHold: t.holdRefId !== null,
  };
}

export function callView(c: CallDoc): CallView {
  return {
    callId: c._id,
    at: new Date(c.at).toISOString(),
    direction: c.direction,
    caller: c.caller,
    phone: maskMobile(c.phone),
    roomLabel: c.roomLabel,
    topic: c.topic,
    outcome: c.outcome,
    rings: c.rings,
    answerSeconds: c.answerSeconds,
    withinThreeRings: c.withinThreeRings,
    ticketId: c.ticketId,
    ticketNo: c.ticketNo,
    byName: c.byName,
  };
}

export async function staffView(ctx: ActionContext, t: TicketDoc): Promise<StaffTicketView> {
  const calls = await fetchAll<CallDoc>(
    ctx.db.collection(CALLS).where({ communityId: t.communityId, ticketId: t._id }),
    200,
  );
  const links = await photoLinks(t);
  return {
    ...staffSummary(t, ctx.now()),
    photos: linksIn(t.photos, links),
    bills: t.bills,
    ownerName: t.ownerName,
    firstResponseAt: iso(t.firstResponseAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    reopenCount: t.reopenCount,
    timeline: timeline(t, false, links),
    rating: t.rating ? { ...t.rating, at: iso(t.rating.at)! } : null,
    returnVisit: t.returnVisit
      ? {
          at: iso(t.returnVisit.at)!,
          byName: t.returnVisit.byName,
          method: t.returnVisit.method,
          satisfied: t.returnVisit.satisfied,
          feedback: t.returnVisit.feedback,
        }
      : null,
    calls: calls.map(callView).sort((a, b) => b.at.localeCompare(a.at)),
  };
}

export function today(ctx: ActionContext): string {
  return shanghaiDate(ctx.now());
}

/**
 * Applies a change only if the ticket is still in one of `from` (no lost updates); a ticket that
 * moved meanwhile gets CONFLICT with `conflict` for the caller to refresh.
 */
export async function updateTicket(
  ctx: ActionContext,
  t: TicketDoc,
  from: readonly string[],
  data: Record<string, unknown>,
  conflict: string,
): Promise<TicketDoc> {
  const _ = ctx.db.command;
  // A change that moves the ticket on the desk (or a ticket stored before the desk order) gets its
  // desk order from the values it writes; the others leave it alone, so a note written alongside
  // a reply cannot put back the order the reply moved on from.
  const moves = t.deskRank === undefined || DESK_INPUTS.some((k) => k in data);
  const order = moves ? deskOrder({ ...t, ...pick(data, DESK_INPUTS) }) : {};
  const res = await ctx.db
    .collection(TICKETS)
    .where({ _id: t._id, status: _.in([...from]) })
    .update({ data: { ...data, ...order, updatedAt: ctx.now() } });
  if (Number(res.stats.updated) !== 1) throw new AppError('CONFLICT', conflict);
  return loadTicket(ctx, t._id);
}

/** The desk inputs a change writes (always plain values: status, instants). */
function pick(data: Record<string, unknown>, keys: readonly string[]): Partial<DeskInputs> {
  return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]]));
}
