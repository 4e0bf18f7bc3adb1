/**
 * Contracts of the `reconcile` function (finance): WeChat Pay daily reconciliation, bank
 * statement import and matching, closing a day. See docs/reconciliation.md.
 */
import type { BankLineStatus, BankMapping } from './bank';
import type { ReconItem, StatementSummary } from './statement';
import { communityId, contract, date, freeText, id, reasonText, text, z } from '../kernel/contract';

const fileID = z.string().check(z.minLength(1), z.maxLength(500));
const header = text(40);
/** A statement item's key (the order or refund number it is about). */
const itemKey = z.string().check(z.minLength(3), z.maxLength(120));
const lineId = z.string().check(z.minLength(3), z.maxLength(120));
const reason = reasonText(200);

export const bankMappingSchema = z
  .strictObject({
    date: header,
    amount: z.optional(header),
    credit: z.optional(header),
    debit: z.optional(header),
    reference: z.optional(header),
    payer: z.optional(header),
    memo: z.optional(header),
  })
  .check(
    z.refine((m) => !!m.amount !== !!m.credit, {
      message: '请在“金额”与“贷方金额”中选择一列',
      path: ['amount'],
    }),
  );

export type ReconItemResolution =
  | { action: 'applied'; paymentId: string; receiptNo: string; by: string; at: string }
  | {
      action: 'accepted';
      paymentId: string;
      receiptNo: string;
      by: string;
      at: string;
      note: string;
    }
  | { action: 'noted'; by: string; at: string; note: string };

export interface ReconItemView extends ReconItem {
  label: string;
  resolution?: ReconItemResolution;
}

export interface Correction {
  at: string;
  kind: 'payment' | 'reversal';
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  reason: string;
  by: string;
}

export interface WechatRunView {
  runId: string;
  date: string;
  source: 'download' | 'upload';
  /** No statement for the day (WeChat answered "No Bill Exist"): zero rows. */
  empty: boolean;
  statement: StatementSummary & { netFen: number; otherMerchantRows: number };
  system: { paymentCount: number; paymentFen: number; refundCount: number; refundFen: number };
  matchedCount: number;
  matchedFen: number;
  refundMatchedCount: number;
  refundMatchedFen: number;
  items: ReconItemView[];
  openItems: number;
  runAt: string;
  runBy: string;
  dayStatus: 'open' | 'closed';
}

export interface ReconDayView {
  date: string;
  status: 'open' | 'closed';
  wechat: null | { matchedCount: number; openItems: number; items: number; netFen: number };
  bankOpenLines: number;
  closedAt?: string;
  closedBy?: string;
  note?: string;
  /** Totals frozen at closing (by channel, fen). */
  closedTotals?: Record<string, number>;
  /** Entries that reached the day after it was closed, each with its reason. */
  corrections: Correction[];
}

export interface BankLineView {
  lineId: string;
  row: number;
  date: string;
  amountFen: number;
  reference: string;
  payer: string;
  memo: string;
  status: BankLineStatus | 'assigned' | 'ignored';
  paymentId?: string;
  receiptNo?: string;
  roomLabel?: string;
  matchedBy?: 'reference' | 'amount-date';
  candidates?: string[];
  note?: string;
}

export interface BankImportView {
  importId: string;
  fileName: string;
  importedAt: string;
  from: string;
  to: string;
  windowDays: number;
  mapping: BankMapping;
  counts: Record<BankLineView['status'], number>;
  creditFen: number;
  lines: BankLineView[];
  /** Transfer/POS payments in the statement's dates that no line matched. */
  unmatchedPayments: {
    paymentId: string;
    receiptNo: string;
    channel: string;
    amountFen: number;
    paidDate: string;
    reference?: string;
    roomLabel: string;
  }[];
  /** True when this file had been imported before (nothing was written again). */
  repeat: boolean;
}

export const reconcileContracts = {
  /** Finance: recent days with their reconciliation state (newest first). */
  days: contract<{ days: ReconDayView[]; today: string }>()(
    z.strictObject({ communityId, from: z.optional(date), to: z.optional(date) }),
    { idempotent: true },
  ),
  /** Finance: fetch the day's WeChat Pay statement (downloadBill) or read an uploaded one, and match. */
  runWechat: contract<WechatRunView>()(
    z.strictObject({ communityId, date, fileID: z.optional(fileID) }),
  ),
  /** Finance: the stored result of a day's WeChat reconciliation. */
  wechatRun: contract<WechatRunView | null>()(z.strictObject({ communityId, date }), {
    idempotent: true,
  }),
  /** Finance: apply a payment whose notification never arrived (checked with queryOrder first). */
  applyMissing: contract<WechatRunView>()(z.strictObject({ communityId, date, itemKey })),
  /** Finance: accept the statement's amount for an order whose amount differs (through the ledger). */
  acceptStatement: contract<WechatRunView>()(
    z.strictObject({ communityId, date, itemKey, reason }),
  ),
  /** Finance: explain a discrepancy that needs no ledger entry (e.g. settled the next day). */
  resolveItem: contract<WechatRunView>()(
    z.strictObject({ communityId, date, itemKey, note: reason }),
  ),
  /** Finance: import a bank statement (CSV/XLSX uploaded to cloud storage) and match it. */
  importBank: contract<BankImportView>()(
    z.strictObject({
      communityId,
      fileID,
      fileName: z.optional(text(120)),
      mapping: bankMappingSchema,
      windowDays: z.optional(z.int().check(z.minimum(0), z.maximum(15))),
    }),
  ),
  /** Finance: the imports so far (newest first) and the saved column mapping. */
  bankImports: contract<{
    imports: Omit<BankImportView, 'lines' | 'unmatchedPayments' | 'repeat'>[];
    mapping: BankMapping;
  }>()(z.strictObject({ communityId }), { idempotent: true }),
  bankImport: contract<BankImportView>()(z.strictObject({ communityId, importId: id }), {
    idempotent: true,
  }),
  /** Finance: credit an unmatched bank line to a room (oldest bills first; audited). */
  assignBankLine: contract<BankImportView>()(
    z.strictObject({
      communityId,
      lineId,
      roomId: id,
      billIds: z.optional(z.array(id).check(z.minLength(1), z.maxLength(60))),
      reason,
    }),
  ),
  /** Finance: a line that is not fee income (interest, a transfer between accounts). */
  ignoreBankLine: contract<BankImportView>()(z.strictObject({ communityId, lineId, reason })),
  /** Finance: settle an ambiguous line by choosing one of its candidate payments. */
  matchBankLine: contract<BankImportView>()(z.strictObject({ communityId, lineId, paymentId: id })),
  /** Finance: close a reconciled day; later entries on it are recorded as corrections. */
  closeDay: contract<ReconDayView>()(
    z.strictObject({ communityId, date, note: z.optional(freeText(200)) }),
  ),
};
