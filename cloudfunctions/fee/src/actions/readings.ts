/**
 * Meter readings (抄表): entered or imported per room, item and usage period, checked before
 * they can be billed (数据检查). A reading lower than the previous one, or a usage far above the
 * room's own history (> 5× its median), is held as `flagged` until finance confirms or rejects
 * it; the billing run bills only `ok` and `confirmed` readings. A billed reading is immutable.
 */
import { type ReadingStatus } from '../../../../miniprogram/domain/fee/readings.contract';
import { type ReadingFlag, toQuantity } from '../../../../miniprogram/domain/fee';
import { audit } from '../../../_shared/audit';
import { listPage } from '../../../_shared/paging';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { fetchByIds, insertNew } from '../../../_shared/paging';
import { labelsOf, roomsByIds, roomLabelled } from '../repo/rooms';
import type { ReadingRowResult } from '../../../../miniprogram/domain/fee/contract';
import {
  type ReadingDoc,
  assessReading,
  meterStandard,
  readingHistory,
  readingId,
  readingView,
} from '../repo/readings';
import { MANAGERS } from '../repo/standard-versions';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

export function flagMessage(
  flags: readonly ReadingFlag[],
  median: string | null,
  unit: string,
): string {
  const parts: string[] = [];
  if (flags.includes('lowerThanPrevious')) {
    parts.push('本次读数低于上次读数（换表、回零或录入错误？），请核实后重新录入');
  }
  if (flags.includes('spike')) {
    parts.push(`用量超过该户历史用量中位数 ${median ?? '0'} ${unit} 的 5 倍，请核实后确认`);
  }
  return parts.join('；');
}

export interface ReadingRow {
  roomId: string;
  current: string;
  previous?: string;
  multiplier?: string;
  loss?: string;
  readOn?: string;
  note?: string;
}

export const saveReadings: Handlers<typeof feeContracts>['saveReadings'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, [...MANAGERS, 'service']);
  const standard = await meterStandard(ctx, input.communityId, input.itemId);
  const unit =
    standard.versions[0]?.pricing.kind === 'meter' ? standard.versions[0].pricing.unit : '';
  const roomIds = input.readings.map((r) => r.roomId);
  const rooms = await roomsByIds(ctx, input.communityId, roomIds);
  const missing = input.readings.findIndex((r) => !rooms.has(r.roomId));
  if (missing >= 0) {
    throw new AppError('INVALID_INPUT', `readings.${missing}.roomId: 房屋不存在`);
  }
  // Every quantity must be an exact decimal (the contract checks the text).
  input.readings.forEach((r, i) => {
    for (const k of ['current', 'previous', 'multiplier', 'loss'] as const) {
      const v = r[k];
      if (v !== undefined) {
        try {
          toQuantity(v, k);
        } catch (e) {
          throw new AppError('INVALID_INPUT', `readings.${i}.${k}: ${(e as Error).message}`);
        }
      }
    }
  });
  const past = await readingHistory(ctx, input, roomIds);
  const ids = input.readings.map((r) => readingId(r.roomId, input.itemId, input.period));
  const existing = new Map(
    (await fetchByIds<ReadingDoc>(ctx, 'meter_readings', ids)).map((d) => [d._id, d]),
  );

  const now = ctx.now();
  const results: ReadingRowResult[] = [];
  const inserts: ReadingDoc[] = [];
  const replaces: ReadingDoc[] = [];
  input.readings.forEach((row, i) => {
    const id = ids[i]!;
    const earlier = past.get(row.roomId) ?? [];
    const previous = row.previous ?? earlier[0]?.current;
    if (previous === undefined) {
      throw new AppError(
        'INVALID_INPUT',
        `readings.${i}.previous: 该户没有上期读数，首次抄表请填写上次（起始）读数`,
      );
    }
    const multiplier = row.multiplier ?? '1';
    const loss = row.loss ?? '0';
    const { usage, flags, median } = assessReading(
      { previous, current: row.current, multiplier, loss },
      earlier,
    );
    const before = existing.get(id);
    if (before?.status === 'billed') {
      throw new AppError('CONFLICT', `readings.${i}: 该户本期读数已出账，不能修改`);
    }
    const same =
      before &&
      before.previous === previous &&
      before.current === row.current &&
      before.multiplier === multiplier &&
      before.loss === loss &&
      before.readOn === (row.readOn ?? null);
    if (same) {
      results.push({
        roomId: row.roomId,
        readingId: id,
        outcome: 'unchanged',
        usage: before.usage,
        flags: before.flags,
        median: before.median,
        message:
          before.status === 'flagged' ? flagMessage(before.flags, before.median, unit) : null,
      });
      return;
    }
    const doc: ReadingDoc = {
      _id: id,
      communityId: input.communityId,
      roomId: row.roomId,
      itemId: input.itemId,
      period: input.period,
      previous,
      current: row.current,
      multiplier,
      loss,
      usage,
      readOn: row.readOn ?? null,
      status: flags.length > 0 ? 'flagged' : 'ok',
      flags,
      median,
      note: row.note ?? null,
      enteredBy: caller.openid,
      enteredAt: now,
    };
    (before ? replaces : inserts).push(doc);
    results.push({
      roomId: row.roomId,
      readingId: id,
      outcome: flags.length > 0 ? 'flagged' : 'saved',
      usage,
      flags,
      median,
      message: flags.length > 0 ? flagMessage(flags, median, unit) : null,
    });
  });
  await insertNew(ctx, 'meter_readings', inserts);
  const _ = ctx.db.command;
  for (const doc of replaces) {
    const { _id, ...rest } = doc;
    // Never overwrite a reading billed meanwhile.
    await ctx.db
      .collection('meter_readings')
      .where({ _id, status: _.neq('billed') })
      .update({ data: { ...rest, decidedBy: _.remove(), decidedAt: _.remove() } });
  }
  return {
    saved: results.filter((r) => r.outcome === 'saved').length,
    flagged: results.filter((r) => r.outcome === 'flagged').length,
    unchanged: results.filter((r) => r.outcome === 'unchanged').length,
    results,
  };
};

export const confirmReadings: Handlers<typeof feeContracts>['confirmReadings'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const docs = await fetchByIds<ReadingDoc>(ctx, 'meter_readings', input.readingIds, {
    communityId: input.communityId,
  });
  const byId = new Map(docs.map((d) => [d._id, d]));
  input.readingIds.forEach((id, i) => {
    const doc = byId.get(id);
    if (!doc) throw new AppError('NOT_FOUND', `readingIds.${i}: 读数不存在`);
    if (doc.status !== 'flagged') {
      throw new AppError('CONFLICT', `readingIds.${i}: 该读数不在待确认状态（${doc.status}）`);
    }
    if (input.decision === 'confirm' && doc.flags.includes('lowerThanPrevious')) {
      throw new AppError(
        'INVALID_INPUT',
        `readingIds.${i}: 读数低于上次读数不能直接确认；换表时请重新录入，上次读数填新表起始读数`,
      );
    }
  });
  const _ = ctx.db.command;
  const now = ctx.now();
  const status: ReadingStatus = input.decision === 'confirm' ? 'confirmed' : 'rejected';
  await ctx.db
    .collection('meter_readings')
    .where({ _id: _.in(input.readingIds), status: 'flagged' })
    .update({
      data: { status, decidedBy: caller.openid, decidedAt: now, decisionNote: input.note },
    });
  await audit(
    ctx,
    caller,
    ...docs.map((d) => ({
      communityId: input.communityId,
      action: input.decision === 'confirm' ? 'reading.confirm' : 'reading.reject',
      targetType: 'meterReading' as const,
      targetId: d._id,
      targetLabel: `${d.roomId} ${d.itemId} ${d.period}`,
      summary: `${input.decision === 'confirm' ? '确认' : '驳回'}异常读数（用量 ${d.usage}）：${input.note}`,
      before: { status: d.status, usage: d.usage, flags: d.flags },
      after: { status },
    })),
  );
  const labels = await labelsOf(
    ctx,
    input.communityId,
    docs.map((d) => d.roomId),
  );
  return {
    readings: docs.map((d) =>
      readingView(
        { ...d, status, decidedBy: caller.openid, decidedAt: now },
        labels.get(d.roomId) ?? d.roomId,
      ),
    ),
  };
};

export const listReadings: Handlers<typeof feeContracts>['readings'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const where: Record<string, unknown> = {
    communityId: input.communityId,
    itemId: input.itemId,
    period: input.period,
  };
  if (input.status) where.status = input.status;
  return listPage<ReadingDoc, ReturnType<typeof readingView>>(
    ctx,
    'meter_readings',
    where,
    [['roomId', 'asc']],
    input,
    (docs) => roomLabelled(ctx, input.communityId, docs, readingView),
  );
};
