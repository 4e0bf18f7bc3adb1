/**
 * A billing run of the fee function through the local cloud and the real SDK: preview → issue →
 * issue again (nothing new), resumption after stopping half-way and after the worker is killed,
 * and the rooms a run skips with the reason.
 */
import { DEMO_COMMUNITY_ID } from '../../tools/seed/demo';
import { DEMO_PREPAID_ROOM } from '../../tools/seed/fees';
import { useTestCloud } from '../helpers/cloud';
import { feeFen, feeTools, sum } from '../helpers/fee';
import { ledgerViolations, prepaidWhole } from '../helpers/ledger';
import { postJson } from '../helpers/process';
import { addMonths } from '../../miniprogram/domain/fee';
import type { BillingRunView } from '../../miniprogram/domain/fee/contract';

const C = DEMO_COMMUNITY_ID;
const cloud = useTestCloud({ seed: 'demo' });
const { fee, feeRaw, nextQuarter, billsOf, previewDone, issueDone } = feeTools(cloud);

describe('preview and issue', () => {
  test('the next quarter: exact fees per room, totals per building and item, then issued once', async () => {
    const period = nextQuarter();
    const run = await previewDone(period);
    expect(run.period).toBe(period);
    expect(run.items.map((i) => i.itemId)).toEqual(['property', 'energy']);
    const rooms = cloud.store.find('rooms', { communityId: C });
    const vacant = new Set(
      cloud.store.find('vacancy_records', { status: 'approved' }).map((v) => v.roomId),
    );
    let expected = 0;
    for (const r of rooms) {
      const area = r.buildingAreaCentiM2 as number;
      const property = feeFen(area, 23500, 3);
      const discount = vacant.has(r._id) ? Math.floor((property * 3000 + 5000) / 10000) : 0;
      expected += property - discount + feeFen(area, 1500, 3);
    }
    const p = run.preview!;
    expect(p).toMatchObject({
      done: true,
      roomsScanned: 288,
      roomsTotal: 288,
      bills: 288,
      anomalyCount: 0,
    });
    expect(p.totalFen).toBe(expected);
    expect(p.byBuilding.map((b) => b.building)).toEqual(['1', '2', '3', '4']);
    expect(p.byBuilding.reduce((s, b) => s + b.totalFen, 0)).toBe(expected);
    expect(p.chargesFen - p.discountsFen).toBe(expected);
    expect(p.byItem.find((i) => i.itemId === 'property')!.discountFen).toBe(p.discountsFen);
    expect(p.discountsFen).toBeGreaterThan(0);
    // A preview writes no bill.
    expect(billsOf(period)).toHaveLength(0);

    const issued = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(issued).toMatchObject({ status: 'issued', created: 288 });
    const bills = billsOf(period);
    expect(bills).toHaveLength(288);
    expect(sum(bills, 'amountDueFen')).toBe(expected);
    expect(issued.summary).toMatchObject({ bills: 288, totalFen: expected });
    for (const b of bills) {
      // Items (charges, then discounts as negative amounts) add up to the amount due.
      expect(sum(b.items as Record<string, unknown>[], 'amountFen')).toBe(b.amountDueFen);
      expect(b).toMatchObject({ lateFeeFen: 0, key: 'energy+property', dueDate: `${period}-15` });
    }
    const r1501 = bills.find((b) => b.roomId === 'r_1_1_1501')!;
    expect(r1501._id).toBe(`b_r_1_1_1501_${period}_energy+property`);
    expect((r1501.items as { basis: string }[]).map((i) => i.basis)).toEqual([
      '建筑面积 136.88 m² × 2.3500 元/m²/月 × 3 个月 = ¥965.00',
      '建筑面积 136.88 m² × 0.1500 元/m²/月 × 3 个月 = ¥61.60',
    ]);

    // Issuing again creates nothing: no new bill, same totals.
    const again = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(again.created).toBe(0);
    expect(billsOf(period)).toHaveLength(288);
    // A fresh preview sees every room billed already; issuing it writes nothing either.
    const re = await previewDone(period);
    expect(re.preview).toMatchObject({ bills: 0, totalFen: 0 });
    expect(re.preview!.skipped).toEqual([
      { reason: 'alreadyIssued', label: '本期已出账', count: 288 },
    ]);
    const reissued = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(reissued.created).toBe(0);
    expect(billsOf(period)).toHaveLength(288);
    expect(sum(billsOf(period), 'amountDueFen')).toBe(expected);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('a month inside the quarter runs the quarter; the current (seeded) quarter is already billed', async () => {
    const period = nextQuarter();
    const inside = await fee<BillingRunView>({
      action: 'preview',
      communityId: C,
      period: addMonths(period, 1),
    });
    expect(inside.period).toBe(period);
    const current = await previewDone(addMonths(period, -3));
    expect(current.preview!.skipped).toEqual([
      { reason: 'alreadyIssued', label: '本期已出账', count: 287 },
    ]);
    // the room handed over days ago is billed from its move-in day to the quarter's end
    expect(current.preview!.bills).toBe(1);
  });

  test('stopping after N rooms and resuming issues every bill exactly once', async () => {
    const period = nextQuarter();
    const preview = (await previewDone(period)).preview!;
    const first = await fee<BillingRunView>({
      action: 'issue',
      communityId: C,
      period,
      maxRooms: 100,
    });
    expect(first).toMatchObject({
      status: 'issuing',
      created: 100,
      issue: { done: false, roomsScanned: 100 },
    });
    expect(billsOf(period)).toHaveLength(100);
    const second = await fee<BillingRunView>({
      action: 'issue',
      communityId: C,
      period,
      maxRooms: 100,
    });
    expect(second.created).toBe(100);
    const last = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(last).toMatchObject({
      status: 'issued',
      created: 88,
      issue: { done: true, roomsScanned: 288 },
    });
    const bills = billsOf(period);
    expect(new Set(bills.map((b) => b.roomId)).size).toBe(288);
    expect(sum(bills, 'amountDueFen')).toBe(preview.totalFen);
    expect(last.summary!.totalFen).toBe(preview.totalFen);
  });

  test('a worker killed half-way: the next call resumes without duplicates or double prepaid', async () => {
    const period = nextQuarter();
    // A bigger community (2,000 rooms: two chunks) so the worker can be killed mid-run.
    const rooms = [];
    const owners = [];
    for (let i = 0; i < 1712; i++) {
      const id = `r_9_${Math.floor(i / 100)}_${i}`;
      rooms.push({
        _id: id,
        communityId: C,
        building: '9',
        unit: String(Math.floor(i / 100)),
        number: String(1000 + i),
        buildingAreaCentiM2: 7000 + ((i * 37) % 6000),
        useType: 'residential',
        occupancy: 'occupied',
        moveInDate: '2020-01-01',
      });
      owners.push({
        _id: `ro_x_${i}`,
        communityId: C,
        roomId: id,
        ownerId: `p_x_${i}`,
        relation: 'owner',
        since: null,
        until: null,
      });
    }
    cloud.store.insert('rooms', rooms);
    cloud.store.insert('room_owners', owners);
    const preview = (await previewDone(period)).preview!;
    expect(preview.bills).toBe(2000);

    // The instance dies right after its first batch of bills is written (injected fault): no
    // race with the run's speed, the crash always lands mid-issue.
    await postJson(`${cloud.url}/dev/faults`, {
      crashAfterWriteTo: { function: 'fee', collection: 'bills' },
    });
    const crashed = await feeRaw({ action: 'issue', communityId: C, period }).catch(
      (e: unknown) => e,
    );
    expect((crashed as { ok?: boolean }).ok).not.toBe(true);
    const issuedSoFar = () => cloud.store.count('bills', { communityId: C, period });
    const partial = issuedSoFar();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(2000);

    const resumed = await issueDone(period);
    expect(resumed.status).toBe('issued');
    const bills = billsOf(period);
    expect(bills).toHaveLength(2000);
    expect(new Set(bills.map((b) => b.roomId)).size).toBe(2000);
    expect(sum(bills, 'amountDueFen')).toBe(preview.totalFen);
    expect(resumed.summary!.totalFen).toBe(preview.totalFen);
    // The prepaid balance was applied once.
    expect(
      cloud.store.find('prepaid_entries', { roomId: DEMO_PREPAID_ROOM, billId: { $exists: true } }),
    ).toHaveLength(1);
    expect(prepaidWhole(cloud, DEMO_PREPAID_ROOM).whole).toBe(0);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('rooms without area or owner are skipped with the reason; vacancy discounts are explained', async () => {
    const period = nextQuarter();
    cloud.store.update(
      'rooms',
      { _id: 'r_2_2_1801' },
      { $set: { buildingAreaCentiM2: 0 } },
      { multi: false, replace: false, upsert: false },
    );
    cloud.store.remove('room_owners', { roomId: 'r_2_2_1802', relation: 'owner' }, { multi: true });
    const run = await previewDone(period);
    expect(run.preview!.bills).toBe(286);
    const reasons = Object.fromEntries(run.preview!.skippedRooms.map((r) => [r.roomId, r.label]));
    expect(reasons).toEqual({ r_2_2_1801: '缺少面积', r_2_2_1802: '无业主信息' });
    expect(run.preview!.skippedRooms.find((r) => r.roomId === 'r_2_2_1801')!.roomLabel).toBe(
      '2栋2单元1801',
    );
    await fee({ action: 'issue', communityId: C, period });
    const vacantRoom = cloud.store.find('vacancy_records', { status: 'approved' })[0]!
      .roomId as string;
    const bill = billsOf(period).find((b) => b.roomId === vacantRoom)!;
    const discount = (
      bill.items as { kind: string; name: string; basis: string; amountFen: number }[]
    ).find((i) => i.kind === 'discount')!;
    expect(discount.name).toBe('空置优惠');
    expect(discount.amountFen).toBeLessThan(0);
    expect(discount.basis).toMatch(/^空置 .+ × 30% = ¥[\d,]+\.\d{2}$/);
  });
});
