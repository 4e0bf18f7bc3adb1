/**
 * Prepaid and opening balances in the fee function: a prepaid balance pays new bills with a
 * ledger entry, and opening arrears become one bill per room, idempotently.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_PREPAID_ROOM } from '../../tools/seed/fees';
import { useTestCloud } from '../helpers/cloud';
import { feeTools } from '../helpers/fee';
import { ledgerViolations, prepaidWhole } from '../helpers/ledger';
import { addMonths } from '../../miniprogram/domain/fee';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  BillDetailView,
  BillingRunView,
  OpeningImportResult,
} from '../../miniprogram/domain/fee/contract';

const C = DEMO_COMMUNITY_ID;
const cloud = useTestCloud({ seed: 'demo' });
const { fee, feeRaw, nextQuarter, billsOf, previewDone } = feeTools(cloud);

/** An opening prepaid balance (期初预存) for one room. */
function importPrepaid(roomId: string, amountFen: number): Promise<unknown> {
  return fee({
    action: 'importOpening',
    communityId: C,
    kind: 'prepaid',
    rows: [{ roomId, amountFen }],
  });
}

/** Cash at the desk for a room (with `billIds`, for those bills; without, anything not owed goes to prepaid). */
function cashAtDesk(
  roomId: string,
  amountFen: number,
  idempotencyKey: string,
  billIds?: string[],
): Promise<Reply<{ paymentId: string; prepaidFen: number }>> {
  return cloud.call(
    'payment',
    {
      action: 'recordOffline',
      roomId,
      channel: 'cash',
      amountFen,
      ...(billIds ? { billIds } : {}),
      idempotencyKey,
    },
    DEMO_USERS.cashier,
  ) as Promise<Reply<{ paymentId: string; prepaidFen: number }>>;
}

describe('prepaid and opening balances', () => {
  test('a prepaid balance pays new bills automatically, with a ledger entry', async () => {
    const period = nextQuarter();
    const imported = await fee<OpeningImportResult>({
      action: 'importOpening',
      communityId: C,
      kind: 'prepaid',
      rows: [{ building: '1', unit: '1', number: '101', amountFen: 500_000, note: '旧系统余额' }],
    });
    expect(imported).toMatchObject({
      created: 1,
      unchanged: 0,
      results: [{ roomId: 'r_1_1_101', roomLabel: '1栋1单元101' }],
    });
    // Importing the same file again writes nothing; another amount for the room is refused.
    expect(
      await fee<OpeningImportResult>({
        action: 'importOpening',
        communityId: C,
        kind: 'prepaid',
        rows: [{ roomId: 'r_1_1_101', amountFen: 500_000 }],
      }),
    ).toMatchObject({ created: 0, unchanged: 1 });
    expect(
      await feeRaw({
        action: 'importOpening',
        communityId: C,
        kind: 'prepaid',
        rows: [{ roomId: 'r_1_1_101', amountFen: 1 }],
      }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(cloud.store.find('prepaid_accounts', { _id: 'r_1_1_101' })[0]!.balanceFen).toBe(500_000);

    await previewDone(period);
    const run = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    const full = billsOf(period).find((b) => b.roomId === 'r_1_1_101')!;
    expect(run.summary!.prepaidAppliedFen).toBe(30_000 + (full.amountDueFen as number));
    expect(full).toMatchObject({
      status: 'paid',
      paidFen: full.amountDueFen,
      prepaidAppliedFen: full.amountDueFen,
    });
    // The run wrote the entry, pending; the account's stored balance waits for the next
    // transaction on the room's prepaid money (ledger/prepaid.ts). The balance is the same.
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({
      stored: 500_000,
      whole: 500_000 - (full.amountDueFen as number),
    });
    const desk = (await cloud.call(
      'payment',
      { action: 'roomBills', roomId: 'r_1_1_101' },
      DEMO_USERS.cashier,
    )) as Reply<{ prepaidFen: number }>;
    expect(desk.ok && desk.data.prepaidFen).toBe(500_000 - (full.amountDueFen as number));
    const partial = billsOf(period).find((b) => b.roomId === DEMO_PREPAID_ROOM)!;
    expect(partial).toMatchObject({ status: 'partial', paidFen: 30_000 });
    const entry = cloud.store.find('prepaid_entries', { _id: `pa_${partial._id as string}` })[0]!;
    expect(entry).toMatchObject({
      roomId: DEMO_PREPAID_ROOM,
      amountFen: -30_000,
      balanceAfterFen: 0,
      billId: partial._id,
    });
    expect(ledgerViolations(cloud)).toEqual([]);

    // The owner sees it explained; the cashier then takes the rest at the desk.
    const binding = {
      _id: `${DEMO_PREPAID_ROOM}:o_x`,
      roomId: DEMO_PREPAID_ROOM,
      openid: 'o_x',
      communityId: C,
      relation: 'owner',
      status: 'verified',
    };
    cloud.store.insert('room_bindings', [binding]);
    const detail = await fee<BillDetailView>({ action: 'billDetail', billId: partial._id }, 'o_x');
    expect(detail).toMatchObject({
      prepaidAppliedFen: 30_000,
      paidFen: 30_000,
      outstandingFen: (partial.amountDueFen as number) - 30_000,
    });
    const paid = await cashAtDesk(
      DEMO_PREPAID_ROOM,
      (partial.amountDueFen as number) - 30_000,
      'fee-test-0001',
      [partial._id as string],
    );
    expect(paid.ok).toBe(true);
    expect(cloud.store.find('bills', { _id: partial._id })[0]).toMatchObject({ status: 'paid' });
    const after = await fee<BillDetailView>({ action: 'billDetail', billId: partial._id }, 'o_x');
    expect(after.payments).toHaveLength(1);
    expect(after.outstandingFen).toBe(0);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('money put into prepaid at the desk folds the run’s pending entries into the balance', async () => {
    const period = nextQuarter();
    await importPrepaid('r_1_1_101', 500_000);
    await previewDone(period);
    await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    const due = billsOf(period).find((b) => b.roomId === 'r_1_1_101')!.amountDueFen as number;
    expect(cloud.store.count('prepaid_entries', { roomId: 'r_1_1_101', pending: true })).toBe(1);
    // The room owes nothing now: ¥100 in cash at the desk is prepaid money.
    const paid = await cashAtDesk('r_1_1_101', 10_000, 'fee-test-fold-01');
    expect(paid.ok).toBe(true);
    const whole = 500_000 - due + 10_000;
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({ stored: whole, whole });
    expect(cloud.store.count('prepaid_entries', { roomId: 'r_1_1_101', pending: true })).toBe(0);
    const credit = cloud.store.find('prepaid_entries', {
      roomId: 'r_1_1_101',
      paymentId: { $exists: true },
    });
    expect(credit).toMatchObject([{ amountFen: 10_000, balanceAfterFen: whole }]);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('a refund of prepaid money takes it back from the whole balance and folds the run’s entries', async () => {
    const period = nextQuarter();
    await importPrepaid('r_1_1_101', 500_000);
    // ¥100 put into prepaid at the desk before the run (nothing owed: all of it is prepaid)...
    const owed = cloud.store
      .find('bills', { roomId: 'r_1_1_101' })
      .filter((b) => b.status !== 'paid' && b.status !== 'void');
    expect(owed).toEqual([]);
    const topUp = await cashAtDesk('r_1_1_101', 10_000, 'fee-test-refund-01');
    expect(topUp.ok && topUp.data.prepaidFen).toBe(10_000);
    // ...then the run pays the quarter from the balance (a pending entry)...
    await previewDone(period);
    await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    const due = billsOf(period).find((b) => b.roomId === 'r_1_1_101')!.amountDueFen as number;
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({
      stored: 510_000,
      whole: 510_000 - due,
    });
    // ...and the ¥100 is refunded: taken from the balance as it is now, the entry folded in.
    const refund = (await cloud.call(
      'payment',
      {
        action: 'requestRefund',
        paymentId: topUp.ok ? topUp.data.paymentId : '',
        amountFen: 10_000,
        reason: '业主要求退回预存',
      },
      DEMO_USERS.finance,
    )) as Reply<{ status: string }>;
    expect(refund.ok && refund.data.status).toBe('done');
    const whole = 500_000 - due;
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({ stored: whole, whole });
    expect(
      cloud.store.find('prepaid_entries', { roomId: 'r_1_1_101', amountFen: -10_000 }),
    ).toMatchObject([{ balanceAfterFen: whole }]);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('an opening balance imported after a run says the balance after it, pending entries included', async () => {
    const period = nextQuarter();
    // ¥100 at the desk opens the room's account; the run then spends it (a pending entry)
    const topUp = await cashAtDesk('r_1_1_101', 10_000, 'fee-test-late-op1');
    expect(topUp.ok).toBe(true);
    await previewDone(period);
    await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({ stored: 10_000, whole: 0 });
    await importPrepaid('r_1_1_101', 500_000);
    expect(cloud.store.find('prepaid_entries', { _id: 'op_r_1_1_101' })).toMatchObject([
      { amountFen: 500_000, balanceAfterFen: 500_000 },
    ]);
    expect(prepaidWhole(cloud, 'r_1_1_101')).toEqual({ stored: 510_000, whole: 500_000 });
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('opening arrears become one bill per room, idempotently', async () => {
    const period = addMonths(nextQuarter(), -1);
    const event = {
      action: 'importOpening',
      communityId: C,
      kind: 'arrears',
      period,
      rows: [
        { roomId: 'r_4_1_1001', amountFen: 123_456, note: '2019–2020 年物业费' },
        { building: '4', unit: '1', number: '1002', amountFen: 50_000 },
      ],
    };
    const first = await fee<OpeningImportResult>(event);
    expect(first).toMatchObject({ kind: 'arrears', created: 2, totalFen: 173_456 });
    const again = await fee<OpeningImportResult>(event);
    expect(again).toMatchObject({ created: 0, unchanged: 2 });
    const bills = cloud.store.find('bills', { key: 'opening' });
    expect(bills).toHaveLength(2);
    expect(bills.find((b) => b.roomId === 'r_4_1_1001')).toMatchObject({
      _id: `b_r_4_1_1001_${period}_opening`,
      amountDueFen: 123_456,
      status: 'unpaid',
      title: '期初欠费（系统启用前）',
    });
    // The next run does not mistake it for the property fee.
    const run = await previewDone(nextQuarter());
    expect(run.preview!.bills).toBe(288);
  });
});
