/** Expenses (支出, with vouchers) and common-area income (公共收益, with its use). */
import { audit, auditTarget } from '../../../_shared/audit';
import { isDuplicate } from '../../../_shared/db';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { type EntryDoc, entriesOf, entryViews, oneEntryView } from '../repo/disclosures';
import { requireUploads } from '../../../_shared/uploads';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { Handlers } from '../../../_shared/router';
import type { disclosureContracts } from '../../../../miniprogram/domain/disclosure/contract';

/** Finance keeps the books; admin implies every role. */
export const WRITERS = ['finance'] as const;

function entryAudit(d: EntryDoc): Record<string, unknown> {
  return {
    type: d.type,
    category: d.category,
    date: d.date,
    amountFen: d.amountFen,
    description: d.description,
    vouchers: d.vouchers.length,
    status: d.status,
  };
}

export const addEntry: Handlers<typeof disclosureContracts>['addEntry'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, WRITERS);
  if (input.date > shanghaiDate(ctx.now())) {
    throw new AppError('INVALID_INPUT', 'date: 日期不能晚于今天');
  }
  // Vouchers uploaded on 收支公示 for this entry (disclosure/<community>/<requestId>-n).
  await requireUploads('vouchers', input.vouchers, {
    folder: 'disclosure',
    prefix: `disclosure/${input.communityId}/${input.requestId}-`,
    refusal: '请在本页为这笔记录上传凭证后再提交',
  });
  const id = `de_${input.communityId}_${input.requestId}`;
  const doc: EntryDoc = {
    _id: id,
    communityId: input.communityId,
    type: input.type,
    category: input.category,
    date: input.date,
    amountFen: input.amountFen,
    description: input.description,
    use: input.type === 'income' ? (input.use ?? '') : '',
    vouchers: input.vouchers,
    status: 'active',
    voidReason: null,
    requestId: input.requestId,
    createdBy: caller.openid,
    createdByName: caller.name,
    createdAt: ctx.now(),
  };
  try {
    await ctx.db.collection('disclosure_entries').add({ data: doc });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    // The same request again (a retried tap): the entry already recorded.
    const res = await ctx.db.collection('disclosure_entries').where({ _id: id }).limit(1).get();
    const existing = res.data[0] as EntryDoc | undefined;
    if (
      !existing ||
      existing.communityId !== input.communityId ||
      existing.amountFen !== input.amountFen ||
      existing.type !== input.type
    ) {
      throw new AppError('CONFLICT', 'requestId: 该编号已用于另一笔记录');
    }
    return oneEntryView(existing);
  }
  await audit(ctx, caller, {
    ...auditTarget('disclosureEntry', input.communityId, id, input.description),
    action: input.type === 'expense' ? 'disclosure.addExpense' : 'disclosure.addIncome',
    summary: `${input.type === 'expense' ? '登记支出' : '登记公共收益'} ${formatYuan(input.amountFen)}（${input.description}）`,
    after: entryAudit(doc),
  });
  return oneEntryView(doc);
};

export const voidEntry: Handlers<typeof disclosureContracts>['voidEntry'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, WRITERS);
  const res = await ctx.db
    .collection('disclosure_entries')
    .where({ _id: input.entryId })
    .limit(1)
    .get();
  const doc = res.data[0] as EntryDoc | undefined;
  if (!doc || doc.communityId !== input.communityId) {
    throw new AppError('NOT_FOUND', 'entryId: 未找到该记录');
  }
  if (doc.status === 'void') return oneEntryView(doc);
  const upd = await ctx.db
    .collection('disclosure_entries')
    .where({ _id: doc._id, status: 'active' })
    .update({
      data: {
        status: 'void',
        voidReason: input.reason,
        voidedBy: caller.openid,
        voidedAt: ctx.now(),
      },
    });
  const done: EntryDoc = { ...doc, status: 'void', voidReason: input.reason };
  if (upd.stats.updated !== 1) return oneEntryView(done);
  await audit(ctx, caller, {
    ...auditTarget('disclosureEntry', input.communityId, doc._id, doc.description),
    action: 'disclosure.voidEntry',
    summary: `作废${doc.type === 'expense' ? '支出' : '公共收益'} ${formatYuan(doc.amountFen)}（${doc.description}）：${input.reason}`,
    before: entryAudit(doc),
    after: entryAudit(done),
  });
  return oneEntryView(done);
};

export const entries: Handlers<typeof disclosureContracts>['entries'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, WRITERS);
  const docs = await entriesOf(ctx, input.communityId, input.period, {
    ...(input.type ? { type: input.type } : {}),
    includeVoid: input.includeVoid,
  });
  return { entries: await entryViews(docs) };
};
