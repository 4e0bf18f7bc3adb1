/**
 * Contracts for the staff meter-reading sheet (抄表录入): the rooms a meter item applies to, with
 * each room's previous reading and this period's reading if entered. Spread into `feeContracts`.
 * See docs/billing.md and docs/readings-ui.md.
 */
import { communityId, contract, period, text, z } from '../kernel/contract';
import { feeItemId } from './fields.contract';
import type { ReadingFlag } from './meter';

/** `submitted`: an owner's own reading (自助抄表), not billed until staff accept or correct it. */
export type ReadingStatus = 'submitted' | 'ok' | 'flagged' | 'confirmed' | 'rejected' | 'billed';

/** What an owner reported, kept on the reading after staff accept or correct it. */
export interface OwnerReadingView {
  current: string;
  submittedAt: string | null;
  /** A temporary link to the owner's photo of the meter (staff views only). */
  photoUrl: string | null;
}

/** A room's reading of a meter item for a period: the numbers (decimal text) and their check. */
export interface MeterReadingFields {
  roomId: string;
  itemId: string;
  /** The month the reading closes (usage month); billed by the run of the following month. */
  period: string;
  previous: string;
  current: string;
  multiplier: string;
  loss: string;
  usage: string;
  readOn: string | null;
  status: ReadingStatus;
  flags: ReadingFlag[];
  /** Median usage of the room's past periods (spike check); null without history. */
  median: string | null;
  note: string | null;
}

export interface MeterReadingView extends MeterReadingFields {
  readingId: string;
  roomLabel: string;
  enteredAt: string | null;
  /** Reported by an owner in the mini-program (with a photo), or null: read by staff. */
  ownerReading: OwnerReadingView | null;
}

export type SheetFilter = 'all' | 'pending' | 'flagged' | 'submitted';

export interface ReadingSheetRow {
  roomId: string;
  roomLabel: string;
  /** The room's last reading before this period (what saveReadings defaults to); null: none. */
  previous: string | null;
  previousPeriod: string | null;
  /** This period's reading, when entered. */
  reading: MeterReadingView | null;
}

export interface ReadingSheet {
  itemId: string;
  name: string;
  /** The meter's unit, e.g. m³, kWh. */
  unit: string;
  period: string;
  /** Buildings the item applies to (for the building filter). */
  buildings: string[];
  rows: ReadingSheetRow[];
  nextCursor: string | null;
  /** Rooms matching the filter over all pages. */
  total: number;
  /** Over every applicable room of the building filter. */
  counts: {
    rooms: number;
    entered: number;
    flagged: number;
    /** Owners' readings waiting for staff to accept or correct. */
    submitted: number;
    confirmed: number;
    rejected: number;
    billed: number;
  };
}

export interface MeterItem {
  itemId: string;
  name: string;
  unit: string;
}

export const readingSheetContracts = {
  /** Any staff role: the meter items of the community (for the reading page's item picker). */
  meterItems: contract<{
    items: MeterItem[];
    /** The usage month to read now: the owners' open window's month, else last month. */
    readingPeriod: string;
  }>()(z.strictObject({ communityId })),
  /** Any staff role: one page of the reading sheet of a meter item and usage month. */
  readingSheet: contract<ReadingSheet>()(
    z.strictObject({
      communityId,
      itemId: feeItemId,
      period,
      building: z.optional(text(20)),
      /** pending: not yet entered; flagged: waiting for confirmation; submitted: by owners. */
      filter: z._default(z.enum(['all', 'pending', 'flagged', 'submitted']), 'all'),
      limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 50),
      cursor: z.optional(z.string().check(z.maxLength(200))),
    }),
  ),
};
