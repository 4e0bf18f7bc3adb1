/**
 * Every report as an .xlsx workbook (exceljs), uploaded to cloud storage; the caller gets a
 * temporary download link. Amounts are written as numbers in yuan with two decimals (display
 * only: the figures come from integer fen).
 */
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../../_shared/excel';
import { AGING_BUCKETS, AGING_LABELS } from '../../../../miniprogram/domain/ledger/aging';
import { fenToYuanString } from '../../../../miniprogram/domain/kernel/money';
import {
  CONTACT_CHANNELS,
  CONTACT_CHANNEL_LABELS,
  type ContactChannel,
} from '../../../../miniprogram/domain/overdue/vocabulary';
import { formatRate, holdLabel } from '../../../../miniprogram/domain/report/rates';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit, auditTarget } from '../../../_shared/audit';
import { storeExport } from '../../../_shared/storage';
import type { ActionContext } from '../../../_shared/router';
import { authorise, channelLabel } from '../repo/reports';
import { collectionReport } from './collection';
import { agingReport } from './aging';
import { arrearsReport } from './arrears';
import { reasonsReport } from './reasons';
import type { Handlers } from '../../../_shared/router';
import type { reportContracts } from '../../../../miniprogram/domain/report/contract';

export const yuan = (fen: number) => Number(fenToYuanString(fen));

export const MONEY = '#,##0.00';

/** "电话 2026-11-12", or '—' when the room was never contacted. */
export function contactWhen(channel: ContactChannel | null, at: string | null): string {
  if (!at) return '—';
  return `${channel ? `${CONTACT_CHANNEL_LABELS[channel]} ` : ''}${shanghaiDate(new Date(at))}`;
}

export function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  columns: { header: string; width?: number; money?: boolean }[],
) {
  const ws = wb.addWorksheet(name);
  ws.addRow([title]).font = { bold: true, size: 13 };
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? 14;
    if (c.money) col.numFmt = MONEY;
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return ws;
}

export async function buildWorkbook(
  input: Parameters<typeof exportReport>[0],
  ctx: ActionContext,
): Promise<{ buffer: Buffer; fileName: string }> {
  const wb = newWorkbook();
  wb.creator = '物业费收缴';
  let fileName: string;
  if (input.report === 'collection') {
    const r = await collectionReport({ communityId: input.communityId, period: input.period }, ctx);
    const channels = [
      ...new Set([
        ...Object.keys(r.total.currentByChannel),
        ...Object.keys(r.total.recoveredByChannel),
      ]),
    ].sort();
    const ws = sheet(
      wb,
      '收缴率',
      `${r.communityName} ${r.period} 账期收缴率（截至 ${r.asOf}；清欠统计 ${r.window.from} 至 ${r.window.to} 前）`,
      [
        { header: '楼栋' },
        { header: '应收户数' },
        { header: '欠费户数' },
        { header: '户数收缴率' },
        { header: '应收金额(元)', money: true },
        { header: '已收金额(元)', money: true },
        { header: '未收金额(元)', money: true },
        { header: '金额收缴率' },
        ...channels.map((c) => ({ header: `本期-${channelLabel(c)}(元)`, money: true })),
        { header: '清欠合计(元)', money: true },
        ...channels.map((c) => ({ header: `清欠-${channelLabel(c)}(元)`, money: true })),
      ],
    );
    for (const row of [...r.buildings, r.total]) {
      ws.addRow([
        row.building ? `${row.building}栋` : '合计',
        row.billedRooms,
        row.arrearsRooms,
        formatRate(row.householdRateBp),
        yuan(row.dueFen),
        yuan(row.collectedFen),
        yuan(row.outstandingFen),
        formatRate(row.amountRateBp),
        ...channels.map((c) => yuan(row.currentByChannel[c] ?? 0)),
        yuan(row.recoveredFen),
        ...channels.map((c) => yuan(row.recoveredByChannel[c] ?? 0)),
      ]);
    }
    if (r.byKind.some((k) => k.kind !== 'room')) {
      const kinds = sheet(
        wb,
        '按类型',
        `${r.communityName} ${r.period} 账期按类型（房屋、车位、储藏室）`,
        [
          { header: '类型' },
          { header: '账单数' },
          { header: '欠费账单数' },
          { header: '应收金额(元)', money: true },
          { header: '已收金额(元)', money: true },
          { header: '未收金额(元)', money: true },
          { header: '金额收缴率' },
        ],
      );
      for (const k of r.byKind) {
        kinds.addRow([
          k.label,
          k.bills,
          k.arrearsBills,
          yuan(k.dueFen),
          yuan(k.collectedFen),
          yuan(k.outstandingFen),
          formatRate(k.amountRateBp),
        ]);
      }
    }
    fileName = `收缴率-${r.period}.xlsx`;
  } else if (input.report === 'aging') {
    const r = await agingReport({ communityId: input.communityId, asOf: input.asOf }, ctx);
    const ws = sheet(wb, '账龄', `${r.communityName} 欠费账龄（截至 ${r.asOf}）`, [
      { header: '楼栋' },
      ...AGING_BUCKETS.map((b) => ({ header: `${AGING_LABELS[b]}(元)`, money: true })),
      { header: '欠费合计(元)', money: true },
      { header: '欠费户数' },
    ]);
    for (const row of [...r.buildings, r.total]) {
      ws.addRow([
        row.building ? `${row.building}栋` : '合计',
        ...AGING_BUCKETS.map((b) => yuan(row.buckets[b].fen)),
        yuan(row.totalFen),
        row.rooms,
      ]);
    }
    fileName = `欠费账龄-${r.asOf}.xlsx`;
  } else if (input.report === 'arrears') {
    const r = await arrearsReport(
      { communityId: input.communityId, asOf: input.asOf, limit: 200 },
      ctx,
    );
    const ws = sheet(wb, '欠费排行', `${r.communityName} 欠费金额排行（截至 ${r.asOf}）`, [
      { header: '房号', width: 18 },
      { header: '欠费金额(元)', money: true },
      { header: '欠费账单数' },
      { header: '最早应缴日' },
      { header: '逾期天数' },
      { header: '催缴阶段' },
      { header: '最近沟通原因', width: 18 },
      { header: '最近沟通', width: 18 },
      { header: '暂缓原因', width: 18 },
    ]);
    for (const e of r.entries) {
      ws.addRow([
        e.roomLabel,
        yuan(e.outstandingFen),
        e.bills,
        e.oldestDueDate,
        e.overdueDays,
        e.escalationLabel,
        e.lastContactReasonText,
        contactWhen(e.lastContactChannel, e.lastContactAt),
        e.holds.map(holdLabel).join('、') || '—',
      ]);
    }
    fileName = `欠费排行-${r.asOf}.xlsx`;
  } else {
    const r = await reasonsReport(
      { communityId: input.communityId, from: input.from, to: input.to },
      ctx,
    );
    const ws = sheet(wb, '未缴原因', `${r.communityName} 未缴原因（${r.from} 至 ${r.to}）`, [
      { header: '原因', width: 24 },
      { header: '沟通次数' },
      { header: '涉及户数' },
      ...CONTACT_CHANNELS.map((c) => ({ header: CONTACT_CHANNEL_LABELS[c] })),
    ]);
    if (r.reasons.length === 0) ws.addRow(['（该期间没有沟通记录）']);
    for (const x of r.reasons)
      ws.addRow([
        x.reasonText,
        x.contacts,
        x.rooms,
        ...CONTACT_CHANNELS.map((c) => x.byChannel[c] ?? 0),
      ]);
    ws.addRow([]);
    ws.addRow(['投诉总数', r.complaints.total]);
    ws.addRow(['其中来自欠费房屋', r.complaints.fromArrearsRooms]);
    for (const [reason, h] of Object.entries(r.holds))
      ws.addRow([`暂缓催缴：${holdLabel(reason)}`, h.holds, h.rooms]);
    fileName = `未缴原因-${r.from}-${r.to}.xlsx`;
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), fileName };
}

export const exportReport: Handlers<typeof reportContracts>['export'] = async (input, ctx) => {
  const caller = await authorise(ctx, input.communityId);
  const { buffer, fileName } = await buildWorkbook(input, ctx);
  // ASCII only: the SDK sends the path in an HTTP header (x-cos-meta-fileid).
  const tag = input.period ?? input.asOf ?? input.to ?? '';
  const file = await storeExport(
    input.communityId,
    `report-${input.report}${tag ? `-${tag}` : ''}.xlsx`,
    buffer,
  );
  await audit(ctx, caller, {
    ...auditTarget('report', input.communityId, file.fileID, fileName),
    action: 'report.export',
    summary: `导出报表 ${fileName}`,
  });
  return { tempFileURL: file.tempFileURL, fileName };
};
