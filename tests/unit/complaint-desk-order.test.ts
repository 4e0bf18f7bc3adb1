/**
 * The desk order stored on each ticket: the database's range conditions on it (near while
 * `nearAt ≤ now ≤ deadlineAt`, breached once `deadlineAt < now`) give the same answer as
 * `deadlineState` at any instant, and finished tickets rank after open ones with no deadline.
 */
import fc from 'fast-check';
import { currentDue, deskOrder } from '../../miniprogram/domain/complaint/desk-order';
import {
  OPEN_STATUSES,
  TICKET_STATUSES,
  deadlineState,
} from '../../miniprogram/domain/complaint/rules';

const sh = (local: string) => new Date(`${local}+08:00`);
const MINUTE = 60_000;

test('a ticket not yet answered in this episode is due its first response, then its resolution', () => {
  const base = {
    status: 'registered' as const,
    clockStartAt: sh('2030-03-04T10:00:00'),
    firstResponseDueAt: sh('2030-03-04T12:00:00'),
    resolutionDueAt: sh('2030-03-07T10:00:00'),
  };
  expect(deskOrder({ ...base, firstResponseAt: null })).toEqual({
    deskRank: 0,
    deadlineAt: sh('2030-03-04T12:00:00'),
    // a fifth of the two hours allowed (24 minutes) is less than the 30-minute floor
    nearAt: sh('2030-03-04T11:30:00'),
  });
  const answered = deskOrder({ ...base, firstResponseAt: sh('2030-03-04T10:30:00') });
  expect(answered.deadlineAt).toEqual(sh('2030-03-07T10:00:00'));
  // three days allowed: near for the last fifth (14 h 24 min)
  expect(answered.nearAt).toEqual(new Date(sh('2030-03-07T10:00:00').getTime() - 864 * MINUTE));
  // a reopened ticket's earlier answer does not count for the new episode
  const reopened = deskOrder({
    ...base,
    clockStartAt: sh('2030-03-04T11:00:00'),
    firstResponseAt: sh('2030-03-04T10:30:00'),
  });
  expect(reopened.deadlineAt).toEqual(sh('2030-03-04T12:00:00'));
  for (const status of ['resolved', 'closed'] as const)
    expect(deskOrder({ ...base, status, firstResponseAt: null })).toEqual({
      deskRank: 1,
      deadlineAt: null,
      nearAt: null,
    });
});

test('the range conditions on the stored order agree with deadlineState at every instant', () => {
  const t0 = sh('2030-03-04T09:00:00').getTime();
  fc.assert(
    fc.property(
      fc.constantFrom(...TICKET_STATUSES),
      fc.integer({ min: 0, max: 10 * 24 * 60 }), // minutes from the clock start to the first response
      fc.boolean(), // answered at all
      fc.integer({ min: 1, max: 5 * 24 * 60 }), // first response allowed (minutes)
      fc.integer({ min: 1, max: 20 * 24 * 60 }), // resolution allowed (minutes)
      fc.integer({ min: -2 * 24 * 60, max: 30 * 24 * 60 }), // now, minutes from the clock start
      (status, answerAfter, answered, firstAllowed, resolutionAllowed, nowAfter) => {
        const t = {
          status,
          clockStartAt: new Date(t0),
          firstResponseAt: answered ? new Date(t0 + answerAfter * MINUTE) : null,
          firstResponseDueAt: new Date(t0 + firstAllowed * MINUTE),
          resolutionDueAt: new Date(t0 + resolutionAllowed * MINUTE),
        };
        const now = new Date(t0 + nowAfter * MINUTE);
        const o = deskOrder(t);
        const due = currentDue(t);
        expect(o.deskRank === 0).toBe(OPEN_STATUSES.includes(status));
        if (!due) return;
        const expected = deadlineState(due.startAt, due.dueAt, null, now);
        const near = o.nearAt! <= now && o.deadlineAt! >= now;
        const breached = o.deadlineAt! < now;
        expect(near ? 'near' : breached ? 'breached' : 'ok').toBe(expected);
      },
    ),
  );
});
