/**
 * report: collection rate per period and building (household and amount rate, current period
 * and 清欠 by channel), arrears aging, the largest arrears, non-payment reasons, and .xlsx export
 * of each. Database aggregation only: a report costs a fixed number of round trips at any size.
 * Roles: finance (admin implied). See docs/reports.md.
 */
import { reportContracts } from '../../../miniprogram/domain/report/contract';
import { createRouter } from '../../_shared/router';
import { agingReport } from './actions/aging';
import { arrearsReport } from './actions/arrears';
import { collectionReport } from './actions/collection';
import { exportReport } from './actions/export';
import { reasonsReport } from './actions/reasons';

export const main = createRouter('report', reportContracts, {
  collection: collectionReport,
  aging: agingReport,
  arrears: arrearsReport,
  reasons: reasonsReport,
  export: exportReport,
});
