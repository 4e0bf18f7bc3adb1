/**
 * 车位与储藏室 view models: list rows, the form as typed (area and plates as text) turned into
 * `community.saveSpace`'s input, and the import check as lines by row.
 */
import { parseAreaCentiM2 } from '../../domain/community/area';
import { SPACE_KIND_LABELS, type SpaceKind, parsePlates } from '../../domain/community/spaces';
import type { SpaceImportReport, SpaceListItem } from '../../domain/community/spaces.contract';
import type { TagType } from '../../utils/bill-view';

export type KindTab = 'all' | SpaceKind;

export const KIND_TABS: { value: KindTab; label: string }[] = [
  { value: 'all', label: '全部' },
  ...(Object.entries(SPACE_KIND_LABELS) as [SpaceKind, string][]).map(([value, label]) => ({
    value,
    label,
  })),
];

export interface SpaceRow extends SpaceListItem {
  holdingText: string;
  platesText: string;
  tagType: TagType;
  canEnd: boolean;
}

const STATUS_TAGS: Record<SpaceListItem['status'], TagType> = {
  active: 'success',
  upcoming: 'primary',
  ended: 'default',
  idle: 'warning',
};

export function toRow(s: SpaceListItem): SpaceRow {
  const range = s.startDate ? `${s.startDate} 起${s.endDate ? `，至 ${s.endDate}` : ''}` : '';
  return {
    ...s,
    holdingText: s.holderRoomLabel
      ? `${s.holderRoomLabel} ${s.holderName} · ${range}`
      : '暂无使用人',
    platesText: s.plates.join('、'),
    tagType: STATUS_TAGS[s.status],
    canEnd: s.status === 'active' || s.status === 'upcoming',
  };
}

/** The form as typed. */
export interface SpaceForm {
  spaceId: string;
  number: string;
  zone: string;
  kind: SpaceKind;
  area: string;
  holderRoomId: string;
  holderRoomLabel: string;
  startDate: string;
  endDate: string;
  plates: string;
  /** On an edit: the plates on record, masked (left blank, they stay). */
  platesOnRecord: string;
}

export function emptyForm(today: string): SpaceForm {
  return {
    spaceId: '',
    number: '',
    zone: '',
    kind: 'rented',
    area: '',
    holderRoomId: '',
    holderRoomLabel: '',
    startDate: today,
    endDate: '',
    plates: '',
    platesOnRecord: '',
  };
}

export function formOf(s: SpaceListItem): SpaceForm {
  return {
    spaceId: s.spaceId,
    number: s.number,
    zone: s.zone,
    kind: s.kind,
    area: s.area,
    holderRoomId: s.holderRoomId ?? '',
    holderRoomLabel: s.holderRoomLabel,
    startDate: s.startDate ?? '',
    endDate: s.endDate ?? '',
    plates: '',
    platesOnRecord: s.plates.join('、'),
  };
}

/**
 * `saveSpace`'s input from the form: an unreadable area goes as a non-number and bad plates as
 * typed, so the contract's check names them; blank plates on an edit keep those on record.
 */
export function saveInput(communityId: string, f: SpaceForm): Record<string, unknown> {
  const area = f.area.trim() === '' ? null : parseAreaCentiM2(f.area);
  const { plates, invalid } = parsePlates(f.plates);
  const held = f.holderRoomId !== '';
  return {
    communityId,
    ...(f.spaceId ? { spaceId: f.spaceId } : {}),
    number: f.number.trim(),
    zone: f.zone.trim(),
    kind: f.kind,
    areaCentiM2: area === null ? null : area.ok ? area.centiM2 : f.area,
    holderRoomId: held ? f.holderRoomId : null,
    startDate: held ? f.startDate || null : null,
    endDate: held ? f.endDate || null : null,
    ...(f.spaceId && f.plates.trim() === '' ? {} : { plates: [...plates, ...invalid] }),
  };
}

export interface ImportView {
  valid: boolean;
  applied: boolean;
  fileErrors: string[];
  errorRows: { row: number; rowText: string; messages: string[] }[];
  errorCount: number;
  summary: string;
}

export function toImportView(r: SpaceImportReport): ImportView {
  const rows = new Map<number, string[]>();
  for (const e of r.errors) {
    rows.set(e.row, [
      ...(rows.get(e.row) ?? []),
      e.column ? `${e.column}：${e.message}` : e.message,
    ]);
  }
  const { added, changed, unchanged } = r.counts;
  return {
    valid: r.status !== 'invalid',
    applied: r.status === 'applied',
    fileErrors: r.fileErrors,
    errorRows: [...rows].map(([row, messages]) => ({ row, rowText: `第 ${row} 行`, messages })),
    errorCount: r.errorCount,
    summary:
      r.status === 'invalid'
        ? `共 ${r.errorCount} 处问题，整个文件未导入，请修改后重新选择`
        : `${r.status === 'applied' ? '已导入' : '可导入'}：新增 ${added}，修改 ${changed}，未变 ${unchanged}`,
  };
}
