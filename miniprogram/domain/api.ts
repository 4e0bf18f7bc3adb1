/**
 * The action contracts: one source of truth for what each cloud function accepts and returns.
 * Functions validate `event` against `input`; the mini-program's typed client takes its argument
 * and result types from here (type-only imports, so zod never ships in the mini-program package).
 */
import { z } from 'zod';
import { KEYWORD_TYPES as KEYWORD_TYPES_FOR_SCHEMA } from './notice/subscribe';
import {
  BINDING_STATUSES,
  OCCUPANCIES,
  PAYMENT_METHODS,
  RELATIONS,
  ROOM_USE_TYPES,
  type BindingStatus,
  type Occupancy,
  type PaymentMethod,
  type Relation,
  type RoomUseType,
} from './community/vocabulary';
import type { RowError } from './community/roster';
import { noticeContracts, overdueContracts } from './overdue/contract';

// The community vocabularies, for pages that take their types from here.
export type {
  BindingStatus,
  Occupancy,
  PaymentMethod,
  Relation,
  RoomUseType,
} from './community/vocabulary';
export type { RowError } from './community/roster';
import { RESERVED_ITEM_IDS } from './fee/billing';
import {
  BILLING_CYCLES,
  FEE_KINDS,
  assertTiers,
  isDate,
  isPeriod,
  parsePriceE4,
  type Applicability,
  type BillingCycle,
  type BillingMode,
  type FeeKind,
  type FeePricing,
  type LateFeeRule,
  type PrepaymentDiscountTier,
  type VacancyDiscountRule,
  type VacancyStatus,
} from './fee';
import { ROUNDING_MODES, type RoundingMode } from './kernel/money';
import { reconcileContracts } from './reconcile/contract';
import { reportContracts } from './report/contract';
import { complaintContracts } from './complaint/contract';
import { openingPreviewContracts } from './fee/opening.contract';
import { readingSheetContracts } from './fee/readings.contract';
import { receiptPrintContracts } from './payment/receipts.contract';
import {
  disclosureContracts,
  feeAdjustmentContracts,
  type PublicAdjustmentView,
} from './disclosure/contract';

export const STAFF_ROLES = ['admin', 'cashier', 'service', 'finance'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/** A contract: the input schema plus a phantom output type. */
export interface Contract<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
}

export function contract<O>() {
  return <I extends z.ZodType>(input: I): Contract<I, O> => ({ input });
}

/** Staff roles granted to the caller in one community. */
export interface CommunityRoles {
  communityId: string;
  /** The community's name, for the 工作台 switcher (absent if the community record is missing). */
  communityName?: string;
  roles: StaffRole[];
}

export interface WhoAmI {
  openid: string;
  appid: string;
  /** Every role the caller holds in any community, de-duplicated. */
  roles: StaffRole[];
  /** Roles per community: staff roles are granted per community. */
  staffOf: CommunityRoles[];
  isStaff: boolean;
}

export const accountContracts = {
  whoami: contract<WhoAmI>()(z.object({}).strict()),
};

/** A room the caller is bound to, as the owner sees it. */
export interface MyRoom {
  roomId: string;
  communityId: string;
  communityName: string;
  /** e.g. "3栋2单元1502" */
  label: string;
  /** 建筑面积 in m², 2 decimals, as a string to avoid float artefacts ("89.47"). */
  buildingArea: string;
  relation: 'owner' | 'co-owner' | 'family' | 'tenant';
}

export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'void';

/** A bill as listed to its owner. Money is integer fen; dates YYYY-MM-DD; period YYYY-MM. */
export interface BillSummary {
  billId: string;
  roomId: string;
  roomLabel: string;
  period: string;
  title: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
  dueDate: string;
  status: BillStatus;
  /** Whole days past the due date as of today (Asia/Shanghai); 0 when not overdue. */
  overdueDays: number;
}

export interface NoticeSummary {
  noticeId: string;
  title: string;
  publishedAt: string;
  summary: string;
}

export interface CommunityContact {
  communityId: string;
  name: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
}

export interface OwnerHome {
  rooms: MyRoom[];
  /** Sum of outstanding amounts over the caller's rooms. */
  dueNowFen: number;
  /** Earliest due date among unpaid bills, or null when nothing is owed. */
  nextDueDate: string | null;
  overdueCount: number;
  notices: NoticeSummary[];
  contacts: CommunityContact[];
}

export interface OwnerBills {
  /** Unpaid and partially paid bills, oldest due date first. */
  unpaid: BillSummary[];
  /** Paid bills, newest period first. */
  paid: BillSummary[];
}

export const ownerContracts = {
  home: contract<OwnerHome>()(z.object({}).strict()),
  bills: contract<OwnerBills>()(
    z
      .object({
        roomId: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
};

// ---------------------------------------------------------------- payments

export const PAYMENT_CHANNELS = [
  'wechat',
  'cash',
  'card',
  'transfer',
  'alipay',
  'autodebit',
  'other',
] as const;
export const OFFLINE_CHANNELS = [
  'cash',
  'card',
  'transfer',
  'alipay',
  'autodebit',
  'other',
] as const;
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];

const id = z.string().min(1).max(64);
const fen = z.number().int().positive().max(100_000_000_00);

/** The object `wx.requestPayment` takes. */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export interface CreatedOrder {
  outTradeNo: string;
  amountFen: number;
  billIds: string[];
  payment: RequestPaymentParams;
  /** True when a pending order for the same bills and amount was handed back. */
  reused: boolean;
}

export type OrderStatus = 'pending' | 'paid' | 'closed' | 'failed' | 'exception';

export interface OrderStatusView {
  outTradeNo: string;
  status: OrderStatus;
  amountFen: number;
  paymentId?: string;
  receiptNo?: string;
}

export interface AllocationView {
  billId: string;
  roomId: string;
  roomLabel: string;
  period: string;
  title: string;
  amountFen: number;
}

export interface ReceiptView {
  paymentId: string;
  receiptNo: string;
  communityName: string;
  payer: string;
  roomLabels: string[];
  channel: (typeof PAYMENT_CHANNELS)[number];
  channelLabel: string;
  amountFen: number;
  amountFigures: string;
  amountCapital: string;
  allocations: AllocationView[];
  prepaidFen: number;
  paidAt: string;
  cashier: string;
  reference?: string;
  reversed: boolean;
}

export interface ReceiptSummary {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  channel: (typeof PAYMENT_CHANNELS)[number];
  paidAt: string;
  roomLabels: string[];
}

export type RefundStatus = 'pending-approval' | 'approved' | 'rejected' | 'failed' | 'done';

export interface RefundView {
  refundId: string;
  paymentId: string;
  receiptNo: string;
  channel: (typeof PAYMENT_CHANNELS)[number];
  amountFen: number;
  reason: string;
  status: RefundStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  /** The red reversal receipt (红字收据) once the ledger entries are written. */
  reversalReceiptNo?: string;
  failure?: string;
}

export type InvoiceStatus = 'requested' | 'issued' | 'rejected';

export interface InvoiceView {
  invoiceId: string;
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  titleType: 'personal' | 'company';
  title: string;
  taxId?: string;
  email?: string;
  status: InvoiceStatus;
  requestedAt: string;
  invoiceNo?: string;
  fileID?: string;
  rejectReason?: string;
}

export interface RecordedPayment {
  paymentId: string;
  receiptNo: string;
  allocations: AllocationView[];
  prepaidFen: number;
  /** Cash only: change handed back, never recorded as payment. */
  changeFen: number;
}

export const paymentContracts = {
  ...receiptPrintContracts,
  /** Owner: start a WeChat Pay order for unpaid bills (default all, oldest first). */
  createOrder: contract<CreatedOrder>()(
    z
      .object({
        billIds: z.array(id).min(1).max(60).optional(),
        /** Pay part of the selected bills' outstanding total (oldest first). */
        amountFen: fen.optional(),
        /** Prepay (预存) into one of my rooms instead of paying bills: ¥1 to ¥50,000. */
        prepay: z
          .object({ roomId: id, amountFen: z.number().int().min(100).max(5_000_000) })
          .strict()
          .optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.prepay && (v.billIds || v.amountFen !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['prepay'], message: '预存与缴纳账单请分开支付' });
        }
      }),
  ),
  /** Owner: after returning from the pay sheet; asks WeChat Pay when the callback is late. */
  orderStatus: contract<OrderStatusView>()(
    z.object({ outTradeNo: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/) }).strict(),
  ),
  /** Cashier: a payment taken at the front desk or by another channel. */
  recordOffline: contract<RecordedPayment>()(
    z
      .object({
        roomId: id,
        channel: z.enum(OFFLINE_CHANNELS),
        amountFen: fen,
        billIds: z.array(id).min(1).max(60).optional(),
        /** POS slip, transfer number, Alipay trade no. (required except for cash and other). */
        reference: z.string().trim().min(4).max(64).optional(),
        /** Cash handed over; the change is not recorded as payment. */
        tenderedFen: fen.optional(),
        payerName: z.string().trim().min(1).max(20).optional(),
        note: z.string().trim().max(200).optional(),
        /** A key the client makes once per form, so a double tap records one payment. */
        idempotencyKey: z.string().regex(/^[0-9A-Za-z_-]{8,40}$/),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.channel !== 'cash' && v.channel !== 'other' && !v.reference) {
          ctx.addIssue({
            code: 'custom',
            path: ['reference'],
            message: '请填写交易参考号（POS 单号、转账流水号等）',
          });
        }
        if (v.tenderedFen !== undefined && v.channel !== 'cash') {
          ctx.addIssue({
            code: 'custom',
            path: ['tenderedFen'],
            message: '只有现金收款才填写实收金额',
          });
        }
        if (v.tenderedFen !== undefined && v.tenderedFen < v.amountFen) {
          ctx.addIssue({
            code: 'custom',
            path: ['tenderedFen'],
            message: '实收现金不能少于收款金额',
          });
        }
      }),
  ),
  /** Finance: refund all or part of a payment (admin approves above the community's threshold). */
  requestRefund: contract<RefundView>()(
    z
      .object({
        paymentId: id,
        amountFen: fen,
        reason: z.string().trim().min(2).max(200),
      })
      .strict(),
  ),
  /** Admin: approve or reject a refund waiting for approval. */
  decideRefund: contract<RefundView>()(
    z
      .object({ refundId: id, approve: z.boolean(), note: z.string().trim().max(200).optional() })
      .strict(),
  ),
  /** Finance/admin: retry a failed WeChat refund with the same refund number. */
  retryRefund: contract<RefundView>()(z.object({ refundId: id }).strict()),
  /** Finance/admin: refunds of their communities, newest first. */
  refunds: contract<{ refunds: RefundView[] }>()(
    z
      .object({
        status: z.enum(['pending-approval', 'approved', 'rejected', 'failed', 'done']).optional(),
      })
      .strict(),
  ),
  /** Owner: ask for an invoice (发票) for one of my payments. */
  requestInvoice: contract<InvoiceView>()(
    z
      .object({
        paymentId: id,
        titleType: z.enum(['personal', 'company']),
        title: z.string().trim().min(2).max(60),
        taxId: z.string().trim().max(20).optional(),
        email: z.string().trim().email().max(80).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.titleType === 'company' && !v.taxId) {
          ctx.addIssue({ code: 'custom', path: ['taxId'], message: '单位抬头请填写税号' });
        }
      }),
  ),
  /** Owner: my invoice requests and issued invoices. */
  myInvoices: contract<{ invoices: InvoiceView[] }>()(z.object({}).strict()),
  /** Finance: the invoice queue. */
  invoiceQueue: contract<{ invoices: InvoiceView[] }>()(
    z.object({ status: z.enum(['requested', 'issued', 'rejected']).optional() }).strict(),
  ),
  /** Finance: mark an invoice issued with its number and file (cloud storage), or reject it. */
  decideInvoice: contract<InvoiceView>()(
    z
      .object({
        invoiceId: id,
        issue: z.boolean(),
        invoiceNo: z
          .string()
          .trim()
          .regex(/^[0-9A-Za-z]{8,20}$/)
          .optional(),
        fileID: z
          .string()
          .regex(/^cloud:\/\/.+/)
          .optional(),
        rejectReason: z.string().trim().min(2).max(200).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.issue && !v.invoiceNo)
          ctx.addIssue({ code: 'custom', path: ['invoiceNo'], message: '请填写发票号码' });
        if (!v.issue && !v.rejectReason)
          ctx.addIssue({ code: 'custom', path: ['rejectReason'], message: '请填写退回原因' });
      }),
  ),
  /** Staff: a room's unpaid bills and prepaid balance (the cashier's collection screen). */
  roomBills: contract<{
    roomId: string;
    roomLabel: string;
    unpaid: BillSummary[];
    prepaidFen: number;
  }>()(z.object({ roomId: id }).strict()),
  /** Owner: my receipts (缴费记录), newest first. */
  myReceipts: contract<{ receipts: ReceiptSummary[] }>()(z.object({}).strict()),
  /** Owner of a paid room, or staff of its community: one receipt. */
  receipt: contract<ReceiptView>()(z.object({ paymentId: id }).strict()),
};

// ---------------------------------------------------------------- community records, binding, staff
// See docs/community.md. Every staff action names its community; the function checks the caller's
// role there (admin implies every role). Personal data leaves the functions masked unless the
// action says otherwise (revealContact, unmasked export: admin only, always audited).

const communityId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '小区编号只能包含字母、数字、_ 和 -（最多 64 位）');
const docId = z.string().min(1).max(128);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const mobile = z.string().regex(/^1[3-9]\d{9}$/, '应为 11 位中国大陆手机号');
const personName = z.string().trim().min(1, '不能为空').max(50);
const pageLimit = z.number().int().min(1).max(100).default(20);
const pageCursor = z.string().max(200).optional();
const openidField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 格式不正确');
const buildingCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, '楼栋编号只能是字母或数字（如 1、A）');
const unitCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, '单元编号只能是字母或数字（如 1）');
const roomNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,20}$/, '房号只能含数字、字母和 -');
const areaCentiM2 = z.number().int().positive().max(10_000_000);
const inviteCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{8}$/, '邀请码为 8 位字母或数字'));

/** A page of a list; pass `nextCursor` back as `cursor` for the next page (null: no more). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Matching items over all pages. */
  total: number;
}

export interface CommunityInfo {
  communityId: string;
  name: string;
  address: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
  paymentMethods: PaymentMethod[];
}

export interface BuildingInfo {
  buildingId: string;
  communityId: string;
  /** "1", "A": what rooms and import files use. */
  code: string;
  /** "1栋" unless named otherwise. */
  name: string;
  units: string[];
  floors: number | null;
  roomCount: number;
}

/** The primary owner of a room as lists show them: masked. */
export interface MaskedPerson {
  ownerId: string;
  /** "王**" */
  name: string;
  /** "138****5678" */
  mobile: string;
  specialCare: boolean;
}

export interface RoomListItem {
  roomId: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  /** "1栋1单元1501" */
  label: string;
  floor: number | null;
  /** 0.01 m² as stored; `buildingArea` is the same as text ("89.47"). */
  buildingAreaCentiM2: number;
  buildingArea: string;
  innerAreaCentiM2: number | null;
  innerArea: string | null;
  useType: RoomUseType;
  occupancy: Occupancy;
  moveInDate: string | null;
  owner: MaskedPerson | null;
  /** Any active person on record (owner, co-owner, family, tenant) needs special care. */
  specialCare: boolean;
  verifiedBindings: number;
}

/** A person on record for a room (room_owners), as staff see them. */
export interface RoomPerson {
  relationId: string;
  ownerId: string;
  relation: Relation;
  /** Full name (single-record view); mobile and ID number masked. */
  name: string;
  mobile: string;
  idNumber: string;
  hasIdNumber: boolean;
  specialCare: boolean;
  careNote: string | null;
  since: string | null;
  until: string | null;
  active: boolean;
}

export interface StaffBindingView {
  bindingId: string;
  roomId: string;
  roomLabel: string;
  relation: Relation;
  status: BindingStatus;
  /** How the request matched the record: 'mobile', 'last4', 'invite', 'staff', 'seed'. */
  method: string;
  /** The applicant's name as entered, masked. */
  applicantName: string;
  requestedAt: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface RoomDetail extends RoomListItem {
  people: RoomPerson[];
  bindings: StaffBindingView[];
}

export interface OwnerListItem {
  ownerId: string;
  communityId: string;
  name: string;
  mobile: string;
  idNumber: string;
  hasIdNumber: boolean;
  specialCare: boolean;
  careNote: string | null;
  rooms: { roomId: string; label: string; relation: Relation; active: boolean }[];
}

export interface ImportFieldChange {
  /** Column header, e.g. "建筑面积(㎡)", "业主". */
  field: string;
  before: string;
  after: string;
}

export interface ImportRowChange {
  row: number;
  roomLabel: string;
  status: 'added' | 'changed';
  fields: ImportFieldChange[];
}

export interface ImportCounts {
  /** Rooms new to the community. */
  added: number;
  /** Rooms (or their owners on record) with at least one difference. */
  changed: number;
  unchanged: number;
  ownersAdded: number;
  ownersChanged: number;
  relationsAdded: number;
  relationsEnded: number;
}

export type ImportStatus = 'invalid' | 'ready' | 'applying' | 'applied';

/** What a file would do: every row validated; nothing written by a preview. */
export interface ImportReport {
  /** Pass to importConfirm. Keyed by community and file content (SHA-256). */
  importId: string;
  contentHash: string;
  format: 'xlsx' | 'csv';
  status: ImportStatus;
  dataRows: number;
  /** Problems with the file as a whole; any of these rejects it. */
  fileErrors: string[];
  /** Per-row errors (first 500); any of these rejects the whole file. */
  errors: RowError[];
  errorCount: number;
  warnings: string[];
  counts: ImportCounts;
  /** Added and changed rows (first 500), with masked personal values. */
  changes: ImportRowChange[];
  changesTruncated: boolean;
}

export interface ImportResult {
  importId: string;
  status: 'applying' | 'applied';
  /** False when the time budget ran out: call importConfirm again to continue (idempotent). */
  done: boolean;
  /** The differences found when applying started (what this import changed). */
  counts: ImportCounts;
  /** Writes still to do when `done` is false. */
  remaining: number;
  /** True when this import had already been applied: nothing was written again. */
  replayed: boolean;
}

export interface ExportedFile {
  fileID: string;
  /** A download URL valid for a short while. */
  tempFileURL: string;
  fileName: string;
  rowCount: number;
  masked: boolean;
}

const roomFields = {
  floor: z.number().int().min(-20).max(300).nullable().optional(),
  buildingAreaCentiM2: areaCentiM2,
  innerAreaCentiM2: areaCentiM2.nullable().optional(),
  useType: z.enum(ROOM_USE_TYPES).default('residential'),
  occupancy: z.enum(OCCUPANCIES).default('occupied'),
  moveInDate: isoDate.nullable().optional(),
};

export const communityContracts = {
  /** Any staff role of the community: its settings. */
  get: contract<CommunityInfo>()(z.object({ communityId }).strict()),
  /** Admin: change settings (audited). */
  update: contract<CommunityInfo>()(
    z
      .object({
        communityId,
        name: z.string().trim().min(1).max(50).optional(),
        address: z.string().trim().max(200).optional(),
        servicePhone: z
          .string()
          .trim()
          .regex(/^[0-9+\-\s()]{5,30}$/, '服务电话格式不正确')
          .optional(),
        serviceHours: z.string().trim().max(50).optional(),
        frontDesk: z.string().trim().max(100).optional(),
        paymentMethods: z.array(z.enum(PAYMENT_METHODS)).min(1).max(10).optional(),
      })
      .strict()
      .refine((v) => Object.keys(v).length > 1, { message: '至少修改一项设置' }),
  ),
  /** Any staff role: buildings with their units and room counts. */
  buildings: contract<{ buildings: BuildingInfo[] }>()(z.object({ communityId }).strict()),
  /** Admin: create or change a building and its units (audited). */
  saveBuilding: contract<BuildingInfo>()(
    z
      .object({
        communityId,
        code: buildingCode,
        name: z.string().trim().min(1).max(20).optional(),
        units: z
          .array(unitCode)
          .min(1)
          .max(50)
          .refine((u) => new Set(u).size === u.length, { message: '单元重复' }),
        floors: z.number().int().min(1).max(300).nullable().optional(),
      })
      .strict(),
  ),
  /** Any staff role: rooms, filtered; owners masked. */
  rooms: contract<Page<RoomListItem>>()(
    z
      .object({
        communityId,
        building: buildingCode.optional(),
        unit: unitCode.optional(),
        /** A room number fragment, or an owner's surname / last 4 mobile digits. */
        keyword: z.string().trim().min(1).max(20).optional(),
        occupancy: z.enum(OCCUPANCIES).optional(),
        specialCare: z.boolean().optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /** Any staff role: one room with everyone on record and its bindings. */
  room: contract<RoomDetail>()(z.object({ communityId, roomId: docId }).strict()),
  /** Admin: create (no roomId) or change a room (audited). */
  saveRoom: contract<RoomListItem>()(
    z
      .object({
        communityId,
        roomId: docId.optional(),
        building: buildingCode,
        unit: unitCode,
        number: roomNumber,
        ...roomFields,
      })
      .strict(),
  ),
  /** Any staff role: owners and other people on record, masked. */
  owners: contract<Page<OwnerListItem>>()(
    z
      .object({
        communityId,
        keyword: z.string().trim().min(1).max(20).optional(),
        specialCare: z.boolean().optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /** Admin: correct a person's details (audited, masked before/after). */
  saveOwner: contract<OwnerListItem>()(
    z
      .object({
        communityId,
        ownerId: docId,
        name: personName.optional(),
        mobile: mobile.optional(),
        idNumber: z
          .string()
          .trim()
          .regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位')
          .nullable()
          .optional(),
        specialCare: z.boolean().optional(),
        careNote: z.string().trim().max(100).nullable().optional(),
      })
      .strict()
      .refine((v) => Object.keys(v).length > 2, { message: '至少修改一项' }),
  ),
  /** Admin: put a person on record for a room (owner, co-owner, family, tenant) (audited). */
  linkPerson: contract<RoomDetail>()(
    z
      .object({
        communityId,
        roomId: docId,
        relation: z.enum(RELATIONS),
        /** An existing person… */
        ownerId: docId.optional(),
        /** …or a new one. */
        person: z
          .object({
            name: personName,
            mobile,
            idNumber: z
              .string()
              .trim()
              .regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位')
              .optional(),
            specialCare: z.boolean().optional(),
            careNote: z.string().trim().max(100).optional(),
          })
          .strict()
          .optional(),
        since: isoDate.optional(),
      })
      .strict()
      .refine((v) => (v.ownerId === undefined) !== (v.person === undefined), {
        message: '请提供 ownerId 或 person 其中之一',
        path: ['ownerId'],
      }),
  ),
  /** Admin: end a relation on record (sold, moved out) (audited). */
  endRelation: contract<RoomDetail>()(
    z.object({ communityId, relationId: docId, until: isoDate.optional() }).strict(),
  ),
  /**
   * Admin (mobile, ID number) or service (mobile): the unmasked value, e.g. to phone a
   * special-care owner. Always audited with the reason.
   */
  revealContact: contract<{ ownerId: string; field: 'mobile' | 'idNumber'; value: string }>()(
    z
      .object({
        communityId,
        ownerId: docId,
        field: z.enum(['mobile', 'idNumber']),
        reason: z.string().trim().min(2, '请填写查看原因').max(100),
      })
      .strict(),
  ),
  /** Admin: validate an uploaded .xlsx/.csv (cloud fileID) and report what it would change. */
  importPreview: contract<ImportReport>()(
    z
      .object({
        communityId,
        fileID: z
          .string()
          .regex(/^cloud:\/\/\S+$/, '应为云存储 fileID（cloud://…）')
          .max(500),
      })
      .strict(),
  ),
  /** Admin: apply a previewed, valid file. Idempotent; resumable when `done` is false. */
  importConfirm: contract<ImportResult>()(
    z.object({ communityId, importId: z.string().min(1).max(200) }).strict(),
  ),
  /** Admin: an empty workbook with the expected headers and an example row. */
  importTemplate: contract<ExportedFile>()(z.object({ communityId }).strict()),
  /**
   * Admin, finance, service: the room/owner roster as .xlsx, masked; `unmasked: true` is admin
   * only. Every export is audited.
   */
  exportRoster: contract<ExportedFile>()(
    z
      .object({
        communityId,
        unmasked: z.boolean().default(false),
        building: buildingCode.optional(),
      })
      .strict(),
  ),
};

export interface CommunityOption {
  communityId: string;
  name: string;
  address: string;
}

/** A binding as its owner sees it. */
export interface MyBinding {
  bindingId: string;
  roomId: string;
  roomLabel: string;
  communityId: string;
  communityName: string;
  relation: Relation;
  status: BindingStatus;
  /** Why staff rejected or unbound it. */
  reason: string | null;
  requestedAt: string | null;
  decidedAt: string | null;
}

export interface RoomMember {
  bindingId: string;
  /** Masked. */
  name: string;
  relation: Relation;
  status: BindingStatus;
  isMe: boolean;
}

export const bindingContracts = {
  /** Anyone: communities to pick from. */
  communities: contract<{ communities: CommunityOption[] }>()(z.object({}).strict()),
  /** Anyone: a community's buildings and units (no personal data). */
  buildings: contract<{ buildings: { code: string; name: string; units: string[] }[] }>()(
    z.object({ communityId }).strict(),
  ),
  /** Anyone: room numbers of a unit (no personal data). */
  rooms: contract<{
    rooms: { roomId: string; number: string; floor: number | null; label: string }[];
  }>()(z.object({ communityId, building: buildingCode, unit: unitCode }).strict()),
  /**
   * Owner: bind a room by the name and mobile on record (or its last 4 digits). A mismatch
   * never says what is on record; 5 failures an hour per user are allowed.
   */
  request: contract<MyBinding>()(
    z
      .object({
        roomId: docId,
        name: personName,
        mobile: mobile.optional(),
        mobileLast4: z
          .string()
          .regex(/^\d{4}$/, '应为手机号后 4 位')
          .optional(),
      })
      .strict()
      .refine((v) => (v.mobile === undefined) !== (v.mobileLast4 === undefined), {
        message: '请填写手机号或手机号后 4 位（二选一）',
        path: ['mobile'],
      }),
  ),
  /** Owner: my bindings in every state, with staff's reasons. */
  mine: contract<{ bindings: MyBinding[] }>()(z.object({}).strict()),
  /**
   * Owner: withdraw my own binding or request; or, as the room's verified owner/co-owner,
   * remove a family member's or tenant's binding.
   */
  cancel: contract<MyBinding>()(z.object({ bindingId: docId }).strict()),
  /** Verified owner/co-owner: a one-time code (72 h) for a family member or tenant. */
  invite: contract<{ code: string; expiresAt: string; relation: Relation; roomLabel: string }>()(
    z.object({ roomId: docId, relation: z.enum(['family', 'tenant']) }).strict(),
  ),
  /** Anyone: redeem an invite code; binds at once. */
  acceptInvite: contract<MyBinding>()(z.object({ code: inviteCode }).strict()),
  /** Verified owner/co-owner: who else is bound to my room (masked). */
  members: contract<{ members: RoomMember[] }>()(z.object({ roomId: docId }).strict()),
  /** Admin, service: bindings of the community, e.g. those waiting for review. */
  list: contract<Page<StaffBindingView>>()(
    z
      .object({
        communityId,
        status: z.enum(BINDING_STATUSES).optional(),
        roomId: docId.optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /** Admin, service: approve or reject (with a reason) a pending binding; notifies the owner. */
  review: contract<StaffBindingView>()(
    z
      .object({
        communityId,
        bindingId: docId,
        decision: z.enum(['approve', 'reject']),
        reason: z.string().trim().min(2).max(100).optional(),
      })
      .strict()
      .refine((v) => v.decision === 'approve' || v.reason !== undefined, {
        message: '驳回时请填写原因',
        path: ['reason'],
      }),
  ),
  /** Admin, service: unbind a verified binding, with a reason; notifies the owner. */
  unbind: contract<StaffBindingView>()(
    z
      .object({
        communityId,
        bindingId: docId,
        reason: z.string().trim().min(2, '请填写原因').max(100),
      })
      .strict(),
  ),
};

export interface StaffMember {
  openid: string;
  name: string;
  roles: StaffRole[];
  active: boolean;
  grantedBy: string | null;
  grantedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntryView {
  auditId: string;
  at: string;
  actor: string;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetId: string;
  targetLabel: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const staffContracts = {
  /**
   * First admin of a community (creating it when new): needs the deployment's bootstrap code and
   * works only while the community has no admin. See docs/community.md.
   */
  bootstrap: contract<{ communityId: string; communityName: string; roles: StaffRole[] }>()(
    z
      .object({
        code: z.string().min(12).max(128),
        communityId,
        communityName: z.string().trim().min(1).max(50).optional(),
      })
      .strict(),
  ),
  /** Admin: everyone with a role in the community. */
  list: contract<{ members: StaffMember[] }>()(
    z.object({ communityId, includeRevoked: z.boolean().default(false) }).strict(),
  ),
  /** Admin: a one-time code (72 h) a new colleague redeems to get the roles. */
  invite: contract<{ code: string; expiresAt: string; roles: StaffRole[] }>()(
    z
      .object({
        communityId,
        roles: z.array(StaffRole).min(1).max(4),
        name: z.string().trim().min(1).max(20),
      })
      .strict(),
  ),
  /** Anyone: redeem a staff invite code. */
  acceptInvite: contract<{ communityId: string; communityName: string; roles: StaffRole[] }>()(
    z.object({ code: inviteCode }).strict(),
  ),
  /** Admin: set someone's roles (replaces them). The last admin cannot drop admin. */
  grant: contract<StaffMember>()(
    z
      .object({
        communityId,
        openid: openidField,
        roles: z.array(StaffRole).min(1).max(4),
        name: z.string().trim().min(1).max(20).optional(),
      })
      .strict(),
  ),
  /** Admin: revoke every role of someone. The last admin cannot be revoked. */
  revoke: contract<StaffMember>()(
    z
      .object({ communityId, openid: openidField, reason: z.string().trim().max(100).optional() })
      .strict(),
  ),
  /** Admin: search the append-only audit log, newest first. */
  auditLog: contract<Page<AuditEntryView>>()(
    z
      .object({
        communityId,
        /**
         * An audited action ("binding.approve") or its family ("binding"). Not `action`: that
         * key names the function's action in every event.
         */
        operation: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$/, '如 binding 或 binding.approve')
          .optional(),
        actor: openidField.optional(),
        targetId: docId.optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
};

// ---------------------------------------------------------------- fee standards and billing
// See docs/billing.md. Staff actions name their community: finance and admin manage standards,
// readings, vacancies and runs; every staff role may read. Money is integer fen; unit prices are
// entered as text with up to 4 decimals ("2.35") and stored as integer 0.0001 元 (`…E4`).

const feeDate = z
  .string()
  .refine((v) => isDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });
const feePeriod = z
  .string()
  .refine((v) => isPeriod(v), { message: '账期应为 YYYY-MM（如 2026-12）' });
const feeItemId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,31}$/,
    '项目编号为 2–32 位小写字母、数字或 _，以字母开头（如 property）',
  )
  .refine((v) => !RESERVED_ITEM_IDS.includes(v), { message: '该编号为系统保留，请换一个' });
const priceText = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d{0,6})(\.\d{1,4})?$/, '单价应为数字，最多 4 位小数（如 2.35）')
  .transform((v) => parsePriceE4(v));
const quantityText = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^(0|[1-9]\d{0,11})(\.\d{1,4})?$/, '应为非负数，最多 4 位小数'));
const bpField = z.number().int().min(1).max(10000);

const pricingInput = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('area'),
        areaBasis: z.enum(['building', 'inner']).default('building'),
        unitPrice: priceText,
      })
      .strict(),
    z.object({ kind: z.literal('fixed'), unitPrice: priceText }).strict(),
    z.object({ kind: z.literal('parking'), unitPrice: priceText }).strict(),
    z
      .object({
        kind: z.literal('meter'),
        unit: z.string().trim().min(1).max(8),
        tiers: z
          .array(
            z
              .object({
                upTo: z.number().int().positive().max(1_000_000_000).nullable(),
                unitPrice: priceText,
              })
              .strict(),
          )
          .min(1)
          .max(10),
      })
      .strict(),
    z
      .object({ kind: z.literal('oneOff'), amountFen: z.number().int().min(0).max(10_000_000_00) })
      .strict(),
  ])
  .transform((p): FeePricing => {
    switch (p.kind) {
      case 'area':
        return { kind: 'area', areaBasis: p.areaBasis, unitPriceE4: p.unitPrice };
      case 'fixed':
      case 'parking':
        return { kind: p.kind, unitPriceE4: p.unitPrice };
      case 'meter':
        return {
          kind: 'meter',
          unit: p.unit,
          tiers: p.tiers.map((t) => ({ upTo: t.upTo, unitPriceE4: t.unitPrice })),
        };
      default:
        return { kind: 'oneOff', amountFen: p.amountFen };
    }
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'meter') return;
    try {
      assertTiers(p.tiers);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: (e as Error).message });
    }
  });

const applicabilityInput = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('all') }).strict(),
  z
    .object({ scope: z.literal('buildings'), buildingIds: z.array(buildingCode).min(1).max(200) })
    .strict(),
  z
    .object({ scope: z.literal('useTypes'), useTypes: z.array(z.enum(ROOM_USE_TYPES)).min(1) })
    .strict(),
  z.object({ scope: z.literal('rooms'), roomIds: z.array(docId).min(1).max(5000) }).strict(),
]);

const lateFeeInput = z
  .object({
    enabled: z.boolean(),
    /** Per day, in basis points: 30 = 0.3% (千分之三); at most 1% a day. */
    rateBpPerDay: z.number().int().min(0).max(100),
    graceDays: z.number().int().min(0).max(365),
    /** Mandatory: courts reduce excessive penalties. */
    cap: z.discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('percentOfPrincipal'), bp: z.number().int().min(0).max(10000) })
        .strict(),
      z
        .object({ kind: z.literal('fixed'), fen: z.number().int().min(0).max(10_000_000_00) })
        .strict(),
    ]),
    rounding: z.enum(ROUNDING_MODES).optional(),
  })
  .strict();

const versionFields = {
  /** First day the price applies; later than every existing version and every issued period. */
  effectiveFrom: feeDate,
  pricing: pricingInput,
  /** The approval behind the price (业主大会决议、备案号 …), shown to owners. */
  approvalRef: z.string().trim().min(2, '请填写批准文号或决议名称').max(100),
  approvedAt: feeDate,
  note: z.string().trim().max(200).optional(),
};

function approvedBeforeEffective(
  v: { approvedAt: string; effectiveFrom: string },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (v.approvedAt > v.effectiveFrom) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'approvedAt'],
      message: '批准日期不能晚于生效日期',
    });
  }
}

export type FeeStandardStatus = 'active' | 'upcoming' | 'withdrawn';

export interface FeeVersionView {
  versionId: string;
  effectiveFrom: string;
  /** Last day (the day before the next version, or the standard's end); null: open. */
  effectiveTo: string | null;
  pricing: FeePricing;
  /** As owners read it: "2.35 元/m²/月（按建筑面积）". */
  priceText: string;
  approvalRef: string;
  approvedAt: string;
  note: string | null;
  createdAt: string | null;
}

export interface FeeStandardView {
  communityId: string;
  itemId: string;
  name: string;
  kind: FeeKind;
  kindLabel: string;
  cycle: BillingCycle;
  cycleLabel: string;
  firstMonth: number;
  billingMode: BillingMode;
  billingModeLabel: string;
  dueDay: number;
  rounding: RoundingMode;
  applicability: Applicability;
  applicabilityText: string;
  vacancyDiscount: VacancyDiscountRule | null;
  prepaymentDiscount: PrepaymentDiscountTier[];
  lateFee: LateFeeRule | null;
  effectiveTo: string | null;
  description: string | null;
  /** Bumped by every change; pass it back to detect a concurrent edit. */
  revision: number;
  /** Last day already billed with this standard: versions may only start after it. */
  issuedThrough: string | null;
  status: FeeStandardStatus;
  currentVersionId: string | null;
  versions: FeeVersionView[];
  rules: string[];
  updatedAt: string | null;
}

export type ReadingStatus = 'ok' | 'flagged' | 'confirmed' | 'rejected' | 'billed';

export interface MeterReadingView {
  readingId: string;
  roomId: string;
  roomLabel: string;
  itemId: string;
  /** The month the reading closes (usage month); billed by the run of the following month. */
  period: string;
  previous: string;
  current: string;
  multiplier: string;
  loss: string;
  usage: string;
  readOn: string | null;
  status: ReadingStatus;
  flags: ('lowerThanPrevious' | 'spike')[];
  /** Median usage of the room's past periods (spike check); null without history. */
  median: string | null;
  note: string | null;
  enteredAt: string | null;
}

export interface ReadingRowResult {
  roomId: string;
  readingId: string;
  outcome: 'saved' | 'flagged' | 'unchanged';
  usage: string;
  flags: ('lowerThanPrevious' | 'spike')[];
  median: string | null;
  /** Why it was flagged, in words. */
  message: string | null;
}

export interface SavedReadings {
  saved: number;
  flagged: number;
  unchanged: number;
  results: ReadingRowResult[];
}

export type VacancyView = {
  vacancyId: string;
  roomId: string;
  roomLabel: string;
  from: string;
  to: string;
  status: VacancyStatus;
  approvalRef: string;
  note: string | null;
  createdAt: string | null;
  revokedAt: string | null;
  reason: string | null;
};

export interface BillingAnomalyView {
  roomId: string;
  roomLabel: string;
  itemId: string;
  name: string;
  previousFen: number;
  currentFen: number;
  /** Signed change, basis points (2500 = +25%). */
  changeBp: number;
}

export interface BillingPassView {
  done: boolean;
  roomsScanned: number;
  /** Rooms of the community when the pass started. */
  roomsTotal: number;
  /** Preview: bills to issue; issue: bills created by this run. */
  bills: number;
  totalFen: number;
  chargesFen: number;
  discountsFen: number;
  prepaidAppliedFen: number;
  prepaidRooms: number;
  byBuilding: { building: string; bills: number; totalFen: number }[];
  byItem: { itemId: string; name: string; lines: number; amountFen: number; discountFen: number }[];
  skipped: { reason: string; label: string; count: number }[];
  /** The first skipped rooms (up to 200) with the reason. */
  skippedRooms: { roomId: string; roomLabel: string; reason: string; label: string }[];
  itemSkips: { itemId: string; name: string; reason: string; label: string; count: number }[];
  itemSkipRooms: {
    roomId: string;
    roomLabel: string;
    itemId: string;
    reason: string;
    label: string;
  }[];
  anomalies: BillingAnomalyView[];
  anomalyCount: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export type BillingRunStatus = 'previewing' | 'previewed' | 'issuing' | 'issued';

export interface BillingRunItem {
  itemId: string;
  name: string;
  kind: FeeKind;
  from: string;
  to: string;
  dueDate: string;
  readingPeriod: string | null;
}

export interface BillingRunView {
  runId: string;
  communityId: string;
  /** The billing month run (a requested month inside a prepaid cycle runs the cycle's first). */
  period: string;
  status: BillingRunStatus;
  items: BillingRunItem[];
  /** Standards changed since the preview: preview again before issuing. */
  stale: boolean;
  preview: BillingPassView | null;
  issue: BillingPassView | null;
  /** After issuing: what the run's bills add up to in the database. */
  summary: {
    bills: number;
    totalFen: number;
    prepaidAppliedFen: number;
    byBuilding: { building: string; bills: number; totalFen: number }[];
    byItem: {
      itemId: string;
      name: string;
      lines: number;
      amountFen: number;
      discountFen: number;
    }[];
  } | null;
  /** Issue only: bills created by this call. */
  created?: number;
}

export interface OpeningRowResult {
  row: number;
  roomId: string;
  roomLabel: string;
  outcome: 'created' | 'unchanged';
}

export interface OpeningImportResult {
  kind: 'arrears' | 'prepaid';
  created: number;
  unchanged: number;
  totalFen: number;
  results: OpeningRowResult[];
}

export interface BillLineView {
  itemId: string;
  name: string;
  kind: 'charge' | 'discount';
  amountFen: number;
  /** "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76". */
  basis: string;
  quantity: string | null;
  quantityUnit: string | null;
  unitPrice: string | null;
  priceUnit: string | null;
  months: string | null;
  from: string | null;
  to: string | null;
  /** The standard the line came from (charges only, when still on record). */
  standard: {
    name: string;
    priceText: string;
    effectiveFrom: string;
    approvalRef: string;
    approvedAt: string;
  } | null;
}

export interface BillDetailView {
  billId: string;
  roomId: string;
  roomLabel: string;
  communityId: string;
  communityName: string;
  period: string;
  title: string;
  status: BillStatus;
  dueDate: string;
  overdueDays: number;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
  /** Paid from the prepaid balance (预存抵扣) when the bill was issued. */
  prepaidAppliedFen: number;
  lines: BillLineView[];
  payments: {
    paymentId: string;
    receiptNo: string;
    amountFen: number;
    channelLabel: string;
    paidAt: string;
  }[];
  paymentMethods: { method: string; label: string }[];
  contacts: {
    servicePhone: string;
    serviceHours: string;
    frontDesk: string;
    /** The price complaint hotline, 12358. */
    priceHotline: string;
  };
  issuedAt: string | null;
}

export interface PublicStandardView {
  itemId: string;
  name: string;
  kindLabel: string;
  /** The price in force today, 2 decimals where exact: "2.35 元/m²/月（按建筑面积）". */
  priceText: string;
  effectiveFrom: string;
  approvalRef: string;
  approvedAt: string;
  applicabilityText: string;
  rules: string[];
  /** Announced changes (advance notice): later prices and when they apply. */
  upcoming: { priceText: string; effectiveFrom: string; approvalRef: string; approvedAt: string }[];
  /** Every price the standard has had, oldest first (调价历史). */
  history: {
    priceText: string;
    effectiveFrom: string;
    effectiveTo: string | null;
    approvalRef: string;
  }[];
}

export interface PublicStandardsView {
  communityId: string;
  communityName: string;
  standards: PublicStandardView[];
  /** Announced price adjustments (调价公示): in their notice period, then their history. */
  adjustments: PublicAdjustmentView[];
  servicePhone: string;
  priceHotline: string;
  notice: string;
}

export const feeContracts = {
  ...readingSheetContracts,
  ...openingPreviewContracts,
  /** Any staff role: the community's fee standards with every version. */
  standards: contract<{ standards: FeeStandardView[] }>()(
    z.object({ communityId, includeWithdrawn: z.boolean().default(true) }).strict(),
  ),
  /**
   * Finance, admin: create a standard (with its first version) or change its definition (rules,
   * name, applicability, withdrawal). Prices change only through addVersion. Audited.
   */
  saveStandard: contract<FeeStandardView>()(
    z
      .object({
        communityId,
        itemId: feeItemId,
        name: z.string().trim().min(1).max(20),
        kind: z.enum(FEE_KINDS),
        cycle: z.enum(BILLING_CYCLES),
        firstMonth: z.number().int().min(1).max(12).default(1),
        billingMode: z.enum(['prepaid', 'postpaid']),
        dueDay: z.number().int().min(1).max(31),
        rounding: z.enum(ROUNDING_MODES).default('halfUp'),
        applicability: applicabilityInput.default({ scope: 'all' }),
        vacancyDiscount: z.object({ rateBp: bpField }).strict().nullable().optional(),
        prepaymentDiscount: z
          .array(
            z.object({ minMonths: z.number().int().min(1).max(120), rateBp: bpField }).strict(),
          )
          .max(6)
          .optional(),
        lateFee: lateFeeInput.nullable().optional(),
        /** Withdraw the standard after this day (inclusive). */
        effectiveTo: feeDate.nullable().optional(),
        description: z.string().trim().max(200).nullable().optional(),
        /** Required when creating: the first price. */
        version: z.object(versionFields).strict().optional(),
        /** The revision the form was loaded with (optional optimistic check). */
        revision: z.number().int().min(1).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.version) {
          approvedBeforeEffective(v.version, ctx, ['version']);
          if (v.version.pricing.kind !== v.kind) {
            ctx.addIssue({
              code: 'custom',
              path: ['version', 'pricing', 'kind'],
              message: `价格类型应与收费方式一致（${v.kind}）`,
            });
          }
        }
        if (v.kind === 'oneOff' && v.vacancyDiscount) {
          ctx.addIssue({
            code: 'custom',
            path: ['vacancyDiscount'],
            message: '一次性收费没有空置优惠',
          });
        }
      }),
  ),
  /** Finance, admin: a new price from a date (never rewrites issued bills). Audited. */
  addVersion: contract<FeeStandardView>()(
    z
      .object({
        communityId,
        itemId: feeItemId,
        ...versionFields,
        revision: z.number().int().min(1).optional(),
      })
      .strict()
      .superRefine((v, ctx) => approvedBeforeEffective(v, ctx)),
  ),
  /**
   * Finance, admin, service: enter or import meter readings of one item for one usage period
   * (the month the reading closes). Readings lower than the previous one or above 5× the room's
   * median usage are flagged for confirmation instead of billed.
   */
  saveReadings: contract<SavedReadings>()(
    z
      .object({
        communityId,
        itemId: feeItemId,
        period: feePeriod,
        readings: z
          .array(
            z
              .object({
                roomId: docId,
                current: quantityText,
                /** Default: the room's last reading. Required for a room's first reading. */
                previous: quantityText.optional(),
                multiplier: quantityText.optional(),
                loss: quantityText.optional(),
                readOn: feeDate.optional(),
                note: z.string().trim().max(100).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(500)
          .superRefine((rows, ctx) => {
            const seen = new Set<string>();
            rows.forEach((r, i) => {
              if (seen.has(r.roomId)) {
                ctx.addIssue({ code: 'custom', path: [i, 'roomId'], message: '同一房屋重复录入' });
              }
              seen.add(r.roomId);
            });
          }),
      })
      .strict(),
  ),
  /** Finance, admin: confirm (bill it) or reject flagged readings, with a note. Audited. */
  confirmReadings: contract<{ readings: MeterReadingView[] }>()(
    z
      .object({
        communityId,
        readingIds: z.array(docId).min(1).max(200),
        decision: z.enum(['confirm', 'reject']),
        note: z.string().trim().min(2, '请填写核实说明').max(100),
      })
      .strict(),
  ),
  /** Any staff role: readings of an item and usage period. */
  readings: contract<Page<MeterReadingView>>()(
    z
      .object({
        communityId,
        itemId: feeItemId,
        period: feePeriod,
        status: z.enum(['ok', 'flagged', 'confirmed', 'rejected', 'billed']).optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /** Finance, admin: an approved vacancy (空置) of a room, for vacancy discounts. Audited. */
  recordVacancy: contract<VacancyView>()(
    z
      .object({
        communityId,
        roomId: docId,
        from: feeDate,
        to: feeDate,
        approvalRef: z.string().trim().min(2, '请填写审批单号或说明').max(100),
        note: z.string().trim().max(200).optional(),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: '结束日期不能早于开始日期', path: ['to'] }),
  ),
  /** Finance, admin: revoke a vacancy record (periods already billed keep their discount). */
  revokeVacancy: contract<VacancyView>()(
    z
      .object({
        communityId,
        vacancyId: docId,
        reason: z.string().trim().min(2, '请填写原因').max(100),
      })
      .strict(),
  ),
  /** Any staff role: vacancy records. */
  vacancies: contract<Page<VacancyView>>()(
    z
      .object({
        communityId,
        roomId: docId.optional(),
        status: z.enum(['approved', 'revoked']).optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /**
   * Finance, admin: compute every room's bill for a period without writing bills: totals per
   * building and item, rooms skipped and why, anomalies (> 20% vs the previous period). Resumable:
   * call again while `preview.done` is false; `restart` starts over.
   */
  preview: contract<BillingRunView>()(
    z.object({ communityId, period: feePeriod, restart: z.boolean().default(false) }).strict(),
  ),
  /**
   * Finance, admin: issue the previewed period. Idempotent (deterministic bill ids); resumable in
   * chunks: call again while `issue.done` is false. `maxRooms` stops early (small chunks).
   */
  issue: contract<BillingRunView>()(
    z
      .object({
        communityId,
        period: feePeriod,
        maxRooms: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
  ),
  /** Any staff role: a run's state and figures. */
  run: contract<BillingRunView>()(z.object({ communityId, period: feePeriod }).strict()),
  /** Any staff role: recent runs, newest period first. */
  runs: contract<{ runs: BillingRunView[] }>()(
    z.object({ communityId, limit: z.number().int().min(1).max(50).default(12) }).strict(),
  ),
  /**
   * Finance, admin: opening balances when the system is first set up — arrears (期初欠费, one
   * bill per room under `period`) or prepaid balances (期初预存, with a ledger entry). Every row
   * is checked first; any problem rejects the whole file. Idempotent per room.
   */
  importOpening: contract<OpeningImportResult>()(
    z
      .object({
        communityId,
        kind: z.enum(['arrears', 'prepaid']),
        /** Arrears: the period they are recorded under (e.g. the month before go-live). */
        period: feePeriod.optional(),
        /** Arrears: due date (default: the period's last day). */
        dueDate: feeDate.optional(),
        rows: z
          .array(
            z
              .object({
                roomId: docId.optional(),
                building: buildingCode.optional(),
                unit: unitCode.optional(),
                number: roomNumber.optional(),
                amountFen: z.number().int().positive().max(10_000_000_00),
                note: z.string().trim().max(100).optional(),
              })
              .strict()
              .refine((r) => r.roomId !== undefined || (r.building && r.unit && r.number), {
                message: '请填写 roomId，或楼栋、单元、房号',
                path: ['roomId'],
              }),
          )
          .min(1)
          .max(500),
      })
      .strict()
      .refine((v) => v.kind !== 'arrears' || v.period !== undefined, {
        message: '导入期初欠费时请填写账期',
        path: ['period'],
      }),
  ),
  /**
   * Owner of a bound room (verified binding), or staff of its community: a bill with every line
   * explained, the standard it came from, payments, and how to pay. Anyone else: NOT_FOUND.
   */
  billDetail: contract<BillDetailView>()(z.object({ billId: docId }).strict()),
  /** Bound owners and staff of the community: the published fee standards (明码标价, 12358). */
  publicStandards: contract<PublicStandardsView>()(z.object({ communityId }).strict()),
  // 调价公示: propose, announce (notice period), withdraw — see types/disclosure.ts
  ...feeAdjustmentContracts({ pricing: pricingInput, feeDate, feeItemId }),
};

// ---------------------------------------------------------------- setup

export interface SetupReport {
  collectionsCreated: string[];
  collectionsExisting: number;
  settingsCreated: boolean;
  migrationsApplied: number[];
  schemaVersion: number;
  /** Create these in the console (数据库 → 集合 → 索引管理); unique ones are relied on. */
  indexes: { collection: string; name: string; keys: string[]; unique: boolean }[];
  /** Per collection, for 数据库 → 集合 → 数据权限 → 自定义安全规则. */
  securityRules: Record<string, unknown>;
}

export const setupContracts = {
  /** Prepare the environment (idempotent): collections, default settings, migrations. */
  run: contract<SetupReport>()(z.object({}).strict()),
};

// ---------------------------------------------------------------- deployment settings

export const TEMPLATE_PURPOSES = [
  'billReminder',
  'overdueReminder',
  'complaintProgress',
  'paymentResult',
] as const;
export type TemplatePurpose = (typeof TEMPLATE_PURPOSES)[number];

export interface TemplateSetting {
  templateId: string;
  keywords: { key: string; type: (typeof KEYWORD_TYPES_FOR_SCHEMA)[number] }[];
}

export interface DeploymentSettings {
  communityId: string;
  communityName: string;
  /** WeChat Pay sub-merchant id (特约商户号); empty until cloud payment is authorised. */
  subMchId: string;
  templates: Partial<Record<TemplatePurpose, TemplateSetting>>;
  refundApprovalFen: number;
  quietHours: { from: string; to: string };
  bindingReview: 'auto' | 'staff';
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm');
const templateSetting = z
  .object({
    templateId: z.string().trim().min(1).max(64),
    keywords: z
      .array(
        z
          .object({
            key: z.string().regex(/^[a-z_]+\d+$/, '关键词名如 thing1、amount2'),
            type: z.enum(KEYWORD_TYPES_FOR_SCHEMA),
          })
          .strict(),
      )
      .min(1)
      .max(5),
  })
  .strict();

export const settingsContracts = {
  /** Admin: the deployment settings of one community. */
  get: contract<DeploymentSettings>()(
    z.object({ communityId: z.string().min(1).max(64) }).strict(),
  ),
  /** Admin: change them (each field optional); templates are checked against WeChat's rules. */
  update: contract<DeploymentSettings>()(
    z
      .object({
        communityId: z.string().min(1).max(64),
        subMchId: z
          .string()
          .regex(/^\d{8,12}$/, '特约商户号为 8–12 位数字')
          .optional(),
        templates: z.partialRecord(z.enum(TEMPLATE_PURPOSES), templateSetting).optional(),
        refundApprovalFen: z.number().int().min(0).max(100_000_000).optional(),
        quietHours: z.object({ from: hhmm, to: hhmm }).strict().optional(),
        bindingReview: z.enum(['auto', 'staff']).optional(),
      })
      .strict(),
  ),
};

/** Every function's contracts, keyed by function name then action. */
export const api = {
  account: accountContracts,
  owner: ownerContracts,
  payment: paymentContracts,
  setup: setupContracts,
  settings: settingsContracts,
  community: communityContracts,
  binding: bindingContracts,
  staff: staffContracts,
  fee: feeContracts,
  reconcile: reconcileContracts,
  report: reportContracts,
  complaint: complaintContracts,
  disclosure: disclosureContracts,
  notice: noticeContracts,
  overdue: overdueContracts,
} as const;

export type Api = typeof api;
export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type ContractOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A];
export type ActionInput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<infer I, unknown> ? z.input<I> : never;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<z.ZodType, infer O> ? O : never;
