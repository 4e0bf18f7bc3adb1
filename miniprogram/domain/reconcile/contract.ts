/**
 * Contracts of the `reconcile` function (finance): WeChat Pay daily reconciliation, bank
 * statement import and matching, closing a day. See docs/reconciliation.md.
 */
import { z } from 'zod';
import { isDate } from '../fee/period';
import type { BankLineStatus, BankMapping } from './bank';
import type { ReconItem, StatementSummary } from './statement';
import { contract } from '../kernel/contract';

// Local twin of api.ts `contract` (api.ts imports this file: no runtime cycle).
const id = z.string().min(1).max(64);
const communityId = id;
const date = z
  .string()
  .refine((v) => isDate(v), { message: '日期格式应为 YYYY-MM-DD（如 2026-11-20）' });
const reason = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(200);
const fileID = z.string().min(1).max(500);
const header = z.string().trim().min(1).max(40);

export const bankMappingSchema = z
  .object({
    date: header,
    amount: header.optional(),
    credit: header.optional(),
    debit: header.optional(),
    reference: header.optional(),
    payer: header.optional(),
    memo: header.optional(),
  })
  .strict()
  .refine((m) => !!m.amount !== !!m.credit, {
    message: '请在“金额”与“贷方金额”中选择一列',
    path: ['amount'],
  });

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
    z.object({ communityId, from: date.optional(), to: date.optional() }).strict(),
  ),
  /** Finance: fetch the day's WeChat Pay statement (downloadBill) or read an uploaded one, and match. */
  runWechat: contract<WechatRunView>()(
    z.object({ communityId, date, fileID: fileID.optional() }).strict(),
  ),
  /** Finance: the stored result of a day's WeChat reconciliation. */
  wechatRun: contract<WechatRunView | null>()(z.object({ communityId, date }).strict()),
  /** Finance: apply a payment whose notification never arrived (checked with queryOrder first). */
  applyMissing: contract<WechatRunView>()(
    z.object({ communityId, date, itemKey: z.string().min(3).max(120) }).strict(),
  ),
  /** Finance: accept the statement's amount for an order whose amount differs (through the ledger). */
  acceptStatement: contract<WechatRunView>()(
    z.object({ communityId, date, itemKey: z.string().min(3).max(120), reason }).strict(),
  ),
  /** Finance: explain a discrepancy that needs no ledger entry (e.g. settled the next day). */
  resolveItem: contract<WechatRunView>()(
    z.object({ communityId, date, itemKey: z.string().min(3).max(120), note: reason }).strict(),
  ),
  /** Finance: import a bank statement (CSV/XLSX uploaded to cloud storage) and match it. */
  importBank: contract<BankImportView>()(
    z
      .object({
        communityId,
        fileID,
        fileName: z.string().trim().min(1).max(120).optional(),
        mapping: bankMappingSchema,
        windowDays: z.number().int().min(0).max(15).optional(),
      })
      .strict(),
  ),
  /** Finance: the imports so far (newest first) and the saved column mapping. */
  bankImports: contract<{
    imports: Omit<BankImportView, 'lines' | 'unmatchedPayments' | 'repeat'>[];
    mapping: BankMapping;
  }>()(z.object({ communityId }).strict()),
  bankImport: contract<BankImportView>()(z.object({ communityId, importId: id }).strict()),
  /** Finance: credit an unmatched bank line to a room (oldest bills first; audited). */
  assignBankLine: contract<BankImportView>()(
    z
      .object({
        communityId,
        lineId: z.string().min(3).max(120),
        roomId: id,
        billIds: z.array(id).min(1).max(60).optional(),
        reason,
      })
      .strict(),
  ),
  /** Finance: a line that is not fee income (interest, a transfer between accounts). */
  ignoreBankLine: contract<BankImportView>()(
    z.object({ communityId, lineId: z.string().min(3).max(120), reason }).strict(),
  ),
  /** Finance: settle an ambiguous line by choosing one of its candidate payments. */
  matchBankLine: contract<BankImportView>()(
    z.object({ communityId, lineId: z.string().min(3).max(120), paymentId: id }).strict(),
  ),
  /** Finance: close a reconciled day; later entries on it are recorded as corrections. */
  closeDay: contract<ReconDayView>()(
    z.object({ communityId, date, note: z.string().trim().max(200).optional() }).strict(),
  ),
};
