/**
 * The timer: close pending orders past their expiry (closeOrder), releasing their bills; and give
 * a receipt number to any payment or deposit entry an instance left without one (it died between
 * the commit and its number).
 */
import cloud from 'wx-server-sdk';
import { fetchAll } from '../../../_shared/db';
import {
  numberPendingDepositEntries,
  numberPendingPayments,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { closeOrApply } from '../repo/orders';

/** The timer: close pending orders past their expiry (closeOrder), releasing their bills. */
export async function closeExpired(): Promise<{
  closed: number;
  paid: number;
  waiting: number;
  numbered: number;
}> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const _ = db.command;
  const now = new Date();
  const stale = await fetchAll<PayOrderDoc>(
    db
      .collection('pay_orders')
      .where({ status: _.in(['pending', 'creating']), expireAt: _.lt(now) }),
  );
  const tally = {
    closed: 0,
    paid: 0,
    waiting: 0,
    numbered: (await numberPendingPayments(db)) + (await numberPendingDepositEntries(db)),
  };
  for (const order of stale) {
    const outcome = await closeOrApply(db, order, now);
    if (outcome === 'closed') tally.closed++;
    else if (outcome === 'paid') tally.paid++;
    else tally.waiting++;
  }
  return tally;
}
