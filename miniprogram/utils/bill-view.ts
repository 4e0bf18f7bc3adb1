/** View models: contract data turned into display strings, so WXML stays free of logic. */
import type { BillStatus, BillSummary } from '../domain/fee/bill';
import type { OwnerHome, NoticeSummary, MyRoom } from '../domain/owner/contract';
import type { StaffRole } from '../domain/community/vocabulary';
import { formatYuan } from '../domain/kernel/money';
import { formatDate, formatMonths, formatShortDate } from '../domain/kernel/time';

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

export interface BillView {
  billId: string;
  title: string;
  periodText: string;
  roomLabel: string;
  /** "车位 B2-017" on a parking space's or storeroom's bill (billed with the room); else ''. */
  spaceLabel: string;
  amountDueText: string;
  lateFeeText: string;
  paidText: string;
  outstandingFen: number;
  outstandingText: string;
  dueText: string;
  statusText: string;
  tagType: TagType;
  overdue: boolean;
  overdueText: string;
  hasLateFee: boolean;
  hasPaid: boolean;
}

const STATUS_TEXT: Record<BillStatus, string> = {
  unpaid: '待缴费',
  partial: '部分已缴',
  paid: '已缴清',
  void: '已作废',
};

export function toBillView(b: BillSummary): BillView {
  const overdue = b.overdueDays > 0 && b.status !== 'paid' && b.status !== 'void';
  let tagType: TagType = 'primary';
  if (b.status === 'paid') tagType = 'success';
  else if (b.status === 'void') tagType = 'default';
  else if (overdue) tagType = 'warning';
  return {
    billId: b.billId,
    title: b.title,
    periodText: formatMonths(b.coverFrom, b.coverTo),
    roomLabel: b.roomLabel,
    spaceLabel: b.spaceLabel ?? '',
    amountDueText: formatYuan(b.amountDueFen),
    lateFeeText: formatYuan(b.lateFeeFen),
    paidText: formatYuan(b.paidFen),
    outstandingFen: b.outstandingFen,
    outstandingText: formatYuan(b.outstandingFen),
    dueText: formatDate(b.dueDate),
    statusText: overdue ? '已逾期' : STATUS_TEXT[b.status],
    tagType,
    overdue,
    overdueText: overdue ? `已逾期 ${b.overdueDays} 天` : '',
    hasLateFee: b.lateFeeFen > 0,
    hasPaid: b.paidFen > 0 && b.status !== 'paid',
  };
}

export interface NoticeView {
  noticeId: string;
  title: string;
  summary: string;
  dateText: string;
}

export function toNoticeView(n: NoticeSummary): NoticeView {
  return {
    noticeId: n.noticeId,
    title: n.title,
    summary: n.summary,
    dateText: formatShortDate(n.publishedAt),
  };
}

const RELATION_TEXT: Record<MyRoom['relation'], string> = {
  owner: '业主',
  'co-owner': '共有人',
  family: '家庭成员',
  tenant: '租户',
};

export interface RoomView {
  roomId: string;
  label: string;
  communityName: string;
  areaText: string;
  relationText: string;
}

export function toRoomView(r: MyRoom): RoomView {
  return {
    roomId: r.roomId,
    label: r.label,
    communityName: r.communityName,
    areaText: `${r.buildingArea} m²`,
    relationText: RELATION_TEXT[r.relation],
  };
}

export interface HomeView {
  hasRooms: boolean;
  roomText: string;
  communityText: string;
  dueNowFen: number;
  /** Rooms bound, no bill issued yet: nothing owed, and nothing paid either. */
  noBills: boolean;
  allPaid: boolean;
  nextDueText: string;
  overdueCount: number;
  /** "2 笔 · ¥1,326.96" for the 已逾期 line. */
  overdueValue: string;
  overdueText: string;
  notices: NoticeView[];
  contact: OwnerHome['contacts'][number] | null;
  /** 自助抄表 entry: shown when the owner has meters to report. */
  meterText: string;
}

export function toHomeView(h: OwnerHome): HomeView {
  const first = h.rooms[0];
  const more = h.rooms.length > 1 ? ` 等 ${h.rooms.length} 套房屋` : '';
  return {
    hasRooms: h.rooms.length > 0,
    roomText: first ? `${first.label}${more}` : '',
    communityText: first ? first.communityName : '',
    dueNowFen: h.dueNowFen,
    noBills: h.rooms.length > 0 && h.billCount === 0,
    allPaid: h.billCount > 0 && h.dueNowFen === 0,
    nextDueText: h.nextDueDate ? formatDate(h.nextDueDate) : '',
    overdueCount: h.overdueCount,
    overdueValue: h.overdueCount > 0 ? `${h.overdueCount} 笔 · ${formatYuan(h.overdueFen)}` : '',
    overdueText: h.overdueCount > 0 ? `有 ${h.overdueCount} 笔账单已过缴费截止日` : '',
    notices: h.notices.slice(0, 3).map(toNoticeView),
    contact: h.contacts[0] ?? null,
    meterText: !h.meterReading
      ? ''
      : h.meterReading.open
        ? `现在可拍照上报水电表读数（至${formatShortDate(h.meterReading.to)}）`
        : `每月月底拍照上报读数，下次 ${formatShortDate(h.meterReading.from)}起`,
  };
}

export const ROLE_TEXT: Record<StaffRole, string> = {
  admin: '管理员',
  cashier: '收费员',
  service: '客服专员',
  finance: '财务',
};
