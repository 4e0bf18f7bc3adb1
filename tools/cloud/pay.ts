/**
 * The WeChat Pay sandbox behind `cloud.cloudPay.*` (V2 semantics as the cloud-payment API
 * documents them): orders, payment by the preview's pay sheet or a dev endpoint, payment and
 * refund notifications delivered to the callback function with `SOURCE=wx_paycallback` and
 * retried on WeChat's schedule until it answers `{ errcode: 0 }`, and the daily statement.
 *
 * Faults can be injected (duplicate, late, failed and out-of-order notifications, and a callback
 * that arrives before `unifiedOrder` has even returned) to test that money is applied once.
 * State lives in `__pay_*` collections of the store, so it is journaled like everything else.
 */
import crypto from 'node:crypto';
import type { DevClock } from './clock';
import type { FunctionRunner } from './functions';
import { newId, type Store } from './store';

export const PAY_ORDERS = '__pay_orders';
export const PAY_REFUNDS = '__pay_refunds';
export const PAY_NOTIFICATIONS = '__pay_notifications';

/** WeChat Pay's notification retry intervals (seconds) after a failed delivery: ~24 h in all. */
export const RETRY_SCHEDULE_S = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

export const SANDBOX_MCH_ID = '1900000001';
/** The service provider takes 0.6% (rounded to the fen per order), shown as 手续费 in statements. */
export const FEE_RATE_PERMILLE = 6;

export type TradeState =
  'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND' | 'PAYERROR' | 'USERPAYING' | 'REVOKED';

export interface PayOrder {
  _id: string; // outTradeNo
  outTradeNo: string;
  body: string;
  totalFee: number;
  subMchId: string;
  envId: string;
  functionName: string;
  attach?: string;
  spbillCreateIp: string;
  openid: string;
  prepayId: string;
  tradeState: TradeState;
  createdAt: number;
  expireAt: number;
  transactionId?: string;
  paidAt?: number;
  closedAt?: number;
  refundedFee: number;
}

export interface PayRefund {
  _id: string; // outRefundNo
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  functionName?: string;
  status: 'PROCESSING' | 'SUCCESS';
  createdAt: number;
  successAt?: number;
}

interface PayNotification {
  _id: string;
  kind: 'pay' | 'refund';
  functionName: string;
  event: Record<string, unknown>;
  attempts: number;
  nextAt: number;
  status: 'pending' | 'delivered' | 'abandoned';
  history: { at: number; outcome: string }[];
}

/** Switches to make the next notifications misbehave; each counter is consumed as it is used. */
export interface PayFaults {
  /** Deliver each of the next notifications this many times at once. */
  duplicates?: number;
  /** Report the next N deliveries as failed (network error) without calling the function. */
  failNext?: number;
  /** Hold notifications back by this many ms (dev clock) before the first delivery. */
  delayMs?: number;
  /** Deliver due notifications newest first. */
  outOfOrder?: boolean;
  /** Pay at once inside unifiedOrder and deliver the callback before unifiedOrder returns. */
  payOnUnifiedOrder?: boolean;
}

type Req = Record<string, unknown>;

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function nonce(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** yyyyMMddHHmmss in UTC+8, as WeChat Pay writes times. */
export function wxTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000).toISOString();
  return d.slice(0, 19).replace(/[-:T]/g, '');
}

export function parseWxTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
}

function shanghaiDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

function fail(errCode: string, errCodeDes: string): Req {
  return {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    result_code: 'FAIL',
    err_code: errCode,
    err_code_des: errCodeDes,
  };
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

export interface PaySandboxOptions {
  store: Store;
  clock: DevClock;
  functions: FunctionRunner;
  appid: string;
  log: (m: string) => void;
}

export class PaySandbox {
  faults: PayFaults = {};
  private delivering: Promise<number> | null = null;

  constructor(private o: PaySandboxOptions) {
    this.ensureCollections();
  }

  /** The sandbox's own collections (again after a reset wiped the store). */
  ensureCollections(): void {
    for (const c of [PAY_ORDERS, PAY_REFUNDS, PAY_NOTIFICATIONS]) {
      if (!this.o.store.hasCollection(c)) this.o.store.createCollection(c);
    }
  }

  private order(outTradeNo: string): PayOrder | null {
    return (this.o.store.find(PAY_ORDERS, { _id: outTradeNo })[0] as PayOrder | undefined) ?? null;
  }

  private saveOrder(order: PayOrder): void {
    this.o.store.update(PAY_ORDERS, { _id: order._id }, order as unknown as Req, {
      multi: false,
      replace: true,
      upsert: true,
    });
  }

  /** Handles one `wx.wxPayApi` request: returns the snake_case JSON answer, or text for bills. */
  async handle(api: string, req: Req, caller: { openid?: string }): Promise<Req | string> {
    switch (api) {
      case 'unifiedOrder':
        return this.unifiedOrder(req, caller.openid ?? '');
      case 'queryOrder':
        return this.queryOrder(req);
      case 'closeOrder':
        return this.closeOrder(req);
      case 'refund':
        return this.refund(req);
      case 'queryRefund':
        return this.queryRefund(req);
      case 'downloadBill':
        return this.downloadBill(req);
      default:
        return { return_code: 'FAIL', return_msg: `cloudPay.${api} is not offered by the sandbox` };
    }
  }

  private async unifiedOrder(req: Req, openid: string): Promise<Req> {
    const outTradeNo = str(req.out_trade_no);
    const body = str(req.body);
    const totalFee = req.total_fee;
    const missing = [
      'body',
      'out_trade_no',
      'total_fee',
      'spbill_create_ip',
      'sub_mch_id',
      'env_id',
      'function_name',
    ].filter((k) => req[k] === undefined || req[k] === '');
    if (missing.length)
      return { return_code: 'FAIL', return_msg: `缺少参数 ${missing.join(', ')}` };
    if (!/^[0-9A-Za-z_\-|*@]{1,32}$/.test(outTradeNo))
      return fail('PARAM_ERROR', 'out_trade_no 须为 32 位以内的字母、数字、_-|*@');
    if ([...body].length > 128) return fail('PARAM_ERROR', 'body 不能超过 128 个字符');
    if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0) {
      return fail('PARAM_ERROR', 'total_fee 须为正整数（单位：分）');
    }
    if (req.attach !== undefined && [...str(req.attach)].length > 127)
      return fail('PARAM_ERROR', 'attach 不能超过 127 个字符');
    const now = this.o.clock.now();
    let expireAt = now + 2 * 3600_000;
    if (req.time_expire !== undefined) {
      const t = parseWxTime(str(req.time_expire));
      if (t === null) return fail('PARAM_ERROR', 'time_expire 格式须为 yyyyMMddHHmmss');
      if (t - now < 60_000) return fail('PARAM_ERROR', 'time_expire 须晚于当前时间至少 1 分钟');
      expireAt = t;
    }
    const existing = this.order(outTradeNo);
    if (existing) {
      if (existing.tradeState === 'SUCCESS' || existing.tradeState === 'REFUND')
        return fail('ORDERPAID', '该订单已支付');
      if (existing.tradeState === 'CLOSED') return fail('ORDERCLOSED', '该订单已关闭');
      // The same order again (same amount and body) gets the same prepay id; a different request
      // under the same outTradeNo is refused, as WeChat Pay does.
      if (
        existing.totalFee !== totalFee ||
        existing.body !== body ||
        existing.subMchId !== str(req.sub_mch_id)
      ) {
        return fail('INVALID_REQUEST', '商户订单号重复，且参数与原订单不一致');
      }
      return this.prepayAnswer(existing);
    }
    const order: PayOrder = {
      _id: outTradeNo,
      outTradeNo,
      body,
      totalFee,
      subMchId: str(req.sub_mch_id),
      envId: str(req.env_id),
      functionName: str(req.function_name),
      attach: req.attach === undefined ? undefined : str(req.attach),
      spbillCreateIp: str(req.spbill_create_ip),
      openid,
      prepayId: `wx${wxTime(now)}${newId().slice(0, 18)}`,
      tradeState: 'NOTPAY',
      createdAt: now,
      expireAt,
      refundedFee: 0,
    };
    this.saveOrder(order);
    if (this.faults.payOnUnifiedOrder) {
      this.faults.payOnUnifiedOrder = false;
      await this.pay(outTradeNo, 'success');
      await this.deliverDue();
    }
    return this.prepayAnswer(order);
  }

  private prepayAnswer(order: PayOrder): Req {
    const timeStamp = String(Math.floor(this.o.clock.now() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${order.prepayId}`;
    const paySign = crypto
      .createHash('md5')
      .update(`${this.o.appid}${timeStamp}${nonceStr}${pkg}`)
      .digest('hex')
      .toUpperCase();
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: this.o.appid,
      mch_id: SANDBOX_MCH_ID,
      sub_mch_id: order.subMchId,
      nonce_str: nonceStr,
      sign: paySign,
      result_code: 'SUCCESS',
      trade_type: 'JSAPI',
      prepay_id: order.prepayId,
      payment: { appId: this.o.appid, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign },
    };
  }

  private queryOrder(req: Req): Req {
    const order = this.findOrder(req);
    if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    this.expireIfDue(order);
    return {
      ...this.successFor(order),
      openid: order.openid,
      trade_state: order.tradeState,
      trade_state_desc: tradeStateDesc(order.tradeState),
      total_fee: order.totalFee,
      cash_fee:
        order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND'
          ? order.totalFee
          : undefined,
      time_end: order.paidAt ? wxTime(order.paidAt) : undefined,
      attach: order.attach,
      trade_type: 'JSAPI',
      bank_type: 'OTHERS',
    };
  }

  private findOrder(req: Req): PayOrder | null {
    if (req.out_trade_no) return this.order(str(req.out_trade_no));
    if (req.transaction_id) {
      return (
        (this.o.store.find(PAY_ORDERS, { transactionId: str(req.transaction_id) })[0] as
          PayOrder | undefined) ?? null
      );
    }
    return null;
  }

  /** An unpaid order past its time_expire can no longer be paid (it stays NOTPAY until closed). */
  private expireIfDue(order: PayOrder): boolean {
    return order.tradeState === 'NOTPAY' && this.o.clock.now() > order.expireAt;
  }

  private closeOrder(req: Req): Req {
    const order = this.order(str(req.out_trade_no));
    if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND')
      return fail('ORDERPAID', '订单已支付，不能发起关单');
    if (order.tradeState === 'CLOSED') return fail('ORDERCLOSED', '订单已关闭，无法重复关闭');
    if (this.o.clock.now() - order.createdAt < 5 * 60_000) {
      return fail('SYSTEMERROR', '订单生成后需满 5 分钟才能调用关单接口，请稍后再试');
    }
    order.tradeState = 'CLOSED';
    order.closedAt = this.o.clock.now();
    this.saveOrder(order);
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      sub_mch_id: order.subMchId,
    };
  }

  private refund(req: Req): Req {
    const order = this.findOrder(req);
    if (!order) return fail('ORDERNOTEXIST', '订单不存在');
    const outRefundNo = str(req.out_refund_no);
    if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo))
      return fail('PARAM_ERROR', 'out_refund_no 格式错误');
    const refundFee = req.refund_fee;
    if (typeof refundFee !== 'number' || !Number.isInteger(refundFee) || refundFee <= 0) {
      return fail('PARAM_ERROR', 'refund_fee 须为正整数（单位：分）');
    }
    if (req.total_fee !== order.totalFee)
      return fail('INVALID_REQUEST', 'total_fee 与订单金额不一致');
    const existing = this.o.store.find(PAY_REFUNDS, { _id: outRefundNo })[0] as
      PayRefund | undefined;
    if (existing) {
      // A retry with the same refund number returns the same refund; a different amount is an error.
      if (existing.outTradeNo !== order.outTradeNo || existing.refundFee !== refundFee) {
        return fail('INVALID_REQUEST', '退款单号已用于另一笔不同的退款');
      }
      return this.refundAnswer(order, existing);
    }
    if (order.tradeState !== 'SUCCESS' && order.tradeState !== 'REFUND')
      return fail('TRADE_STATE_ERROR', '订单状态错误，未支付的订单不能退款');
    if (this.o.clock.now() - (order.paidAt ?? 0) > 365 * 86400_000)
      return fail('INVALID_REQUEST', '订单已超过一年退款期限');
    const count = this.o.store.count(PAY_REFUNDS, { outTradeNo: order.outTradeNo });
    if (count >= 50) return fail('INVALID_REQUEST', '一笔订单最多退款 50 次');
    if (order.refundedFee + refundFee > order.totalFee)
      return fail('INVALID_REQUEST', '退款金额不能超过订单可退金额');
    const now = this.o.clock.now();
    const refund: PayRefund = {
      _id: outRefundNo,
      outRefundNo,
      outTradeNo: order.outTradeNo,
      refundId: `50${wxTime(now)}${newId().slice(0, 14)}`,
      totalFee: order.totalFee,
      refundFee,
      refundDesc: req.refund_desc === undefined ? undefined : str(req.refund_desc),
      functionName: req.function_name === undefined ? undefined : str(req.function_name),
      status: 'SUCCESS',
      createdAt: now,
      successAt: now,
    };
    this.o.store.insert(PAY_REFUNDS, [refund as unknown as Req]);
    order.refundedFee += refundFee;
    order.tradeState = 'REFUND';
    this.saveOrder(order);
    if (refund.functionName) {
      this.enqueue('refund', refund.functionName, {
        returnCode: 'SUCCESS',
        appid: this.o.appid,
        mchId: SANDBOX_MCH_ID,
        subMchId: order.subMchId,
        nonceStr: nonce(),
        transactionId: order.transactionId,
        outTradeNo: order.outTradeNo,
        refundId: refund.refundId,
        outRefundNo,
        totalFee: order.totalFee,
        refundFee,
        settlementRefundFee: refundFee,
        refundStatus: 'SUCCESS',
        successTime: new Date(now + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
        refundRecvAccout: '支付用户零钱',
        refundAccount: 'REFUND_SOURCE_RECHARGE_FUNDS',
        refundRequestSource: 'API',
      });
    }
    return this.refundAnswer(order, refund);
  }

  /** The head of a successful answer about an order: the codes, whose order and which. */
  private successFor(order: PayOrder): Req {
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      appid: this.o.appid,
      mch_id: SANDBOX_MCH_ID,
      sub_mch_id: order.subMchId,
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
    };
  }

  private refundAnswer(order: PayOrder, refund: PayRefund): Req {
    return {
      ...this.successFor(order),
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_fee: refund.refundFee,
      total_fee: order.totalFee,
      cash_fee: order.totalFee,
      cash_refund_fee: refund.refundFee,
    };
  }

  private queryRefund(req: Req): Req {
    let refunds: PayRefund[];
    if (req.out_refund_no)
      refunds = this.o.store.find(PAY_REFUNDS, {
        _id: str(req.out_refund_no),
      }) as unknown as PayRefund[];
    else {
      const order = this.findOrder(req);
      refunds = order
        ? (this.o.store.find(
            PAY_REFUNDS,
            { outTradeNo: order.outTradeNo },
            { sort: { createdAt: 1 } },
          ) as unknown as PayRefund[])
        : [];
    }
    if (!refunds.length) return fail('REFUNDNOTEXIST', '退款订单查询失败');
    const order = this.order(refunds[0]!.outTradeNo)!;
    const out: Req = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      result_code: 'SUCCESS',
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      total_fee: order.totalFee,
      refund_count: refunds.length,
    };
    refunds.forEach((r, i) => {
      out[`out_refund_no_${i}`] = r.outRefundNo;
      out[`refund_id_${i}`] = r.refundId;
      out[`refund_fee_${i}`] = r.refundFee;
      out[`refund_status_${i}`] = r.status;
      out[`refund_success_time_${i}`] = r.successAt
        ? new Date(r.successAt + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
        : undefined;
    });
    return out;
  }

  /**
   * The statement for one day (UTC+8) in WeChat Pay's text format: a header row, one row per
   * trade or refund with every field prefixed by a backtick, amounts in yuan, then a summary
   * header and a summary row. Available from 10:00 the next day, for the last three months.
   */
  private downloadBill(req: Req): Req | string {
    const billDate = str(req.bill_date);
    const billType = str(req.bill_type || 'ALL');
    if (!/^\d{8}$/.test(billDate))
      return { return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20001' };
    if (!['ALL', 'SUCCESS', 'REFUND'].includes(billType))
      return { return_code: 'FAIL', return_msg: 'invalid bill_type', error_code: '20001' };
    const dayStart = Date.parse(
      `${billDate.slice(0, 4)}-${billDate.slice(4, 6)}-${billDate.slice(6, 8)}T00:00:00+08:00`,
    );
    const now = this.o.clock.now();
    if (now < dayStart + 34 * 3600_000)
      return { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' };
    if (now - dayStart > 92 * 86400_000)
      return { return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20001' };
    const inDay = (ms?: number) => ms !== undefined && shanghaiDay(ms) === billDate;
    // With sub_mch_id, the statement of that sub-merchant only (as a service provider gets it).
    const subMchId = str(req.sub_mch_id);
    const ofMerchant = (o: PayOrder | null) => !!o && (!subMchId || o.subMchId === subMchId);
    const orders = (this.o.store.find(PAY_ORDERS, {}) as unknown as PayOrder[]).filter(
      (o) => inDay(o.paidAt) && ofMerchant(o),
    );
    const refunds = (this.o.store.find(PAY_REFUNDS, {}) as unknown as PayRefund[]).filter(
      (r) => inDay(r.successAt) && ofMerchant(this.order(r.outTradeNo)),
    );
    const header =
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
    const rows: string[] = [];
    let tradeTotal = 0;
    let refundTotal = 0;
    let feeTotal = 0;
    let count = 0;
    const fmtTime = (ms: number) =>
      new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const fee = (fen: number) => Math.round((fen * FEE_RATE_PERMILLE) / 1000);
    const columns = header.split(',');
    /** A statement row of order `o`: the cells every row has, then the trade's or refund's own. */
    const row = (o: PayOrder, at: number, own: Record<string, string>) => {
      const cells: Record<string, string | undefined> = {
        交易时间: fmtTime(at),
        公众账号ID: this.o.appid,
        商户号: SANDBOX_MCH_ID,
        特约商户号: o.subMchId,
        微信订单号: o.transactionId,
        商户订单号: o.outTradeNo,
        用户标识: o.openid,
        交易类型: 'JSAPI',
        付款银行: 'OTHERS',
        货币种类: 'CNY',
        代金券金额: '0.00',
        充值券退款金额: '0.00',
        商品名称: o.body,
        商户数据包: o.attach,
        费率: '0.60%',
        ...own,
      };
      return columns.map((c) => `\`${cells[c] ?? ''}`).join(',');
    };
    if (billType !== 'REFUND') {
      for (const o of orders.sort((a, b) => a.paidAt! - b.paidAt!)) {
        const f = fee(o.totalFee);
        tradeTotal += o.totalFee;
        feeTotal += f;
        count++;
        rows.push(
          row(o, o.paidAt!, {
            交易状态: 'SUCCESS',
            应结订单金额: yuan(o.totalFee),
            微信退款单号: '0',
            商户退款单号: '0',
            退款金额: '0.00',
            手续费: yuan(f),
            订单金额: yuan(o.totalFee),
            申请退款金额: '0.00',
          }),
        );
      }
    }
    if (billType !== 'SUCCESS') {
      for (const r of refunds.sort((a, b) => a.successAt! - b.successAt!)) {
        const o = this.order(r.outTradeNo)!;
        const f = -fee(r.refundFee);
        refundTotal += r.refundFee;
        feeTotal += f;
        count++;
        rows.push(
          row(o, r.successAt!, {
            交易状态: 'REFUND',
            应结订单金额: '0.00',
            微信退款单号: r.refundId,
            商户退款单号: r.outRefundNo,
            退款金额: yuan(r.refundFee),
            退款类型: 'ORIGINAL',
            退款状态: 'SUCCESS',
            手续费: yuan(f),
            订单金额: '0.00',
            申请退款金额: yuan(r.refundFee),
          }),
        );
      }
    }
    if (rows.length === 0)
      return { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' };
    const summaryHeader =
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
    const summary = [
      String(count),
      yuan(tradeTotal),
      yuan(refundTotal),
      '0.00',
      yuan(feeTotal),
      yuan(tradeTotal),
      yuan(refundTotal),
    ]
      .map((v) => `\`${v}`)
      .join(',');
    return [header, ...rows, summaryHeader, summary].join('\r\n') + '\r\n';
  }

  // -------------------------------------------------------------- paying and notifying

  /** The payer's choice on the pay sheet. Only an unpaid, unexpired order can be paid. */
  async pay(
    outTradeNo: string,
    result: 'success' | 'cancel' | 'fail',
  ): Promise<{ ok: boolean; errMsg: string; tradeState?: TradeState }> {
    const order = this.order(outTradeNo);
    if (!order) return { ok: false, errMsg: 'requestPayment:fail 订单不存在' };
    if (result === 'cancel')
      return { ok: false, errMsg: 'requestPayment:fail cancel', tradeState: order.tradeState };
    if (order.tradeState !== 'NOTPAY')
      return {
        ok: false,
        errMsg: `requestPayment:fail 订单状态为 ${order.tradeState}`,
        tradeState: order.tradeState,
      };
    if (this.expireIfDue(order))
      return { ok: false, errMsg: 'requestPayment:fail 订单已过期', tradeState: order.tradeState };
    if (result === 'fail')
      return {
        ok: false,
        errMsg: 'requestPayment:fail 支付失败（沙箱模拟）',
        tradeState: order.tradeState,
      };
    const now = this.o.clock.now();
    order.tradeState = 'SUCCESS';
    order.paidAt = now;
    order.transactionId =
      `42000${wxTime(now)}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`.slice(0, 28);
    this.saveOrder(order);
    this.enqueue('pay', order.functionName, {
      appid: this.o.appid,
      bankType: 'OTHERS',
      cashFee: order.totalFee,
      feeType: 'CNY',
      isSubscribe: 'N',
      mchId: SANDBOX_MCH_ID,
      nonceStr: nonce(),
      openid: order.openid,
      outTradeNo: order.outTradeNo,
      resultCode: 'SUCCESS',
      returnCode: 'SUCCESS',
      subAppid: this.o.appid,
      subIsSubscribe: 'N',
      subMchId: order.subMchId,
      subOpenid: order.openid,
      timeEnd: wxTime(now),
      totalFee: order.totalFee,
      tradeType: 'JSAPI',
      transactionId: order.transactionId,
      attach: order.attach,
    });
    return { ok: true, errMsg: 'requestPayment:ok', tradeState: 'SUCCESS' };
  }

  /** Finds the order behind a `package` string (`prepay_id=…`) from `wx.requestPayment`. */
  orderByPackage(pkg: string): PayOrder | null {
    const prepayId = pkg.replace(/^prepay_id=/, '');
    return (this.o.store.find(PAY_ORDERS, { prepayId })[0] as PayOrder | undefined) ?? null;
  }

  private enqueue(kind: 'pay' | 'refund', functionName: string, event: Req): void {
    const delay = this.faults.delayMs ?? 0;
    const copies = Math.max(1, this.faults.duplicates ?? 1);
    this.faults.duplicates = undefined;
    this.faults.delayMs = undefined;
    for (let i = 0; i < copies; i++) {
      const n: PayNotification = {
        _id: newId(),
        kind,
        functionName,
        event,
        attempts: 0,
        nextAt: this.o.clock.now() + delay,
        status: 'pending',
        history: [],
      };
      this.o.store.insert(PAY_NOTIFICATIONS, [n as unknown as Req]);
    }
  }

  /**
   * Delivers every notification due by the dev clock; duplicates due together go concurrently.
   * Calls are serialised: a caller arriving mid-run waits for it, then delivers what is still due.
   */
  async deliverDue(): Promise<number> {
    while (this.delivering) await this.delivering;
    this.delivering = this.deliverDueNow();
    try {
      return await this.delivering;
    } finally {
      this.delivering = null;
    }
  }

  private async deliverDueNow(): Promise<number> {
    const due = this.o.store.find(
      PAY_NOTIFICATIONS,
      { status: 'pending', nextAt: { $lte: this.o.clock.now() } },
      { sort: { nextAt: 1 } },
    ) as unknown as PayNotification[];
    if (this.faults.outOfOrder) {
      due.reverse();
      this.faults.outOfOrder = false;
    }
    const results = await Promise.all(due.map((n) => this.deliver(n)));
    return results.filter(Boolean).length;
  }

  private async deliver(n: PayNotification): Promise<boolean> {
    const now = this.o.clock.now();
    let outcome: string;
    let ok = false;
    if ((this.faults.failNext ?? 0) > 0) {
      this.faults.failNext = (this.faults.failNext ?? 0) - 1;
      outcome = 'network failure (injected)';
    } else {
      try {
        const result = (await this.o.functions.invoke(n.functionName, n.event, {
          source: 'wx_paycallback',
        })) as { errcode?: number; errmsg?: string } | null;
        ok = !!result && result.errcode === 0;
        outcome = ok ? 'errcode 0' : `answered ${JSON.stringify(result)}`;
      } catch (e) {
        outcome = `function failed: ${(e as Error).message}`;
      }
    }
    n.history.push({ at: now, outcome });
    n.attempts++;
    if (ok) n.status = 'delivered';
    else if (n.attempts > RETRY_SCHEDULE_S.length) n.status = 'abandoned';
    else n.nextAt = now + RETRY_SCHEDULE_S[n.attempts - 1]! * 1000;
    this.o.store.update(PAY_NOTIFICATIONS, { _id: n._id }, n as unknown as Req, {
      multi: false,
      replace: true,
      upsert: false,
    });
    this.o.log(
      `[local-cloud] ${n.kind} notification ${String(n.event.outTradeNo)} → ${n.functionName}: ${outcome}`,
    );
    return ok;
  }

  notifications(): PayNotification[] {
    return this.o.store.find(
      PAY_NOTIFICATIONS,
      {},
      { sort: { nextAt: 1 } },
    ) as unknown as PayNotification[];
  }

  orders(): PayOrder[] {
    return this.o.store.find(PAY_ORDERS, {}, { sort: { createdAt: 1 } }) as unknown as PayOrder[];
  }

  /** The earliest dev-clock time a pending notification is due, for the clock walk. */
  nextDueAt(): number | null {
    const next = this.o.store.find(
      PAY_NOTIFICATIONS,
      { status: 'pending' },
      { sort: { nextAt: 1 }, limit: 1 },
    )[0];
    return next ? (next.nextAt as number) : null;
  }
}

function tradeStateDesc(s: TradeState): string {
  const map: Record<TradeState, string> = {
    SUCCESS: '支付成功',
    REFUND: '转入退款',
    NOTPAY: '未支付',
    CLOSED: '已关闭',
    REVOKED: '已撤销',
    USERPAYING: '用户支付中',
    PAYERROR: '支付失败',
  };
  return map[s];
}
