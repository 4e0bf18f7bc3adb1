/**
 * The owner's bills, unpaid (by due date) and paid (newest period first), of all their rooms or
 * one, with the caller's rooms for the page's filter: two database requests (the bindings with
 * their rooms, the late-fee rules and holds joined, then the bills), so the bills page needs no
 * `owner.home` call; late fees are as of today, as the owner would be charged them.
 */
import { type ownerContracts } from '../../../../miniprogram/domain/owner/contract';
import type { Handlers } from '../../../_shared/router';
import { billsOf, myRooms } from '../repo/my-rooms';

export const bills: Handlers<typeof ownerContracts>['bills'] = async (input, ctx) => {
  const mine = await myRooms(ctx);
  const { rooms } = mine;
  const labels = new Map(rooms.map((r) => [r.roomId, r.label]));
  let roomIds = rooms.map((r) => r.roomId);
  if (input.roomId !== undefined) {
    // Only the caller's own rooms: another room id yields nothing, never someone else's bills.
    roomIds = roomIds.filter((id) => id === input.roomId);
  }
  const bills = await billsOf(ctx, mine, roomIds, labels);
  const unpaid = bills
    .filter((b) => b.outstandingFen > 0)
    .sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
    );
  const paid = bills
    .filter((b) => b.outstandingFen === 0)
    .sort(
      (a, b) => b.period.localeCompare(a.period) || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
    );
  return { unpaid, paid, rooms };
};
