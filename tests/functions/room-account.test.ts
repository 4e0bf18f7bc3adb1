/**
 * 房屋账户 through the community function (issue 18): `roomLedger` gives the desk a room's bills
 * with what each still owes, its payments and receipts, prepaid balance, orders, plans, holds,
 * people, contacts and complaints, newest first, to the roles that work the desk; and
 * `endOccupancy` ends a room's occupancy on a date (audited), after which the billing run bills
 * the last month by its days, inclusive: 120 m² × 1.80 out on 2026-02-14 bills ¥108.00.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud } from '../helpers/cloud';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { RoomLedger, RoomListItem } from '../../miniprogram/domain/community/contract';
import type { BillingRunView } from '../../miniprogram/domain/fee/contract';

jest.setTimeout(90_000);

const C = 'c_cuihu';
const ROOM = 'r_1_1_1501';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterAll(async () => {
  await cloud.close();
});

const raw = (fn: string, event: Record<string, unknown>, openid: string) =>
  cloud.call(fn, event, openid) as Promise<Reply<unknown>>;
async function ok<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = await raw(fn, event, openid);
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.code} ${r.message}`);
  return r.data as T;
}
const ledger = (openid: string, roomId = ROOM) =>
  ok<RoomLedger>('community', { action: 'roomLedger', communityId: C, roomId }, openid);

describe('roomLedger', () => {
  test('the desk roles read a room: bills with what each owes, payments with receipts, newest first', async () => {
    const l = await ledger(DEMO_USERS.cashier);
    expect(l.room.label).toBe('1栋1单元1501');
    // every bill of the room on record, newest period first
    const stored = cloud.store.find('bills', { roomId: ROOM, status: { $ne: 'void' } });
    expect(l.bills).toHaveLength(stored.length);
    const periods = l.bills.map((b) => b.period);
    expect(periods).toEqual([...periods].sort().reverse());
    for (const b of l.bills) {
      const doc = stored.find((d) => d._id === b.billId)!;
      expect(b.outstandingFen).toBe(
        Math.max(
          0,
          (doc.amountDueFen as number) + (doc.lateFeeFen as number) - (doc.paidFen as number),
        ),
      );
      expect(b.dueDate).toBe(doc.dueDate);
    }
    // a quarterly bill covers three months
    const quarterly = l.bills.find((b) => b.title.includes('季度'))!;
    expect(quarterly.coverTo > quarterly.coverFrom).toBe(true);
    // totals: what is owed, and of it what is past due
    expect(l.outstandingFen).toBe(l.bills.reduce((s, b) => s + b.outstandingFen, 0));
    expect(l.overdueFen).toBe(
      l.bills.filter((b) => b.overdueDays > 0).reduce((s, b) => s + b.outstandingFen, 0),
    );
    expect(l.overdueCount).toBeGreaterThan(0);
    // payments and their receipts, newest first
    const paid = cloud.store.find('payments', { roomIds: ROOM });
    expect(l.payments).toHaveLength(paid.length);
    expect(l.payments.length).toBeGreaterThan(0);
    const times = l.payments.map((p) => p.paidAt);
    expect(times).toEqual([...times].sort().reverse());
    for (const p of l.payments) expect(p.receiptNo).toMatch(/^(SJ|HZ)\d{4}-\d{6}$/);
    // money taken at the desk names its cashier; money paid online has none
    for (const p of l.payments) {
      if (p.channel === 'wechat' && !p.reversal) expect(p.cashier).toBe('');
      else expect(p.cashier).not.toBe('');
    }
    // the people on record, mobiles masked
    expect(l.room.people.length).toBeGreaterThan(0);
    for (const person of l.room.people) expect(person.mobile).toMatch(/\*/);
    expect(l.asOf).toBe('2026-11-26');
    // finance and service read it too; admin implies every role
    for (const who of [DEMO_USERS.finance, DEMO_USERS.service, DEMO_USERS.admin])
      expect((await ledger(who)).bills).toHaveLength(l.bills.length);
  });

  test('holds, plans, contacts and complaints of the room come with it', async () => {
    // a promise to pay recorded by service: a hold, and a contact in the timeline
    const promise = '2026-12-05';
    await ok(
      'overdue',
      {
        action: 'record',
        communityId: C,
        roomId: ROOM,
        channel: 'call',
        reason: 'unreachable',
        notes: '业主出差，承诺回来缴清',
        ownerResponse: '12月5日前缴清',
        nextStep: '到期再联系',
        promiseDate: promise,
      },
      DEMO_USERS.service,
    );
    const l = await ledger(DEMO_USERS.cashier);
    expect(l.holds).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'promise', to: promise })]),
    );
    expect(l.contacts[0]).toMatchObject({ kind: 'contact' });
    expect(l.contacts[0]!.detail).toContain('业主出差');
    const tickets = cloud.store.find('complaints', { roomId: ROOM });
    expect(l.complaints).toHaveLength(Math.min(20, tickets.length));
    const plans = cloud.store.find('installment_plans', { roomId: ROOM });
    expect(l.plans).toHaveLength(plans.length);
  });

  test('owners and other communities are refused; nothing is written', async () => {
    expect(
      await raw(
        'community',
        { action: 'roomLedger', communityId: C, roomId: ROOM },
        DEMO_USERS.owner,
      ),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await raw(
        'community',
        { action: 'roomLedger', communityId: C, roomId: 'r_nowhere' },
        DEMO_USERS.cashier,
      ),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await raw('community', { action: 'roomLedger', communityId: C }, DEMO_USERS.cashier),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});

describe('move-out: occupancy ends on a date, billing prorates to it', () => {
  test('120 m² × 1.80 元/m²/月, out on 2026-02-14: February bills ¥108.00, March nothing', async () => {
    const admin = DEMO_USERS.admin;
    const room = await ok<RoomListItem>(
      'community',
      {
        action: 'saveRoom',
        communityId: C,
        building: '1',
        unit: '1',
        number: '0105',
        buildingAreaCentiM2: 12_000,
        useType: 'commercial',
        occupancy: 'occupied',
        moveInDate: '2025-06-01',
      },
      admin,
    );
    // billed to its owner on record
    await ok(
      'community',
      {
        action: 'linkPerson',
        communityId: C,
        roomId: room.roomId,
        relation: 'owner',
        person: { name: '林小满', mobile: '13900000105' },
        since: '2025-06-01',
      },
      admin,
    );
    await ok(
      'fee',
      {
        action: 'saveStandard',
        communityId: C,
        itemId: 'shop_fee',
        name: '商铺管理费',
        kind: 'area',
        cycle: 'monthly',
        billingMode: 'prepaid',
        dueDay: 10,
        applicability: { scope: 'rooms', roomIds: [room.roomId] },
        version: {
          effectiveFrom: '2025-06-01',
          pricing: { kind: 'area', areaBasis: 'building', unitPrice: '1.80' },
          approvalRef: '商铺管理费备案 2025-03',
          approvedAt: '2025-05-01',
        },
      },
      DEMO_USERS.finance,
    );
    const endOn14th = (openid: string, extra: Record<string, unknown>) =>
      raw(
        'community',
        {
          action: 'endOccupancy',
          communityId: C,
          roomId: room.roomId,
          endDate: '2026-02-14',
          ...extra,
        },
        openid,
      );
    // a cashier cannot end occupancy; a bad reason is refused with its field
    expect(await endOn14th(DEMO_USERS.cashier, { reason: 'vacated' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await endOn14th(admin, { reason: 'moved' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      fields: [{ field: 'reason' }],
    });
    const reply = await endOn14th(admin, { reason: 'vacated', note: '租户退租，钥匙已交回' });
    if (!reply.ok) throw new Error(reply.message);
    const ended = reply.data as RoomLedger;
    expect(ended.occupancyEnd).toMatchObject({
      date: '2026-02-14',
      reason: 'vacated',
      note: '租户退租，钥匙已交回',
      billedThrough: null,
    });
    const audited = cloud.store.find('audit_log', {
      action: 'room.occupancyEnd',
      targetId: room.roomId,
    });
    expect(audited).toHaveLength(1);
    expect(String(audited[0]!.summary)).toContain('入住至 2026-02-14');

    const run = async (period: string) => {
      for (const action of ['preview', 'issue'] as const) {
        const pass = (r: BillingRunView) => (action === 'preview' ? r.preview : r.issue);
        let r: BillingRunView;
        do {
          r = await ok<BillingRunView>(
            'fee',
            { action, communityId: C, period },
            DEMO_USERS.finance,
          );
        } while (!pass(r)!.done);
      }
      return cloud.store.find('bills', { roomId: room.roomId, period });
    };
    // January: the whole month, 120 × 1.80 = ¥216.00
    const jan = await run('2026-01');
    expect(jan.map((b) => b.amountDueFen)).toEqual([21_600]);
    // February: 1–14 of 28 days, inclusive: 216 × 14/28 = ¥108.00
    const feb = await run('2026-02');
    expect(feb.map((b) => b.amountDueFen)).toEqual([10_800]);
    const items = feb[0]!.items as { basis: string; from: string; to: string }[];
    expect(items[0]).toMatchObject({ from: '2026-02-01', to: '2026-02-14' });
    expect(items[0]!.basis).toContain('14/28 天');
    // March: nothing (the room is no longer occupied)
    expect(await run('2026-03')).toEqual([]);
  });
});
