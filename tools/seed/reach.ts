/**
 * Reaching every owner for the demo (`npm start`, docs/overdue.md "Reaching every owner"): SMS is
 * switched on (a daily cap of 300) and the latest payment notice texts the households WeChat did
 * not reach — through `notice.smsUnreached`, so each SMS goes through the emulated
 * `urllink.generate` and `cloudbase.sendSmsV2` and shows in `/dev/outbox` (`channel: 'sms'`); one
 * owner had replied T (回T退订), so their SMS failed with that reason. Then 1栋's household notices
 * are printed (one page per billed room, each with its own mini-program code), so the preview's
 * 扫码 list has codes that open binding with the room filled in, and that owner signed for
 * theirs. The calls run at the current time (never in quiet hours: in them, the evening before).
 */
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { smsNumber } from '../../miniprogram/domain/notice/reach';
import { inQuietHours } from '../../miniprogram/domain/overdue/rules';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import type { SeedContext } from '../cloud/server';
import { DEMO_USERS } from './demo';

const C = 'c_cuihu';
const NOTICE = 'n_welcome';
/** The first unbound room of 1栋 with one owner on record that still owes for the notice's period. */
function owingUnboundRoom(ctx: SeedContext): string | undefined {
  const notice = ctx.store.find('notices', { _id: NOTICE })[0] as { period?: string } | undefined;
  const owing = new Set(
    ctx.store
      .find('bills', { period: notice?.period, status: { $in: ['unpaid', 'partial'] } })
      .map((b) => String(b.roomId)),
  );
  return ctx.store
    .find('notice_deliveries', { noticeId: NOTICE, outcome: 'not-bound' })
    .map((d) => String(d.roomId))
    .filter(
      (r) =>
        r.startsWith('r_1_') &&
        owing.has(r) &&
        ctx.store.find('room_owners', { roomId: r, relation: { $in: ['owner', 'co-owner'] } })
          .length === 1,
    )
    .sort()[0];
}

async function must<T>(
  ctx: SeedContext,
  fn: string,
  event: Record<string, unknown>,
  openid: string,
): Promise<T> {
  const r = (await ctx.call(fn, event, openid)) as
    { ok: true; data: T } | { ok: false; code: string; message: string };
  if (!r.ok) throw new Error(`[seed reach] ${fn}.${String(event.action)}: ${r.message}`);
  return r.data;
}

export async function seedReach(ctx: SeedContext): Promise<void> {
  const offset = ctx.clock.offset;
  const now = new Date(ctx.clock.now());
  // Outside quiet hours, and never ahead of now (moving ahead would fire the day's timers).
  if (inQuietHours(now, DEFAULT_SETTINGS.quietHours)) {
    const today = shanghaiDate(now);
    const evening = Date.parse(`${today}T20:00:00+08:00`);
    ctx.clock.set(evening < now.getTime() ? evening : evening - 86_400_000);
  }
  try {
    await must(
      ctx,
      'settings',
      { action: 'update', communityId: C, smsDailyCap: 300 },
      DEMO_USERS.admin,
    );
    // Who replied T to an earlier SMS: their room falls back to the call list, then to paper.
    const unsubscribed = owingUnboundRoom(ctx);
    const rel = ctx.store.find('room_owners', {
      roomId: unsubscribed,
      relation: 'owner',
    })[0] as { ownerId: string } | undefined;
    const owner = rel && (ctx.store.find('owners', { _id: rel.ownerId })[0] as { mobile?: string });
    const number = smsNumber(owner?.mobile);
    if (number) {
      await fetch(`${ctx.url}/dev/sms/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: number, text: 'T' }),
      });
    }
    await must(
      ctx,
      'notice',
      { action: 'smsUnreached', communityId: C, noticeId: NOTICE },
      DEMO_USERS.service,
    );
    await must(
      ctx,
      'notice',
      { action: 'householdPdf', communityId: C, noticeId: NOTICE, building: '1' },
      DEMO_USERS.service,
    );
    // …and signed for the printed notice instead (送达签收).
    const unsigned = unsubscribed ? [unsubscribed] : [];
    if (unsigned.length)
      await must(
        ctx,
        'notice',
        { action: 'recordDelivery', communityId: C, noticeId: NOTICE, roomIds: unsigned },
        DEMO_USERS.service,
      );
  } finally {
    ctx.clock.set(Date.now() + offset);
  }
}
