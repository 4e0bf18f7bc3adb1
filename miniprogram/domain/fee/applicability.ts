/**
 * Which rooms a fee standard applies to (all, listed buildings, use types or rooms), apart from
 * the standards' validation so a page or function that only asks this stays small.
 */
import type { Applicability, BillableRoom } from './types';

/** Whether a standard applies to a room (all / its building / its use type / listed rooms). */
export function appliesTo(applicability: Applicability, room: BillableRoom): boolean {
  switch (applicability.scope) {
    case 'all':
      return true;
    case 'buildings':
      return applicability.buildingIds.includes(room.buildingId);
    case 'useTypes':
      return applicability.useTypes.includes(room.useType);
    case 'rooms':
      return applicability.roomIds.includes(room.roomId);
    default:
      throw new RangeError(`unknown applicability scope`);
  }
}
