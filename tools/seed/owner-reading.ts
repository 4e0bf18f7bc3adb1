/**
 * 自助抄表 for the demo (`npm start`): the elderly owner 张桂兰 (o_demo_elder, 1栋2单元201, read
 * by no one yet this month) photographed her water meter and reported it, through the page's own
 * steps — an upload to her folder under storage.rules.json, then `fee.submitReading` — so 抄表录入
 * shows a 业主上报 reading with its photo for staff to accept or correct, and her 自助抄表 page
 * shows it waiting. Outside the month-end window the report is dated the window's last day.
 */
import { ownerReadingWindow } from '../../miniprogram/domain/fee/owner-reading';
import type { OwnerMeterView } from '../../miniprogram/domain/fee/owner-readings.contract';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import type { SeedContext } from '../cloud/server';
import { DEMO_USERS } from './demo';
import { DEMO_METER_ITEM } from './fees';
import { meterPhoto } from './meter-photo';

const ROOM = 'r_1_2_201';

async function must<T>(ctx: SeedContext, event: Record<string, unknown>): Promise<T> {
  const r = (await ctx.call('fee', event, DEMO_USERS.elder)) as
    { ok: true; data: T } | { ok: false; code: string; message: string };
  if (!r.ok) throw new Error(`[seed owner reading] fee.${String(event.action)}: ${r.message}`);
  return r.data;
}

export async function seedOwnerReading(ctx: SeedContext): Promise<void> {
  const offset = ctx.clock.offset;
  const today = shanghaiDate(new Date(ctx.clock.now()));
  const days = DEFAULT_SETTINGS.readingWindowDays;
  if (!ownerReadingWindow(today, days)!.open) {
    // the window just past ended on this month's day `days`
    const day = `${today.slice(0, 7)}-${String(days).padStart(2, '0')}`;
    ctx.clock.set(Date.parse(`${day}T19:30:00+08:00`));
  }
  try {
    const { meters } = await must<{ meters: OwnerMeterView[] }>(ctx, {
      action: 'myMeters',
      roomId: ROOM,
    });
    const meter = meters.find((m) => m.itemId === DEMO_METER_ITEM);
    if (!meter?.previous || meter.blocked) {
      throw new Error(`[seed owner reading] ${ROOM} cannot report: ${JSON.stringify(meter)}`);
    }
    const current = String(Number(meter.previous) + 12);
    const cloudPath = `readings/${DEMO_USERS.elder}/demo-${meter.period}.png`;
    const form = new FormData();
    form.append('cloudPath', cloudPath);
    form.append('openid', DEMO_USERS.elder);
    form.append('file', new Blob([new Uint8Array(meterPhoto(current))]), 'meter.png');
    const up = await fetch(`${ctx.url}/gateway/upload`, { method: 'POST', body: form });
    const { fileID } = (await up.json()) as { fileID?: string };
    if (!up.ok || !fileID) throw new Error(`[seed owner reading] upload: ${up.status}`);
    await must(ctx, {
      action: 'submitReading',
      roomId: ROOM,
      itemId: DEMO_METER_ITEM,
      current,
      photo: fileID,
    });
  } finally {
    ctx.clock.set(Date.now() + offset);
  }
}
