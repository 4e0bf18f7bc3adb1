/**
 * Spaces through the roster's spreadsheet path: the uploaded file from the community's import
 * folder, read like a roster (.xlsx or CSV in UTF-8/GBK), every row checked against the rooms and
 * people on record; any problem refuses the whole file with the per-row report and writes
 * nothing. Applying upserts by number (spaces missing from the file are left alone); a file
 * applied again changes nothing. The export writes the same columns, holders and plates masked.
 */
import {
  SPACE_COLUMNS,
  type SpaceRow,
  readSpaceSheet,
  spaceSheetCells,
} from '../../../../miniprogram/domain/community/space-sheet';
import {
  type SpaceRecord,
  handoverProblem,
  maskPlate,
  spaceIdFor,
  spaceSortKey,
} from '../../../../miniprogram/domain/community/spaces';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import type { SpaceImportReport } from '../../../../miniprogram/domain/community/spaces.contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { newWorkbook } from '../../../_shared/excel';
import { fetchWhere, insertNew } from '../../../_shared/paging';
import { getCommunity, isActive, today } from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { storeExport } from '../../../_shared/storage';
import { readTableFile, UnreadableFile } from '../../../_shared/table-file';
import { downloadUpload } from '../../../_shared/uploads';
import { sortRelations } from '../repo/views';
import { loadSnapshot } from './roster-import';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

type SpaceHandlers = Handlers<typeof communityContracts>;

const REPORT_CAP = 500;

/** The stored fields a row sets (what "changed" compares). */
function rowFields(communityId: string, row: SpaceRow): Omit<SpaceRecord, '_id'> {
  return {
    communityId,
    number: row.number,
    zone: row.zone,
    kind: row.kind,
    areaCentiM2: row.areaCentiM2,
    holderRoomId: row.holderRoomId,
    holderOwnerId: row.holderOwnerId,
    plates: row.plates,
    startDate: row.startDate,
    endDate: row.endDate,
    sortKey: spaceSortKey(row.number),
  };
}

function sameFields(a: Omit<SpaceRecord, '_id'>, b: SpaceRecord): boolean {
  return (Object.keys(a) as (keyof typeof a)[]).every(
    (k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null),
  );
}

async function readSheet(ctx: ActionContext, communityId: string, fileID: string) {
  const bytes = await downloadUpload('fileID', fileID, {
    folder: 'imports',
    prefix: `imports/${communityId}/`,
    refusal: '请在本页上传本小区的车位表后再检查',
  });
  try {
    return (await readTableFile(bytes, { tooBig: '文件超过 10 MB，请拆分后分批导入' })).table;
  } catch (e) {
    if (e instanceof UnreadableFile) return e.message;
    throw e;
  }
}

export const importSpaces: SpaceHandlers['importSpaces'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const table = await readSheet(ctx, input.communityId, input.fileID);
  const report: SpaceImportReport = {
    status: 'invalid',
    dataRows: 0,
    fileErrors: [],
    errors: [],
    errorCount: 0,
    counts: { added: 0, changed: 0, unchanged: 0 },
  };
  if (typeof table === 'string') return { ...report, fileErrors: [table] };
  const snap = await loadSnapshot(ctx, input.communityId);
  const day = today(ctx);
  const rooms = new Map(snap.rooms.map((r) => [`${r.building}|${r.unit}|${r.number}`, r._id]));
  const names = new Map(snap.owners.map((o) => [o._id, o.name]));
  const active = sortRelations(snap.relations.filter((r) => isActive(r, day)));
  const sheet = readSpaceSheet(table, {
    roomOf: (b, u, n) => rooms.get(`${b}|${u}|${n}`),
    peopleOf: (roomId) =>
      active
        .filter((r) => r.roomId === roomId)
        .map((r) => ({ ownerId: r.ownerId, name: names.get(r.ownerId) ?? '' })),
  });
  report.fileErrors = sheet.fileErrors;
  report.errors = sheet.errors.slice(0, REPORT_CAP);
  report.errorCount = sheet.errors.length;
  report.dataRows = sheet.rows.length + new Set(sheet.errors.map((e) => e.row)).size;
  if (sheet.fileErrors.length > 0 || sheet.errors.length > 0) return report;
  const existing = new Map(
    (await fetchWhere<SpaceRecord>(ctx, 'spaces', { communityId: input.communityId })).map((s) => [
      s._id,
      s,
    ]),
  );
  const writes: { id: string; fields: Omit<SpaceRecord, '_id'>; isNew: boolean }[] = [];
  const handovers: SpaceImportReport['errors'] = [];
  for (const row of sheet.rows) {
    const id = spaceIdFor(input.communityId, row.number);
    const fields = rowFields(input.communityId, row);
    const before = existing.get(id);
    const handover = before && handoverProblem(before, fields);
    if (handover) {
      const column = handover.field === 'startDate' ? '起始日期' : '房号';
      handovers.push({ row: row.row, column, message: handover.message });
      continue;
    }
    if (!before) report.counts.added += 1;
    else if (sameFields(fields, before)) {
      report.counts.unchanged += 1;
      continue;
    } else report.counts.changed += 1;
    writes.push({ id, fields, isNew: !before });
  }
  if (handovers.length > 0) {
    return {
      ...report,
      counts: { added: 0, changed: 0, unchanged: 0 },
      errors: handovers.slice(0, REPORT_CAP),
      errorCount: handovers.length,
    };
  }
  report.status = 'ready';
  if (!input.apply) return report;
  const now = ctx.now();
  const fresh = writes.filter((w) => w.isNew);
  if (fresh.length > 0) {
    await insertNew(
      ctx,
      'spaces',
      fresh.map((w) => ({ _id: w.id, ...w.fields, createdAt: now, updatedAt: now })),
    );
  }
  for (const w of writes.filter((x) => !x.isNew)) {
    await ctx.db
      .collection('spaces')
      .doc(w.id)
      .update({ data: { ...w.fields, updatedAt: now } });
  }
  await audit(ctx, caller, {
    ...auditTarget('import', input.communityId, input.fileID, '车位与储藏室'),
    action: 'spaces.import',
    summary: `导入车位与储藏室：新增 ${report.counts.added}，修改 ${report.counts.changed}，未变 ${report.counts.unchanged}`,
    after: { ...report.counts },
  });
  return { ...report, status: 'applied' };
};

export const exportSpaces: SpaceHandlers['exportSpaces'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin', 'finance', 'service']);
  if (input.unmasked && !caller.roles.includes('admin')) {
    throw new AppError('FORBIDDEN', '只有管理员可以导出完整的使用人姓名和车牌');
  }
  const masked = !input.unmasked;
  const shown = (text: string, mask: (t: string) => string) => (masked ? mask(text) : text);
  const community = await getCommunity(ctx, input.communityId);
  const snap = await loadSnapshot(ctx, input.communityId);
  const rooms = new Map(snap.rooms.map((r) => [r._id, r]));
  const names = new Map(snap.owners.map((o) => [o._id, o.name]));
  const spaces = (
    await fetchWhere<SpaceRecord>(ctx, 'spaces', { communityId: input.communityId })
  ).sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  const wb = newWorkbook();
  const ws = wb.addWorksheet('车位与储藏室');
  ws.addRow(SPACE_COLUMNS.map((c) => c.header));
  ws.getRow(1).font = { bold: true };
  for (const s of spaces) {
    ws.addRow(
      spaceSheetCells({
        ...s,
        room: s.holderRoomId ? (rooms.get(s.holderRoomId) ?? null) : null,
        holderName: shown((s.holderOwnerId && names.get(s.holderOwnerId)) || '', maskName),
        plates: s.plates.map((p) => shown(p, maskPlate)).join('、'),
      }),
    );
  }
  ws.columns.forEach((col) => (col.width = 12));
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const file = await storeExport(
    input.communityId,
    masked ? 'spaces-masked.xlsx' : 'spaces-full.xlsx',
    buffer,
  );
  await audit(ctx, caller, {
    ...auditTarget('export', input.communityId, file.fileID, community.name),
    action: 'spaces.export',
    summary: `导出车位与储藏室 ${spaces.length} 行（${masked ? '脱敏' : '含完整姓名和车牌'}）`,
    after: { rowCount: spaces.length, masked },
  });
  return {
    tempFileURL: file.tempFileURL,
    fileName: `${community.name}-车位与储藏室${masked ? '（脱敏）' : ''}.xlsx`,
    rowCount: spaces.length,
    masked,
  };
};
