/**
 * What the front desk and owners see of issue 18 in the demo: a room whose owner moved in days
 * ago and has no bill yet (its owner bound in the preview as 刘先生), a room sold and handed over
 * at the end of the next quarter (its occupancy ends then: billing stops, the 房屋账户 says so),
 * and desk money taken by the cashier (the receipts name 陈收费员). The demo's quarterly bills and payments come
 * from demo.ts; this only adjusts the rooms named here.
 */
import { lastDay } from '../../miniprogram/domain/fee';
import { addDays } from '../../miniprogram/domain/kernel/time';
import type { Store } from '../cloud/store';

export const DESK_ROOMS = {
  /** Handed over days ago: no bill yet; its owner is bound (o_demo_movein). */
  movein: 'r_3_1_1702',
  /** Sold, handed over at the end of the next quarter: not billed after that day. */
  sold: 'r_4_2_1802',
} as const;

/** Rooms the demo issues no seeded bills for (moved in after the seeded quarters). */
export function unbilledRooms(): ReadonlySet<string> {
  return new Set([DESK_ROOMS.movein]);
}

/** The move-in date of the new room: 5 days before the demo's today. */
export function moveInRoomExtras(today: string): { moveInDate: string; occupancy: 'occupied' } {
  return { moveInDate: addDays(today, -5), occupancy: 'occupied' };
}

export function seedDesk(
  store: Store,
  o: {
    communityId: string;
    today: string;
    /** The next quarter's last month (YYYY-MM): the sold room is handed over on its last day. */
    handOverMonth: string;
    now: Date;
    admin: string;
    adminName: string;
  },
): void {
  const end = lastDay(o.handOverMonth);
  store.update(
    'rooms',
    { _id: DESK_ROOMS.sold },
    {
      $set: {
        billableTo: end,
        occupancyEnd: {
          date: end,
          reason: 'sold',
          note: '已签过户协议，季末交房',
          by: o.admin,
          byName: o.adminName,
          at: o.now,
          billedThrough: null,
        },
      },
    },
    { multi: false, replace: false, upsert: false },
  );
  store.insert('audit_log', [
    {
      _id: `seed_occupancy_end_${DESK_ROOMS.sold}`,
      communityId: o.communityId,
      actor: o.admin,
      actorName: o.adminName,
      action: 'room.occupancyEnd',
      targetType: 'room',
      targetId: DESK_ROOMS.sold,
      targetLabel: '4栋2单元1802',
      summary: `4栋2单元1802出售过户，入住至 ${end}，此后不再计费`,
      before: null,
      after: { endDate: end, reason: 'sold', note: '已签过户协议，季末交房' },
      at: o.now,
    },
  ]);
}
