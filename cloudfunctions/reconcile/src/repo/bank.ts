/**
 * Bank statement imports and their lines as stored, and how finance sees them.
 */
import { type BankMapping } from '../../../../miniprogram/domain/reconcile/bank';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type {
  BankImportView,
  BankLineView,
} from '../../../../miniprogram/domain/reconcile/contract';
import { fetchAll } from '../../../_shared/db';
import { type PaymentDoc } from '../../../_shared/ledger';
import { getInCommunity } from '../../../_shared/records';
import { type ActionContext } from '../../../_shared/router';
import { fetchIn } from '../../../_shared/paging';

export interface ImportDoc {
  _id: string;
  communityId: string;
  fileName: string;
  fileID: string;
  importedAt: Date;
  importedBy: string;
  from: string;
  to: string;
  windowDays: number;
  mapping: BankMapping;
  lineCount: number;
  creditFen: number;
  unmatchedPayments: string[];
}

/** A statement line as stored: what staff see (less the payment's own fields), its import. */
export interface LineDoc extends Omit<
  BankLineView,
  'lineId' | 'receiptNo' | 'roomLabel' | 'matchedBy'
> {
  _id: string;
  communityId: string;
  importId: string;
  matchedBy?: 'reference' | 'amount-date' | 'manual';
  decidedBy?: string;
  decidedAt?: Date;
}

export const BANK_CHANNELS = ['transfer', 'card'];

export const DEFAULT_WINDOW_DAYS = 3;

export function lineView(l: LineDoc, payments: Map<string, PaymentDoc>): BankLineView {
  const p = l.paymentId ? payments.get(l.paymentId) : undefined;
  const label = p?.allocations[0]?.roomLabel;
  return {
    lineId: l._id,
    row: l.row,
    date: l.date,
    amountFen: l.amountFen,
    reference: l.reference,
    payer: l.payer,
    memo: l.memo,
    status: l.status,
    ...(l.paymentId ? { paymentId: l.paymentId } : {}),
    ...(p ? { receiptNo: p.receiptNo } : {}),
    ...(label ? { roomLabel: label } : {}),
    ...(l.matchedBy && l.matchedBy !== 'manual' ? { matchedBy: l.matchedBy } : {}),
    ...(l.candidates?.length ? { candidates: l.candidates } : {}),
    ...(l.note ? { note: l.note } : {}),
  };
}

/** Line counts by status, all zero. */
export function noCounts(): BankImportView['counts'] {
  return { matched: 0, unmatched: 0, ambiguous: 0, debit: 0, assigned: 0, ignored: 0 };
}

/** What the import list and an import's page both say of an import. */
export function importSummary(imp: ImportDoc, counts: BankImportView['counts']) {
  return {
    importId: imp._id,
    fileName: imp.fileName,
    importedAt: new Date(imp.importedAt).toISOString(),
    from: imp.from,
    to: imp.to,
    windowDays: imp.windowDays,
    mapping: imp.mapping,
    counts,
    creditFen: imp.creditFen,
  };
}

export async function importView(
  ctx: ActionContext,
  imp: ImportDoc,
  repeat: boolean,
): Promise<BankImportView> {
  const lines = (
    await fetchAll<LineDoc>(ctx.db.collection('bank_lines').where({ importId: imp._id }))
  ).sort((a, b) => a.row - b.row);
  const ids = [
    ...lines.filter((l) => l.paymentId).map((l) => l.paymentId!),
    ...imp.unmatchedPayments,
  ];
  const payments = new Map(
    (await fetchIn<PaymentDoc>(ctx, 'payments', '_id', ids)).map((p) => [p._id, p]),
  );
  const counts = noCounts();
  for (const l of lines) counts[l.status]++;
  const matchedNow = new Set(lines.map((l) => l.paymentId).filter(Boolean));
  return {
    ...importSummary(imp, counts),
    lines: lines.map((l) => lineView(l, payments)),
    unmatchedPayments: imp.unmatchedPayments
      .filter((id) => !matchedNow.has(id) && payments.has(id))
      .map((id) => {
        const p = payments.get(id)!;
        return {
          paymentId: p._id,
          receiptNo: p.receiptNo,
          channel: p.channel,
          amountFen: p.amountFen,
          paidDate: shanghaiDate(new Date(p.paidAt)),
          ...(p.reference ? { reference: p.reference } : {}),
          roomLabel: p.allocations[0]?.roomLabel ?? '',
        };
      }),
    repeat,
  };
}

export function loadImport(ctx: ActionContext, communityId: string, importId: string) {
  return getInCommunity<ImportDoc>(
    ctx,
    'bank_imports',
    communityId,
    importId,
    'importId: 未找到该次银行流水导入',
  );
}

export function openLine(
  ctx: ActionContext,
  communityId: string,
  lineId: string,
): Promise<LineDoc> {
  return getInCommunity<LineDoc>(
    ctx,
    'bank_lines',
    communityId,
    lineId,
    'lineId: 未找到该条银行流水',
  );
}
