/** Rooms and their owners on record, as the fee function reads them. */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { ActionContext } from '../../../_shared/router';
import { fetchByIds } from '../../../_shared/paging';

/** The fields of a room the billing run reads. */
export interface FeeRoomDoc {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  buildingAreaCentiM2?: number | null;
  innerAreaCentiM2?: number | null;
  useType?: string;
  moveInDate?: string | null;
  /** First / last day fees accrue, when set apart from the move-in date. */
  billableFrom?: string | null;
  billableTo?: string | null;
  parkingSpaces?: number;
}

export const ROOM_FIELDS = {
  _id: true,
  communityId: true,
  building: true,
  unit: true,
  number: true,
  buildingAreaCentiM2: true,
  innerAreaCentiM2: true,
  useType: true,
  moveInDate: true,
  billableFrom: true,
  billableTo: true,
  parkingSpaces: true,
} as const;

export interface OwnerRelationDoc {
  _id: string;
  roomId: string;
  ownerId: string;
  relation: string;
  since: string | null;
  until: string | null;
}

export function labelOf(room: Pick<FeeRoomDoc, 'building' | 'unit' | 'number'>): string {
  return roomLabel(room);
}

/** Rooms of the community among `ids` (others, and rooms of other communities, are left out). */
export async function roomsByIds(
  ctx: ActionContext,
  communityId: string,
  ids: readonly string[],
): Promise<Map<string, FeeRoomDoc>> {
  const rooms = await fetchByIds<FeeRoomDoc>(ctx, 'rooms', ids, { communityId }, ROOM_FIELDS);
  return new Map(rooms.map((r) => [r._id, r]));
}

/** Room labels by id (rooms that do not exist get the id itself). */
export async function labelsOf(
  ctx: ActionContext,
  communityId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rooms = await fetchByIds<FeeRoomDoc>(
    ctx,
    'rooms',
    ids,
    { communityId },
    {
      _id: true,
      building: true,
      unit: true,
      number: true,
    },
  );
  const map = new Map(rooms.map((r) => [r._id, labelOf(r)]));
  for (const id of ids) if (!map.has(id)) map.set(id, id);
  return map;
}

/** Views of documents that name a room, each with its room's label (the id when unknown). */
export async function roomLabelled<T extends { roomId: string }, V>(
  ctx: ActionContext,
  communityId: string,
  docs: readonly T[],
  view: (doc: T, label: string) => V,
): Promise<V[]> {
  const labels = await labelsOf(
    ctx,
    communityId,
    docs.map((d) => d.roomId),
  );
  return docs.map((d) => view(d, labels.get(d.roomId) ?? d.roomId));
}
