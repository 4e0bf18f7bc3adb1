/**
 * owner: what a bound owner sees of their own rooms — the home summary and the bill list.
 * Every query is scoped to rooms bound to the caller's OPENID.
 */
import { ownerContracts } from '../../../miniprogram/domain/owner/contract';
import { createRouter } from '../../_shared/router';
import { bills } from './actions/bills';
import { home } from './actions/home';

export const main = createRouter('owner', ownerContracts, {
  home,
  bills,
});
