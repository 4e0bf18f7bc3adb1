/**
 * Vacancy records (空置): a vacancy discount applies only to days covered by an approved record.
 * Finance records them with the approval reference; revoking one affects later runs only (issued
 * bills keep the discount they were issued with).
 */
import { audit, auditTarget } from '../../../_shared/audit';
import { stableId } from '../../../_shared/ids';
import { listPage } from '../../../_shared/paging';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { findById } from '../../../_shared/paging';
import { iso } from '../../../_shared/records';
import { labelOf, labelsOf, roomsByIds, roomLabelled } from '../repo/rooms';
import type { VacancyView } from '../../../../miniprogram/domain/fee/contract';
import { type VacancyDoc } from '../repo/vacancies';
import { MANAGERS } from '../repo/standard-versions';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

export function view(doc: VacancyDoc, label: string): VacancyView {
  return {
    vacancyId: doc._id,
    roomId: doc.roomId,
    roomLabel: label,
    from: doc.from,
    to: doc.to,
    status: doc.status,
    approvalRef: doc.approvalRef,
    note: doc.note,
    createdAt: iso(doc.createdAt),
    revokedAt: iso(doc.revokedAt ?? null),
    reason: doc.reason ?? null,
  };
}

export const recordVacancy: Handlers<typeof feeContracts>['recordVacancy'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const room = (await roomsByIds(ctx, input.communityId, [input.roomId])).get(input.roomId);
  if (!room) throw new AppError('NOT_FOUND', 'roomId: 房屋不存在');
  const _ = ctx.db.command;
  // Overlapping approved records would double-count nothing (ranges are merged) but confuse
  // people: refuse them.
  const overlap = await ctx.db
    .collection('vacancy_records')
    .where({
      roomId: input.roomId,
      status: 'approved',
      from: _.lte(input.to),
      to: _.gte(input.from),
    })
    .limit(1)
    .get();
  if (overlap.data.length > 0) {
    const o = overlap.data[0] as VacancyDoc;
    throw new AppError('CONFLICT', `from: 与已批准的空置记录（${o.from} 至 ${o.to}）重叠`);
  }
  const doc: VacancyDoc = {
    _id: stableId('vac_', input.communityId, input.roomId, input.from, input.to),
    communityId: input.communityId,
    roomId: input.roomId,
    from: input.from,
    to: input.to,
    status: 'approved',
    approvalRef: input.approvalRef,
    note: input.note ?? null,
    createdBy: caller.openid,
    createdAt: ctx.now(),
  };
  const existing = await findById<VacancyDoc>(ctx, 'vacancy_records', doc._id);
  if (existing) {
    // The same record again (a repeated tap): re-approve a revoked one, else return it.
    if (existing.status !== 'approved') {
      await ctx.db
        .collection('vacancy_records')
        .doc(doc._id)
        .update({ data: { status: 'approved', approvalRef: doc.approvalRef, note: doc.note } });
    }
  } else {
    await ctx.db.collection('vacancy_records').add({ data: doc });
  }
  await audit(ctx, caller, {
    ...auditTarget('vacancy', input.communityId, doc._id, labelOf(room)),
    action: 'vacancy.record',
    summary: `登记空置 ${doc.from} 至 ${doc.to}（${doc.approvalRef}）`,
    after: { from: doc.from, to: doc.to, approvalRef: doc.approvalRef },
  });
  return view(doc, labelOf(room));
};

export const revokeVacancy: Handlers<typeof feeContracts>['revokeVacancy'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const doc = await findById<VacancyDoc>(ctx, 'vacancy_records', input.vacancyId);
  if (!doc || doc.communityId !== input.communityId) {
    throw new AppError('NOT_FOUND', 'vacancyId: 空置记录不存在');
  }
  const now = ctx.now();
  const next: VacancyDoc = {
    ...doc,
    status: 'revoked',
    revokedAt: now,
    revokedBy: caller.openid,
    reason: input.reason,
  };
  if (doc.status !== 'revoked') {
    await ctx.db
      .collection('vacancy_records')
      .doc(doc._id)
      .update({
        data: { status: 'revoked', revokedAt: now, revokedBy: caller.openid, reason: input.reason },
      });
    await audit(ctx, caller, {
      ...auditTarget('vacancy', input.communityId, doc._id, doc.roomId),
      action: 'vacancy.revoke',
      summary: `撤销空置记录 ${doc.from} 至 ${doc.to}：${input.reason}`,
      before: { status: doc.status },
      after: { status: 'revoked' },
    });
  }
  const labels = await labelsOf(ctx, input.communityId, [doc.roomId]);
  return view(next, labels.get(doc.roomId) ?? doc.roomId);
};

export const listVacancies: Handlers<typeof feeContracts>['vacancies'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.roomId) where.roomId = input.roomId;
  if (input.status) where.status = input.status;
  return listPage<VacancyDoc, ReturnType<typeof view>>(
    ctx,
    'vacancy_records',
    where,
    [['from', 'desc']],
    input,
    (docs) => roomLabelled(ctx, input.communityId, docs, view),
  );
};
