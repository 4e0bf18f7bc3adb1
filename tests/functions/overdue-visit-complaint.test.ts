/**
 * A visit or call where the owner says they are dissatisfied with the service, linked to their
 * open complaint ticket: collection on the room pauses (a `complaint` hold) until the complaint
 * desk resolves the ticket, which releases it. A ticket of another room, or one already
 * resolved, is refused and nothing is recorded.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { useTestCloud } from '../helpers/cloud';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const C = DEMO_COMMUNITY_ID;
interface Ticket {
  _id: string;
  roomId: string;
  status: string;
  holdRefId: string | null;
}

const record = (roomId: string, complaintId: string) =>
  cloud.call(
    'overdue',
    {
      action: 'record',
      communityId: C,
      roomId,
      channel: 'visit',
      reason: 'service',
      notes: '业主反映楼道保洁不到位，暂不缴费',
      nextStep: '跟进投诉处理结果',
      complaintId,
    },
    DEMO_USERS.service,
  ) as Promise<Reply<unknown>>;

test('dissatisfied with service + an open ticket: the room is held until the ticket is resolved', async () => {
  const open = (cloud.store.find('complaints', { communityId: C }) as unknown as Ticket[]).find(
    (t) => ['registered', 'accepted', 'in-progress'].includes(t.status) && t.holdRefId === null,
  );
  expect(open).toBeDefined();
  const t = open!;
  const events = cloud.store.count('collection_events', { roomId: t.roomId });

  // Another room's ticket is refused; nothing is written.
  const other = cloud.store.find('rooms', { communityId: C, _id: { $ne: t.roomId } })[0]!;
  expect(await record(String(other._id), t._id)).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
  expect(cloud.store.count('collection_events', { roomId: t.roomId })).toBe(events);

  expect(await record(t.roomId, t._id)).toMatchObject({ ok: true });
  const hold = cloud.store.find('bill_holds', { reason: 'complaint', refId: t._id })[0]!;
  expect(hold).toMatchObject({ roomId: t.roomId, active: true, to: null });
  expect(cloud.store.find('complaints', { _id: t._id })[0]).toMatchObject({ holdRefId: t._id });

  // The desk resolves the ticket: the hold ends today and stays as history.
  const order = ['registered', 'accepted', 'in-progress', 'resolved'] as const;
  const from = order.indexOf(t.status as (typeof order)[number]);
  for (const status of order.slice(from + 1)) {
    const r = (await cloud.call(
      'complaint',
      {
        action: 'setStatus',
        communityId: C,
        ticketId: t._id,
        status,
        note: status === 'resolved' ? '已加强楼道保洁并回复业主' : '',
      },
      DEMO_USERS.admin,
    )) as Reply<unknown>;
    expect(r).toMatchObject({ ok: true });
  }
  const after = cloud.store.find('bill_holds', { _id: hold._id })[0]!;
  expect(after).toMatchObject({ active: false });
  expect(typeof after.to).toBe('string');

  // A resolved ticket cannot be linked again.
  expect(await record(t.roomId, t._id)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
});
