/**
 * Owners' own meter readings (自助抄表), spread into `feeContracts`: the meters of the caller's
 * verified rooms with this month's window, reporting a reading with a photo, and staff accepting
 * or correcting what an owner reported. See docs/billing.md.
 */
import { communityId, contract, docId, fileId, text, z } from '../kernel/contract';
import { feeItemId, quantityText } from './fields.contract';
import type { MeterReadingView, ReadingStatus } from './readings.contract';
import type { ReportBlock } from './owner-reading';

export interface OwnerMeterView {
  roomId: string;
  roomLabel: string;
  itemId: string;
  name: string;
  /** m³, kWh … */
  unit: string;
  /** The usage month reported now, and the days owners may report it. */
  period: string;
  windowFrom: string;
  windowTo: string;
  open: boolean;
  /** The last reading staff accepted before this month (what the new one is compared with). */
  previous: string | null;
  previousPeriod: string | null;
  /** This month's reading, by whoever made it. */
  reading: {
    current: string;
    status: ReadingStatus;
    byOwner: boolean;
    submittedAt: string | null;
  } | null;
  /** Why the owner cannot report now; null: they can. */
  blocked: ReportBlock | null;
}

export const ownerReadingContracts = {
  /**
   * Owner: the meters of their verified rooms (or of one), each with this month's window, the
   * last accepted reading and this month's. Owner readings off in the community: no meters.
   */
  myMeters: contract<{ meters: OwnerMeterView[] }>()(
    z.strictObject({ roomId: z.optional(docId) }),
    { idempotent: true },
  ),
  /**
   * Owner of a verified room: report this month's reading of one of its meters, with a photo
   * they uploaded under `readings/<their openid>/`, inside the window. Replaces their own report
   * until staff review it; refused once staff have read the meter.
   */
  submitReading: contract<OwnerMeterView>()(
    z.strictObject({
      roomId: docId,
      itemId: feeItemId,
      current: quantityText,
      photo: fileId,
    }),
  ),
  /**
   * Finance, admin, service: accept an owner's reading as reported, or correct it (the reading
   * read off the photo, and why). The anomaly rules apply as to any reading: a lower reading or
   * a spike is flagged for finance to confirm. Audited.
   */
  reviewOwnerReading: contract<{ reading: MeterReadingView; message: string | null }>()(
    z
      .strictObject({
        communityId,
        readingId: docId,
        decision: z.enum(['accept', 'correct']),
        current: z.optional(quantityText),
        note: z.optional(text(100, 2, '请填写更正原因（至少 2 个字），会记入操作日志')),
      })
      .check(
        z.superRefine((v, ctx) => {
          if (v.decision !== 'correct') return;
          if (v.current === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['current'],
              message: '请填写更正后的读数',
              input: v.current,
            });
          }
          if (v.note === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['note'],
              message: '请填写更正原因（至少 2 个字），会记入操作日志',
              input: v.note,
            });
          }
        }),
      ),
  ),
};
