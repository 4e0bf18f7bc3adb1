/**
 * A community's buildings with their room counts, and saving one (admin, audited).
 */
import { audit, auditTarget } from '../../../_shared/audit';
import { getCommunity, type BuildingDoc } from '../../../_shared/records';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import type { BuildingInfo } from '../../../../miniprogram/domain/community/contract';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

export function buildingId(communityId: string, code: string): string {
  return `${communityId}:b:${code}`;
}

export async function roomCounts(
  ctx: ActionContext,
  communityId: string,
): Promise<Map<string, number>> {
  const $ = ctx.db.command.aggregate;
  const res = await ctx.db
    .collection('rooms')
    .aggregate()
    .match({ communityId })
    .group({ _id: '$building', n: $.sum(1) })
    .end();
  return new Map((res.list as { _id: string; n: number }[]).map((g) => [g._id, g.n]));
}

export function buildingInfo(b: BuildingDoc, rooms: number): BuildingInfo {
  return {
    buildingId: b._id,
    communityId: b.communityId,
    code: b.code,
    name: b.name,
    units: b.units,
    floors: b.floors ?? null,
    roomCount: rooms,
  };
}

export function byCode(a: { code: string }, b: { code: string }): number {
  return a.code.localeCompare(b.code, 'zh', { numeric: true });
}

export const listBuildings: Handlers<typeof communityContracts>['buildings'] = async (
  input,
  ctx,
) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const res = await ctx.db
    .collection('buildings')
    .where({ communityId: input.communityId })
    .limit(1000)
    .get();
  const counts = await roomCounts(ctx, input.communityId);
  const buildings = (res.data as BuildingDoc[]).sort(byCode);
  return { buildings: buildings.map((b) => buildingInfo(b, counts.get(b.code) ?? 0)) };
};

export const saveBuilding: Handlers<typeof communityContracts>['saveBuilding'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const community = await getCommunity(ctx, input.communityId);
  const id = buildingId(input.communityId, input.code);
  const prev = (await ctx.db.collection('buildings').where({ _id: id }).limit(1).get()).data[0] as
    BuildingDoc | undefined;
  const units = [...input.units].sort((a, b) => a.localeCompare(b, 'zh', { numeric: true }));
  const removed = (prev?.units ?? []).filter((u) => !units.includes(u));
  for (const unit of removed) {
    const { total } = await ctx.db
      .collection('rooms')
      .where({ communityId: input.communityId, building: input.code, unit })
      .count();
    if (total > 0) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `${input.code}栋${unit}单元下还有 ${total} 套房屋，不能删除该单元`,
      );
    }
  }
  const doc: Omit<BuildingDoc, '_id'> = {
    communityId: input.communityId,
    code: input.code,
    name: input.name ?? prev?.name ?? `${input.code}栋`,
    units,
    floors: input.floors === undefined ? (prev?.floors ?? null) : input.floors,
    createdAt: prev?.createdAt ?? ctx.now(),
    updatedAt: ctx.now(),
  };
  await ctx.db.collection('buildings').doc(id).set({ data: doc });
  await audit(ctx, caller, {
    ...auditTarget('building', input.communityId, id, `${community.name} ${doc.name}`),
    action: prev ? 'building.update' : 'building.create',
    summary: prev ? `修改楼栋 ${doc.name}` : `新增楼栋 ${doc.name}（${units.length} 个单元）`,
    before: prev ? { name: prev.name, units: prev.units, floors: prev.floors } : null,
    after: { name: doc.name, units: doc.units, floors: doc.floors },
  });
  const counts = await roomCounts(ctx, input.communityId);
  return buildingInfo({ _id: id, ...doc }, counts.get(input.code) ?? 0);
};
