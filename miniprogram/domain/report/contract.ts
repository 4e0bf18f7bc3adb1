/**
 * Contracts of the `report` function (admin, finance): collection rate, arrears aging, the
 * largest arrears, non-payment reasons, and .xlsx export. See docs/reports.md.
 */
import { z } from 'zod';
import { isDate, isPeriod } from '../fee/period';
import type { ContactChannel, NonpaymentReason } from '../overdue/vocabulary';
import type { StageKey } from '../overdue/rules';
import type { AgingBucket } from './rates';
import { contract } from '../kernel/contract';

// Local twin of api.ts `contract` (api.ts imports this file: no runtime cycle).
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
  /**
   * The room's escalation stage from its overdue account (`collection_cases.stage`), counted only
   * while that account's episode still covers one of the room's open bills (as the overdue
   * function does); null when no reminder has gone out for these arrears yet.
   */
  escalationStage: StageKey | null;
  /** The stage in Chinese (STAGE_LABELS), or 尚未提醒. */
  escalationLabel: string;
  /** The newest recorded contact (`collection_events`, kind `contact`) of the room, if any. */
  lastContactReason: NonpaymentReason | null;
  /** Its reason in Chinese (NONPAYMENT_REASON_LABELS), or '—'. */
  lastContactReasonText: string;
  lastContactChannel: ContactChannel | null;
  lastContactAt: string | null;
  /** Active holds (complaint, dispute, installment, promise) on the room. */
  holds: string[];
}

export interface ArrearsReport {
  communityName: string;
  asOf: string;
  entries: ArrearsEntry[];
}

export interface ReasonRow {
  reason: NonpaymentReason;
  /** NONPAYMENT_REASON_LABELS. */
  reasonText: string;
  /** Recorded contacts (calls, visits, letters, WeChat, front desk) giving this reason. */
  contacts: number;
  /** Distinct rooms among them. */
  rooms: number;
  /** Contacts per channel (call, visit, …). */
  byChannel: Partial<Record<ContactChannel, number>>;
}

export interface ReasonsReport {
  communityName: string;
  from: string;
  to: string;
  /** Contacts recorded with the overdue function's `record`, by reason, most frequent first. */
  reasons: ReasonRow[];
  /**
   * Complaint tickets (`complaints`, kind `complaint`; suggestions excluded) filed in the range,
   * and those from rooms with overdue bills now.
   */
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
