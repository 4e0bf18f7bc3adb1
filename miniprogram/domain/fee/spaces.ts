/**
 * A parking space or storeroom as the billing run sees it: a bill target beside its holder's
 * room. Its bills carry the holder's `roomId` (so the owner sees and pays them with the room's
 * bills), its start and end dates are the billable range (prorated by days like a room's), and
 * only standards for its kind apply (`appliesTo`).
 */
import type { SpaceRecord } from '../community/spaces';
import type { BillableRoom } from './types';

/**
 * `roomBillableTo`: the holder room's last billable day, once its occupancy ended (sold, moved
 * out): the space is not charged to that room after it either.
 */
export function billableSpace(
  space: SpaceRecord,
  buildingId: string,
  roomBillableTo: string | null = null,
): BillableRoom {
  const ends = [space.endDate, roomBillableTo].filter((d): d is string => d !== null).sort();
  return {
    roomId: space.holderRoomId ?? '',
    buildingId,
    useType: space.kind === 'storeroom' ? 'storage' : 'parking',
    buildingAreaCm2: space.areaCentiM2,
    innerAreaCm2: space.areaCentiM2,
    ownerId: space.holderRoomId ? space.holderOwnerId : null,
    billableFrom: space.startDate,
    billableTo: ends[0] ?? null,
    parkingSpaces: space.kind === 'storeroom' ? 0 : 1,
    spaceKind: space.kind,
  };
}
