/**
 * binding: 业主认证. Owners bind rooms by the name and mobile on record (rate-limited, never
 * revealing the record), invite family members and tenants, and withdraw bindings; customer
 * service and admins review, reject with a reason and unbind, and the owner is notified.
 * See docs/community.md.
 */
import { bindingContracts } from '../../../miniprogram/domain/binding/contract';
import { createRouter } from '../../_shared/router';
import { buildings, communities, rooms, scan } from './actions/directory';
import { acceptInvite, invite, members } from './actions/invites';
import { cancel, mine, request } from './actions/request';
import { list, review, unbind } from './actions/review';

export const main = createRouter('binding', bindingContracts, {
  communities,
  buildings,
  rooms,
  scan,
  request,
  mine,
  cancel,
  invite,
  acceptInvite,
  members,
  list,
  review,
  unbind,
});
