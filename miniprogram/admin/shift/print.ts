/** 打印 on both shift pages (交班日结, 交班确认): the shift-close sheet made by the cloud, opened. */
import type { Submission } from '../../behaviors/page-state';
import { call } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';

export function printShiftSheet(
  page: { submit<I, R>(s: Submission<I, R>): Promise<boolean> },
  shiftId: string,
): Promise<boolean> {
  return page.submit({
    busy: 'printing',
    busyAs: shiftId,
    send: () => call('payment', 'shiftPdf', { shiftId }, { loading: '正在生成 PDF' }),
    then: openCloudPdf,
    failTitle: '生成未成功',
    reload: false,
  });
}
