/**
 * staff: who may do what, per community. The first admin of a community comes from a one-time
 * bootstrap with the deployment's code (never a hard-coded openid); after that admins invite
 * colleagues (one-time codes), change and revoke roles, and search the append-only audit log.
 * See docs/community.md.
 */
import { staffContracts } from '../../../miniprogram/domain/staff/contract';
import { createRouter } from '../../_shared/router';
import { auditLog } from './actions/audit-log';
import { bootstrap } from './actions/bootstrap';
import { acceptInvite, invite } from './actions/invites';
import { grant, list, revoke } from './actions/members';

export const main = createRouter('staff', staffContracts, {
  bootstrap,
  list,
  invite,
  acceptInvite,
  grant,
  revoke,
  auditLog,
});
