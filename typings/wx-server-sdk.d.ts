/**
 * Typed facade over wx-server-sdk 4.x.
 *
 * Upstream declares `export const openapi: Record<string, any>` and nothing for `cloudPay`. A plain
 * `declare module 'wx-server-sdk'` augmentation can add `cloudPay` but cannot re-type the `openapi`
 * const (TS2451 "Cannot redeclare block-scoped variable", which `skipLibCheck` silently hides,
 * leaving it `any`). So this file re-exports the upstream declarations and shadows `openapi` with a
 * typed one (a local export wins over `export *`), and tsconfig.base.json maps the bare specifier
 * `wx-server-sdk` here with `paths`. It also fixes upstream's `Promise<...> | void | string`
 * results (database, callFunction, storage) and `init({ env: DYNAMIC_CURRENT_ENV })`.
 * Run time is untouched: esbuild and jest resolve the real package; tsx, which may follow the
 * `paths` mapping, lands on ./wx-server-sdk.js, which re-exports the real package.
 *
 * Use `import cloud from 'wx-server-sdk'` (the live SDK object, like `require('wx-server-sdk')`);
 * `import * as cloud` takes a snapshot of the exports and misses `cloud.logger`, set by `init()`.
 *
 * Parameter and result keys are camelCase, as WeChat documents them for cloud functions; the SDK
 * converts them to/from the snake_case of the WeChat Pay API.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- documents are schemaless, as upstream */
import type { ICloudInitOptions, database as upstreamDatabase } from 'wx-server-sdk/index';

export * from 'wx-server-sdk/index';

// ---------------------------------------------------------------------------------------------
// init: upstream types `env` as string | object, but WeChat's documented
// `cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })` passes the exported symbol.
// ---------------------------------------------------------------------------------------------

export interface CloudInitOptions extends Omit<ICloudInitOptions, 'env'> {
  env?: ICloudInitOptions['env'] | symbol;
}

export declare function init(config?: CloudInitOptions): void;

// ---------------------------------------------------------------------------------------------
// callFunction / storage: upstream returns `Promise<...> | void` (callback style); with
// `await` only the promise form exists.
// ---------------------------------------------------------------------------------------------

export interface CallFunctionParams {
  name: string;
  data?: Record<string, any>;
  slow?: boolean;
  config?: { env?: string | symbol };
}

export interface CallFunctionResult {
  /** whatever the called function's `main` returned */
  result: any;
  errMsg: string;
  requestID?: string;
}

export declare function callFunction(params: CallFunctionParams): Promise<CallFunctionResult>;

export declare function getTempFileURL(params: {
  fileList: (string | { fileID: string; maxAge?: number })[];
}): Promise<{
  errMsg: string;
  fileList: {
    fileID: string;
    tempFileURL: string;
    maxAge: number;
    status: number;
    errMsg: string;
  }[];
}>;

export declare function deleteFile(params: { fileList: string[] }): Promise<{
  errMsg: string;
  fileList: { fileID: string; status: number; errMsg: string }[];
}>;

// ---------------------------------------------------------------------------------------------
// database: upstream's `namespace DB` is module-private and its reads/writes return
// `Promise<...> | void | string`. `cloud.database()` returns DB.Database below instead: same
// run-time object, promise-only results. Name the types with `import type { DB } from
// 'wx-server-sdk'` (DB.Database, DB.Command, DB.Transaction, ...).
// ---------------------------------------------------------------------------------------------

type UpstreamDatabase = ReturnType<typeof upstreamDatabase>;

export declare namespace DB {
  /**
   * db.command (query, update, projection and aggregate operators), typed upstream, plus what
   * upstream's declarations leave out but the SDK has: `expr` (an aggregation expression as a
   * query, for `$lookup` sub-pipelines) and `aggregate.pipeline()` (such a sub-pipeline).
   */
  type Command = UpstreamDatabase['command'] & {
    expr(expression: any): any;
    aggregate: UpstreamDatabase['command']['aggregate'] & { pipeline(): SubPipeline };
  };
  /** A `$lookup` sub-pipeline: stages as in an aggregation, then `done()`. */
  interface SubPipeline {
    addFields(fields: object): SubPipeline;
    group(group: object): SubPipeline;
    limit(max: number): SubPipeline;
    match(condition: QueryCondition): SubPipeline;
    project(projection: object): SubPipeline;
    skip(offset: number): SubPipeline;
    sort(order: Record<string, 1 | -1>): SubPipeline;
    done(): object[];
  }
  /** a `where` condition: plain object (possibly with command values) or a logic command */
  type QueryCondition = Parameters<ReturnType<UpstreamDatabase['collection']>['where']>[0];
  type ServerDate = ReturnType<UpstreamDatabase['serverDate']>;
  type DocumentId = string | number;

  interface DocumentData {
    _id?: DocumentId;
    [field: string]: any;
  }
  /** fields to set (dot paths allowed) or update commands such as `_.inc(1)` */
  type UpdateData = Record<string, any>;
  type OrderDirection = 'asc' | 'desc';
  type Projection = Record<string, any>;

  interface QueryResult {
    data: DocumentData[];
    errMsg: string;
  }
  interface DocumentResult {
    data: DocumentData;
    errMsg: string;
  }
  interface AddResult {
    _id: DocumentId;
    errMsg: string;
  }
  /** `add({ data: [...] })` */
  interface AddManyResult {
    _ids: DocumentId[];
    errMsg: string;
  }
  interface UpdateResult {
    stats: { updated: number };
    errMsg: string;
  }
  interface SetResult {
    _id: DocumentId;
    stats: { updated: number; created: number };
    errMsg: string;
  }
  interface RemoveResult {
    stats: { removed: number };
    errMsg: string;
  }
  interface CountResult {
    total: number;
    errMsg: string;
  }
  interface AggregateResult {
    list: any[];
    errMsg: string;
  }

  interface Query {
    where(condition: QueryCondition): Query;
    orderBy(fieldPath: string, direction: OrderDirection): Query;
    limit(max: number): Query;
    skip(offset: number): Query;
    field(projection: Projection): Query;
    get(): Promise<QueryResult>;
    count(): Promise<CountResult>;
    /** updates every matching document */
    update(options: { data: UpdateData }): Promise<UpdateResult>;
    /** removes every matching document */
    remove(): Promise<RemoveResult>;
  }

  interface CollectionReference extends Query {
    readonly collectionName: string;
    doc(id: DocumentId): DocumentReference;
    add(options: { data: DocumentData[] }): Promise<AddManyResult>;
    add(options: { data: DocumentData }): Promise<AddResult>;
    aggregate(): Aggregate;
  }

  interface DocumentReference {
    field(projection: Projection): DocumentReference;
    /** rejects when the document does not exist (unless database({ throwOnNotFound: false })) */
    get(): Promise<DocumentResult>;
    /** replaces (or creates) the whole document */
    set(options: { data: DocumentData }): Promise<SetResult>;
    update(options: { data: UpdateData }): Promise<UpdateResult>;
    remove(): Promise<RemoveResult>;
  }

  interface Aggregate {
    addFields(fields: object): Aggregate;
    bucket(options: object): Aggregate;
    bucketAuto(options: object): Aggregate;
    count(field: string): Aggregate;
    facet(options: object): Aggregate;
    geoNear(options: object): Aggregate;
    group(group: object): Aggregate;
    limit(max: number): Aggregate;
    lookup(options: object): Aggregate;
    match(condition: QueryCondition): Aggregate;
    project(projection: object): Aggregate;
    replaceRoot(options: object): Aggregate;
    sample(options: { size: number }): Aggregate;
    skip(offset: number): Aggregate;
    sort(order: Record<string, 1 | -1>): Aggregate;
    sortByCount(expression: any): Aggregate;
    unwind(fieldPath: string | object): Aggregate;
    end(): Promise<AggregateResult>;
  }

  /** Inside a transaction only single-document operations (and add) exist. */
  interface TransactionDocumentReference {
    get(): Promise<DocumentResult>;
    set(options: { data: DocumentData }): Promise<SetResult>;
    update(options: { data: UpdateData }): Promise<UpdateResult>;
    remove(): Promise<RemoveResult>;
  }

  interface TransactionCollectionReference {
    doc(id: DocumentId): TransactionDocumentReference;
    add(options: { data: DocumentData }): Promise<AddResult>;
  }

  interface Transaction {
    collection(name: string): TransactionCollectionReference;
    commit(): Promise<{ errMsg?: string }>;
    /** inside runTransaction: aborts, and runTransaction rejects with `reason` */
    rollback(reason?: unknown): Promise<{ errMsg?: string }>;
  }

  interface Database {
    readonly command: Command;
    readonly Geo: UpstreamDatabase['Geo'];
    readonly RegExp: UpstreamDatabase['RegExp'];
    serverDate(options?: { offset: number }): ServerDate;
    collection(name: string): CollectionReference;
    createCollection(name: string): Promise<unknown>;
    /** runs `run` in a transaction, retrying on conflict; resolves with what `run` returns */
    runTransaction<T>(run: (transaction: Transaction) => Promise<T>, retries?: number): Promise<T>;
    startTransaction(): Promise<Transaction>;
  }
}

export declare function database(config?: {
  env?: string | symbol;
  /** default true: doc().get() of a missing document rejects */
  throwOnNotFound?: boolean;
}): DB.Database;

// ---------------------------------------------------------------------------------------------
// openapi.subscribeMessage
// ---------------------------------------------------------------------------------------------

export interface SubscribeMessageSendParams {
  /** openid of the receiver */
  touser: string;
  templateId: string;
  /** mini-program page opened by tapping the card, e.g. `pages/bill/index?id=1` */
  page?: string;
  /** `{ thing1: { value: '...' }, amount2: { value: '¥12.00' } }` */
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

export interface OpenApiResult {
  /** 0 on success; e.g. 43101 (user refused / quota used), 47003 (bad data) */
  errCode: number;
  errMsg: string;
}

export interface SubscribeMessageApi {
  send(params: SubscribeMessageSendParams): Promise<OpenApiResult>;
}

export interface OpenApi {
  subscribeMessage: SubscribeMessageApi;
  /** Other openapi groups stay untyped, as upstream. */
  [group: string]: any;
}

export declare const openapi: OpenApi;

// ---------------------------------------------------------------------------------------------
// cloudPay (WeChat Pay for cloud development, service-provider mode: amounts in fen)
// ---------------------------------------------------------------------------------------------

export type CloudPayReturnCode = 'SUCCESS' | 'FAIL';

/** Fields common to every cloudPay result. */
export interface CloudPayBaseResult {
  /**
   * 0 when the call reached WeChat Pay; WeChat Pay's own business `err_code` (e.g. ORDERPAID,
   * ORDERNOTEXIST, SYSTEMERROR) also lands here as a string when resultCode is FAIL.
   */
  errCode: number | string;
  errMsg: string;
  /** communication status */
  returnCode: CloudPayReturnCode;
  returnMsg?: string;
  /** business status; present when returnCode is SUCCESS */
  resultCode?: CloudPayReturnCode;
  /** description of a business error */
  errCodeDes?: string;
  appid?: string;
  mchId?: string;
  subAppid?: string;
  subMchId?: string;
  nonceStr?: string;
  sign?: string;
}

export interface UnifiedOrderParams {
  /** goods description, e.g. "XX小区-物业费" */
  body: string;
  /** merchant order number, 6–32 chars of [0-9A-Za-z_-|*] */
  outTradeNo: string;
  /** in fen (分) */
  totalFee: number;
  spbillCreateIp: string;
  subMchId: string;
  /** cloud env receiving the payment callback */
  envId: string;
  /** cloud function called with the payment result */
  functionName: string;
  nonceStr?: string;
  tradeType?: 'JSAPI';
  /** yyyyMMddHHmmss, Beijing time */
  timeStart?: string;
  /** yyyyMMddHHmmss, Beijing time */
  timeExpire?: string;
  /** returned unchanged in queryOrder and the callback (≤ 127 chars) */
  attach?: string;
  detail?: string;
  feeType?: 'CNY';
  goodsTag?: string;
  limitPay?: 'no_credit';
  openid?: string;
  subOpenid?: string;
  deviceInfo?: string;
  productId?: string;
  receipt?: 'Y';
  sceneInfo?: string;
}

/** Pass to `wx.requestPayment({ ...payment })` in the mini-program. */
export interface CloudPayPayment {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export interface UnifiedOrderResult extends CloudPayBaseResult {
  tradeType?: string;
  prepayId?: string;
  payment: CloudPayPayment;
}

export interface QueryOrderParams {
  subMchId: string;
  outTradeNo?: string;
  transactionId?: string;
  nonceStr?: string;
}

export type TradeState =
  'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export interface QueryOrderResult extends CloudPayBaseResult {
  tradeState?: TradeState;
  tradeStateDesc?: string;
  outTradeNo?: string;
  transactionId?: string;
  totalFee?: number;
  cashFee?: number;
  feeType?: string;
  /** yyyyMMddHHmmss */
  timeEnd?: string;
  openid?: string;
  subOpenid?: string;
  isSubscribe?: 'Y' | 'N';
  tradeType?: string;
  bankType?: string;
  attach?: string;
  [key: string]: unknown;
}

export interface CloseOrderParams {
  subMchId: string;
  outTradeNo: string;
  nonceStr?: string;
}

export type CloseOrderResult = CloudPayBaseResult;

export interface RefundParams {
  subMchId: string;
  /** one of outTradeNo / transactionId */
  outTradeNo?: string;
  transactionId?: string;
  outRefundNo: string;
  /** order total, in fen */
  totalFee: number;
  /** amount to refund, in fen */
  refundFee: number;
  refundDesc?: string;
  refundFeeType?: 'CNY';
  nonceStr?: string;
  /** cloud env receiving the refund callback */
  envId?: string;
  /** cloud function called with the refund result */
  functionName?: string;
}

export interface RefundResult extends CloudPayBaseResult {
  transactionId?: string;
  outTradeNo?: string;
  outRefundNo?: string;
  refundId?: string;
  refundFee?: number;
  settlementRefundFee?: number;
  totalFee?: number;
  cashFee?: number;
  [key: string]: unknown;
}

export interface QueryRefundParams {
  subMchId: string;
  /** one of these four */
  transactionId?: string;
  outTradeNo?: string;
  outRefundNo?: string;
  refundId?: string;
  offset?: number;
  nonceStr?: string;
}

export interface QueryRefundResult extends CloudPayBaseResult {
  transactionId?: string;
  outTradeNo?: string;
  totalFee?: number;
  cashFee?: number;
  refundCount?: number;
  /** per-refund fields come indexed (`outRefundNo0`, `refundStatus0`, ...) */
  [key: string]: unknown;
}

export interface DownloadBillParams {
  subMchId: string;
  /** yyyyMMdd */
  billDate: string;
  billType: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND';
  tarType?: 'GZIP';
  nonceStr?: string;
}

export interface DownloadBillResult extends CloudPayBaseResult {
  /** the bill as CSV-like text (WeChat Pay's backquote-prefixed columns) */
  data?: string;
  [key: string]: unknown;
}

/** Event received by `functionName` after a payment (return `{ errcode: 0 }` to acknowledge). */
export interface CloudPayNotifyEvent {
  returnCode: CloudPayReturnCode;
  resultCode: CloudPayReturnCode;
  appid?: string;
  mchId?: string;
  subAppid?: string;
  subMchId: string;
  nonceStr?: string;
  openid?: string;
  subOpenid?: string;
  isSubscribe?: 'Y' | 'N';
  tradeType?: string;
  bankType?: string;
  totalFee: number;
  cashFee?: number;
  feeType?: string;
  transactionId: string;
  outTradeNo: string;
  attach?: string;
  /** yyyyMMddHHmmss */
  timeEnd: string;
  [key: string]: unknown;
}

/** Event received by `functionName` after a refund (return `{ errcode: 0 }` to acknowledge). */
export interface CloudPayRefundNotifyEvent {
  returnCode: CloudPayReturnCode;
  appid?: string;
  mchId?: string;
  subMchId?: string;
  nonceStr?: string;
  /** decrypted refund details */
  reqInfo?: {
    transactionId: string;
    outTradeNo: string;
    refundId: string;
    outRefundNo: string;
    totalFee: number;
    refundFee: number;
    settlementRefundFee?: number;
    refundStatus: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE';
    successTime?: string;
    refundRecvAccout?: string;
    refundAccount?: string;
    refundRequestSource?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** What a payment/refund callback function returns. */
export interface CloudPayNotifyReply {
  errcode: number;
  errmsg?: string;
}

export interface CloudPayApi {
  unifiedOrder(params: UnifiedOrderParams): Promise<UnifiedOrderResult>;
  queryOrder(params: QueryOrderParams): Promise<QueryOrderResult>;
  closeOrder(params: CloseOrderParams): Promise<CloseOrderResult>;
  refund(params: RefundParams): Promise<RefundResult>;
  queryRefund(params: QueryRefundParams): Promise<QueryRefundResult>;
  downloadBill(params: DownloadBillParams): Promise<DownloadBillResult>;
}

export declare const cloudPay: CloudPayApi;
