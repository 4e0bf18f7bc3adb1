/** The 线下收款 form, checked with the function's contract, payment.recordOffline (pure: no wx). */
import { type OfflineChannel } from '../../domain/payment/channels';
import type { ReceiptLineView } from '../../utils/receipt-view';
import type { RoomListItem } from '../../domain/community/contract';
import { api } from '../../domain/api';
import { check, formErrors, topField } from '../../domain/kernel/check';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';
import { formatClock, formatPeriod } from '../../domain/kernel/time';
import type { OpenOrderView } from '../../domain/payment/exceptions.contract';

export interface RoomOption {
  roomId: string;
  label: string;
  ownerText: string;
  specialCare: boolean;
}

export function toRoomOption(r: RoomListItem): RoomOption {
  return {
    roomId: r.roomId,
    label: r.label,
    ownerText: r.owner ? `业主 ${r.owner.name} ${r.owner.mobile}` : '暂无业主信息',
    specialCare: r.specialCare,
  };
}

/**
 * What the cashier typed in the search box: '1-2-201', '1栋2单元201' or '1 2 201' narrow to a
 * building and unit; anything else is a room number fragment, a surname or mobile digits.
 */
export function parseRoomQuery(text: string): {
  building?: string;
  unit?: string;
  keyword?: string;
} {
  const t = text.trim();
  const m =
    /^([A-Za-z0-9]{1,20})\s*(?:栋|幢|号楼|-|\s)\s*([A-Za-z0-9]{1,20})\s*(?:单元|-|\s)\s*([0-9A-Za-z-]{1,20})\s*(?:室|号)?$/.exec(
      t,
    );
  if (m) return { building: m[1], unit: m[2], keyword: m[3] };
  return t ? { keyword: t.slice(0, 20) } : {};
}

export interface CollectForm {
  channel: OfflineChannel;
  amountText: string;
  referenceText: string;
  tenderedText: string;
  payerName: string;
  note: string;
}

export interface CollectErrors {
  amount: string;
  reference: string;
  tendered: string;
}

export type CollectInput = {
  channel: OfflineChannel;
  amountFen: number;
  reference?: string;
  tenderedFen?: number;
  payerName?: string;
  note?: string;
};

/** The form field a recordOffline problem belongs to, if it is one of the form's. */
export function collectField(path: string): keyof CollectErrors | undefined {
  const top = topField(path);
  if (top === 'amountFen') return 'amount';
  if (top === 'tenderedFen') return 'tendered';
  if (top === 'reference') return 'reference';
  return undefined;
}

/**
 * What the contract judges, it judges alone; a check of the form before the room is picked (or
 * without its key) stands in valid ones for those.
 */
const STAND_IN = { roomId: 'room', idempotencyKey: 'form-check' };

/**
 * The form checked with payment.recordOffline (the reference each channel needs, cash tendered
 * against the amount: the contract's rules and words), plus what only the form knows: the amounts
 * are typed in yuan. Cash carries no reference (the change is what matters there); the payer's
 * name and the note are cut to what their boxes take.
 */
export function validateCollect(
  f: CollectForm,
  ids: { roomId: string; idempotencyKey: string } = STAND_IN,
): { ok: true; input: CollectInput; changeFen: number } | { ok: false; errors: CollectErrors } {
  const amountFen = parseYuanInput(f.amountText);
  const reference = f.channel === 'cash' ? '' : f.referenceText.trim();
  const tenderedText = f.channel === 'cash' ? f.tenderedText.trim() : '';
  const tenderedFen = tenderedText ? parseYuanInput(tenderedText) : undefined;
  const payerName = f.payerName.trim().slice(0, 20);
  const note = f.note.trim().slice(0, 200);
  const input: CollectInput = {
    channel: f.channel,
    amountFen: amountFen ?? Number.NaN,
    ...(reference ? { reference } : {}),
    ...(tenderedFen != null ? { tenderedFen } : {}),
    ...(payerName ? { payerName } : {}),
    ...(note ? { note } : {}),
  };
  const checked = check(api.payment.recordOffline, { ...ids, ...input });
  const errors: CollectErrors = {
    ...EMPTY_ERRORS,
    ...(checked.ok ? {} : formErrors(checked.errors, collectField, 'amount')),
  };
  if (!f.amountText.trim()) errors.amount = '请输入收款金额';
  else if (amountFen === null) errors.amount = '金额格式不正确，如 965 或 965.50';
  if (tenderedFen === null) errors.tendered = '实收金额格式不正确';
  if (!checked.ok || errors.amount || errors.reference || errors.tendered) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    changeFen: tenderedFen != null ? tenderedFen - input.amountFen : 0,
    input,
  };
}

/** One key per form: the server records one payment however often the form is sent. */
export function newIdempotencyKey(): string {
  const rand = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `c${Date.now().toString(36)}${rand}`.slice(0, 40);
}

export interface DoneView {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  roomLabel: string;
  channelText: string;
  lines: ReceiptLineView[];
  hasPrepaid: boolean;
  prepaidText: string;
  hasChange: boolean;
  changeText: string;
}

export const EMPTY_ERRORS: CollectErrors = { amount: '', reference: '', tendered: '' };

/** An owner's WeChat Pay order holding some of the room's bills, as the desk shows it. */
export interface OpenOrderCard {
  outTradeNo: string;
  text: string;
  closable: boolean;
  closeText: string;
}

export function openOrderCard(o: OpenOrderView, now: Date): OpenOrderCard {
  const closable = Date.parse(o.closableAt) <= now.getTime();
  return {
    outTradeNo: o.outTradeNo,
    text: `${o.payer} ${formatClock(new Date(o.startedAt))} 发起微信支付 ${formatYuan(o.amountFen)}（${o.periods.map(formatPeriod).join('、')}），支付完成前不能再收这些账单`,
    closable,
    closeText: closable ? '关闭订单' : `${formatClock(new Date(o.closableAt))} 后可关闭`,
  };
}
