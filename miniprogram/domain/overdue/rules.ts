/**
 * Overdue follow-up (催缴), pure: aging buckets, which escalation stage an account is due for,
 * quiet hours, the reasons owners give for not paying, installment plans that sum exactly to the
 * arrears, the keyword values of a reminder, and the printable 催缴函 and notice poster.
 *
 * 先礼后兵、分级递进、人文关怀: every text here is polite and never threatens to cut water,
 * electricity, heating or gas (Civil Code art. 944 forbids it); `assertNoUtilityThreat` checks.
 */
import { allocate, formatYuan, chineseCapital, type Fen } from '../kernel/money';
import type { PrintBlock, PrintDoc } from '../print/document';
import type { EscalationStage } from '../settings/defaults';
import { addDays, formatDate, formatMonths, formatPeriod } from '../kernel/time';
import { amountKeyword, dateKeyword, trimThing, type TemplateConfig } from '../notice/subscribe';
import { addMonths } from './vocabulary';
import { overdueDaysOn } from '../ledger/aging';
import {
  billAmounts,
  coverOf,
  isPastDue,
  outstandingFen,
  type BillAmounts,
  type BillDoc,
} from '../fee/bill';

export * from './vocabulary';

export type StageKey = EscalationStage['stage'];

export const STAGE_LABELS: Record<StageKey, string> = {
  'friendly-reminder': '温馨提示',
  'second-reminder': '再次提醒',
  'formal-notice': '书面催缴函',
  'home-visit': '上门拜访',
};

// ---------------------------------------------------------------- escalation

/**
 * The stage to carry out now: the latest stage whose day has come that has not been done yet.
 * Earlier stages that were never done (the account was held, or the product went live late) are
 * superseded rather than replayed: an owner 40 days late gets the letter, not three messages.
 * Null when nothing is due.
 */
export function stageToRun(
  stages: readonly EscalationStage[],
  overdueDays: number,
  done: readonly StageKey[],
): EscalationStage | null {
  const due = [...stages].sort((a, b) => a.day - b.day).filter((s) => s.day <= overdueDays);
  const latest = due[due.length - 1];
  if (!latest) return null;
  const dayOf = new Map(stages.map((s) => [s.stage, s.day]));
  const reached = Math.max(0, ...done.map((k) => dayOf.get(k) ?? 0));
  return latest.day > reached ? latest : null;
}

/** Validates a community's escalation policy; problems name the field. */
export function validateStages(stages: readonly EscalationStage[]): string[] {
  const problems: string[] = [];
  if (stages.length === 0) problems.push('escalation: 至少需要一个阶段');
  const seen = new Set<string>();
  let last = 0;
  stages.forEach((s, i) => {
    if (!Number.isInteger(s.day) || s.day < 1 || s.day > 3650)
      problems.push(`escalation.${i}.day: 须为 1–3650 的整数`);
    if (s.day <= last && i > 0) problems.push(`escalation.${i}.day: 天数须逐级递增`);
    if (seen.has(s.stage)) problems.push(`escalation.${i}.stage: 阶段重复`);
    seen.add(s.stage);
    last = s.day;
  });
  return problems;
}

// ---------------------------------------------------------------- quiet hours

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`time must be HH:mm: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Whether `at` (an instant) falls in the quiet hours, read in UTC+8; windows may wrap midnight. */
export function inQuietHours(at: Date, quiet: { from: string; to: string }): boolean {
  const local = new Date(at.getTime() + 8 * 3600_000);
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

// ---------------------------------------------------------------- installments

export interface Installment {
  dueDate: string;
  amountFen: Fen;
}

/** Splits arrears into `n` installments, a month apart from `firstDue`, summing exactly. */
export function splitInstallments(arrearsFen: Fen, n: number, firstDue: string): Installment[] {
  if (!Number.isInteger(n) || n < 2 || n > 24) throw new RangeError('n must be 2–24');
  const parts = allocate(arrearsFen, new Array<number>(n).fill(1));
  return parts.map((amountFen, i) => ({ dueDate: addMonths(firstDue, i), amountFen }));
}

/**
 * A plan must have 2–24 installments with positive whole-fen amounts, due dates strictly
 * increasing from today on, summing **exactly** to the arrears. Problems name the field.
 */
export function validateInstallments(
  arrearsFen: Fen,
  installments: readonly Installment[],
  today: string,
): string[] {
  const problems: string[] = [];
  if (installments.length < 2 || installments.length > 24)
    problems.push('installments: 须分 2 到 24 期');
  let prev = '';
  let sum = 0;
  installments.forEach((it, i) => {
    if (!Number.isSafeInteger(it.amountFen) || it.amountFen <= 0)
      problems.push(`installments.${i}.amountFen: 金额须为正的整数分`);
    else sum += it.amountFen;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(it.dueDate))
      problems.push(`installments.${i}.dueDate: 日期格式应为 YYYY-MM-DD`);
    else {
      if (it.dueDate < today) problems.push(`installments.${i}.dueDate: 不能早于今天`);
      if (prev && it.dueDate <= prev) problems.push(`installments.${i}.dueDate: 须晚于上一期`);
      prev = it.dueDate;
    }
  });
  if (problems.length === 0 && sum !== arrearsFen) {
    problems.push(
      `installments: 各期合计 ${formatYuan(sum)} 与欠费 ${formatYuan(arrearsFen)} 不一致`,
    );
  }
  return problems;
}

export interface InstallmentProgress {
  /** Per installment: fen covered by what has been paid since the plan started (oldest first). */
  covered: Fen[];
  /** Index of the first installment not fully covered, or null when all are. */
  nextIndex: number | null;
  /** True when an installment is past its due date + grace and not covered: escalation resumes. */
  lapsed: boolean;
  /** The installment that lapsed. */
  lapsedIndex: number | null;
  complete: boolean;
}

/** Where a plan stands, given what has been paid towards it, on `today` with `graceDays`. */
export function installmentProgress(
  installments: readonly Installment[],
  paidFen: Fen,
  today: string,
  graceDays: number,
): InstallmentProgress {
  let left = Math.max(0, paidFen);
  const covered = installments.map((it) => {
    const c = Math.min(left, it.amountFen);
    left -= c;
    return c;
  });
  const nextIndex = covered.findIndex((c, i) => c < installments[i]!.amountFen);
  const lapsedIndex = installments.findIndex(
    (it, i) => covered[i]! < it.amountFen && addDays(it.dueDate, graceDays) < today,
  );
  return {
    covered,
    nextIndex: nextIndex === -1 ? null : nextIndex,
    lapsed: lapsedIndex !== -1,
    lapsedIndex: lapsedIndex === -1 ? null : lapsedIndex,
    complete: nextIndex === -1,
  };
}

// ---------------------------------------------------------------- reminder values

/** What a reminder says, before it is fitted to the deployment's template. */
export interface ReminderFields {
  /** Main subject, e.g. "3栋2单元1502 物业费" (thing). */
  subject: string;
  amountFen: Fen;
  /** Deadline or due date, YYYY-MM-DD (date). */
  date: string;
  /** A friendly note, e.g. "如已缴纳请忽略" (second thing). */
  note: string;
  /** The service phone (phone_number). */
  phone: string;
  /** A short status word ≤ 5 Chinese characters (phrase), e.g. "待缴费". */
  status: string;
  /** Days overdue (number), when relevant. */
  days?: number;
  /** The room label (character_string is ASCII only, so the room id). */
  code?: string;
}

/**
 * Values by keyword for a template configured as key + type only: each type takes its field,
 * the first `thing` the subject and the second the note (any further thing the note as well).
 * The result is still checked and trimmed by `buildPayload`.
 */
export function reminderValues(
  template: TemplateConfig,
  f: ReminderFields,
): Record<string, string> {
  const out: Record<string, string> = {};
  let things = 0;
  for (const kw of template.keywords) {
    switch (kw.type) {
      case 'thing':
        out[kw.key] = things++ === 0 ? f.subject : f.note;
        break;
      case 'amount':
        out[kw.key] = amountKeyword(f.amountFen);
        break;
      case 'date':
        out[kw.key] = dateKeyword(f.date);
        break;
      case 'time':
        out[kw.key] = `${dateKeyword(f.date)} 23:59`;
        break;
      case 'phone_number':
        out[kw.key] = f.phone.replace(/[^\d+-]/g, '');
        break;
      case 'phrase':
        out[kw.key] = f.status;
        break;
      case 'number':
        out[kw.key] = String(f.days ?? 0);
        break;
      case 'character_string':
        out[kw.key] = (f.code ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, 32) || '-';
        break;
      default:
        // name, letter, symbol, car_number: nothing in a reminder fits; buildPayload reports it.
        break;
    }
  }
  return out;
}

/** Wording per stage: polite, never a threat (art. 944). */
export const STAGE_NOTES: Record<StageKey | 'notice', { status: string; note: string }> = {
  notice: { status: '待缴费', note: '可在小程序内缴纳，感谢支持' },
  'friendly-reminder': { status: '待缴费', note: '温馨提示，如已缴纳请忽略' },
  'second-reminder': { status: '已逾期', note: '如有困难请联系物业客服' },
  'formal-notice': { status: '已逾期', note: '书面缴费通知已送达，请查收' },
  'home-visit': { status: '已逾期', note: '客服将与您联系，感谢理解' },
};

// ---------------------------------------------------------------- printable documents

const UTILITY_THREAT = /停水|停电|停暖|停气|断水|断电|断暖|断气|限水|限电/;

/** Throws when a text threatens to cut utilities (Civil Code art. 944 forbids it). */
export function assertNoUtilityThreat(text: string): void {
  if (UTILITY_THREAT.test(text)) throw new Error('催缴文字不得涉及停水、停电、停暖、停气');
}

export interface LetterBill extends BillAmounts {
  period: string;
  /** The months the bill covers (YYYY-MM). */
  coverFrom: string;
  coverTo: string;
  title: string;
  dueDate: string;
  overdueDays: number;
}

/**
 * A 催缴函's number: the day its stage was reached and the room as people name it,
 * 'CJ20261114-1栋1单元602' (never the record id).
 */
export function letterNumber(day: string, roomLabel: string): string {
  return `CJ${day.replace(/-/g, '')}-${roomLabel}`;
}

/**
 * What a letter (and a case) asks for on `today`: the bills past their due date plus the
 * community's grace days that still owe something, oldest due first. A bill not yet due is never
 * demanded, however early it was issued.
 */
export function lettersBills(
  bills: readonly BillDoc[],
  today: string,
  graceDays = 0,
): LetterBill[] {
  return bills
    .filter((b) => outstandingFen(b) > 0 && isPastDue(b.dueDate, today, graceDays))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.period.localeCompare(b.period))
    .map((b) => letterBill(b, today));
}

/** One bill as a letter's line on `today` (a settled bill: nothing owed, no days counted). */
export function letterBill(b: BillDoc, today: string): LetterBill {
  const money = billAmounts(b);
  return {
    period: b.period,
    ...coverOf(b),
    title: b.title,
    dueDate: b.dueDate,
    ...money,
    overdueDays: money.outstandingFen > 0 ? overdueDaysOn(b.dueDate, today) : 0,
  };
}

export interface LetterInput {
  letterNo: string;
  communityName: string;
  roomLabel: string;
  /** "王先生" or "业主"; masked names are fine. */
  addressee: string;
  bills: LetterBill[];
  /**
   * The day the letter is made (YYYY-MM-DD): its amounts are as of that day (截至), and it is
   * dated and signed that day; and the reasonable deadline it gives (YYYY-MM-DD).
   */
  issuedOn: string;
  payBy: string;
  servicePhone: string;
  frontDesk: string;
  serviceHours: string;
  /** Late-fee wording from the contract, or null when no late fee applies. */
  lateFeePolicy: string | null;
}

function cnDate(date: string): string {
  return formatDate(date);
}

function letterBlocks(l: LetterInput): PrintBlock[] {
  const total = l.bills.reduce((s, b) => s + b.outstandingFen, 0);
  const blocks: PrintBlock[] = [
    { kind: 'heading', text: '物业服务费缴费通知函', level: 1 },
    { kind: 'paragraph', text: `编号：${l.letterNo}`, align: 'right' },
    { kind: 'paragraph', text: `尊敬的 ${l.roomLabel} ${l.addressee}：`, bold: true },
    {
      kind: 'paragraph',
      text:
        `您好！感谢您一直以来对${l.communityName}物业服务工作的理解与支持。经核对，截至${cnDate(l.issuedOn)}，` +
        `您名下房屋尚有以下物业服务费用未缴纳，合计 ${formatYuan(total)}（大写：${chineseCapital(total)}）。`,
    },
    {
      kind: 'table',
      columns: ['账期', '费用', '应缴日期', '应缴', '滞纳金', '已缴', '未缴', '逾期天数'],
      widths: [3, 3.4, 3, 2.3, 2, 2.3, 2.4, 1.8],
      align: ['left', 'left', 'center', 'right', 'right', 'right', 'right', 'right'],
      rows: l.bills.map((b) => [
        formatMonths(b.coverFrom, b.coverTo),
        b.title,
        formatDate(b.dueDate),
        formatYuan(b.amountDueFen),
        formatYuan(b.lateFeeFen),
        formatYuan(b.paidFen),
        formatYuan(b.outstandingFen),
        `${b.overdueDays} 天`,
      ]),
      footer: ['合计', '', '', '', '', '', formatYuan(total), ''],
    },
    {
      kind: 'paragraph',
      text:
        `根据《物业服务合同》的约定，按时缴纳物业服务费是业主的义务。请您于${cnDate(l.payBy)}前缴清上述费用。` +
        `您可以在微信小程序内直接缴费，也可以到${l.frontDesk}（${l.serviceHours}）办理。`,
    },
    {
      kind: 'paragraph',
      text: l.lateFeePolicy
        ? `合同约定的滞纳金：${l.lateFeePolicy}。`
        : '本小区物业服务合同未约定滞纳金，逾期不另收取滞纳金。',
    },
    {
      kind: 'paragraph',
      text:
        `如您对费用有疑问、对我们的服务有意见，或暂时存在经济困难，请随时拨打 ${l.servicePhone} 与我们联系，` +
        '我们可以为您核对账目、处理意见，或协商分期缴纳。如您已缴纳，请忽略本函，并再次感谢您的支持！',
    },
    {
      kind: 'paragraph',
      text: '若逾期仍未缴纳，我司将依照《民法典》第九百四十四条的规定，依法通过调解、仲裁或诉讼等途径主张权利。',
    },
    { kind: 'spacer' },
    { kind: 'signature', lines: [`${l.communityName}物业服务中心`, cnDate(l.issuedOn)] },
    { kind: 'spacer' },
    {
      kind: 'fields',
      rows: [
        { label: '送达方式', value: '□ 本人签收  □ 家属代收  □ 张贴/投递' },
        { label: '签收人', value: '' },
        { label: '签收日期', value: '' },
      ],
    },
  ];
  for (const b of blocks) {
    if (b.kind === 'paragraph') assertNoUtilityThreat(b.text);
  }
  return blocks;
}

/** One 催缴函 per room, one page each; `letters` empty is an error (nothing to print). */
export function overdueLettersDoc(letters: readonly LetterInput[]): PrintDoc {
  if (letters.length === 0) throw new RangeError('no letters to print');
  const blocks: PrintBlock[] = [];
  letters.forEach((l, i) => {
    if (i > 0) blocks.push({ kind: 'pageBreak' });
    blocks.push(...letterBlocks(l));
  });
  const first = letters[0]!;
  return {
    title:
      letters.length === 1
        ? `缴费通知函-${first.roomLabel}-${first.letterNo}`
        : `缴费通知函-${first.communityName}-${letters.length}份`,
    blocks,
    footer: `${first.communityName}物业服务中心 · 服务电话 ${first.servicePhone}`,
    size: 'A4',
  };
}

export interface NoticeContent {
  communityName: string;
  title: string;
  period: string;
  amountBasis: string;
  methods: string[];
  frontDesk: string;
  serviceHours: string;
  deadline: string;
  lateFeePolicy: string | null;
  contactPhone: string;
  body: string;
  publishedOn: string;
}

/** The payment notice as a poster for the bulletin board. */
export function noticePosterDoc(n: NoticeContent): PrintDoc {
  const blocks: PrintBlock[] = [
    { kind: 'heading', text: n.title, level: 1 },
    { kind: 'paragraph', text: '尊敬的各位业主、住户：', bold: true },
    { kind: 'paragraph', text: n.body },
    {
      kind: 'fields',
      rows: [
        { label: '缴费期间', value: n.period },
        { label: '收费标准', value: n.amountBasis },
        { label: '缴费方式', value: n.methods.join('、') },
        { label: '缴费地点', value: `${n.frontDesk}（${n.serviceHours}）` },
        { label: '缴费截止', value: cnDate(n.deadline) },
        { label: '滞纳金', value: n.lateFeePolicy ?? '合同未约定，不收取' },
        { label: '咨询电话', value: n.contactPhone },
      ],
    },
    {
      kind: 'paragraph',
      text: '您的应缴金额可在微信小程序"首页"查看；收费标准已在服务中心公示，价格举报电话 12358。感谢您的理解与支持！',
    },
    { kind: 'spacer' },
    { kind: 'signature', lines: [`${n.communityName}物业服务中心`, cnDate(n.publishedOn)] },
  ];
  for (const b of blocks) if (b.kind === 'paragraph') assertNoUtilityThreat(b.text);
  return { title: n.title, blocks, footer: `咨询电话 ${n.contactPhone}`, size: 'A4' };
}

/** A one-line plain summary of a notice for lists (thing-safe length is not required here). */
export function noticeSummary(n: Pick<NoticeContent, 'period' | 'deadline' | 'body'>): string {
  return trimThing(`${formatPeriod(n.period)}，请于${cnDate(n.deadline)}前缴纳。${n.body}`, 60);
}
