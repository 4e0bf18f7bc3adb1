/**
 * Finding a room at the desk (pure: no wx): what staff type in the search box, and a room as the
 * finder lists it.
 */
import type { RoomListItem } from '../../domain/community/contract';

export interface RoomOption {
  roomId: string;
  label: string;
  ownerText: string;
  specialCare: boolean;
}

export function toRoomOption(r: RoomListItem): RoomOption {
  return {
    roomId: r.roomId,
    label: r.label,
    ownerText: r.owner ? `业主 ${r.owner.name} ${r.owner.mobile}` : '暂无业主信息',
    specialCare: r.specialCare,
  };
}

/**
 * What the cashier typed in the search box: '1-2-201', '1栋2单元201' or '1 2 201' narrow to a
 * building and unit; anything else is a room number fragment, a surname or mobile digits.
 */
export function parseRoomQuery(text: string): {
  building?: string;
  unit?: string;
  keyword?: string;
} {
  const t = text.trim();
  const m =
    /^([A-Za-z0-9]{1,20})\s*(?:栋|幢|号楼|-|\s)\s*([A-Za-z0-9]{1,20})\s*(?:单元|-|\s)\s*([0-9A-Za-z-]{1,20})\s*(?:室|号)?$/.exec(
      t,
    );
  if (m) return { building: m[1], unit: m[2], keyword: m[3] };
  return t ? { keyword: t.slice(0, 20) } : {};
}
