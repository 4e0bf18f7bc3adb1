/**
 * The fee function through the local cloud and the real SDK: standards, preview → issue → issue
 * again (nothing new), resumption after stopping half-way and after the worker is killed,
 * versioned prices split by days, meter readings held for confirmation, prepaid balances applied
 * with a ledger entry, opening balances, owners' bill detail, access control and bad input.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_PREPAID_ROOM } from '../../tools/seed/fees';
import { startTestCloud } from '../helpers/cloud';
import { postJson } from '../helpers/process';
import { PNG, idOfPath } from '../helpers/files';
import { addMonths } from '../../miniprogram/domain/fee';
import { checkLedger, type LedgerData } from '../../miniprogram/domain/ledger/invariants';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  BillDetailView,
  BillingRunView,
  FeeStandardView,
  OpeningImportResult,
  PublicStandardsView,
  SavedReadings,
} from '../../miniprogram/domain/fee/contract';

jest.setTimeout(60_000);

const C = 'c_cuihu';
let cloud: LocalCloud;
beforeEach(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterEach(async () => {
  await cloud.close();
});

async function ok<T>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as Reply<T>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}
const fee = <T>(event: Record<string, unknown>, openid: string = DEMO_USERS.finance) =>
  ok<T>(cloud.call('fee', event, openid));
const feeRaw = (event: Record<string, unknown>, openid: string = DEMO_USERS.finance) =>
  cloud.call('fee', event, openid) as Promise<Reply<unknown>>;

/** The next quarter after the seeded bills: what the demo community bills next. */
function nextQuarter(): string {
  const energy = cloud.store.find('fee_standards', { itemId: 'energy' })[0]!;
  return (energy.versions as { effectiveFrom: string }[])[0]!.effectiveFrom.slice(0, 7);
}

/** A decision the proposer uploaded on the adjustment page (its accepted file id). */
function uploaded(requestId: string): string {
  const p = `adjustments/${C}/${requestId}-0.jpg`;
  cloud.files.adminUpload(p, PNG, DEMO_USERS.finance);
  return idOfPath(p);
}

const billsOf = (period: string) => cloud.store.find('bills', { communityId: C, period });
const sum = (docs: Record<string, unknown>[], field: string) =>
  docs.reduce((s, d) => s + (d[field] as number), 0);

/** half-up: area (0.01 m²) × price (0.0001 元) × months → fen. */
const feeFen = (areaCm2: number, priceE4: number, months: number) =>
  Math.floor((areaCm2 * priceE4 * months + 5000) / 10000);

function assertLedger(): void {
  expect(
    checkLedger({
      bills: cloud.store.find('bills', {}) as unknown as LedgerData['bills'],
      payments: cloud.store.find('payments', {}) as unknown as LedgerData['payments'],
      prepaidAccounts: cloud.store.find(
        'prepaid_accounts',
        {},
      ) as unknown as LedgerData['prepaidAccounts'],
      prepaidEntries: cloud.store.find(
        'prepaid_entries',
        {},
      ) as unknown as LedgerData['prepaidEntries'],
    }),
  ).toEqual([]);
}

async function previewDone(period: string): Promise<BillingRunView> {
  let run = await fee<BillingRunView>({ action: 'preview', communityId: C, period });
  while (!run.preview!.done)
    run = await fee<BillingRunView>({ action: 'preview', communityId: C, period });
  return run;
}

async function issueDone(period: string): Promise<BillingRunView> {
  let run = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
  while (!run.issue!.done)
    run = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
  return run;
}

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
    assertLedger();
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
    expect(cloud.store.find('prepaid_accounts', { _id: DEMO_PREPAID_ROOM })[0]!.balanceFen).toBe(0);
    assertLedger();
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

describe('fee standards', () => {
  const waterStandard = {
    action: 'saveStandard',
    communityId: C,
    itemId: 'water',
    name: '水费',
    kind: 'meter',
    cycle: 'monthly',
    billingMode: 'postpaid',
    dueDay: 20,
    version: {
      effectiveFrom: '2025-01-01',
      approvedAt: '2024-12-01',
      approvalRef: '杭州市居民生活用水价格（代收）',
      pricing: {
        kind: 'meter',
        unit: 'm³',
        tiers: [
          { upTo: 20, unitPrice: '2.9' },
          { upTo: null, unitPrice: '4.35' },
        ],
      },
    },
  };

  test('finance creates a standard; staff can read it; owners cannot manage it', async () => {
    const created = await fee<FeeStandardView>(waterStandard);
    expect(created).toMatchObject({
      itemId: 'water',
      revision: 1,
      kindLabel: '按表计量',
      versions: [
        {
          versionId: 'v1',
          priceText: '第1档 0–20 m³：2.9000 元/m³；第2档 20 m³ 以上：4.3500 元/m³',
        },
      ],
    });
    // The same request again returns the standard; another definition under the id is refused.
    expect(await fee<FeeStandardView>(waterStandard)).toMatchObject({
      itemId: 'water',
      revision: 1,
    });
    expect(await feeRaw({ ...waterStandard, dueDay: 25 })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    const list = await fee<{ standards: FeeStandardView[] }>(
      { action: 'standards', communityId: C },
      DEMO_USERS.cashier,
    );
    expect(list.standards.map((s) => s.itemId)).toEqual([
      'property',
      'water',
      'energy',
      'tapwater',
    ]);
    for (const openid of [DEMO_USERS.owner, DEMO_USERS.cashier, DEMO_USERS.service]) {
      expect(await feeRaw({ ...waterStandard, itemId: 'gas' }, openid)).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      expect(
        await feeRaw({ action: 'preview', communityId: C, period: nextQuarter() }, openid),
      ).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
      expect(
        await feeRaw({ action: 'issue', communityId: C, period: nextQuarter() }, openid),
      ).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
    }
    expect(await feeRaw({ action: 'standards', communityId: C }, DEMO_USERS.owner)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    // Admin implies finance.
    await fee({ action: 'preview', communityId: C, period: nextQuarter() }, DEMO_USERS.admin);
    expect(
      await feeRaw({ action: 'run', communityId: C, period: nextQuarter() }, DEMO_USERS.service),
    ).toMatchObject({
      ok: true,
    });
  });

  test('bad input is refused naming the field, and nothing is written', async () => {
    const before = {
      standards: cloud.store.count('fee_standards', {}),
      audit: cloud.store.count('audit_log', {}),
      readings: cloud.store.count('meter_readings', {}),
      bills: cloud.store.count('bills', {}),
      runs: cloud.store.count('billing_runs', {}),
    };
    const bad = async (event: Record<string, unknown>, field: RegExp) => {
      const r = await feeRaw(event);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect((r as { message: string }).message).toMatch(field);
    };
    const v = waterStandard.version;
    await bad(
      {
        ...waterStandard,
        version: {
          ...v,
          pricing: { kind: 'meter', unit: 'm³', tiers: [{ upTo: null, unitPrice: '2.35555' }] },
        },
      },
      /^version\.pricing\.tiers\.0\.unitPrice: /,
    );
    await bad({ ...waterStandard, itemId: 'Water!' }, /^itemId: /);
    await bad({ ...waterStandard, itemId: 'opening' }, /^itemId: .*保留/);
    await bad({ ...waterStandard, dueDay: 32 }, /^dueDay: /);
    await bad(
      { ...waterStandard, version: { ...v, approvedAt: '2025-02-01' } },
      /^version\.approvedAt: /,
    );
    await bad(
      { ...waterStandard, version: { ...v, effectiveFrom: '2025-02-30' } },
      /^version\.effectiveFrom: /,
    );
    await bad(
      { ...waterStandard, version: { ...v, pricing: { kind: 'area', unitPrice: '2' } } },
      /^version\.pricing\.kind: /,
    );
    await bad({ ...waterStandard, version: undefined }, /^version: /);
    await bad({ ...waterStandard, surprise: 1 }, /surprise: 不支持的字段/);
    await bad({ action: 'preview', communityId: C, period: '2026-13' }, /^period: /);
    await bad(
      { action: 'issue', communityId: C, period: nextQuarter(), maxRooms: 0 },
      /^maxRooms: /,
    );
    await bad(
      {
        action: 'saveReadings',
        communityId: C,
        itemId: 'property',
        period: '2026-10',
        readings: [{ roomId: 'r_1_1_101', current: '0.1.2' }],
      },
      /^readings\.0\.current: /,
    );
    await bad(
      {
        action: 'importOpening',
        communityId: C,
        kind: 'arrears',
        rows: [{ roomId: 'r_1_1_101', amountFen: 100 }],
      },
      /^period: /,
    );
    await bad(
      {
        action: 'importOpening',
        communityId: C,
        kind: 'arrears',
        period: '2026-10',
        rows: [
          { roomId: 'r_1_1_101', amountFen: 100 },
          { roomId: 'r_nope', amountFen: 100 },
        ],
      },
      /^rows\.1\.roomId: /,
    );
    await bad(
      {
        action: 'importOpening',
        communityId: C,
        kind: 'prepaid',
        rows: [{ roomId: 'r_1_1_101', amountFen: 12.5 }],
      },
      /^rows\.0\.amountFen: /,
    );
    expect({
      standards: cloud.store.count('fee_standards', {}),
      audit: cloud.store.count('audit_log', {}),
      readings: cloud.store.count('meter_readings', {}),
      bills: cloud.store.count('bills', {}),
      runs: cloud.store.count('billing_runs', {}),
    }).toEqual(before);
  });

  test('a billed standard is repriced only through 调价公示; the new price splits the quarter by days', async () => {
    const period = nextQuarter();
    const issuedThrough = cloud.store.find('fee_standards', { itemId: 'property' })[0]!
      .issuedThrough as string;
    const before = cloud.store.find('fee_standards', { itemId: 'property' })[0]!;
    // finance alone cannot add a price to a standard already billed, whatever the date
    for (const effectiveFrom of [issuedThrough, `${addMonths(period, 1)}-15`]) {
      const direct = await feeRaw({
        action: 'addVersion',
        communityId: C,
        itemId: 'property',
        effectiveFrom,
        approvedAt: '2026-10-01',
        approvalRef: '业主大会决议（调价）',
        pricing: { kind: 'area', unitPrice: '3.6' },
      });
      expect(direct).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
      expect((direct as { message: string }).message).toMatch(/^pricing: .*调价公示/);
    }
    expect(cloud.store.find('fee_standards', { itemId: 'property' })[0]).toEqual(before);

    await fee({ action: 'preview', communityId: C, period });
    // Through the adjustment: proposed by finance, announced by a second person, in force after
    // 30 days' notice — landing on the second month's 15th, the quarter is split by days.
    const from = `${addMonths(period, 1)}-15`;
    const proposed = await fee<{ adjustmentId: string }>({
      action: 'proposeAdjustment',
      communityId: C,
      requestId: 'fee-test-adjust-01',
      itemId: 'property',
      pricing: { kind: 'area', unitPrice: '3.6' },
      effectiveFrom: from,
      approvalRef: '业主大会决议（调价）',
      approvedAt: `${period}-01`,
      reason: '人工成本和最低工资标准上调，经业主大会表决通过调整物业服务费。',
      documents: [{ name: '业主大会决议', fileId: uploaded('fee-test-adjust-01') }],
    });
    await fee(
      { action: 'announceAdjustment', communityId: C, adjustmentId: proposed.adjustmentId },
      DEMO_USERS.admin,
    );
    const view = (
      await fee<{ standards: FeeStandardView[] }>({ action: 'standards', communityId: C })
    ).standards.find((st) => st.itemId === 'property')!;
    expect(view).toMatchObject({
      revision: 2,
      versions: [{ versionId: 'v1' }, { versionId: 'v2', effectiveFrom: from }],
    });
    // The preview before the change is stale: issuing it is refused.
    expect(await feeRaw({ action: 'issue', communityId: C, period })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    const run = await previewDone(period);
    expect(run.stale).toBe(false);
    // 3.60 from mid-quarter: about +27% on the property line of every room billed last quarter
    // (the room moved in days ago has no earlier bill to compare with).
    expect(run.preview!.anomalyCount).toBe(287);
    const a = run.preview!.anomalies.find((x) => x.roomId === 'r_1_1_1501')!;
    expect(a).toMatchObject({ itemId: 'property', previousFen: 96500 });
    await fee({ action: 'issue', communityId: C, period });
    const bill = billsOf(period).find((b) => b.roomId === 'r_1_1_1501')!;
    const property = (
      bill.items as { itemId: string; basis: string; amountFen: number; versionIds: string[] }[]
    )[0]!;
    expect(property.versionIds).toEqual(['v1', 'v2']);
    expect(property.basis).toMatch(
      /^建筑面积 136\.88 m² × \(2\.3500 元\/m²\/月 × \(1 个月 \+ 14\/\d\d 天\) \+ 3\.6000 元\/m²\/月 × \(\d\d\/\d\d 天 \+ 1 个月\)\) = ¥[\d,]+\.\d{2}$/,
    );
    expect(property.amountFen).toBe(a.currentFen);
    // Issuing marked the quarter billed: an adjustment inside it cannot be announced.
    const inside = await fee<{ adjustmentId: string }>({
      action: 'proposeAdjustment',
      communityId: C,
      requestId: 'fee-test-adjust-02',
      itemId: 'property',
      pricing: { kind: 'area', unitPrice: '2.5' },
      effectiveFrom: `${addMonths(period, 2)}-01`,
      approvalRef: '业主大会决议（再次调价）',
      approvedAt: `${period}-01`,
      reason: '业主大会再次表决，下调物业服务费以回应业主意见。',
      documents: [{ name: '业主大会决议', fileId: uploaded('fee-test-adjust-02') }],
    });
    expect(
      await feeRaw(
        { action: 'announceAdjustment', communityId: C, adjustmentId: inside.adjustmentId },
        DEMO_USERS.admin,
      ),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    // The seeded (issued) bills of earlier quarters are untouched.
    const seeded = cloud.store.find('bills', { roomId: 'r_1_1_1501', key: 'property' });
    expect(seeded.every((b) => b.amountDueFen === 96500)).toBe(true);
  });
});

describe('meter readings', () => {
  async function setupWater(): Promise<{ period: string; usage: string }> {
    await fee({
      action: 'saveStandard',
      communityId: C,
      itemId: 'water',
      name: '水费',
      kind: 'meter',
      cycle: 'monthly',
      billingMode: 'postpaid',
      dueDay: 20,
      applicability: { scope: 'buildings', buildingIds: ['1'] },
      version: {
        effectiveFrom: '2025-01-01',
        approvedAt: '2024-12-01',
        approvalRef: '居民生活用水价格（代收）',
        pricing: {
          kind: 'meter',
          unit: 'm³',
          tiers: [
            { upTo: 20, unitPrice: '2.9' },
            { upTo: null, unitPrice: '4.35' },
          ],
        },
      },
    });
    const period = nextQuarter();
    const usage = addMonths(period, -1);
    // Three months of history (about 10 m³ a month) for three rooms.
    const rooms = ['r_1_1_101', 'r_1_1_102', 'r_1_1_201'];
    for (const [i, m] of [-3, -2, -1].entries()) {
      const res = await fee<SavedReadings>({
        action: 'saveReadings',
        communityId: C,
        itemId: 'water',
        period: addMonths(usage, m),
        readings: rooms.map((roomId) => ({
          roomId,
          current: String(100 + (i + 1) * 10),
          ...(i === 0 ? { previous: '100' } : {}),
        })),
      });
      expect(res.saved).toBe(3);
    }
    return { period, usage };
  }

  test('a lower reading or a spike is flagged and not billed until confirmed', async () => {
    const { period, usage } = await setupWater();
    const res = await fee<SavedReadings>(
      {
        action: 'saveReadings',
        communityId: C,
        itemId: 'water',
        period: usage,
        readings: [
          { roomId: 'r_1_1_101', current: '142.5' },
          { roomId: 'r_1_1_102', current: '120' },
          { roomId: 'r_1_1_201', current: '230' },
        ],
      },
      DEMO_USERS.service,
    );
    expect(res.results.map((r) => [r.roomId, r.outcome, r.usage, r.flags])).toEqual([
      ['r_1_1_101', 'saved', '12.5', []],
      ['r_1_1_102', 'flagged', '-10', ['lowerThanPrevious']],
      ['r_1_1_201', 'flagged', '100', ['spike']],
    ]);
    expect(res.results[2]!.message).toMatch(/中位数 10 m³ 的 5 倍/);
    // The same entry again changes nothing.
    const again = await fee<SavedReadings>({
      action: 'saveReadings',
      communityId: C,
      itemId: 'water',
      period: usage,
      readings: [{ roomId: 'r_1_1_101', current: '142.5' }],
    });
    expect(again.unchanged).toBe(1);

    let run = await previewDone(period);
    expect(run.items.map((i) => i.itemId)).toEqual(['property', 'water', 'energy']);
    const skips = Object.fromEntries(
      run.preview!.itemSkips.filter((s) => s.itemId === 'water').map((s) => [s.reason, s.count]),
    );
    expect(skips).toEqual({ readingFlagged: 2, noReading: 69, notApplicable: 216 });
    expect(run.preview!.byItem.find((i) => i.itemId === 'water')).toMatchObject({
      lines: 1,
      amountFen: 3625,
    });

    // A lower reading cannot be confirmed; a spike can.
    const [lower, spike] = [res.results[1]!.readingId, res.results[2]!.readingId];
    expect(
      await feeRaw({
        action: 'confirmReadings',
        communityId: C,
        readingIds: [lower],
        decision: 'confirm',
        note: '已核实',
      }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(
      await feeRaw(
        {
          action: 'confirmReadings',
          communityId: C,
          readingIds: [spike],
          decision: 'confirm',
          note: '已核实',
        },
        DEMO_USERS.service,
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await fee({
      action: 'confirmReadings',
      communityId: C,
      readingIds: [spike],
      decision: 'confirm',
      note: '现场核实，水管漏水已修复',
    });
    run = await previewDone(period);
    // 100 m³: 20 × 2.90 + 80 × 4.35 = 406.00
    expect(run.preview!.byItem.find((i) => i.itemId === 'water')).toMatchObject({
      lines: 2,
      amountFen: 3625 + 40600,
    });
    await fee({ action: 'issue', communityId: C, period });
    const bill = billsOf(period).find((b) => b.roomId === 'r_1_1_201')!;
    expect(bill.key).toBe('energy+property+water');
    const water = (bill.items as { itemId: string; basis: string }[]).find(
      (i) => i.itemId === 'water',
    )!;
    expect(water.basis).toBe(
      '用量 230 − 130 = 100 m³：20 m³ × 2.9000 元/m³ + 80 m³ × 4.3500 元/m³ = ¥406.00',
    );
    expect(cloud.store.find('meter_readings', { _id: spike })[0]!.status).toBe('billed');
    // A billed reading cannot change.
    expect(
      await feeRaw({
        action: 'saveReadings',
        communityId: C,
        itemId: 'water',
        period: usage,
        readings: [{ roomId: 'r_1_1_201', current: '231' }],
      }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });

    // A corrected reading for the lower one, entered after issuing, goes into a second bill.
    await fee({
      action: 'saveReadings',
      communityId: C,
      itemId: 'water',
      period: usage,
      readings: [
        { roomId: 'r_1_1_102', current: '15', previous: '0', note: '换表，新表起始读数 0' },
      ],
    });
    await previewDone(period);
    const extra = await fee<BillingRunView>({ action: 'issue', communityId: C, period });
    expect(extra.created).toBe(1);
    const second = billsOf(period).filter((b) => b.roomId === 'r_1_1_102');
    expect(second.map((b) => b.key).sort()).toEqual(['energy+property', 'water']);
  });
});

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
    expect(cloud.store.find('prepaid_accounts', { _id: 'r_1_1_101' })[0]!.balanceFen).toBe(
      500_000 - (full.amountDueFen as number),
    );
    const partial = billsOf(period).find((b) => b.roomId === DEMO_PREPAID_ROOM)!;
    expect(partial).toMatchObject({ status: 'partial', paidFen: 30_000 });
    const entry = cloud.store.find('prepaid_entries', { _id: `pa_${partial._id as string}` })[0]!;
    expect(entry).toMatchObject({
      roomId: DEMO_PREPAID_ROOM,
      amountFen: -30_000,
      balanceAfterFen: 0,
      billId: partial._id,
    });
    assertLedger();

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
    const paid = (await cloud.call(
      'payment',
      {
        action: 'recordOffline',
        roomId: DEMO_PREPAID_ROOM,
        channel: 'cash',
        amountFen: (partial.amountDueFen as number) - 30_000,
        billIds: [partial._id],
        idempotencyKey: 'fee-test-0001',
      },
      DEMO_USERS.cashier,
    )) as Reply<unknown>;
    expect(paid.ok).toBe(true);
    expect(cloud.store.find('bills', { _id: partial._id })[0]).toMatchObject({ status: 'paid' });
    const after = await fee<BillDetailView>({ action: 'billDetail', billId: partial._id }, 'o_x');
    expect(after.payments).toHaveLength(1);
    expect(after.outstandingFen).toBe(0);
    assertLedger();
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

describe('owners', () => {
  test('bill detail explains every line with its standard; other people get NOT_FOUND', async () => {
    const period = nextQuarter();
    await previewDone(period);
    await fee({ action: 'issue', communityId: C, period });
    const billId = `b_r_1_1_1501_${period}_energy+property`;
    const d = await fee<BillDetailView>({ action: 'billDetail', billId }, DEMO_USERS.owner);
    expect(d).toMatchObject({
      roomLabel: '1栋1单元1501',
      communityName: '翠湖花园',
      amountDueFen: 96500 + 6160,
      contacts: { servicePhone: '0571-8888 6666', priceHotline: '12358' },
    });
    expect(d.lines[0]).toMatchObject({
      name: '物业服务费',
      basis: '建筑面积 136.88 m² × 2.3500 元/m²/月 × 3 个月 = ¥965.00',
      standard: {
        priceText: '2.3500 元/m²/月（按建筑面积）',
        approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
      },
    });
    expect(d.paymentMethods.map((m) => m.label)).toEqual(['微信支付', '现金', '刷卡', '银行转账']);
    // A seeded (older) bill gets its amount added to the basis and the standard of its period.
    const seeded = cloud.store.find('bills', { roomId: 'r_1_1_1501', key: 'property' })[0]!;
    const old = await fee<BillDetailView>(
      { action: 'billDetail', billId: seeded._id },
      DEMO_USERS.owner,
    );
    expect(old.lines[0]!.basis).toBe('建筑面积 136.88 m² × 2.3500 元/m²/月 × 3 个月 = ¥965.00');
    expect(old.lines[0]!.standard).toMatchObject({ name: '物业服务费' });
    // Someone else's bill, an unknown bill, and a stranger: NOT_FOUND all alike.
    for (const [openid, id] of [
      [DEMO_USERS.paid, billId],
      ['o_stranger', billId],
      [DEMO_USERS.owner, 'b_nope'],
    ] as const) {
      expect(await feeRaw({ action: 'billDetail', billId: id }, openid)).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
    }
    // Staff of the community may look.
    expect(await feeRaw({ action: 'billDetail', billId }, DEMO_USERS.cashier)).toMatchObject({
      ok: true,
    });
  });

  test('bound owners see the published standards with the 12358 hotline; strangers do not', async () => {
    const v = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    expect(v.priceHotline).toBe('12358');
    expect(v.notice).toMatch(/12358/);
    expect(v.standards.find((s) => s.itemId === 'property')).toMatchObject({
      priceText: '2.35 元/m²/月（按建筑面积）',
      rules: expect.arrayContaining(['空置优惠：经审批的空置期间减收 30%', '不收取滞纳金']),
    });
    expect(await feeRaw({ action: 'publicStandards', communityId: C }, 'o_stranger')).toMatchObject(
      {
        ok: false,
        code: 'NOT_FOUND',
      },
    );
  });
});
