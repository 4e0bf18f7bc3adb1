/**
 * Contracts of the `report` function (admin, finance): collection rate, arrears aging, the
 * largest arrears, non-payment reasons, and .xlsx export. See docs/reports.md.
 */
import { z } from 'zod';
import { isDate, isPeriod } from '../fee/period';
import type { AgingBucket } from '../reports';
import type { Contract } from './api';

// Local twin of api.ts `contract` (api.ts imports this file: no runtime cycle).
function contract<O>() {
  return <I extends z.ZodType>(input: I): Contract<I, O> => ({ input });
}

const communityId = z.string().min(1).max(64);
const period = z.string().refine((v) => isPeriod(v), { message: '账期应为 YYYY-MM（如 2026-12）' });
const date = z
  .string()
  .refine((v) => isDate(v), { message: '日期格式应为 YYYY-MM-DD（如 2026-11-20）' });

export interface CollectionRow {
  /** Building code, or '' for the community total. */
  building: string;
  billedRooms: number;
  arrearsRooms: number;
  dueFen: number;
  collectedFen: number;
  outstandingFen: number;
  householdRateBp: number;
  amountRateBp: number;
  /** Collected for this period's bills, by channel (net of reversals). */
  currentByChannel: Record<string, number>;
  /** Arrears recovered (清欠): paid during the window toward bills of earlier periods, by channel. */
  recoveredByChannel: Record<string, number>;
  recoveredFen: number;
}

export interface CollectionReport {
  communityName: string;
  period: string;
  /** The window 清欠 is counted in: [from, to) — this period's start to the next period's. */
  window: { from: string; to: string };
  asOf: string;
  total: CollectionRow;
  buildings: CollectionRow[];
  /** Every period that has bills, newest first (for the picker). */
  periods: string[];
}

export interface AgingRow {
  building: string;
  buckets: Record<AgingBucket, { fen: number; rooms: number; bills: number }>;
  totalFen: number;
  rooms: number;
}

export interface AgingReport {
  communityName: string;
  asOf: string;
  total: AgingRow;
  buildings: AgingRow[];
}

export interface ArrearsEntry {
  roomId: string;
  roomLabel: string;
  building: string;
  outstandingFen: number;
  bills: number;
  oldestDueDate: string;
  overdueDays: number;
  /** From `bills.escalationStage` (the furthest of the room's bills), or null when absent. */
  escalationStage: string | null;
  escalationLabel: string;
  /** From the newest `contact_logs` entry of the room (`reason`), or null when absent. */
  lastContactReason: string | null;
  lastContactAt: string | null;
  /** Active holds (complaint, dispute, installment, promise) on the room. */
  holds: string[];
}

export interface ArrearsReport {
  communityName: string;
  asOf: string;
  entries: ArrearsEntry[];
  /** Which optional sources existed when the report ran. */
  sources: { escalation: boolean; contactLogs: boolean };
}

export interface ReasonsReport {
  communityName: string;
  from: string;
  to: string;
  /** False when there is no `contact_logs` collection yet (visits/calls not recorded). */
  contactLogsAvailable: boolean;
  reasons: { reason: string; contacts: number; rooms: number }[];
  complaintsAvailable: boolean;
  /** Complaints filed in the range, and those from rooms that are in arrears now. */
  complaints: { total: number; fromArrearsRooms: number };
  /** Active holds by reason (complaint/dispute/installment/promise): arrears paused for a cause. */
  holds: Record<string, { holds: number; rooms: number }>;
}

export const REPORT_KINDS = ['collection', 'aging', 'arrears', 'reasons'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const reportContracts = {
  collection: contract<CollectionReport>()(
    z.object({ communityId, period: period.optional() }).strict(),
  ),
  aging: contract<AgingReport>()(z.object({ communityId, asOf: date.optional() }).strict()),
  arrears: contract<ArrearsReport>()(
    z
      .object({
        communityId,
        asOf: date.optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
  ),
  reasons: contract<ReasonsReport>()(
    z.object({ communityId, from: date.optional(), to: date.optional() }).strict(),
  ),
  /** Writes the report as .xlsx to cloud storage; returns a temporary download link. */
  export: contract<{ fileID: string; tempFileURL: string; fileName: string }>()(
    z
      .object({
        communityId,
        report: z.enum(REPORT_KINDS),
        period: period.optional(),
        asOf: date.optional(),
        from: date.optional(),
        to: date.optional(),
      })
      .strict(),
  ),
};
