/** People on record: the masked list, corrections, relations to rooms, and audited reveals. */
import { RELATION_LABELS, roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { isValidIdNumber } from '../../../../miniprogram/domain/community/roster';
import { audit, auditTarget } from '../../../_shared/audit';
import { revokeBindingsOfPerson } from '../../../_shared/bindings';
import { escapeRegExp } from '../../../_shared/db';
import { listPage } from '../../../_shared/paging';
import {
  getOwner,
  getRoom,
  isActive,
  roomsByIds,
  today,
  type OwnerDoc,
  type RelationDoc,
} from '../../../_shared/records';
import { ANY_STAFF, hasRole, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { ownerIdFor, relationIdFor } from '../repo/roster-plan';
import { ownerListItem, personAudit } from '../repo/views';
import { roomDetail } from './rooms';
import type { OwnerListItem } from '../../../../miniprogram/domain/community/contract';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

async function ownerItems(ctx: ActionContext, owners: OwnerDoc[]): Promise<OwnerListItem[]> {
  if (owners.length === 0) return [];
  const _ = ctx.db.command;
  const rels = (
    await ctx.db
      .collection('room_owners')
      .where({ ownerId: _.in(owners.map((o) => o._id)) })
      .limit(1000)
      .get()
  ).data as RelationDoc[];
  const rooms = await roomsByIds(
    ctx,
    rels.map((r) => r.roomId),
  );
  const day = today(ctx);
  return owners.map((o) =>
    ownerListItem(
      o,
      rels
        .filter((r) => r.ownerId === o._id)
        .map((r) => {
          const room = rooms.get(r.roomId);
          return {
            roomId: r.roomId,
            label: room ? roomLabel(room) : '',
            relation: r.relation,
            active: isActive(r, day),
          };
        }),
    ),
  );
}

export const listOwners: Handlers<typeof communityContracts>['owners'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const db = ctx.db;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.specialCare !== undefined) where.specialCare = input.specialCare;
  if (input.keyword) {
    where[/^\d{4,11}$/.test(input.keyword) ? 'mobile' : 'name'] = /^\d{4,11}$/.test(input.keyword)
      ? db.RegExp({ regexp: `${escapeRegExp(input.keyword)}$` })
      : db.RegExp({ regexp: `^${escapeRegExp(input.keyword)}` });
  }
  return listPage<OwnerDoc, OwnerListItem>(
    ctx,
    'owners',
    where,
    [
      ['name', 'asc'],
      ['_id', 'asc'],
    ],
    input,
    (owners) => ownerItems(ctx, owners),
  );
};

function isDuplicate(e: unknown): boolean {
  return /E11000|duplicate/i.test((e as Error)?.message ?? '');
}

export const saveOwner: Handlers<typeof communityContracts>['saveOwner'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const owner = await getOwner(ctx, input.communityId, input.ownerId);
  const { communityId, ownerId, ...patch } = input;
  if (patch.idNumber) {
    patch.idNumber = patch.idNumber.toUpperCase();
    if (!isValidIdNumber(patch.idNumber)) {
      throw new AppError('INVALID_INPUT', 'idNumber: 身份证号不正确（校验位或出生日期有误）');
    }
  }
  const set: Partial<OwnerDoc> = {};
  for (const [k, v] of Object.entries(patch) as [keyof OwnerDoc, unknown][]) {
    if (v !== undefined && owner[k] !== v) (set as Record<string, unknown>)[k] = v;
  }
  if (set.specialCare === false && set.careNote === undefined && owner.careNote)
    set.careNote = null;
  if (Object.keys(set).length === 0) return (await ownerItems(ctx, [owner]))[0]!;
  try {
    await ctx.db
      .collection('owners')
      .doc(ownerId)
      .update({ data: { ...set, updatedAt: ctx.now() } });
  } catch (e) {
    if (isDuplicate(e)) throw new AppError('CONFLICT', '已有同名且手机号相同的人员记录');
    throw e;
  }
  const before: Partial<OwnerDoc> = {};
  for (const k of Object.keys(set) as (keyof OwnerDoc)[]) {
    (before as Record<string, unknown>)[k] = owner[k];
  }
  await audit(ctx, caller, {
    communityId,
    action: 'owner.update',
    targetType: 'owner',
    targetId: ownerId,
    targetLabel: maskName(owner.name),
    summary: `修改人员信息：${Object.keys(set).join('、')}`,
    before: personAudit(before),
    after: personAudit(set),
  });
  return (await ownerItems(ctx, [{ ...owner, ...set }]))[0]!;
};

export const linkPerson: Handlers<typeof communityContracts>['linkPerson'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const { communityId } = input;
  const room = await getRoom(ctx, communityId, input.roomId);
  const now = ctx.now();
  let owner: OwnerDoc;
  let created = false;
  if (input.ownerId) {
    owner = await getOwner(ctx, communityId, input.ownerId);
  } else {
    const p = input.person!;
    const idNumber = p.idNumber ? p.idNumber.toUpperCase() : null;
    if (idNumber && !isValidIdNumber(idNumber)) {
      throw new AppError(
        'INVALID_INPUT',
        'person.idNumber: 身份证号不正确（校验位或出生日期有误）',
      );
    }
    const found = (
      await ctx.db
        .collection('owners')
        .where({ communityId, name: p.name, mobile: p.mobile })
        .limit(1)
        .get()
    ).data[0] as OwnerDoc | undefined;
    if (found) owner = found;
    else {
      owner = {
        _id: ownerIdFor(communityId, p.name, p.mobile),
        communityId,
        name: p.name,
        mobile: p.mobile,
        idNumber,
        specialCare: p.specialCare ?? false,
        careNote: p.specialCare ? (p.careNote ?? null) : null,
      };
      try {
        await ctx.db
          .collection('owners')
          .add({ data: { ...owner, createdAt: now, updatedAt: now } });
        created = true;
      } catch (e) {
        if (!isDuplicate(e)) throw e;
      }
    }
  }
  const day = today(ctx);
  const since = input.since ?? day;
  const relId = relationIdFor(room._id, owner._id);
  const existing = (await ctx.db.collection('room_owners').where({ _id: relId }).limit(1).get())
    .data[0] as RelationDoc | undefined;
  if (existing && isActive(existing, day) && existing.relation === input.relation) {
    throw new AppError('CONFLICT', `该人员已是此房屋的${RELATION_LABELS[input.relation]}`);
  }
  const rel: Omit<RelationDoc, '_id'> = {
    communityId,
    roomId: room._id,
    ownerId: owner._id,
    relation: input.relation,
    since,
    until: null,
  };
  await ctx.db
    .collection('room_owners')
    .doc(relId)
    .set({ data: { ...rel, createdAt: existing?.createdAt ?? now, updatedAt: now } });
  await audit(ctx, caller, {
    communityId,
    action: 'relation.add',
    targetType: 'relation',
    targetId: relId,
    targetLabel: roomLabel(room),
    summary: `登记${RELATION_LABELS[input.relation]}：${maskName(owner.name)}（${roomLabel(room)}）${created ? '，新建人员' : ''}`,
    before: existing
      ? { relation: existing.relation, since: existing.since, until: existing.until }
      : null,
    after: { relation: rel.relation, since: rel.since, until: null, person: personAudit(owner) },
  });
  return roomDetail(ctx, communityId, room._id);
};

export const endRelation: Handlers<typeof communityContracts>['endRelation'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const rel = (
    await ctx.db.collection('room_owners').where({ _id: input.relationId }).limit(1).get()
  ).data[0] as RelationDoc | undefined;
  if (!rel || rel.communityId !== input.communityId)
    throw new AppError('NOT_FOUND', '登记关系不存在');
  const day = today(ctx);
  const until = input.until ?? day;
  if (rel.since && until < rel.since) {
    throw new AppError('INVALID_INPUT', 'until: 结束日期不能早于开始日期');
  }
  const room = await getRoom(ctx, input.communityId, rel.roomId);
  if (rel.until === null || rel.until > until) {
    await ctx.db
      .collection('room_owners')
      .doc(rel._id)
      .update({ data: { until, updatedAt: ctx.now() } });
    let revoked = 0;
    if (until <= day) {
      revoked = (
        await revokeBindingsOfPerson(
          ctx,
          rel.roomId,
          rel.ownerId,
          '房屋登记信息已变更',
          caller.openid,
        )
      ).length;
    }
    await audit(ctx, caller, {
      ...auditTarget('relation', input.communityId, rel._id, roomLabel(room)),
      action: 'relation.end',
      summary: `结束${RELATION_LABELS[rel.relation]}登记（${roomLabel(room)}），自 ${until} 起${revoked ? `，解除 ${revoked} 个微信绑定` : ''}`,
      before: { until: rel.until },
      after: { until },
    });
  }
  return roomDetail(ctx, input.communityId, rel.roomId);
};

export const revealContact: Handlers<typeof communityContracts>['revealContact'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(
    ctx,
    input.communityId,
    input.field === 'mobile' ? ['admin', 'service'] : ['admin'],
  );
  if (input.field === 'idNumber' && !hasRole(caller.roles, ['admin'])) {
    throw new AppError('FORBIDDEN', '只有管理员可以查看身份证号');
  }
  const owner = await getOwner(ctx, input.communityId, input.ownerId);
  const value = input.field === 'mobile' ? owner.mobile : owner.idNumber;
  if (!value) throw new AppError('NOT_FOUND', '未登记身份证号');
  await audit(ctx, caller, {
    ...auditTarget('owner', input.communityId, owner._id, maskName(owner.name)),
    action: 'contact.reveal',
    summary: `查看完整${input.field === 'mobile' ? '手机号' : '身份证号'}：${input.reason}`,
    after: { field: input.field, reason: input.reason },
  });
  return { ownerId: owner._id, field: input.field, value };
};
