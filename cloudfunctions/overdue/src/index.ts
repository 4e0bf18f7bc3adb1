/**
 * overdue: graduated follow-up of overdue accounts (先礼后兵、分级递进、人文关怀). The daily timer
 * (`actions/daily-run.ts`) marks overdue bills, accrues late fees (through the ledger) and
 * advances accounts through the escalation stages; staff work the cases here — calls and visits
 * with the reason for non-payment, promises to pay (a 'promise' hold), the contact list, 催缴函
 * letters and their delivery, installment plans (service proposes, admin approves, the owner
 * accepts: an 'installment' hold), and late-fee waivers by finance. Every staff action checks the
 * role in the community and is audited. docs/overdue.md.
 */
import cloud from 'wx-server-sdk';
import { overdueContracts } from '../../../miniprogram/domain/overdue/contract';
import { createRouter } from '../../_shared/router';
import { caseDetail, cases } from './actions/cases';
import { runDaily } from './actions/daily-run';
import { letter, letterDelivered, letterPdf } from './actions/letters';
import { acceptPlan, decidePlan, myPlans, proposePlan } from './actions/plans';
import { policy, setPolicy } from './actions/policy';
import { record } from './actions/record';
import { assign, tasks } from './actions/tasks';
import { waive } from './actions/waive';

const router = createRouter('overdue', overdueContracts, {
  policy,
  setPolicy,
  cases,
  case: caseDetail,
  record,
  tasks,
  assign,
  letter,
  letterPdf,
  letterDelivered,
  proposePlan,
  decidePlan,
  myPlans,
  acceptPlan,
  waive,
});

/** Timer deliveries run the day's work; everything else goes through the action router. */
export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger') return runDaily();
  return router(event, context);
}
