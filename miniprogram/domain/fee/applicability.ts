/**
 * Which rooms a fee standard applies to (all, listed buildings, use types or rooms), apart from
 * the standards' validation so a page or function that only asks this stays small.
 */
import type { Applicability, BillableRoom } from './types';

/**
 * Whether a standard applies to a room (all / its building / its use type / listed rooms) or to a
 * parking space or storeroom (its kind). Room scopes never reach spaces and the `spaces` scope
 * never reaches rooms, so 物业服务费 for 全体房屋 is not charged on a parking space.
 */
export function appliesTo(applicability: Applicability, room: BillableRoom): boolean {
  if (room.spaceKind !== undefined) {
    return applicability.scope === 'spaces' && applicability.spaceKinds.includes(room.spaceKind);
  }
  switch (applicability.scope) {
    case 'spaces':
      return false;
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
