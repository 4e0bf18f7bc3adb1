/**
 * What the reconcile actions share: the community, a Shanghai day as instants, and statement
 * files (uploaded under the community's own folder) read as tables.
 */
import { getDoc } from '../../../_shared/records';
import type { Cell } from '../../../../miniprogram/domain/community/roster';
import { readTableFile, UnreadableFile } from '../../../_shared/table-file';
import { downloadUpload } from '../../../_shared/uploads';
import { AppError, type ActionContext } from '../../../_shared/router';

export interface CommunityDoc {
  _id: string;
  name: string;
  payment?: { subMchId?: string };
}

export async function community(ctx: ActionContext, communityId: string): Promise<CommunityDoc> {
  return getDoc<CommunityDoc>(ctx, 'communities', communityId, 'communityId: 小区不存在');
}

/** [start, end) of a Shanghai calendar day as instants. */
export function dayRange(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/**
 * Statement files are uploaded under `recon/<communityId>/` (the page does so): a file of another
 * community's folder is refused, so nobody reads a neighbour's bank statement by its file id.
 */
export function download(fileID: string, communityId: string): Promise<Buffer> {
  return downloadUpload('fileID', fileID, {
    folder: 'recon',
    prefix: `recon/${communityId}/`,
    refusal: `请将文件上传到本小区的对账目录（recon/${communityId}/）`,
  });
}

/** A bank statement file (.xlsx: first sheet with data; CSV in UTF-8 or GBK) as a table. */
export async function readTable(bytes: Buffer): Promise<Cell[][]> {
  try {
    return (
      await readTableFile(bytes, {
        tooBig: '文件超过 10 MB，请按日期拆分后再导入',
        unreadableXlsx: '无法读取该 .xlsx 文件，请用 Excel/WPS 另存后再上传',
        refuseXls: false,
      })
    ).table;
  } catch (e) {
    if (e instanceof UnreadableFile) throw new AppError('INVALID_INPUT', `fileID: ${e.message}`);
    throw e;
  }
}
