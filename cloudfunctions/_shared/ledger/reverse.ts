/**
 * Reversing part or all of a payment (冲红) with new entries, never editing the original: a red
 * reversal payment with negative allocations (and a negative prepaid entry), taken first from
 * what the payment put into prepaid balance (while the balance still holds it), then from its
 * bills newest first; those bills reopen. Idempotent by the reversal id.
 */
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type { AllocationView } from '../../../miniprogram/domain/payment/contract';
import { isMissing, withConflictRetry, type Database } from '../db';
import { AppError } from '../router';
import { lateFeeViewOf, type LateFeeView } from './as-of';
import { allocate, readBill } from './bills';
import { pendingReceiptNo } from '../../../miniprogram/domain/payment/receipt';
import { isClosedDay, noteCorrection, numberPayment } from './receipts';
import type { PaymentDoc } from './types';
import { inCurrentShift, joinShift, type ShiftRef } from './shift';
import { movePrepaid, readPrepaid } from './prepaid';

export interface ReverseInput {
  reversalId: string;
  paymentId: string;
  amountFen: number;
  at: Date;
  by: string;
  reason: string;
}

export async function reversePayment(db: Database, input: ReverseInput): Promise<PaymentDoc> {
  const original = (await db.collection('payments').doc(input.paymentId).get()).data as PaymentDoc;
  // Bills reopened by the reversal settle their late fee as of today first.
  const view = await lateFeeViewOf(
    db,
    original.allocations.map((a) => a.billId),
  );
  // A reversal of a desk payment joins its cashier's current shift: the original's own while it
  // is open, else the one after, where it is listed as a correction of the closed shift.
  const reversal = original.shiftId
    ? await inCurrentShift(db, original.communityId, original.recordedBy, (shift) =>
        reverseOnce(db, input, original, view, shift),
      )
    : await reverseOnce(db, input, original, view);
  // The red receipt's number (HZ) is given after the commit, like every receipt's.
  return numberPayment(db, reversal);
}

async function reverseOnce(
  db: Database,
  input: ReverseInput,
  original: PaymentDoc,
  view: LateFeeView,
  shift?: ShiftRef,
): Promise<PaymentDoc> {
  return withConflictRetry(
    async () =>
      (await db.runTransaction(async (t) => {
        try {
          const existing = await t.collection('payments').doc(input.reversalId).get();
          if (existing.data) return existing.data as PaymentDoc;
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
        let left = input.amountFen;
        let fromPrepaid = 0;
        if (original.prepaidFen > 0 && original.prepaidRoomId) {
          // the balance with the billing run's pending entries, folded in (`prepaid.ts`)
          const hold = await readPrepaid(t, db, original.communityId, original.prepaidRoomId);
          fromPrepaid = Math.max(0, Math.min(left, original.prepaidFen, hold.balanceFen));
          if (fromPrepaid > 0) {
            const after = await movePrepaid(t, hold, -fromPrepaid, input.at);
            await t.collection('prepaid_entries').add({
              data: {
                _id: `${input.reversalId}:prepaid`,
                communityId: original.communityId,
                roomId: original.prepaidRoomId,
                amountFen: -fromPrepaid,
                balanceAfterFen: after,
                reason: `退款冲红：${input.reason}`,
                paymentId: input.reversalId,
                at: input.at,
              },
            });
            left -= fromPrepaid;
          }
        }
        const allocations: AllocationView[] = [];
        for (const a of [...original.allocations].reverse()) {
          if (left <= 0) break;
          const bill = await readBill(t, a.billId, view);
          const take = Math.min(left, a.amountFen, bill.paidFen);
          if (take <= 0) continue;
          await allocate(t, bill, -take);
          allocations.push({ ...a, amountFen: -take });
          left -= take;
        }
        if (left > 0) {
          throw new AppError(
            'CONFLICT',
            '该笔收款已转入预存的部分已被使用，无法全部冲红，请减少退款金额或先调整预存',
          );
        }
        const number = pendingReceiptNo(input.reversalId);
        // A reversal of money from a closed day is itself dated today, but it changes what that
        // day's entries mean: list it on the day's record with its reason.
        const originalDate = shanghaiDate(new Date(original.paidAt));
        const closedDay = await isClosedDay(t, original.communityId, originalDate);
        if (closedDay) {
          await noteCorrection(t, original.communityId, originalDate, {
            at: input.at,
            kind: 'reversal',
            paymentId: input.reversalId,
            receiptNo: number,
            amountFen: -input.amountFen,
            reason: input.reason,
            by: input.by,
          });
        }
        const reversal: PaymentDoc = {
          _id: input.reversalId,
          communityId: original.communityId,
          roomIds: original.roomIds,
          channel: original.channel,
          amountFen: -input.amountFen,
          allocations,
          prepaidFen: -fromPrepaid,
          ...(fromPrepaid > 0 && original.prepaidRoomId
            ? { prepaidRoomId: original.prepaidRoomId }
            : {}),
          receiptNo: number,
          receiptPending: true,
          paidAt: input.at,
          recordedBy: input.by,
          reverses: original._id,
          note: input.reason,
          ...(closedDay
            ? { closedDayCorrection: { date: originalDate, reason: input.reason } }
            : {}),
          ...(shift ? { shiftId: shift.id } : {}),
          ...(shift && shift.id !== original.shiftId
            ? { shiftCorrectionOf: original.shiftId }
            : {}),
        };
        if (shift) await joinShift(t, shift, input.at);
        await t.collection('payments').add({ data: reversal });
        return reversal;
      }, 1)) as PaymentDoc,
  );
}
