/**
 * Contracts of the `report` function (admin, finance): collection rate, arrears aging, the
 * largest arrears, non-payment reasons, and .xlsx export. See docs/reports.md.
 */
import { type AgingBucket } from '../ledger/aging';
import type { KindRow } from './kinds';
import type { ContactChannel, NonpaymentReason } from '../overdue/vocabulary';
import type { StageKey } from '../overdue/rules';
import { communityId, contract, date, period, z } from '../kernel/contract';

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
  /** The period's bills split by what they charge: rooms, parking spaces by kind, storerooms. */
  byKind: KindRow[];
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
    z.strictObject({ communityId, period: z.optional(period) }),
    { idempotent: true },
  ),
  aging: contract<AgingReport>()(z.strictObject({ communityId, asOf: z.optional(date) }), {
    idempotent: true,
  }),
  arrears: contract<ArrearsReport>()(
    z.strictObject({
      communityId,
      asOf: z.optional(date),
      limit: z.optional(z.int().check(z.minimum(1), z.maximum(200))),
    }),
    { idempotent: true },
  ),
  reasons: contract<ReasonsReport>()(
    z.strictObject({ communityId, from: z.optional(date), to: z.optional(date) }),
    { idempotent: true },
  ),
  /** Writes the report as .xlsx to cloud storage; returns a temporary (half-hour) download link. */
  export: contract<{ tempFileURL: string; fileName: string }>()(
    z.strictObject({
      communityId,
      report: z.enum(REPORT_KINDS),
      period: z.optional(period),
      asOf: z.optional(date),
      from: z.optional(date),
      to: z.optional(date),
    }),
  ),
};
