/**
 * 抄表录入 end to end in real Chromium on the demo's seeded tap water (building 1): finance
 * opens the sheet (on the month owners are reporting) and steps back to last month's, enters a reading for a room still to read that is far above its
 * history, sees it held as 待确认, and confirms it with a note — the reading is then billable
 * (confirmed) and the decision is in the audit log.
 */
import { roomSortKey } from '../../miniprogram/domain/community/vocabulary';
import { formatPeriod } from '../../miniprogram/domain/kernel/time';
import { DEMO_METER_ITEM } from '../../tools/seed/fees';
import { current, until, useHarness } from './harness';

const h = useHarness();

interface Reading {
  _id: string;
  roomId: string;
  period: string;
  current: string;
  status: string;
}

test('finance enters a spike reading, sees it flagged and confirms it with a note', async () => {
  const readings = () =>
    h.cloud.store.find('meter_readings', { itemId: DEMO_METER_ITEM }) as unknown as Reading[];
  const lastMonth = readings()
    .map((r) => r.period)
    .sort()
    .pop()!;
  const entered = new Set(
    readings()
      .filter((r) => r.period === lastMonth)
      .map((r) => r.roomId),
  );
  const pending = h.cloud.store
    .find('rooms', { communityId: 'c_cuihu', building: '1' })
    .map((r) => ({
      id: r._id as string,
      label: `${String(r.building)}栋${String(r.unit)}单元${String(r.number)}`,
      key: roomSortKey(r as unknown as { building: string; unit: string; number: string }),
    }))
    .filter((r) => !entered.has(r.id))
    .sort((a, b) => a.key.localeCompare(b.key))[0]!;
  const previous = readings()
    .filter((r) => r.roomId === pending.id)
    .sort((a, b) => a.period.localeCompare(b.period))
    .pop()!.current;

  const page = await h.open('o_demo_finance', 'admin/readings/index', 'relaunch');
  const screen = current(page);
  await screen.getByText('自来水费（1栋代收）').waitFor();
  // On 26 November the sheet opens on November, the month owners are reporting (自助抄表):
  // step back to last month's, which staff read.
  await screen.getByText('2026年11月用量').waitFor();
  await screen.locator('[class*="step"][class*="prev"]').tap();
  await screen.getByText(`${formatPeriod(lastMonth)}用量`).waitFor();
  await screen.locator('[class*="f-pending"]').tap();
  const card = screen.locator('[class*="reading-"]', { hasText: pending.label }).first();
  await card.waitFor();
  expect(await card.innerText()).toContain(`上次读数 ${previous}`);

  const spike = String(Number(previous) + 500);
  // The 待抄 filter reloads the list; a card found before the reload can be replaced under
  // the cursor on a slow machine, so type again until the page shows the usage.
  for (let attempt = 1; ; attempt++) {
    await card.locator('van-field[class*="f-current"] input').fill(spike);
    try {
      await card.getByText('用量 500 m³').waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  await screen.locator('van-button', { hasText: '保存本页读数' }).tap();

  const modal = page.locator('.wx-modal');
  await modal.waitFor();
  expect(await modal.innerText()).toContain('1 户读数待确认');
  await modal.locator('.wx-modal-confirm').tap();
  const saved = await until(
    async () => readings().find((r) => r.roomId === pending.id && r.period === lastMonth),
    (r) => r !== undefined,
  );
  expect(saved).toMatchObject({ current: spike, status: 'flagged' });

  await screen.locator('[class*="f-flagged"]').tap();
  const flagged = screen.locator('[class*="reading-"]', { hasText: pending.label }).first();
  await flagged.waitFor();
  expect(await flagged.innerText()).toContain('超过该户历史中位数');
  await flagged.locator('van-button', { hasText: '核实无误，确认' }).tap();
  await flagged.locator('van-field[class*="f-note"] input').fill('现场核实，住户装修用水');
  await flagged.locator('van-button', { hasText: '确认计费' }).tap();

  const confirmed = await until(
    async () => readings().find((r) => r._id === saved!._id)?.status,
    (s) => s === 'confirmed',
  );
  expect(confirmed).toBe('confirmed');
  // The status is written just before the audit entry: wait for both.
  const audited = await until(
    async () =>
      h.cloud.store.find('audit_log', { action: 'reading.confirm', targetId: saved!._id }).length,
    (n) => n === 1,
  );
  expect(audited).toBe(1);
  // The confirmed reading leaves the 待确认 list.
  await until(
    () => screen.locator('[class*="reading-"]', { hasText: pending.label }).count(),
    (n) => n === 0,
  );
  expect(h.external).toEqual([]);
});
