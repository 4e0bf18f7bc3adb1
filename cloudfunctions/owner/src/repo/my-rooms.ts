/**
 * The caller's rooms (verified bindings only), their communities, and their bills as owners see
 * them: every query is scoped to rooms bound to the caller's OPENID.
 */
import { billsAsOf } from '../../../_shared/ledger/as-of';
import type { RoomDoc } from '../../../_shared/records';
import { myVerifiedBindings } from '../../../_shared/bindings';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { formatAreaCentiM2 } from '../../../../miniprogram/domain/community/area';
import { summariseBill, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { type ActionContext } from '../../../_shared/router';
import { fetchAll } from '../../../_shared/db';
import type { BillSummary } from '../../../../miniprogram/domain/fee/bill';
import type { MyRoom } from '../../../../miniprogram/domain/owner/contract';

export interface CommunityDoc {
  _id: string;
  name: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
  /** Owners' own meter readings: the last this-many days of each month (settings). */
  readingWindowDays?: number;
}

export interface NoticeDoc {
  _id: string;
  communityId: string;
  title: string;
  summary: string;
  publishedAt: Date;
  status: 'draft' | 'published' | 'withdrawn';
}

export async function myRooms(ctx: ActionContext): Promise<{
  rooms: MyRoom[];
  roomDocs: Map<string, RoomDoc>;
  communities: Map<string, CommunityDoc>;
}> {
  const _ = ctx.db.command;
  const bindings = await myVerifiedBindings(ctx);
  const roomIds = [...new Set(bindings.map((b) => b.roomId))];
  const roomDocs = new Map<string, RoomDoc>();
  if (roomIds.length) {
    const rooms = await fetchAll<RoomDoc>(ctx.db.collection('rooms').where({ _id: _.in(roomIds) }));
    for (const r of rooms) roomDocs.set(r._id, r);
  }
  const communityIds = [...new Set([...roomDocs.values()].map((r) => r.communityId))];
  const communities = new Map<string, CommunityDoc>();
  if (communityIds.length) {
    const list = await fetchAll<CommunityDoc>(
      ctx.db.collection('communities').where({ _id: _.in(communityIds) }),
    );
    for (const c of list) communities.set(c._id, c);
  }
  const rooms: MyRoom[] = [];
  for (const b of bindings) {
    const room = roomDocs.get(b.roomId);
    if (!room) continue;
    rooms.push({
      roomId: room._id,
      communityId: room.communityId,
      communityName: communities.get(room.communityId)?.name ?? '',
      label: roomLabel(room),
      buildingArea: formatAreaCentiM2(room.buildingAreaCentiM2),
      relation: b.relation,
    });
  }
  rooms.sort((a, b) => a.label.localeCompare(b.label, 'zh'));
  return { rooms, roomDocs, communities };
}

export async function billsOf(
  ctx: ActionContext,
  roomIds: string[],
  labels: Map<string, string>,
): Promise<BillSummary[]> {
  if (!roomIds.length) return [];
  const _ = ctx.db.command;
  // As of today: late fees derived as the owner is charged them.
  const docs = await billsAsOf(
    ctx.db,
    await fetchAll<BillDoc>(
      ctx.db.collection('bills').where({ roomId: _.in(roomIds), status: _.neq('void') }),
    ),
  );
  const now = ctx.now();
  return docs.map((d) => summariseBill(d, labels.get(d.roomId) ?? '', now));
}
