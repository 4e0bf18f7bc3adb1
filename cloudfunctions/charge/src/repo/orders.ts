/**
 * An owner's WeChat Pay order of a deposit, closed at the desk's request: closed at WeChat Pay and
 * its claim on the deposit ended — or, when WeChat Pay says it was paid meanwhile, the deposit is
 * collected from it as its notification would have (the ledger does that once).
 */
import {
  applyDepositWechat,
  releaseDepositHold,
  type DepositOrderDoc,
} from '../../../_shared/ledger';
import type { Database } from '../../../_shared/db';
import { closeAtWechatPay } from '../../../_shared/pay-close';

export async function closeOrCollect(
  db: Database,
  order: DepositOrderDoc,
  now: Date,
): Promise<'closed' | 'paid' | 'too-soon'> {
  const outcome = await closeAtWechatPay(order);
  if (outcome === 'too-soon') return outcome;
  if (outcome !== 'closed') {
    await applyDepositWechat(db, outcome, now);
    return 'paid';
  }
  await releaseDepositHold(db, order.depositId, order._id, 'closed');
  return 'closed';
}
