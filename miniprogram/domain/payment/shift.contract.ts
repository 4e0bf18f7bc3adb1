/**
 * Contracts for the cashier's shift close (交班日结, payment function; docs/payments.md "Shift
 * close"). Spread into `paymentContracts`.
 */
import {
  acrossFields,
  communityId,
  contract,
  docId,
  freeText,
  pageCursor,
  pageLimit,
  z,
} from '../kernel/contract';
import type { PrintedFile } from '../print/file';
import { formatYuan } from '../kernel/money';
import type { ShiftStatus, ShiftView } from './shift';

export const SHIFT_STATUSES = ['open', 'closed', 'confirmed'] as const satisfies ShiftStatus[];

/** Cash counted in the drawer: zero or more, up to ¥1 亿. */
const cashFen = z.int().check(z.minimum(0, '金额不能为负'), z.maximum(100_000_000_00));

export interface ShiftList {
  shifts: ShiftView[];
  nextCursor: string | null;
  total: number;
}

export const shiftContracts = {
  /** Cashier: their open shift in the community (empty totals before the first entry). */
  shiftSummary: contract<ShiftView>()(z.strictObject({ communityId }), { idempotent: true }),
  /**
   * Cashier: close the open shift with the cash counted. `expectedCashFen` is what the page
   * showed; if an entry landed since, the close is refused so the cashier counts again. A
   * difference needs a note. Repeating the same close answers the closed shift.
   */
  closeShift: contract<ShiftView>()(
    z
      .strictObject({
        communityId,
        shiftId: docId,
        declaredCashFen: cashFen,
        expectedCashFen: z.int().check(z.maximum(100_000_000_00)),
        note: z.optional(freeText(200)),
      })
      .check(
        z.superRefine((v, ctx) => {
          if (
            typeof v.declaredCashFen === 'number' &&
            typeof v.expectedCashFen === 'number' &&
            v.declaredCashFen !== v.expectedCashFen &&
            (v.note ?? '').length < 2
          ) {
            const diff = v.declaredCashFen - v.expectedCashFen;
            ctx.addIssue({
              code: 'custom',
              path: ['note'],
              message: `实交与应交相差 ${formatYuan(Math.abs(diff))}，请说明原因（至少 2 个字）`,
              input: v.note,
            });
          }
        }, acrossFields),
      ),
  ),
  /** Finance (not the cashier who closed it): confirm a closed shift was handed over. */
  confirmShift: contract<ShiftView>()(
    z.strictObject({ shiftId: docId, note: z.optional(freeText(200)) }),
  ),
  /** Finance: the community's shifts, newest first (a cashier: their own). */
  shifts: contract<ShiftList>()(
    z.strictObject({
      communityId,
      status: z.optional(z.enum(SHIFT_STATUSES)),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** The shift-close sheet as a PDF (the cashier of the shift or finance). */
  shiftPdf: contract<PrintedFile>()(z.strictObject({ shiftId: docId })),
};
