/**
 * owner: what a bound owner sees of their own rooms — the home summary and the bill list.
 * Every query is scoped to rooms bound to the caller's OPENID.
 */
import { summariseBill, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { createRouter, requireOpenid, type ActionContext } from '../../_shared/router';
import { fetchAll } from '../../_shared/db';
import type { BillSummary } from '../../../miniprogram/domain/fee/bill';
import type {
  CommunityContact,
  MyRoom,
  NoticeSummary,
} from '../../../miniprogram/domain/owner/contract';
import { ownerContracts } from '../../../miniprogram/domain/owner/contract';

interface BindingDoc {
  _id: string;
  roomId: string;
  openid: string;
  communityId: string;
  relation: MyRoom['relation'];
  status: 'pending-review' | 'verified' | 'rejected' | 'revoked';
}

interface RoomDoc {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  buildingAreaCentiM2: number;
}

interface CommunityDoc {
  _id: string;
  name: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
}

interface NoticeDoc {
  _id: string;
  communityId: string;
  title: string;
  summary: string;
  publishedAt: Date;
  status: 'draft' | 'published' | 'withdrawn';
}

export function roomLabel(room: Pick<RoomDoc, 'building' | 'unit' | 'number'>): string {
  return `${room.building}栋${room.unit}单元${room.number}`;
}

function areaText(centiM2: number): string {
  return `${Math.floor(centiM2 / 100)}.${String(centiM2 % 100).padStart(2, '0')}`;
}

async function myRooms(ctx: ActionContext): Promise<{
  rooms: MyRoom[];
  roomDocs: Map<string, RoomDoc>;
  communities: Map<string, CommunityDoc>;
}> {
  const openid = requireOpenid(ctx);
  const _ = ctx.db.command;
  const bindings = await fetchAll<BindingDoc>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
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
      buildingArea: areaText(room.buildingAreaCentiM2),
      relation: b.relation,
    });
  }
  rooms.sort((a, b) => a.label.localeCompare(b.label, 'zh'));
  return { rooms, roomDocs, communities };
}

async function billsOf(
  ctx: ActionContext,
  roomIds: string[],
  labels: Map<string, string>,
): Promise<BillSummary[]> {
  if (!roomIds.length) return [];
  const _ = ctx.db.command;
  const docs = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({ roomId: _.in(roomIds), status: _.neq('void') }),
  );
  const now = ctx.now();
  return docs.map((d) => summariseBill(d, labels.get(d.roomId) ?? '', now));
}

export const main = createRouter('owner', ownerContracts, {
  async home(_input, ctx) {
    const { rooms, communities } = await myRooms(ctx);
    const labels = new Map(rooms.map((r) => [r.roomId, r.label]));
    const bills = await billsOf(
      ctx,
      rooms.map((r) => r.roomId),
      labels,
    );
    const open = bills.filter((b) => b.outstandingFen > 0);
    const dueNowFen = open.reduce((sum, b) => sum + b.outstandingFen, 0);
    const nextDueDate = open.map((b) => b.dueDate).sort()[0] ?? null;
    const overdueCount = open.filter((b) => b.overdueDays > 0).length;
    let notices: NoticeSummary[] = [];
    const communityIds = [...communities.keys()];
    if (communityIds.length) {
      const _ = ctx.db.command;
      const res = await ctx.db
        .collection('notices')
        .where({ communityId: _.in(communityIds), status: 'published' })
        .orderBy('publishedAt', 'desc')
        .limit(5)
        .get();
      notices = (res.data as NoticeDoc[]).map((n) => ({
        noticeId: n._id,
        title: n.title,
        summary: n.summary,
        publishedAt: new Date(n.publishedAt).toISOString(),
      }));
    }
    const contacts: CommunityContact[] = [...communities.values()].map((c) => ({
      communityId: c._id,
      name: c.name,
      servicePhone: c.servicePhone,
      serviceHours: c.serviceHours,
      frontDesk: c.frontDesk,
    }));
    return { rooms, dueNowFen, nextDueDate, overdueCount, notices, contacts };
  },

  async bills(input, ctx) {
    const { rooms } = await myRooms(ctx);
    const labels = new Map(rooms.map((r) => [r.roomId, r.label]));
    let roomIds = rooms.map((r) => r.roomId);
    if (input.roomId !== undefined) {
      // Only the caller's own rooms: another room id yields nothing, never someone else's bills.
      roomIds = roomIds.filter((id) => id === input.roomId);
    }
    const bills = await billsOf(ctx, roomIds, labels);
    const unpaid = bills
      .filter((b) => b.outstandingFen > 0)
      .sort(
        (a, b) =>
          a.dueDate.localeCompare(b.dueDate) || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
      );
    const paid = bills
      .filter((b) => b.outstandingFen === 0)
      .sort(
        (a, b) => b.period.localeCompare(a.period) || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
      );
    return { unpaid, paid };
  },
});
