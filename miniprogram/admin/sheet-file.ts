/**
 * The spreadsheet a staff import starts from (房屋档案, 期初导入): one Excel (.xlsx) or CSV file
 * picked from a WeChat chat, checked on the phone before anything is uploaded, and the notice
 * when uploading or checking it failed.
 */
import { messageOf } from '../services/cloud';
import { notice } from '../services/ui';
import { importFormatOf, sizeText } from './import/view';

export interface SheetFile {
  path: string;
  name: string;
  size: number;
  format: 'xlsx' | 'csv';
}

/** wx API failures carry `errMsg`; the cloud client's errors do not. */
function errMsgOf(err: unknown): string {
  return String((err as { errMsg?: string } | null)?.errMsg ?? '');
}

/**
 * One file from a chat, or null (cancelled, or explained in a notice: not .xlsx/.csv, larger
 * than `maxBytes` — `split` says how to split it).
 */
export async function chooseSheetFile(maxBytes: number, split: string): Promise<SheetFile | null> {
  let picked: WechatMiniprogram.ChooseFile | undefined;
  try {
    const res = await wx.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] });
    picked = res.tempFiles[0];
  } catch (err) {
    if (!/cancel/.test(errMsgOf(err)))
      notice('未能选择文件', '请从微信聊天中选择 Excel（.xlsx）或 CSV 文件');
    return null;
  }
  if (!picked) return null;
  const format = importFormatOf(picked.name);
  if (!format) {
    notice(
      '文件格式不支持',
      '请选择 Excel（.xlsx）或 CSV 文件；.xls 旧格式请先在 Excel/WPS 中另存为 .xlsx',
    );
    return null;
  }
  if (picked.size > maxBytes) {
    notice('文件过大', `请选择 ${sizeText(maxBytes)} 以内的文件，或${split}`);
    return null;
  }
  return { path: picked.path, name: picked.name, size: picked.size, format };
}

/** The upload (a wx error) or the server's check of the file failed. */
export function sheetFailed(err: unknown): void {
  const uploadFailed = !!errMsgOf(err);
  notice(
    uploadFailed ? '文件上传失败' : '未能校验文件',
    uploadFailed ? '请检查网络后重新选择文件' : messageOf(err),
  );
}
