/**
 * Contracts for the staff meter-reading sheet (抄表录入): the rooms a meter item applies to, with
 * each room's previous reading and this period's reading if entered. Spread into `feeContracts`.
 * See docs/billing.md and docs/readings-ui.md.
 */
import { z } from 'zod';
import { contract } from '../kernel/contract';
import type { MeterReadingView } from './contract';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export type SheetFilter = 'all' | 'pending' | 'flagged';

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
  meterItems: contract<{ items: MeterItem[] }>()(
    z.object({ communityId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict(),
  ),
  /** Any staff role: one page of the reading sheet of a meter item and usage month. */
  readingSheet: contract<ReadingSheet>()(
    z
      .object({
        communityId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        itemId: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, '收费项目编号格式不正确'),
        period: z.string().regex(PERIOD, '账期应为 YYYY-MM（如 2026-12）'),
        building: z.string().trim().min(1).max(20).optional(),
        /** pending: not yet entered; flagged: waiting for confirmation. */
        filter: z.enum(['all', 'pending', 'flagged']).default('all'),
        limit: z.number().int().min(1).max(100).default(50),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
  ),
};
