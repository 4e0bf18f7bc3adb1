/**
 * A room's 催缴函 (collection letter), made today: the letter issued at the formal-notice stage,
 * asking for the bills past due (+ grace) today and what they owe today (截至 today, dated today),
 * with the owner on record and the late-fee policy, as a printable document.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import {
  letterBill,
  lettersBills,
  overdueLettersDoc,
} from '../../../../miniprogram/domain/overdue/rules';
import { addDays, daysBetween } from '../../../../miniprogram/domain/kernel/time';
import { type LetterView } from '../../../../miniprogram/domain/overdue/contract';
import { fetchAll, isMissing } from '../../../_shared/db';
import { type CommunitySettingsDoc } from '../../../_shared/remind';
import { AppError, type ActionContext } from '../../../_shared/router';
import type { LetterDoc } from '../../../_shared/overdue-records';
import type { RoomDoc } from '../../../_shared/records';
import { iso, openBills, today } from './cases';

export async function letterFor(
  ctx: ActionContext,
  c: CommunitySettingsDoc,
  r: RoomDoc,
): Promise<{ letter: LetterDoc; view: LetterView }> {
  const res = await ctx.db
    .collection('collection_letters')
    .where({ communityId: c._id, roomId: r._id })
    .orderBy('createdAt', 'desc')
    .limit(1)
    .get();
  const letter = res.data[0] as LetterDoc | undefined;
  if (!letter) throw new AppError('NOT_FOUND', 'roomId: 该房屋尚未到书面催缴阶段，没有催缴函');
  // The letter is made today: it asks for what is past due (+ grace) today, as of today.
  const day = today(ctx);
  const grace = c.overdueGraceDays ?? 0;
  let bills = lettersBills(await openBills(ctx, c._id, [r._id]), day, grace);
  // all settled since: the letter still shows what it was about, owing nothing now
  if (bills.length === 0) {
    const issued = await fetchAll<BillDoc>(
      ctx.db.collection('bills').where({ _id: ctx.db.command.in(letter.billIds) }),
    );
    bills = issued.map((b) => letterBill(b, day));
  }
  const label = roomLabel(r);
  const rel = await fetchAll<{ ownerId: string; relation: string }>(
    ctx.db.collection('room_owners').where({ roomId: r._id, relation: 'owner' }),
  );
  let addressee = '业主';
  if (rel[0]) {
    try {
      const o = (await ctx.db.collection('owners').doc(rel[0].ownerId).get()).data as {
        name?: string;
      };
      if (o.name) addressee = o.name;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  const lateRules = await fetchAll<{
    lateFee?: { enabled: boolean; rateBpPerDay: number; graceDays: number } | null;
  }>(ctx.db.collection('fee_standards').where({ communityId: c._id }));
  const rule = lateRules.map((s) => s.lateFee).find((l) => l?.enabled);
  const doc = overdueLettersDoc([
    {
      letterNo: letter.letterNo,
      communityName: c.name,
      roomLabel: label,
      addressee,
      bills,
      issuedOn: day,
      // the same reasonable time to pay as the letter was given when the stage was reached
      payBy: addDays(day, Math.max(15, daysBetween(letter.issuedOn, letter.payBy))),
      servicePhone: c.servicePhone ?? '',
      frontDesk: c.frontDesk ?? '物业服务中心',
      serviceHours: c.serviceHours ?? '',
      lateFeePolicy: rule
        ? `自应缴日期后第 ${rule.graceDays + 1} 天起按每日 ${(rule.rateBpPerDay / 100).toFixed(2)}% 计收，设有上限`
        : null,
    },
  ]);
  return {
    letter,
    view: {
      roomId: r._id,
      roomLabel: label,
      letterNo: letter.letterNo,
      doc,
      deliveredAt: iso(letter.deliveredAt),
    },
  };
}
