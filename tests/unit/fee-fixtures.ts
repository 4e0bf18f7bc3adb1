/** Shared fixtures for the fee tests: a room of 89.47 m² and standards built from overrides. */
import type { BillableRoom, FeePricing, FeeStandard } from '../../miniprogram/domain/fee';

export const room: BillableRoom = {
  roomId: 'R1502',
  buildingId: 'B3',
  useType: 'residential',
  buildingAreaCm2: 8947, // 89.47 m²
  innerAreaCm2: 7512, // 75.12 m²
  ownerId: 'owner-1',
  parkingSpaces: 2,
};

/** 物业服务费: 2.35 元/m²/月 on 建筑面积, quarterly, prepaid, due on the 15th. */
export function areaStandard(overrides: Partial<FeeStandard> = {}): FeeStandard {
  return {
    itemId: 'mgmt',
    name: '物业服务费',
    kind: 'area',
    cycle: 'quarterly',
    billingMode: 'prepaid',
    dueDay: 15,
    applicability: { scope: 'all' },
    versions: [
      {
        versionId: 'v1',
        effectiveFrom: '2025-01-01',
        pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
      },
    ],
    ...overrides,
  };
}

/** A single-version standard of any kind. */
export function standardOf(pricing: FeePricing, overrides: Partial<FeeStandard> = {}): FeeStandard {
  return areaStandard({
    itemId: pricing.kind,
    name: pricing.kind,
    kind: pricing.kind,
    versions: [{ versionId: 'v1', effectiveFrom: '2025-01-01', pricing }],
    ...overrides,
  });
}

/** Every ¥ amount in a text has exactly two decimals (no 4-decimal money, no float artefacts). */
export function expectMoneyWithTwoDecimals(text: string): void {
  const amounts = text.match(/¥[^ ；：)]*/g) ?? [];
  for (const a of amounts) expect(a).toMatch(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
}
