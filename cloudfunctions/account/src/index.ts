/**
 * account: who the caller is and what they may do. Identity is the OPENID from
 * `cloud.getWXContext()`; roles come from the `staff_roles` collection, granted per community.
 */
import { accountContracts } from '../../../miniprogram/domain/account/contract';
import { createRouter } from '../../_shared/router';
import { whoami } from './actions/whoami';

export const main = createRouter('account', accountContracts, {
  whoami,
});
