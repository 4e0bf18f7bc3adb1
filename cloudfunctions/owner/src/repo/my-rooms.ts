/**
 * The caller's rooms (verified bindings only), their communities, and their bills as owners see
 * them: every query is scoped to rooms bound to the caller's OPENID.
 *
 * Request budget (issue 16: every database request costs 20–50 ms on CloudBase): the bindings
 * come with their room and community joined in the same request (`$lookup`), so a page that
 * needs the caller's rooms pays one request for them whatever the number of rooms; the home adds
 * the latest notices and the metered fee standards to that same aggregation.
 */
import {
  billAsOf,
  lateFeeViewFrom,
  type LateFeeStandard,
  type LateFeeView,
} from '../../../_shared/ledger/as-of';
import type { HoldDoc } from '../../../_shared/holds';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { RoomDoc } from '../../../_shared/records';
import { requireOpenid, type ActionContext } from '../../../_shared/router';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { formatAreaCentiM2 } from '../../../../miniprogram/domain/community/area';
import { summariseBill, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { fetchAll } from '../../../_shared/db';
import type { BillSummary } from '../../../../miniprogram/domain/fee/bill';
import type { Applicability } from '../../../../miniprogram/domain/fee/types';
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

export interface MeterStandardDoc {
  communityId: string;
  applicability: Applicability;
  effectiveTo?: string | null;
}

/** A verified binding with what the aggregation joined to it. */
interface JoinedBinding {
  roomId: string;
  relation: MyRoom['relation'];
  room: RoomDoc[];
  community: CommunityDoc[];
  notices?: NoticeDoc[];
  meters?: MeterStandardDoc[];
  lateFees: LateFeeStandard[];
  holds: HoldDoc[];
}

export interface MyRoomsRead {
  rooms: MyRoom[];
  roomDocs: Map<string, RoomDoc>;
  communities: Map<string, CommunityDoc>;
  /** With `home`: the latest 5 published notices of each of the caller's communities. */
  notices: NoticeDoc[];
  /** With `home`: the metered fee standards of those communities. */
  meters: MeterStandardDoc[];
  /** The late-fee rules and the rooms' holds: the rooms' bills as of today need no more reads. */
  lateFees: LateFeeView;
}

/** Notices a home shows. */
export const HOME_NOTICES = 5;

/**
 * The caller's verified rooms with their room and community documents, in one aggregation over
 * `room_bindings`; with `home`, the same request also brings each community's latest published
 * notices and metered fee standards.
 */
export async function myRooms(
  ctx: ActionContext,
  opts: { home?: boolean } = {},
): Promise<MyRoomsRead> {
  const openid = requireOpenid(ctx);
  const _ = ctx.db.command;
  const $ = _.aggregate;
  let agg = ctx.db
    .collection('room_bindings')
    .aggregate()
    .match({ openid, status: 'verified' })
    .project({ roomId: true, communityId: true, relation: true })
    .lookup({ from: 'rooms', localField: 'roomId', foreignField: '_id', as: 'room' })
    .lookup({
      from: 'communities',
      localField: 'communityId',
      foreignField: '_id',
      as: 'community',
    });
  const sameCommunity = (...more: unknown[]) =>
    _.expr($.and([$.eq(['$communityId', '$$communityId']), ...more]));
  // The late-fee rules in force and the room's holds (through bill_holds' community_room index),
  // so the bills are shown as of today (late fees derived).
  agg = agg
    .lookup({
      from: 'bill_holds',
      let: { communityId: '$communityId', roomId: '$roomId' },
      pipeline: $.pipeline()
        .match(sameCommunity($.eq(['$roomId', '$$roomId'])))
        .done(),
      as: 'holds',
    })
    .lookup({
      from: 'fee_standards',
      let: { communityId: '$communityId' },
      pipeline: $.pipeline()
        .match(sameCommunity($.eq(['$lateFee.enabled', true])))
        .project({ communityId: true, itemId: true, lateFee: true })
        .done(),
      as: 'lateFees',
    });
  if (opts.home) {
    agg = agg
      .lookup({
        from: 'notices',
        let: { communityId: '$communityId' },
        pipeline: $.pipeline()
          .match(sameCommunity($.eq(['$status', 'published'])))
          .sort({ publishedAt: -1 })
          .limit(HOME_NOTICES)
          .project({ communityId: true, title: true, summary: true, publishedAt: true })
          .done(),
        as: 'notices',
      })
      .lookup({
        from: 'fee_standards',
        let: { communityId: '$communityId' },
        pipeline: $.pipeline()
          .match(sameCommunity($.eq(['$kind', 'meter'])))
          .project({ communityId: true, applicability: true, effectiveTo: true })
          .done(),
        as: 'meters',
      });
  }
  const joined = (await agg.limit(1000).end()).list as JoinedBinding[];
  const roomDocs = new Map<string, RoomDoc>();
  const communities = new Map<string, CommunityDoc>();
  const notices = new Map<string, NoticeDoc>();
  const meters: MeterStandardDoc[] = [];
  const metersOf = new Set<string>();
  const rooms: MyRoom[] = [];
  const lateFees = new Map<string, LateFeeStandard>();
  const holds = new Map<string, HoldDoc>();
  for (const b of joined) {
    const room = b.room[0];
    if (!room) continue;
    for (const s of b.lateFees) lateFees.set(`${s.communityId}:${s.itemId}`, s);
    for (const h of b.holds) holds.set(h._id, h);
    const community = b.community[0];
    if (community) communities.set(community._id, community);
    for (const n of b.notices ?? []) notices.set(n._id, n);
    if (!metersOf.has(room.communityId)) meters.push(...(b.meters ?? []));
    metersOf.add(room.communityId);
    if (roomDocs.has(room._id)) continue;
    roomDocs.set(room._id, room);
    rooms.push({
      roomId: room._id,
      communityId: room.communityId,
      communityName: community?.name ?? '',
      label: roomLabel(room),
      buildingArea: formatAreaCentiM2(room.buildingAreaCentiM2),
      relation: b.relation,
    });
  }
  rooms.sort((a, b) => a.label.localeCompare(b.label, 'zh'));
  const latest = [...notices.values()]
    .sort((a, b) => new Date(b.publishedAt).getTime() - new Date(a.publishedAt).getTime())
    .slice(0, HOME_NOTICES);
  const view = lateFeeViewFrom(
    shanghaiDate(ctx.now()),
    [...lateFees.values()],
    [...holds.values()],
  );
  return { rooms, roomDocs, communities, notices: latest, meters, lateFees: view };
}

/** The rooms' bills (but void) as owners see them today: late fees derived, one request. */
export async function billsOf(
  ctx: ActionContext,
  mine: Pick<MyRoomsRead, 'lateFees'>,
  roomIds: string[],
  labels: Map<string, string>,
): Promise<BillSummary[]> {
  if (!roomIds.length) return [];
  const _ = ctx.db.command;
  const docs = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({ roomId: _.in(roomIds), status: _.neq('void') }),
  );
  const now = ctx.now();
  return docs.map((d) =>
    summariseBill(billAsOf(d, mine.lateFees), labels.get(d.roomId) ?? '', now),
  );
}
