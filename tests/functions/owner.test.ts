/** owner.home and owner.bills: amounts match the database, and only the caller's own rooms. */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import { setDemoLateFee } from '../helpers/fee';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { OwnerBills, OwnerHome } from '../../miniprogram/domain/owner/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

function outstandingInDb(openid: string): number {
  const roomIds = cloud.store
    .find('room_bindings', { openid, status: 'verified' })
    .map((b) => b.roomId as string);
  return cloud.store
    .find('bills', { roomId: { $in: roomIds }, status: { $ne: 'void' } })
    .reduce(
      (sum, b) =>
        sum +
        Math.max(0, (b.amountDueFen as number) + (b.lateFeeFen as number) - (b.paidFen as number)),
      0,
    );
}

test('home shows the amount due now as the database has it, with the next due date', async () => {
  const res = (await cloud.call('owner', { action: 'home' }, DEMO_USERS.owner)) as Reply<OwnerHome>;
  if (!res.ok) throw new Error(res.message);
  expect(res.data.rooms.map((r) => r.label)).toEqual(['1栋1单元1501', '2栋1单元302']);
  expect(res.data.dueNowFen).toBe(outstandingInDb(DEMO_USERS.owner));
  expect(res.data.dueNowFen).toBeGreaterThan(0);
  // every bill of the demo owner is past its due date: none is "next", they are 已逾期
  expect(res.data.overdueCount).toBeGreaterThan(0);
  expect(res.data.overdueFen).toBe(res.data.dueNowFen);
  expect(res.data.nextDueDate).toBeNull();
  expect(res.data.billCount).toBe(
    cloud.store.count('bills', { roomId: { $in: ['r_1_1_1501', 'r_2_1_302'] } }),
  );
  expect(res.data.notices.length).toBeGreaterThan(0);
  expect(res.data.contacts[0]).toMatchObject({
    name: '翠湖花园',
    servicePhone: expect.any(String),
  });
});

test('a bill issued ahead of its due date is the next due date; the overdue ones stay 已逾期', async () => {
  const before = (await cloud.call(
    'owner',
    { action: 'home' },
    DEMO_USERS.owner,
  )) as Reply<OwnerHome>;
  if (!before.ok) throw new Error(before.message);
  cloud.store.insert('bills', [
    {
      _id: 'b_r_1_1_1501_2026-12_next',
      communityId: 'c_cuihu',
      roomId: 'r_1_1_1501',
      period: '2026-12',
      key: 'next',
      title: '物业服务费（季度）',
      items: [
        {
          itemId: 'property',
          name: '物业服务费',
          basis: '…',
          amountFen: 96_500,
          from: '2026-12-01',
          to: '2027-02-28',
        },
      ],
      amountDueFen: 96_500,
      lateFeeFen: 0,
      paidFen: 0,
      dueDate: '2026-12-15',
      status: 'unpaid',
    },
  ]);
  const res = (await cloud.call('owner', { action: 'home' }, DEMO_USERS.owner)) as Reply<OwnerHome>;
  if (!res.ok) throw new Error(res.message);
  expect(res.data.nextDueDate).toBe('2026-12-15');
  expect(res.data.overdueCount).toBe(before.data.overdueCount);
  expect(res.data.dueNowFen).toBe(before.data.dueNowFen + 96_500);
  cloud.store.remove('bills', { _id: 'b_r_1_1_1501_2026-12_next' }, { multi: false });
});

test('a fully paid owner owes nothing and has no next due date', async () => {
  const res = (await cloud.call('owner', { action: 'home' }, DEMO_USERS.paid)) as Reply<OwnerHome>;
  expect(res).toMatchObject({
    ok: true,
    data: { dueNowFen: 0, nextDueDate: null, overdueCount: 0 },
  });
});

test('bills lists unpaid first (oldest due first) then paid (newest first), amounts in fen', async () => {
  const res = (await cloud.call(
    'owner',
    { action: 'bills' },
    DEMO_USERS.owner,
  )) as Reply<OwnerBills>;
  if (!res.ok) throw new Error(res.message);
  const due = res.data.unpaid.map((b) => b.dueDate);
  expect(due).toEqual([...due].sort());
  const periods = res.data.paid.map((b) => b.period);
  expect(periods).toEqual([...periods].sort().reverse());
  for (const b of [...res.data.unpaid, ...res.data.paid]) {
    expect(Number.isInteger(b.amountDueFen) && Number.isInteger(b.outstandingFen)).toBe(true);
  }
  expect(res.data.unpaid.reduce((s, b) => s + b.outstandingFen, 0)).toBe(
    outstandingInDb(DEMO_USERS.owner),
  );
});

test("an owner cannot read another owner's bills by naming their room", async () => {
  const res = (await cloud.call(
    'owner',
    { action: 'bills', roomId: 'r_3_2_801' },
    DEMO_USERS.owner,
  )) as Reply<OwnerBills>;
  expect(res).toMatchObject({ ok: true, data: { unpaid: [], paid: [] } });
  if (res.ok) expect(res.data.rooms.map((r) => r.roomId)).not.toContain('r_3_2_801');
});

test('an unbound WeChat user sees an empty home, not anyone else’s data', async () => {
  const res = (await cloud.call('owner', { action: 'home' }, 'o_stranger')) as Reply<OwnerHome>;
  expect(res).toMatchObject({
    ok: true,
    data: { rooms: [], dueNowFen: 0, notices: [], contacts: [] },
  });
});

describe('request budgets (issue 16: each database request costs 20–50 ms on CloudBase)', () => {
  test('home is one call of at most 3 database requests and carries the caller’s roles', async () => {
    for (const who of [DEMO_USERS.owner, DEMO_USERS.paid, DEMO_USERS.admin, 'o_stranger']) {
      const { requests, reply } = await countedCall(cloud, 'owner', { action: 'home' }, who);
      expect(requests).toBeLessThanOrEqual(3);
      expect(reply).toMatchObject({ ok: true });
    }
    const owner = (await cloud.call(
      'owner',
      { action: 'home' },
      DEMO_USERS.owner,
    )) as Reply<OwnerHome>;
    const admin = (await cloud.call(
      'owner',
      { action: 'home' },
      DEMO_USERS.admin,
    )) as Reply<OwnerHome>;
    const whoami = (await cloud.call('account', { action: 'whoami' }, DEMO_USERS.admin)) as Reply<{
      roles: string[];
    }>;
    if (!owner.ok || !admin.ok || !whoami.ok) throw new Error('home or whoami failed');
    expect(owner.data.me.roles).toEqual([]);
    expect(admin.data.me.roles).toEqual(whoami.data.roles);
    expect(admin.data.me.roles).toContain('admin');
  });

  test('the bills page is one call of 2 requests, with the rooms for its filter', async () => {
    const { requests, reply } = await countedCall(
      cloud,
      'owner',
      { action: 'bills' },
      DEMO_USERS.owner,
    );
    expect(requests).toBeLessThanOrEqual(3);
    expect(reply).toMatchObject({
      ok: true,
      data: { rooms: [{ label: '1栋1单元1501' }, { label: '2栋1单元302' }] },
    });
  });

  test('home’s sums by aggregation equal the bills page’s amounts', async () => {
    const home = (await cloud.call(
      'owner',
      { action: 'home' },
      DEMO_USERS.owner,
    )) as Reply<OwnerHome>;
    const bills = (await cloud.call(
      'owner',
      { action: 'bills' },
      DEMO_USERS.owner,
    )) as Reply<OwnerBills>;
    if (!home.ok || !bills.ok) throw new Error('home or bills failed');
    expect(home.data.dueNowFen).toBe(bills.data.unpaid.reduce((s, b) => s + b.outstandingFen, 0));
    const ahead = bills.data.unpaid.filter((b) => b.overdueDays === 0).map((b) => b.dueDate);
    expect(home.data.nextDueDate).toBe(ahead.sort()[0] ?? null);
    const late = bills.data.unpaid.filter((b) => b.overdueDays > 0);
    expect(home.data.overdueCount).toBe(late.length);
    expect(home.data.overdueFen).toBe(late.reduce((s, b) => s + b.outstandingFen, 0));
    expect(home.data.billCount).toBe(bills.data.unpaid.length + bills.data.paid.length);
  });
});

test('with late fees on, home sums the bills as the bills page shows them today (derived late fees), still in 3 requests', async () => {
  setDemoLateFee(cloud.store);
  const stored = outstandingInDb(DEMO_USERS.owner);
  const { requests, reply } = await countedCall(
    cloud,
    'owner',
    { action: 'home' },
    DEMO_USERS.owner,
  );
  expect(requests).toBeLessThanOrEqual(3);
  const home = reply as Reply<OwnerHome>;
  const bills = (await cloud.call(
    'owner',
    { action: 'bills' },
    DEMO_USERS.owner,
  )) as Reply<OwnerBills>;
  if (!home.ok || !bills.ok) throw new Error('owner call failed');
  const shown = bills.data.unpaid.reduce((s, b) => s + b.outstandingFen, 0);
  // the demo's overdue bills have accrued late fees the database does not store yet
  expect(shown).toBeGreaterThan(stored);
  expect(home.data.dueNowFen).toBe(shown);
  expect(home.data.overdueFen).toBe(
    bills.data.unpaid.filter((b) => b.overdueDays > 0).reduce((s, b) => s + b.outstandingFen, 0),
  );
});

test('a hold on a room pauses its late fee on the owner’s screens exactly as staff see it', async () => {
  // late fees are on (the test above); a complaint hold on 1栋1单元1501 since before its bills fell due
  const roomId = 'r_1_1_1501';
  const bills = async () => {
    const r = (await cloud.call(
      'owner',
      { action: 'bills' },
      DEMO_USERS.owner,
    )) as Reply<OwnerBills>;
    if (!r.ok) throw new Error(r.message);
    return r.data.unpaid.filter((b) => b.roomId === roomId);
  };
  const before = await bills();
  const today = new Date(cloud.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(Date.parse(today) - 400 * 86_400_000).toISOString().slice(0, 10);
  cloud.store.insert('bill_holds', [
    {
      _id: 'hold_owner_test',
      communityId: 'c_cuihu',
      roomId,
      billIds: [],
      reason: 'complaint',
      refId: 'cp_owner_test',
      from,
      to: null,
      active: true,
      note: '',
      createdBy: DEMO_USERS.service,
      createdAt: new Date(cloud.clock.now()),
    },
  ]);
  const after = await bills();
  const fees = (list: typeof before) => list.reduce((s, b) => s + b.lateFeeFen, 0);
  expect(fees(after)).toBeLessThan(fees(before));
  const k = (await cloud.call(
    'overdue',
    { action: 'case', communityId: 'c_cuihu', roomId },
    DEMO_USERS.service,
  )) as Reply<{ bills: { billId: string; lateFeeFen: number }[] }>;
  if (!k.ok) throw new Error(k.message);
  for (const b of k.data.bills)
    expect(after.find((x) => x.billId === b.billId)?.lateFeeFen).toBe(b.lateFeeFen);
});
