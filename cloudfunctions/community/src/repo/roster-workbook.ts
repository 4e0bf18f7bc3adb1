/**
 * Writes roster workbooks: the export (one row per room, the import's own columns, so an
 * unmasked export can be imported back unchanged) and the empty template with notes.
 */
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../../_shared/excel';
import {
  OCCUPANCY_LABELS,
  RELATION_LABELS,
  ROOM_USE_LABELS,
} from '../../../../miniprogram/domain/community/vocabulary';
import { maskIdNumber, maskMobile, maskName } from '../../../../miniprogram/domain/community/mask';
import { ROSTER_COLUMNS, type RosterField } from '../../../../miniprogram/domain/community/roster';
import type { OwnerDoc, RelationDoc, RoomDoc } from '../../../_shared/records';

export interface ExportRoom {
  room: RoomDoc;
  owner: OwnerDoc | null;
  coOwner: OwnerDoc | null;
  others: { relation: RelationDoc; person: OwnerDoc }[];
  verifiedBindings: number;
}

const WIDTHS: Partial<Record<RosterField, number>> = {
  buildingArea: 13,
  innerArea: 13,
  moveInDate: 12,
  ownerMobile: 14,
  ownerIdNumber: 21,
  specialCare: 16,
  coOwnerMobile: 14,
};

function styleHeader(ws: ExcelJS.Worksheet): void {
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function rosterWorkbook(
  communityName: string,
  rooms: ExportRoom[],
  masked: boolean,
): Promise<Buffer> {
  const wb = newWorkbook();
  wb.creator = '物业费收缴';
  const ws = wb.addWorksheet('房屋与业主');
  ws.columns = [
    ...ROSTER_COLUMNS.map((c) => ({
      header: c.header,
      key: c.field,
      width: WIDTHS[c.field] ?? 10,
      // Text, so spreadsheet programs keep leading zeros and all 18 ID digits.
      style: /Mobile|IdNumber|number|building|unit|moveInDate/.test(c.field)
        ? { numFmt: '@' }
        : c.field.endsWith('Area')
          ? { numFmt: '0.00' }
          : {},
    })),
    { header: '其他登记人员', key: 'others', width: 30 },
    { header: '已认证绑定', key: 'bindings', width: 10 },
  ];
  const name = (p: OwnerDoc | null) => (p ? (masked ? maskName(p.name) : p.name) : '');
  const mobile = (p: OwnerDoc | null) => (p ? (masked ? maskMobile(p.mobile) : p.mobile) : '');
  for (const r of rooms) {
    const { room, owner, coOwner } = r;
    ws.addRow({
      building: room.building,
      unit: room.unit,
      number: room.number,
      floor: room.floor ?? '',
      buildingArea: room.buildingAreaCentiM2 / 100,
      innerArea: room.innerAreaCentiM2 === null ? '' : room.innerAreaCentiM2 / 100,
      useType: ROOM_USE_LABELS[room.useType] ?? '',
      occupancy: OCCUPANCY_LABELS[room.occupancy] ?? '',
      moveInDate: room.moveInDate ?? '',
      ownerName: name(owner),
      ownerMobile: mobile(owner),
      ownerIdNumber: owner?.idNumber
        ? masked
          ? maskIdNumber(owner.idNumber)
          : owner.idNumber
        : '',
      specialCare: owner ? (owner.specialCare ? (owner.careNote ?? '是') : '否') : '',
      coOwnerName: name(coOwner),
      coOwnerMobile: mobile(coOwner),
      others: r.others
        .map((o) => `${RELATION_LABELS[o.relation.relation]} ${name(o.person)} ${mobile(o.person)}`)
        .join('；'),
      bindings: r.verifiedBindings,
    });
  }
  styleHeader(ws);
  ws.headerFooter.oddHeader = `${communityName} 房屋与业主花名册${masked ? '（脱敏）' : '（含个人信息，注意保密）'}`;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function templateWorkbook(
  communityName: string,
  buildings: string[],
): Promise<Buffer> {
  const wb = newWorkbook();
  wb.creator = '物业费收缴';
  const ws = wb.addWorksheet('房屋与业主');
  ws.columns = ROSTER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: WIDTHS[c.field] ?? 10,
    style: /Mobile|IdNumber/.test(c.field) ? { numFmt: '@' } : {},
  }));
  ROSTER_COLUMNS.forEach((c, i) => {
    ws.getRow(1).getCell(i + 1).note = c.hint;
  });
  styleHeader(ws);
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 16 },
    { header: '必填', key: 'required', width: 6 },
    { header: '说明', key: 'hint', width: 50 },
  ];
  for (const c of ROSTER_COLUMNS) {
    help.addRow({ header: c.header, required: c.required ? '是' : '', hint: c.hint });
  }
  help.addRow({});
  help.addRow({ header: '小区', hint: communityName });
  help.addRow({
    header: '已登记楼栋',
    hint: buildings.join('、') || '（尚无，请先在小区设置中添加楼栋）',
  });
  help.addRow({
    header: '规则',
    hint: '导入前逐行校验，任何一行有错误则整份文件不导入；同一文件重复导入不会产生变化；文件中没有的房屋不受影响。',
  });
  styleHeader(help);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
