/**
 * Fee standards in the fee function: who may create and read them, bad input refused naming the
 * field with nothing written, and versioned prices split by days (a billed standard is repriced
 * only through 调价公示).
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { feeTools, WATER_STANDARD } from '../helpers/fee';
import { PNG, idOfPath } from '../helpers/files';
import { addMonths } from '../../miniprogram/domain/fee';
import type { FeeStandardView } from '../../miniprogram/domain/fee/contract';

const C = DEMO_COMMUNITY_ID;
const cloud = useTestCloud({ seed: 'demo' });
const { fee, feeRaw, nextQuarter, billsOf, previewDone } = feeTools(cloud);

/** A decision the proposer uploaded on the adjustment page (its accepted file id). */
function uploaded(requestId: string): string {
  const p = `adjustments/${C}/${requestId}-0.jpg`;
  cloud.files.adminUpload(p, PNG, DEMO_USERS.finance);
  return idOfPath(p);
}

describe('fee standards', () => {
  const waterStandard = WATER_STANDARD;

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
    /** What a refused input must leave as it was. */
    const written = () => ({
      standards: cloud.store.count('fee_standards', {}),
      audit: cloud.store.count('audit_log', {}),
      readings: cloud.store.count('meter_readings', {}),
      bills: cloud.store.count('bills', {}),
      runs: cloud.store.count('billing_runs', {}),
    });
    const before = written();
    const bad = async (event: Record<string, unknown>, field: RegExp) => {
      const r = await feeRaw(event);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect((r as { message: string }).message).toMatch(field);
    };
    const v = waterStandard.version;
    const opening = (kind: string, rest: Record<string, unknown>) => ({
      action: 'importOpening',
      communityId: C,
      kind,
      ...rest,
    });
    const refusals: [Record<string, unknown>, RegExp][] = [
      [
        {
          ...waterStandard,
          version: {
            ...v,
            pricing: { kind: 'meter', unit: 'm³', tiers: [{ upTo: null, unitPrice: '2.35555' }] },
          },
        },
        /^version\.pricing\.tiers\.0\.unitPrice: /,
      ],
      [{ ...waterStandard, itemId: 'Water!' }, /^itemId: /],
      [{ ...waterStandard, itemId: 'opening' }, /^itemId: .*保留/],
      [{ ...waterStandard, dueDay: 32 }, /^dueDay: /],
      [{ ...waterStandard, version: { ...v, approvedAt: '2025-02-01' } }, /^version\.approvedAt: /],
      [
        { ...waterStandard, version: { ...v, effectiveFrom: '2025-02-30' } },
        /^version\.effectiveFrom: /,
      ],
      [
        { ...waterStandard, version: { ...v, pricing: { kind: 'area', unitPrice: '2' } } },
        /^version\.pricing\.kind: /,
      ],
      [{ ...waterStandard, version: undefined }, /^version: /],
      [{ ...waterStandard, surprise: 1 }, /surprise: 不支持的字段/],
      [{ action: 'preview', communityId: C, period: '2026-13' }, /^period: /],
      [{ action: 'issue', communityId: C, period: nextQuarter(), maxRooms: 0 }, /^maxRooms: /],
      [
        {
          action: 'saveReadings',
          communityId: C,
          itemId: 'property',
          period: '2026-10',
          readings: [{ roomId: 'r_1_1_101', current: '0.1.2' }],
        },
        /^readings\.0\.current: /,
      ],
      [opening('arrears', { rows: [{ roomId: 'r_1_1_101', amountFen: 100 }] }), /^period: /],
      [
        opening('arrears', {
          period: '2026-10',
          rows: [
            { roomId: 'r_1_1_101', amountFen: 100 },
            { roomId: 'r_nope', amountFen: 100 },
          ],
        }),
        /^rows\.1\.roomId: /,
      ],
      [
        opening('prepaid', { rows: [{ roomId: 'r_1_1_101', amountFen: 12.5 }] }),
        /^rows\.0\.amountFen: /,
      ],
    ];
    for (const [event, field] of refusals) await bad(event, field);
    expect(written()).toEqual(before);
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
