/**
 * Community records as stored (communities, buildings, rooms, owners, room_owners, room_bindings)
 * and the reads every function shares. Every record carries its `communityId`; every read that
 * starts from an id checks it belongs to the community the caller acts in.
 */
import { type PaymentChannel } from '../../miniprogram/domain/payment/channels';
import type {
  BindingStatus,
  Occupancy,
  Relation,
  RoomUseType,
} from '../../miniprogram/domain/community/vocabulary';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { maskName } from '../../miniprogram/domain/community/mask';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { findById, type WithDb } from './paging';
import { AppError, type ActionContext } from './router';
import type { StaffBindingView } from '../../miniprogram/domain/community/contract';

/** How staff see a binding (the binding function's review queue shows the same). */
export type { StaffBindingView };

export interface CommunityDoc {
  _id: string;
  name: string;
  address?: string;
  servicePhone?: string;
  serviceHours?: string;
  frontDesk?: string;
  paymentMethods?: PaymentChannel[];
  /** New bindings verified at once on a match, or held for staff (set by `settings.update`). */
  bindingReview?: 'auto' | 'staff';
  /** Days daily backups are kept (`settings.update`; docs/backup.md). */
  backupKeepDays?: number;
  /** Owners' meter readings: the last this-many days of each month; 0 off (`settings.update`). */
  readingWindowDays?: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface BuildingDoc {
  _id: string;
  communityId: string;
  code: string;
  name: string;
  units: string[];
  floors: number | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface RoomDoc {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  floor: number | null;
  sortKey?: string;
  buildingAreaCentiM2: number;
  innerAreaCentiM2: number | null;
  useType: RoomUseType;
  occupancy: Occupancy;
  moveInDate: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A person on record: owner, co-owner, family member or tenant of one or more rooms. */
export interface OwnerDoc {
  _id: string;
  communityId: string;
  name: string;
  mobile: string;
  idNumber: string | null;
  specialCare: boolean;
  careNote: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface RelationDoc {
  _id: string;
  communityId: string;
  roomId: string;
  ownerId: string;
  relation: Relation;
  /** YYYY-MM-DD; null: since before records began. */
  since: string | null;
  /** YYYY-MM-DD the relation ended (exclusive); null: current. */
  until: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface BindingDoc {
  _id: string;
  communityId: string;
  roomId: string;
  openid: string;
  relation: Relation;
  status: BindingStatus;
  /** The name the applicant typed (kept for review; shown masked). */
  name?: string;
  /** How it matched: mobile, last4, invite, staff, seed. */
  method?: string;
  ownerId?: string | null;
  invitedBy?: string | null;
  requestedAt?: Date;
  decidedAt?: Date | null;
  decidedBy?: string | null;
  reason?: string | null;
  verifiedAt?: Date;
}

export function today(ctx: ActionContext): string {
  return shanghaiDate(ctx.now());
}

export function isActive(rel: Pick<RelationDoc, 'since' | 'until'>, day: string): boolean {
  return (rel.since === null || rel.since <= day) && (rel.until === null || rel.until > day);
}

export function iso(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  return new Date(d).toISOString();
}

async function one<T>(ctx: WithDb, collection: string, id: string): Promise<T | null> {
  return findById<T>(ctx, collection, id);
}

export async function findCommunity(
  ctx: ActionContext,
  communityId: string,
): Promise<CommunityDoc | null> {
  return one<CommunityDoc>(ctx, 'communities', communityId);
}

export async function getCommunity(ctx: ActionContext, communityId: string): Promise<CommunityDoc> {
  const c = await findCommunity(ctx, communityId);
  if (!c) throw new AppError('NOT_FOUND', '小区不存在');
  return c;
}

/** A document by id, or NOT_FOUND with `notFound` (the field and what is missing, in words). */
export async function getDoc<T>(
  ctx: WithDb,
  collection: string,
  id: string,
  notFound: string,
): Promise<T> {
  const doc = await one<T>(ctx, collection, id);
  if (!doc) throw new AppError('NOT_FOUND', notFound);
  return doc;
}

/**
 * A document of this community by id, or NOT_FOUND with `notFound` — also for a document of
 * another community, so ids cannot be probed across communities.
 */
export async function getInCommunity<T extends { communityId: string }>(
  ctx: WithDb,
  collection: string,
  communityId: string,
  id: string,
  notFound: string,
): Promise<T> {
  const doc = await one<T>(ctx, collection, id);
  if (!doc || doc.communityId !== communityId) throw new AppError('NOT_FOUND', notFound);
  return doc;
}

/** A room of this community, or NOT_FOUND (also for a room of another community). */
export async function getRoom(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
): Promise<RoomDoc> {
  return getInCommunity<RoomDoc>(ctx, 'rooms', communityId, roomId, '房屋不存在');
}

export async function findRoom(ctx: ActionContext, roomId: string): Promise<RoomDoc | null> {
  return one<RoomDoc>(ctx, 'rooms', roomId);
}

export async function getOwner(
  ctx: ActionContext,
  communityId: string,
  ownerId: string,
): Promise<OwnerDoc> {
  return getInCommunity<OwnerDoc>(ctx, 'owners', communityId, ownerId, '人员不存在');
}

export async function getBinding(
  ctx: ActionContext,
  bindingId: string,
): Promise<BindingDoc | null> {
  return one<BindingDoc>(ctx, 'room_bindings', bindingId);
}

export async function relationsOfRoom(ctx: ActionContext, roomId: string): Promise<RelationDoc[]> {
  const res = await ctx.db.collection('room_owners').where({ roomId }).limit(1000).get();
  return res.data as RelationDoc[];
}

/** Documents of a collection by id (500 ids a query), as a map by id. */
async function mapByIds<T extends { _id: string }>(
  ctx: ActionContext,
  collection: string,
  ids: string[],
): Promise<Map<string, T>> {
  const map = new Map<string, T>();
  const unique = [...new Set(ids)];
  const _ = ctx.db.command;
  for (let i = 0; i < unique.length; i += 500) {
    const res = await ctx.db
      .collection(collection)
      .where({ _id: _.in(unique.slice(i, i + 500)) })
      .limit(1000)
      .get();
    for (const d of res.data as T[]) map.set(d._id, d);
  }
  return map;
}

export function ownersByIds(ctx: ActionContext, ids: string[]): Promise<Map<string, OwnerDoc>> {
  return mapByIds<OwnerDoc>(ctx, 'owners', ids);
}

export function roomsByIds(ctx: ActionContext, ids: string[]): Promise<Map<string, RoomDoc>> {
  return mapByIds<RoomDoc>(ctx, 'rooms', ids);
}

export function staffBindingView(b: BindingDoc, room: RoomDoc | undefined): StaffBindingView {
  return {
    bindingId: b._id,
    roomId: b.roomId,
    roomLabel: room ? roomLabel(room) : '',
    relation: b.relation,
    status: b.status,
    method: b.method ?? 'seed',
    applicantName: maskName(b.name ?? ''),
    requestedAt: iso(b.requestedAt ?? b.verifiedAt),
    decidedAt: iso(b.decidedAt ?? null),
    reason: b.reason ?? null,
  };
}
