/**
 * The collection report split by what was billed (按类型): rooms, owned and rented parking
 * spaces, storerooms. A space's bill carries its kind (`spaceKind`); a bill without one is a
 * room's. Counted per bill (a household may hold a room and a space).
 */
import { SPACE_KIND_LABELS, SPACE_KINDS, type SpaceKind } from '../community/spaces';
import { rateBp } from './rates';

export type BilledKind = 'room' | SpaceKind;

export const BILLED_KIND_LABELS: Record<BilledKind, string> = {
  room: '房屋',
  ...SPACE_KIND_LABELS,
};

export interface KindRow {
  kind: BilledKind;
  label: string;
  bills: number;
  /** Bills still owing something. */
  arrearsBills: number;
  dueFen: number;
  collectedFen: number;
  outstandingFen: number;
  amountRateBp: number;
}

/** One aggregation group: bills of a kind (`kind` null or absent: rooms). */
export interface KindSums {
  kind: string | null | undefined;
  bills: number;
  arrears: number;
  due: number;
  out: number;
}

/** Rows in a fixed order (rooms, 产权车位, 月租车位, 储藏室), only kinds that were billed. */
export function kindRows(sums: readonly KindSums[]): KindRow[] {
  const order: BilledKind[] = ['room', ...SPACE_KINDS];
  const rows = new Map<BilledKind, KindRow>();
  for (const s of sums) {
    const kind: BilledKind = order.includes(s.kind as BilledKind) ? (s.kind as BilledKind) : 'room';
    const row = rows.get(kind) ?? {
      kind,
      label: BILLED_KIND_LABELS[kind],
      bills: 0,
      arrearsBills: 0,
      dueFen: 0,
      collectedFen: 0,
      outstandingFen: 0,
      amountRateBp: 0,
    };
    row.bills += s.bills;
    row.arrearsBills += s.arrears;
    row.dueFen += s.due;
    row.outstandingFen += s.out;
    row.collectedFen = row.dueFen - row.outstandingFen;
    row.amountRateBp = rateBp(row.collectedFen, row.dueFen);
    rows.set(kind, row);
  }
  return order.filter((k) => rows.has(k)).map((k) => rows.get(k)!);
}
