/**
 * Meter readings in the fee function: a lower reading or a spike is held for confirmation and not
 * billed until confirmed; billed readings cannot change; a corrected reading goes into a second
 * bill.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { feeTools, WATER_STANDARD } from '../helpers/fee';
import { addMonths } from '../../miniprogram/domain/fee';
import type { BillingRunView, SavedReadings } from '../../miniprogram/domain/fee/contract';

const C = DEMO_COMMUNITY_ID;
const cloud = useTestCloud({ seed: 'demo' });
const { fee, feeRaw, nextQuarter, billsOf, previewDone } = feeTools(cloud);

describe('meter readings', () => {
  async function setupWater(): Promise<{ period: string; usage: string }> {
    await fee({
      ...WATER_STANDARD,
      applicability: { scope: 'buildings', buildingIds: ['1'] },
      version: { ...WATER_STANDARD.version, approvalRef: '居民生活用水价格（代收）' },
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
