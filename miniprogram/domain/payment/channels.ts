/**
 * The ways money reaches the property company, written once: payment records, receipts, ledgers
 * and the community's accepted methods all use these codes. Pure, no big.js: pages import it.
 */
import { codesOf } from '../kernel/codes';

/** How a receipt and a ledger name the channel. */
export const CHANNEL_LABELS = {
  wechat: '微信支付',
  cash: '现金',
  card: '银行卡（POS）',
  transfer: '银行转账',
  alipay: '支付宝',
  autodebit: '银行代扣',
  other: '其他',
};
export type PaymentChannel = keyof typeof CHANNEL_LABELS;
export const PAYMENT_CHANNELS = codesOf(CHANNEL_LABELS);

/** Channels a cashier records (everything but WeChat Pay, which only the callback records). */
export const OFFLINE_CHANNELS = PAYMENT_CHANNELS.filter((c) => c !== 'wechat') as [
  OfflineChannel,
  ...OfflineChannel[],
];
export type OfflineChannel = Exclude<PaymentChannel, 'wechat'>;

/** How an owner-facing list of accepted methods names them ("刷卡" reads better there). */
export const PAYMENT_METHOD_LABELS: Record<PaymentChannel, string> = {
  ...CHANNEL_LABELS,
  card: '刷卡',
};
