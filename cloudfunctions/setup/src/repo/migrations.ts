/**
 * Versioned data migrations, run in order by `setup.run` and recorded in `app_config`
 * (`migration:<version>`), never by hand. Each must be idempotent: a run interrupted half-way is
 * simply run again.
 */
import type { DB } from 'wx-server-sdk';
import { isDuplicate } from '../../../_shared/db';
import { receiptClaimId, type ReceiptKind } from '../../../../miniprogram/domain/payment/receipt';

export interface Migration {
  version: number;
  name: string;
  up: (db: DB.Database, now: Date) => Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'receipt counters carry their community and year',
    async up(db) {
      const _ = db.command;
      const res = await db
        .collection('counters')
        .where({ year: _.exists(false) })
        .limit(1000)
        .get();
      for (const c of res.data as { _id: string }[]) {
        const [, communityId, year] = c._id.split(':');
        if (communityId && year) {
          await db
            .collection('counters')
            .doc(c._id)
            .update({ data: { communityId, year: Number(year) } });
        }
      }
    },
  },
  {
    version: 2,
    name: 'receipt numbers continue from the old counters (one claim at each sequence’s last number)',
    async up(db) {
      // Receipt numbers were taken from `counters/receipt[-HZ]:<community>:<year>` inside the
      // payment's transaction; now each number is a `receipt_numbers` claim and the next one is
      // the highest claim + 1. One claim at the last number each counter gave is all the
      // numbering needs to go on from there (the payments keep their numbers).
      const _ = db.command;
      const res = await db
        .collection('counters')
        .where({ _id: db.RegExp({ regexp: '^receipt' }), next: _.gt(1) })
        .limit(1000)
        .get();
      for (const c of res.data as { _id: string; next: number }[]) {
        const [head, communityId, year] = c._id.split(':');
        if (!communityId || !year) continue;
        const kind: ReceiptKind = head === 'receipt-HZ' ? 'HZ' : 'SJ';
        const seq = c.next - 1;
        try {
          await db.collection('receipt_numbers').add({
            data: {
              _id: receiptClaimId(communityId, Number(year), seq, kind),
              communityId,
              kind,
              year: Number(year),
              seq,
              paymentId: `legacy:${c._id}`,
              at: new Date(),
            },
          });
        } catch (e) {
          if (!isDuplicate(e)) throw e;
        }
      }
    },
  },
];
