/** The 线下收款 form, checked as the server checks it (pure: no wx). */
import { OFFLINE_CHANNEL_OPTIONS, type ReceiptLineView } from '../../utils/receipt-view';
import type { OfflineChannel } from '../../domain/payment/contract';
import type { RoomListItem } from '../../domain/community/contract';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';

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

/** The form checked as the server will check it, with a sentence per field. */
export function validateCollect(
  f: CollectForm,
): { ok: true; input: CollectInput; changeFen: number } | { ok: false; errors: CollectErrors } {
  const errors: CollectErrors = { amount: '', reference: '', tendered: '' };
  const option = OFFLINE_CHANNEL_OPTIONS.find((o) => o.value === f.channel);
  const amountFen = parseYuanInput(f.amountText);
  if (!f.amountText.trim()) errors.amount = '请输入收款金额';
  else if (amountFen === null) errors.amount = '金额格式不正确，如 965 或 965.50';
  else if (amountFen <= 0) errors.amount = '收款金额需大于 0 元';
  // cash carries no reference: the change is what matters there
  const reference = f.channel === 'cash' ? '' : f.referenceText.trim();
  if (option?.needsReference && !reference)
    errors.reference = '请填写交易参考号（POS 单号、转账流水号等）';
  else if (reference && reference.length < 4) errors.reference = '交易参考号至少 4 位';
  else if (reference.length > 64) errors.reference = '交易参考号最多 64 位';
  let tenderedFen: number | undefined;
  if (f.channel === 'cash' && f.tenderedText.trim()) {
    const t = parseYuanInput(f.tenderedText);
    if (t === null || t <= 0) errors.tendered = '实收金额格式不正确';
    else if (amountFen !== null && t < amountFen)
      errors.tendered = `实收现金不能少于收款金额 ${formatYuan(amountFen)}`;
    else tenderedFen = t;
  }
  if (errors.amount || errors.reference || errors.tendered) return { ok: false, errors };
  const payerName = f.payerName.trim().slice(0, 20);
  const note = f.note.trim().slice(0, 200);
  return {
    ok: true,
    changeFen: tenderedFen !== undefined ? tenderedFen - amountFen! : 0,
    input: {
      channel: f.channel,
      amountFen: amountFen!,
      ...(reference ? { reference } : {}),
      ...(tenderedFen !== undefined ? { tenderedFen } : {}),
      ...(payerName ? { payerName } : {}),
      ...(note ? { note } : {}),
    },
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
