/**
 * Prepaid balances with the billing run's pending entries (cloudfunctions/_shared/ledger/
 * prepaid.ts), through the real wx-server-sdk against the local cloud: a transaction folds the
 * entries its snapshot holds and leaves one a run inserts after it pending, so the whole balance
 * is never counted twice or missed; balances are read per community even where room ids of
 * several communities interleave.
 */
import { ensureSchema, sdkFor, useTestCloud } from '../helpers/cloud';
import { ledgerViolations, prepaidWhole } from '../helpers/ledger';
import {
  movePrepaid,
  prepaidBalances,
  readPrepaid,
} from '../../cloudfunctions/_shared/ledger/prepaid';
import type { Database } from '../../cloudfunctions/_shared/db';

const cloud = useTestCloud();
const C = 'c_pp';
const ROOM = 'r_pp_1';

function entry(id: string, roomId: string, amountFen: number, more: Record<string, unknown> = {}) {
  return {
    _id: id,
    communityId: C,
    roomId,
    amountFen,
    balanceAfterFen: 0,
    reason: 'test',
    at: new Date('2026-12-01T00:00:00Z'),
    ...more,
  };
}

function seed(): Database {
  ensureSchema(cloud.store);
  cloud.store.insert('prepaid_accounts', [{ _id: ROOM, communityId: C, balanceFen: 30_000 }]);
  cloud.store.insert('prepaid_entries', [
    entry('op_1', ROOM, 30_000),
    entry('pa_1', ROOM, -10_000, { pending: true, runId: 'run1' }),
  ]);
  return sdkFor(cloud).database() as unknown as Database;
}

test('a transaction folds the pending entries of its snapshot; one inserted after it stays pending', async () => {
  const db = seed();
  const after = await db.runTransaction(async (t) => {
    // The transaction's snapshot is taken; then a billing run inserts another pending entry.
    await t.collection('prepaid_accounts').doc(ROOM).get();
    cloud.store.insert('prepaid_entries', [
      entry('pa_2', ROOM, -5_000, { pending: true, runId: 'run2' }),
    ]);
    const hold = await readPrepaid(t, db, C, ROOM);
    // the query found pa_2, the snapshot does not hold it: only pa_1 is folded
    expect(hold).toMatchObject({ exists: true, balanceFen: 20_000, folding: ['pa_1'] });
    return movePrepaid(t, hold, 1_000, new Date('2026-12-02T00:00:00Z'));
  });
  expect(after).toBe(21_000);
  expect(cloud.store.find('prepaid_entries', { pending: true }).map((e) => e._id)).toEqual([
    'pa_2',
  ]);
  // stored 21,000 (pa_1 folded, +1,000), pa_2 still beside it
  expect(prepaidWhole(cloud, ROOM)).toEqual({ stored: 21_000, whole: 16_000 });
  cloud.store.insert('prepaid_entries', [entry('in_1', ROOM, 1_000)]);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('balances are read per community although room ids of several communities interleave', async () => {
  const db = seed();
  // another community's room inside the range, with a pending entry of its own
  cloud.store.insert('prepaid_accounts', [
    { _id: 'r_pp_0x', communityId: 'c_other', balanceFen: 9 },
  ]);
  cloud.store.insert('prepaid_entries', [
    entry('pa_x', 'r_pp_0x', -9, { communityId: 'c_other', pending: true }),
  ]);
  const { balances, entries } = await prepaidBalances(
    db,
    { communityId: C, from: 'r_pp_0', to: 'r_pp_9' },
    { runId: 'run1' },
  );
  expect([...balances]).toEqual([[ROOM, 20_000]]);
  expect(entries.map((e) => e._id).sort()).toEqual(['pa_1']);
});
