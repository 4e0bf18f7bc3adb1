/**
 * The printed per-household payment notice (缴费通知单): one page per billed room with what that
 * household owes and why, how and by when to pay, and a personal mini-program code that opens the
 * room's bill (or binding, with the room filled in and verified by the code's one-time token).
 * Staff print it per building and record each delivery (送达签收). Pure: the code image comes in.
 */
import { formatYuan } from '../kernel/money';
import { formatDate, formatPeriod } from '../kernel/time';
import type { PrintBlock, PrintDoc } from '../print/document';

export interface HouseholdLine {
  name: string;
  basis: string;
  amountFen: number;
  from?: string;
  to?: string;
}

export interface HouseholdPage {
  roomLabel: string;
  /** The owner's name as registered (several joined with 、), or '' when none is on record. */
  ownerName: string;
  lines: HouseholdLine[];
  /** What is still owed for the period (after prepaid balance and payments). */
  outstandingFen: number;
  /** The code image (PNG, base64). */
  codePng: string;
}

export interface HouseholdNotice {
  communityName: string;
  title: string;
  period: string;
  deadline: string;
  methods: string[];
  frontDesk: string;
  serviceHours: string;
  lateFeePolicy: string | null;
  contactPhone: string;
  /** Building the batch is for ('' for the whole community), in the file title. */
  building: string;
}

/** The months a room's lines cover, e.g. 2026年10月1日 至 2026年12月31日; else the period. */
export function coveredText(period: string, lines: readonly HouseholdLine[]): string {
  const froms = lines.map((l) => l.from).filter((d): d is string => !!d);
  const tos = lines.map((l) => l.to).filter((d): d is string => !!d);
  if (froms.length === 0 || tos.length === 0) return formatPeriod(period);
  const from = froms.reduce((a, b) => (a < b ? a : b));
  const to = tos.reduce((a, b) => (a > b ? a : b));
  return `${formatDate(from)} 至 ${formatDate(to)}`;
}

export function householdPageBlocks(n: HouseholdNotice, p: HouseholdPage): PrintBlock[] {
  const totalFen = p.lines.reduce((s, l) => s + l.amountFen, 0);
  return [
    { kind: 'heading', text: `${n.communityName} · ${n.title}` },
    {
      kind: 'fields',
      rows: [
        { label: '房号', value: p.roomLabel },
        { label: '业主', value: p.ownerName || '（未登记，请到前台登记）' },
        { label: '账期', value: formatPeriod(n.period) },
        { label: '费用所属期间', value: coveredText(n.period, p.lines) },
      ],
    },
    {
      kind: 'table',
      columns: ['项目', '计费依据', '金额'],
      widths: [2, 5, 2],
      align: ['left', 'left', 'right'],
      rows: p.lines.map((l) => [l.name, l.basis, formatYuan(l.amountFen)]),
      footer: ['合计', '', formatYuan(totalFen)],
    },
    {
      kind: 'fields',
      rows: [
        ...(p.outstandingFen !== totalFen
          ? [{ label: '尚需缴纳', value: formatYuan(p.outstandingFen) }]
          : []),
        { label: '缴费截止', value: formatDate(n.deadline) },
        { label: '缴费方式', value: n.methods.join('、') },
        { label: '前台', value: [n.frontDesk, n.serviceHours].filter(Boolean).join('，') || '—' },
        {
          label: '滞纳金',
          value: n.lateFeePolicy ?? '本小区物业服务合同未约定滞纳金，不收取',
        },
        {
          label: '咨询与投诉',
          value: `物业服务电话 ${n.contactPhone || '见前台公示'}；价格举报 12358`,
        },
      ],
    },
    {
      kind: 'image',
      png: p.codePng,
      widthMm: 40,
      caption: '微信扫一扫：查看本户账单并在线缴费（首次使用将为本户认证，此码仅可认证一次）',
    },
    { kind: 'pageBreak' },
  ];
}

export function householdNoticeDoc(n: HouseholdNotice, pages: readonly HouseholdPage[]): PrintDoc {
  const blocks = pages.flatMap((p) => householdPageBlocks(n, p));
  if (blocks[blocks.length - 1]?.kind === 'pageBreak') blocks.pop();
  return {
    title: `${n.title}（${n.building ? `${n.building}栋 ` : ''}${pages.length} 户）`,
    blocks,
    footer: `${n.communityName} · 请妥善保管本通知单，勿转交他人`,
    size: 'A4',
  };
}
