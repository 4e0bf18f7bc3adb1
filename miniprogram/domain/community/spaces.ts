/**
 * Parking spaces and storerooms (车位、储藏室) as billable units beside rooms: their kinds and
 * labels, ids, licence plates (normalised, validated and masked in lists), and the days a holder
 * holds one (start and end dates, inclusive, prorated by days like a room's billable range).
 * Pure: the `community` function keeps the records, the `fee` run bills them with their holder's
 * room, pages show them.
 */
import { codesOf } from '../kernel/codes';

export const SPACE_KIND_LABELS = {
  /** 产权车位: the holder owns it and pays 车位管理费. */
  owned: '产权车位',
  /** 月租车位: rented by the month (月租). */
  rented: '月租车位',
  storeroom: '储藏室',
};
export type SpaceKind = keyof typeof SPACE_KIND_LABELS;
export const SPACE_KINDS = codesOf(SPACE_KIND_LABELS);

/** What a bill line or a list calls a space: "车位 B2-017", "储藏室 S-03". */
export function spaceLabel(space: { kind: SpaceKind; number: string }): string {
  return `${space.kind === 'storeroom' ? '储藏室' : '车位'} ${space.number}`;
}

/** A space number as people write it on the ground: "B2-017", "S03". */
export const SPACE_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/;

/** Space numbers are compared upper-cased ("b2-017" is "B2-017"). */
export function normaliseSpaceNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** `sp_<communityId>_<number>`: one document per numbered space of a community. */
export function spaceIdFor(communityId: string, number: string): string {
  return `sp_${communityId}_${normaliseSpaceNumber(number)}`;
}

/** Sorts spaces as they are signed: by zone letter then number, digits compared as numbers. */
export function spaceSortKey(number: string): string {
  return normaliseSpaceNumber(number).replace(/\d+/g, (d) => d.padStart(6, '0'));
}

// ---------------------------------------------------------------- licence plates

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/**
 * A mainland plate: province, issuing letter, then 5 characters (petrol) or 6 (new energy);
 * I and O are never used. "粤B12345", "粤BD12345", "沪A1234学".
 */
const PLATE = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9学挂警]$`);

/** "粤b·12345 " → "粤B12345": drops spaces, dots and dashes, upper-cases letters. */
export function normalisePlate(raw: string): string {
  return raw.replace(/[\s·•.\-－]/g, '').toUpperCase();
}

export function isPlate(plate: string): boolean {
  return PLATE.test(plate);
}

/** Plates in lists and exports for non-admins: "粤B12345" → "粤B***45". */
export function maskPlate(plate: string): string {
  const chars = Array.from(plate);
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

/**
 * Plates typed in one field or one spreadsheet cell: separated by commas, 、, ; or spaces between
 * plates. Returns the normalised plates and the pieces that are not plates.
 */
export function parsePlates(text: string): { plates: string[]; invalid: string[] } {
  const plates: string[] = [];
  const invalid: string[] = [];
  for (const piece of text.split(/[,，、;；/\s]+/)) {
    if (piece === '') continue;
    const plate = normalisePlate(piece);
    if (!isPlate(plate)) invalid.push(piece);
    else if (!plates.includes(plate)) plates.push(plate);
  }
  return { plates, invalid };
}

// ---------------------------------------------------------------- holding

export type SpaceStatus = 'idle' | 'upcoming' | 'active' | 'ended';

export const SPACE_STATUS_LABELS: Record<SpaceStatus, string> = {
  idle: '空闲',
  upcoming: '未开始',
  active: '使用中',
  ended: '已结束',
};

export interface SpaceHolding {
  holderRoomId: string | null;
  startDate: string | null;
  endDate: string | null;
}

/** Whether a space is held on `today`: no holder (空闲), before its start, within, or after its end. */
export function spaceStatus(space: SpaceHolding, today: string): SpaceStatus {
  if (!space.holderRoomId) return 'idle';
  if (space.startDate !== null && space.startDate > today) return 'upcoming';
  if (space.endDate !== null && space.endDate < today) return 'ended';
  return 'active';
}

/**
 * Why a holding cannot be saved, or null: a holder needs a start date, and the end (inclusive)
 * is never before the start.
 */
export function holdingProblem(space: SpaceHolding): { field: string; message: string } | null {
  if (space.holderRoomId && space.startDate === null) {
    return { field: 'startDate', message: '请填写起始日期' };
  }
  if (space.startDate !== null && space.endDate !== null && space.endDate < space.startDate) {
    return { field: 'endDate', message: '结束日期不能早于起始日期' };
  }
  return null;
}

/** A space as stored (`spaces`, `_id` from `spaceIdFor`). */
export interface SpaceRecord extends SpaceHolding {
  _id: string;
  communityId: string;
  /** "B2-017", upper-cased. */
  number: string;
  /** Where it is: "地下二层 B 区". */
  zone: string;
  kind: SpaceKind;
  /** 0.01 m²; storerooms billed by area need it, parking spaces usually have none. */
  areaCentiM2: number | null;
  /** The person on record who holds it; its bills go with `holderRoomId`'s bills. */
  holderOwnerId: string | null;
  plates: string[];
  sortKey: string;
}

/**
 * Why a space cannot pass to another holder as asked, or null. The days of one space are billed
 * to one holder at a time, so the holding on record ends first (结束使用) and the next one starts
 * after its last day; otherwise a day could be charged to both rooms.
 */
export function handoverProblem(
  before: SpaceHolding & { holderOwnerId: string | null },
  after: SpaceHolding & { holderOwnerId: string | null },
): { field: string; message: string } | null {
  if (!before.holderRoomId) return null;
  const same =
    after.holderRoomId === before.holderRoomId && after.holderOwnerId === before.holderOwnerId;
  if (same) return null;
  if (before.endDate === null) {
    return {
      field: 'holderRoomId',
      message: '请先结束原使用人的使用（结束使用），再登记新的使用人',
    };
  }
  if (after.holderRoomId && (after.startDate === null || after.startDate <= before.endDate)) {
    return { field: 'startDate', message: `新的使用须从原使用结束（${before.endDate}）之后开始` };
  }
  return null;
}
