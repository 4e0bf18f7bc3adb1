/**
 * Parking spaces and storerooms in the billing run: each held space is a bill target beside its
 * holder's room, decided in the room's chunk. One extra read per chunk (the spaces held by the
 * chunk's rooms, an index range on `holderRoomId`), and only when a standard for spaces falls
 * due. A space's bill carries the holder's `roomId` (so the existing-bills read of the chunk
 * already finds it, and the owner sees and pays it with the room's bills) and its own key
 * (`parkrent@B2-017`), so a repeat writes nothing.
 */
import {
  type BillDraft,
  type PassTally,
  type RoomRef,
  billDraftFor,
  billedItemIds,
  remainingBill,
  tallyBill,
  tallyItemSkip,
  tallyRoomSkip,
} from '../../../../miniprogram/domain/fee/billing';
import { computeBill } from '../../../../miniprogram/domain/fee';
import { billableSpace } from '../../../../miniprogram/domain/fee/spaces';
import { spaceLabel, type SpaceRecord } from '../../../../miniprogram/domain/community/spaces';
import type { BillLineItem } from '../../../../miniprogram/domain/fee/bill';
import type { ActionContext } from '../../../_shared/router';
import { fetchWhere } from '../../../_shared/paging';
import type { RunSetup } from './run-engine';

/** Whether the run charges anything on spaces (else no space is read at all). */
export function spacesDue(setup: Pick<RunSetup, 'dueStandards'>): boolean {
  return setup.dueStandards.some((s) => s.applicability.scope === 'spaces');
}

/** The spaces held by the chunk's rooms (`inChunk`: the rooms' `_id` range), by holder room. */
export async function loadChunkSpaces(
  ctx: ActionContext,
  setup: RunSetup,
  inChunk: unknown,
): Promise<Map<string, SpaceRecord[]>> {
  const byRoom = new Map<string, SpaceRecord[]>();
  if (!spacesDue(setup)) return byRoom;
  const spaces = await fetchWhere<SpaceRecord>(ctx, 'spaces', {
    communityId: setup.communityId,
    holderRoomId: inChunk,
  });
  for (const s of spaces) {
    const list = byRoom.get(s.holderRoomId!) ?? [];
    list.push(s);
    byRoom.set(s.holderRoomId!, list);
  }
  return byRoom;
}

interface RoomBill {
  spaceId?: string;
  itemIds?: string[];
  items: Pick<BillLineItem, 'itemId' | 'kind'>[];
}

export interface SpaceBill {
  doc: BillDraft;
  building: string;
  computed: ReturnType<typeof remainingBill>;
}

/**
 * The bills of one room's spaces (issue) or their tallies (preview). `roomBills`: the room's
 * bills of the period already issued (the space's own are those with its `spaceId`).
 */
export function decideSpaces(
  setup: RunSetup,
  room: { _id: string; building: string; label: string; billableTo: string | null },
  spaces: readonly SpaceRecord[],
  roomBills: readonly RoomBill[],
  issue: { issuedAt: Date } | null,
  tally: PassTally,
): SpaceBill[] {
  const out: SpaceBill[] = [];
  for (const space of [...spaces].sort((a, b) => a.sortKey.localeCompare(b.sortKey))) {
    const ref: RoomRef = { roomId: space._id, roomLabel: `${room.label} ${spaceLabel(space)}` };
    let computed;
    try {
      computed = computeBill(
        billableSpace(space, room.building, room.billableTo),
        setup.dueStandards,
        setup.period,
      );
    } catch (e) {
      console.error(`[fee.run] space ${space._id} cannot be billed:`, (e as Error).message);
      tallyRoomSkip(tally, ref, 'invalidData');
      continue;
    }
    const billed = new Set(
      roomBills.filter((b) => b.spaceId === space._id).flatMap((b) => billedItemIds(b)),
    );
    const remaining = remainingBill(computed, billed);
    if (computed.lines.length > 0 && remaining.lines.length === 0) {
      tallyRoomSkip(tally, ref, 'alreadyIssued');
      continue;
    }
    for (const s of computed.skippedItems) {
      if (s.reason !== 'notApplicable') tallyItemSkip(tally, ref, s.itemId, s.reason);
    }
    if (computed.skipped || remaining.totalFen <= 0) {
      // a space no standard charges is not worth a line in the run's skip list
      if (computed.skipped !== 'notApplicable') {
        tallyRoomSkip(tally, ref, computed.skipped ?? 'nothingDue');
      }
      continue;
    }
    if (!issue) {
      tallyBill(tally, room.building, remaining);
      continue;
    }
    out.push({
      building: room.building,
      computed: remaining,
      doc: billDraftFor({
        computed: remaining,
        communityId: setup.communityId,
        building: room.building,
        runId: setup.runId,
        issuedAt: issue.issuedAt,
        standards: setup.byItem,
        space: { spaceId: space._id, number: space.number, kind: space.kind },
      }),
    });
  }
  return out;
}
