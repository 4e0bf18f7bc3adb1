/**
 * The roster as a workbook: the empty import template with notes, and the export (one row per
 * room, the import's own columns, masked unless asked and allowed), stored in cloud storage.
 */
import { audit, auditTarget } from '../../../_shared/audit';
import { storeExport } from '../../../_shared/storage';
import { fetchWhere } from '../../../_shared/paging';
import { getCommunity, isActive, today, type RelationDoc } from '../../../_shared/records';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { rosterWorkbook, templateWorkbook, type ExportRoom } from '../repo/roster-workbook';
import { loadBuildings, loadSnapshot } from './roster-import';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

export const importTemplate: Handlers<typeof communityContracts>['importTemplate'] = async (
  input,
  ctx,
) => {
  await requireRole(ctx, input.communityId, ['admin']);
  const community = await getCommunity(ctx, input.communityId);
  const buildings = (await loadBuildings(ctx, input.communityId))
    .map((b) => `${b.code}栋（${b.units.join('/')}单元）`)
    .sort((a, b) => a.localeCompare(b, 'zh', { numeric: true }));
  const buffer = await templateWorkbook(community.name, buildings);
  const fileName = 'roster-template.xlsx';
  const file = await storeExport(input.communityId, fileName, buffer);
  return {
    tempFileURL: file.tempFileURL,
    fileName: `${community.name}-房屋与业主导入模板.xlsx`,
    rowCount: 0,
    masked: true,
  };
};

export const exportRoster: Handlers<typeof communityContracts>['exportRoster'] = async (
  input,
  ctx,
) => {
  const caller: StaffCaller = await requireRole(ctx, input.communityId, [
    'admin',
    'finance',
    'service',
  ]);
  if (input.unmasked && !caller.roles.includes('admin')) {
    throw new AppError('FORBIDDEN', '只有管理员可以导出完整手机号和身份证号');
  }
  const community = await getCommunity(ctx, input.communityId);
  const snap = await loadSnapshot(ctx, input.communityId);
  const day = today(ctx);
  const owners = new Map(snap.owners.map((o) => [o._id, o]));
  const relsByRoom = new Map<string, RelationDoc[]>();
  for (const r of snap.relations) {
    if (!isActive(r, day)) continue;
    const list = relsByRoom.get(r.roomId) ?? [];
    list.push(r);
    relsByRoom.set(r.roomId, list);
  }
  const bindings = await fetchWhere<{ _id: string; roomId: string }>(
    ctx,
    'room_bindings',
    { communityId: input.communityId, status: 'verified' },
    { roomId: true },
  );
  const bound = new Map<string, number>();
  for (const b of bindings) bound.set(b.roomId, (bound.get(b.roomId) ?? 0) + 1);
  const rooms = snap.rooms
    .filter((r) => !input.building || r.building === input.building)
    .sort((a, b) => (a.sortKey ?? '').localeCompare(b.sortKey ?? ''));
  const rows: ExportRoom[] = rooms.map((room) => {
    const rels = relsByRoom.get(room._id) ?? [];
    const ownerRel = rels.find((r) => r.relation === 'owner');
    const coRel = rels.find((r) => r.relation === 'co-owner');
    return {
      room,
      owner: ownerRel ? (owners.get(ownerRel.ownerId) ?? null) : null,
      coOwner: coRel ? (owners.get(coRel.ownerId) ?? null) : null,
      others: rels
        .filter((r) => r !== ownerRel && r !== coRel)
        .map((relation) => ({ relation, person: owners.get(relation.ownerId)! }))
        .filter((o) => o.person),
      verifiedBindings: bound.get(room._id) ?? 0,
    };
  });
  const masked = !input.unmasked;
  const buffer = await rosterWorkbook(community.name, rows, masked);
  const file = await storeExport(
    input.communityId,
    masked ? 'roster-masked.xlsx' : 'roster-full.xlsx',
    buffer,
  );
  await audit(ctx, caller, {
    ...auditTarget('export', input.communityId, file.fileID, community.name),
    action: 'roster.export',
    summary: `导出房屋与业主花名册 ${rows.length} 行（${masked ? '脱敏' : '含完整手机号、身份证号'}）${input.building ? `，仅 ${input.building} 栋` : ''}`,
    after: { rowCount: rows.length, masked, building: input.building ?? null },
  });
  return {
    tempFileURL: file.tempFileURL,
    fileName: `${community.name}-房屋与业主${masked ? '（脱敏）' : ''}.xlsx`,
    rowCount: rows.length,
    masked,
  };
};
