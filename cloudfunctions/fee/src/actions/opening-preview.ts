/**
 * Previewing an opening-balance file (期初欠费 / 期初预存) before importing it: the file uploaded
 * to cloud storage is read like a roster file (.xlsx, or CSV in UTF-8/GBK), every line is
 * checked — room exists, appears once, amount is a positive yuan amount, not already imported
 * with a different amount — and nothing is written. The page then sends the rows to
 * `importOpening`, which checks them again and writes all or nothing.
 */
import {
  OPENING_KEY,
  billDocId,
  openingPrepaidId,
} from '../../../../miniprogram/domain/fee/billing';
import { roomSortKey } from '../../../../miniprogram/domain/community/vocabulary';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { parseOpeningTable } from '../../../../miniprogram/domain/fee/opening-file';
import type { OpeningPreviewRow } from '../../../../miniprogram/domain/fee/opening.contract';
import { readTableFile, UnreadableFile } from '../../../_shared/table-file';
import { requireRole } from '../../../_shared/roles';
import { downloadUpload } from '../../../_shared/uploads';
import { AppError } from '../../../_shared/router';
import { fetchByIds, fetchWhere } from '../../../_shared/paging';
import { labelOf } from '../repo/rooms';
import { MANAGERS } from '../repo/standard-versions';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

export const previewOpening: Handlers<typeof feeContracts>['previewOpening'] = async (
  input,
  ctx,
) => {
  await requireRole(ctx, input.communityId, MANAGERS);
  // The opening file an admin uploaded on 期初导入 (imports/<community>/opening-…).
  const bytes = await downloadUpload('fileID', input.fileID, {
    folder: 'imports',
    prefix: `imports/${input.communityId}/opening-`,
    refusal: '请在本页上传本小区的期初文件后再预览',
  });
  let read;
  try {
    read = await readTableFile(bytes, {
      tooBig: '文件超过 10 MB，请拆分后分批导入',
      rosterHeader: true,
    });
  } catch (e) {
    if (e instanceof UnreadableFile) throw new AppError('INVALID_INPUT', `fileID: ${e.message}`);
    throw e;
  }
  const parsed = parseOpeningTable(read.table);
  const _ = ctx.db.command;
  const keys = [...new Set(parsed.rows.map((r) => roomSortKey(r)))];
  const rooms = new Map<string, { _id: string; building: string; unit: string; number: string }>();
  for (let i = 0; i < keys.length; i += 500) {
    const found = await fetchWhere<{
      _id: string;
      building: string;
      unit: string;
      number: string;
      sortKey: string;
    }>(
      ctx,
      'rooms',
      { communityId: input.communityId, sortKey: _.in(keys.slice(i, i + 500)) },
      { _id: true, building: true, unit: true, number: true, sortKey: true },
    );
    for (const r of found) rooms.set(r.sortKey, r);
  }
  const roomIds = [...rooms.values()].map((r) => r._id);
  const before = new Map<string, number>();
  if (input.kind === 'arrears') {
    const bills = await fetchByIds<{ _id: string; roomId: string; amountDueFen: number }>(
      ctx,
      'bills',
      roomIds.map((id) => billDocId(id, input.period!, OPENING_KEY)),
      {},
      { _id: true, roomId: true, amountDueFen: true },
    );
    for (const b of bills) before.set(b.roomId, b.amountDueFen);
  } else {
    const entries = await fetchByIds<{ _id: string; roomId: string; amountFen: number }>(
      ctx,
      'prepaid_entries',
      roomIds.map(openingPrepaidId),
      {},
      { _id: true, roomId: true, amountFen: true },
    );
    for (const e of entries) before.set(e.roomId, e.amountFen);
  }
  const seen = new Map<string, number>();
  const rows: OpeningPreviewRow[] = parsed.rows.map((r) => {
    const room = rooms.get(roomSortKey(r));
    const label = room ? labelOf(room) : `${r.building}栋${r.unit}单元${r.number}`;
    const base = {
      line: r.line,
      roomId: room?._id ?? null,
      roomLabel: label,
      amountFen: r.amountFen,
      note: r.note ?? null,
    };
    if (!room)
      return { ...base, status: 'error', message: '小区中没有这间房屋，请核对楼栋、单元、房号' };
    const dup = seen.get(room._id);
    seen.set(room._id, r.line);
    if (dup !== undefined)
      return { ...base, status: 'error', message: `与第 ${dup} 行是同一间房屋` };
    const old = before.get(room._id);
    if (old !== undefined && old !== r.amountFen) {
      return {
        ...base,
        status: 'error',
        message: `已导入${input.kind === 'arrears' ? '期初欠费' : '期初预存'} ${formatYuan(old)}，与本次不同；更正请走冲红`,
      };
    }
    return { ...base, status: old === undefined ? 'new' : 'unchanged', message: null };
  });
  const errorRows = rows.filter((r) => r.status === 'error').length;
  const fresh = rows.filter((r) => r.status === 'new');
  return {
    kind: input.kind,
    period: input.kind === 'arrears' ? input.period! : null,
    format: read.format,
    rows,
    errors: parsed.errors,
    counts: {
      rows: rows.length,
      new: fresh.length,
      unchanged: rows.filter((r) => r.status === 'unchanged').length,
      errors: errorRows + parsed.errors.length,
    },
    newFen: fresh.reduce((s, r) => s + r.amountFen, 0),
    totalFen: rows.reduce((s, r) => s + r.amountFen, 0),
    ready: errorRows === 0 && parsed.errors.length === 0 && rows.length > 0,
  };
};
