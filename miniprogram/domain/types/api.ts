/**
 * The action contracts: one source of truth for what each cloud function accepts and returns.
 * Functions validate `event` against `input`; the mini-program's typed client takes its argument
 * and result types from here (type-only imports, so zod never ships in the mini-program package).
 */
import { z } from 'zod';
import {
  BINDING_MODES,
  BINDING_STATUSES,
  OCCUPANCIES,
  PAYMENT_METHODS,
  RELATIONS,
  ROOM_USE_TYPES,
  type BindingMode,
  type BindingStatus,
  type Occupancy,
  type PaymentMethod,
  type Relation,
  type RoomUseType,
} from '../community';
import type { RowError } from '../roster';

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
  /** Owner: start a WeChat Pay order for unpaid bills (default all, oldest first). */
  createOrder: contract<CreatedOrder>()(
    z
      .object({
        billIds: z.array(id).min(1).max(60).optional(),
        /** Pay part of the selected bills' outstanding total (oldest first). */
        amountFen: fen.optional(),
      })
      .strict(),
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
  bindingMode: BindingMode;
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
        bindingMode: z.enum(BINDING_MODES).optional(),
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

/** Every function's contracts, keyed by function name then action. */
export const api = {
  account: accountContracts,
  owner: ownerContracts,
  payment: paymentContracts,
  community: communityContracts,
  binding: bindingContracts,
  staff: staffContracts,
} as const;

export type Api = typeof api;
export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type ContractOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A];
export type ActionInput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<infer I, unknown> ? z.input<I> : never;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<z.ZodType, infer O> ? O : never;
