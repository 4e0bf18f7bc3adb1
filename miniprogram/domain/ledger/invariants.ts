/**
 * The ledger invariants (DESIGN.md, Ledger), checked over plain data so the same rules serve
 * `npm run ledger:check`, tests and any audit:
 * - every bill: outstanding = amount due + late fee − allocations ≥ 0, and its cached paidFen
 *   equals the sum of the allocations made to it (net of reversals);
 * - every payment: its allocations plus what went to prepaid equal its amount;
 * - every WeChat Pay order is applied at most once (one payment per outTradeNo);
 * - receipt numbers are unique and gap-free within each community and year, and every payment
 *   has its number (none left pending);
 * - every prepaid balance equals the sum of its entries;
 * - every bill's late fee equals its accrual record (accrued − waived; no record: none), and what
 *   accrued never exceeds the cap of the bill's late-fee rule;
 * - deposits (./deposits.ts): held = collected − released, per deposit and per community; their
 *   receipts (YJ/YH) are numbered like the payments'.
 */
import { lateFeeBasis, lateFeeCapFen } from '../fee/late-fee';
import type { LateFeeRule } from '../fee/types';
import { isPendingReceipt } from '../payment/receipt';
import {
  checkDeposits,
  type DepositViolation,
  type LedgerDeposit,
  type LedgerDepositEntry,
} from './deposits';

export interface LedgerBill {
  _id: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  communityId?: string;
  items?: { itemId: string; amountFen: number }[];
  lateFee?: { accruedFen: number; accruedThrough: string | null; waivedFen: number };
}

/** A fee item's late-fee rule (from the community's fee standards), for the cap. */
export interface LedgerLateFeeRule {
  communityId: string;
  itemId: string;
  rule: LateFeeRule;
}

export interface LedgerPayment {
  _id: string;
  communityId: string;
  amountFen: number;
  prepaidFen: number;
  allocations: { billId: string; amountFen: number }[];
  receiptNo: string;
  outTradeNo?: string;
}

export interface LedgerPrepaid {
  _id: string;
  balanceFen: number;
}

export interface LedgerPrepaidEntry {
  roomId: string;
  amountFen: number;
  /** Set when the entry pays a bill from the balance (negative amount; fee billing run). */
  billId?: string;
  /** A billing run's entry not yet folded into the account's stored balance. */
  pending?: boolean;
}

export interface LedgerData {
  bills: LedgerBill[];
  payments: LedgerPayment[];
  prepaidAccounts: LedgerPrepaid[];
  prepaidEntries: LedgerPrepaidEntry[];
  /** Enabled late-fee rules; without them the cap is not checked (the record still is). */
  lateFeeRules?: LedgerLateFeeRule[];
  /** Deposits and their entries (none given: nothing to check). */
  deposits?: LedgerDeposit[];
  depositEntries?: LedgerDepositEntry[];
}

export interface Violation {
  rule:
    | 'bill-overpaid'
    | 'bill-paid-mismatch'
    | 'payment-unbalanced'
    | 'order-applied-twice'
    | 'receipt-duplicate'
    | 'receipt-gap'
    | 'receipt-pending'
    | 'prepaid-mismatch'
    | 'prepaid-negative'
    | 'prepaid-orphan'
    | 'late-fee-mismatch'
    | 'late-fee-over-cap'
    | 'amount-not-integer'
    | DepositViolation['rule'];
  target: string;
  detail: string;
}

const RECEIPT = /^([A-Z]{2})(\d{4})-(\d{6})$/;

export function checkLedger(data: LedgerData): Violation[] {
  const out: Violation[] = [];
  const allocated = new Map<string, number>();
  // Money taken from a prepaid balance for a bill counts as paid to that bill, like an allocation.
  for (const e of data.prepaidEntries) {
    if (e.billId && e.amountFen < 0)
      allocated.set(e.billId, (allocated.get(e.billId) ?? 0) - e.amountFen);
  }
  const byOrder = new Map<string, string[]>();
  const receipts = new Map<string, Map<number, string[]>>();
  const noteReceipt = (doc: { _id: string; communityId: string; receiptNo: string }) => {
    if (isPendingReceipt(doc.receiptNo))
      out.push({
        rule: 'receipt-pending',
        target: doc._id,
        detail: '已入账但尚未取得收据号（付款定时器会补上）',
      });
    const m = RECEIPT.exec(doc.receiptNo);
    if (!m) return;
    const key = `${doc.communityId}:${m[1]}${m[2]}`;
    const seqs = receipts.get(key) ?? new Map<number, string[]>();
    const seq = Number(m[3]);
    seqs.set(seq, [...(seqs.get(seq) ?? []), doc._id]);
    receipts.set(key, seqs);
  };

  for (const p of data.payments) {
    for (const v of [p.amountFen, p.prepaidFen, ...p.allocations.map((a) => a.amountFen)]) {
      if (!Number.isInteger(v))
        out.push({ rule: 'amount-not-integer', target: p._id, detail: `金额 ${v} 不是整数分` });
    }
    const parts = p.allocations.reduce((s, a) => s + a.amountFen, 0) + p.prepaidFen;
    if (parts !== p.amountFen) {
      out.push({
        rule: 'payment-unbalanced',
        target: p._id,
        detail: `分配合计 ${parts} 分 ≠ 收款 ${p.amountFen} 分`,
      });
    }
    for (const a of p.allocations)
      allocated.set(a.billId, (allocated.get(a.billId) ?? 0) + a.amountFen);
    if (p.outTradeNo) byOrder.set(p.outTradeNo, [...(byOrder.get(p.outTradeNo) ?? []), p._id]);
    noteReceipt(p);
  }
  for (const e of data.depositEntries ?? []) noteReceipt(e);

  for (const b of data.bills) {
    const paid = allocated.get(b._id);
    if (paid !== undefined && paid !== b.paidFen) {
      out.push({
        rule: 'bill-paid-mismatch',
        target: b._id,
        detail: `账单已缴 ${b.paidFen} 分，收款分配合计 ${paid} 分`,
      });
    }
    if (b.amountDueFen + b.lateFeeFen - b.paidFen < 0) {
      out.push({
        rule: 'bill-overpaid',
        target: b._id,
        detail: `应缴 ${b.amountDueFen + b.lateFeeFen} 分，已缴 ${b.paidFen} 分`,
      });
    }
  }

  for (const [order, ids] of byOrder) {
    if (ids.length > 1)
      out.push({
        rule: 'order-applied-twice',
        target: order,
        detail: `同一微信订单入账 ${ids.length} 次：${ids.join(', ')}`,
      });
  }

  for (const [key, seqs] of receipts) {
    const numbers = [...seqs.keys()].sort((a, b) => a - b);
    for (const [seq, ids] of seqs) {
      if (ids.length > 1)
        out.push({
          rule: 'receipt-duplicate',
          target: `${key}:${seq}`,
          detail: `收据号重复：${ids.join(', ')}`,
        });
    }
    const gapAt = numbers.findIndex((n, i) => n !== i + 1);
    if (gapAt >= 0) {
      out.push({
        rule: 'receipt-gap',
        target: key,
        detail: `收据号不连续：缺少第 ${gapAt + 1} 号（下一张为 ${numbers[gapAt]} 号）`,
      });
    }
  }

  out.push(...checkLateFees(data));
  out.push(...checkDeposits(data.deposits ?? [], data.depositEntries ?? []));

  // The stored balance holds every entry but the billing run's pending ones (not folded in yet).
  const entries = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const e of data.prepaidEntries) {
    const into = e.pending === true ? pending : entries;
    into.set(e.roomId, (into.get(e.roomId) ?? 0) + e.amountFen);
  }
  // An entry of a room without an account is money no balance shows; a billing run's entry
  // without its bill took money for a bill never issued (a run cut off and not repeated).
  const accounts = new Set(data.prepaidAccounts.map((a) => a._id));
  const bills = new Set(data.bills.map((b) => b._id));
  for (const e of data.prepaidEntries) {
    if (!accounts.has(e.roomId)) {
      out.push({
        rule: 'prepaid-orphan',
        target: e.roomId,
        detail: `预存明细 ${e.amountFen} 分所属房屋没有预存账户`,
      });
    } else if (e.billId !== undefined && !bills.has(e.billId)) {
      out.push({
        rule: 'prepaid-orphan',
        target: e.billId,
        detail: `预存抵扣 ${-e.amountFen} 分对应的账单不存在（出账中断后未重新出账？）`,
      });
    }
  }
  for (const a of data.prepaidAccounts) {
    const sum = entries.get(a._id) ?? 0;
    if (sum !== a.balanceFen) {
      const waiting = pending.get(a._id) ?? 0;
      out.push({
        rule: 'prepaid-mismatch',
        target: a._id,
        detail: `预存余额 ${a.balanceFen} 分，明细合计 ${sum} 分${waiting ? `（另有待并入 ${waiting} 分）` : ''}`,
      });
    }
    const whole = a.balanceFen + (pending.get(a._id) ?? 0);
    if (whole < 0) {
      out.push({
        rule: 'prepaid-negative',
        target: a._id,
        detail: `预存余额（含待并入）为 ${whole} 分：抵扣多于余额`,
      });
    }
  }
  return out;
}

/** Late fees: the stored amount is what the accrual record says, and never above the cap. */
function checkLateFees(data: LedgerData): Violation[] {
  const out: Violation[] = [];
  const rules = new Map<string, Map<string, LateFeeRule>>();
  for (const r of data.lateFeeRules ?? []) {
    const m = rules.get(r.communityId) ?? new Map<string, LateFeeRule>();
    m.set(r.itemId, r.rule);
    rules.set(r.communityId, m);
  }
  for (const b of data.bills) {
    const rec = b.lateFee;
    const recorded = rec ? rec.accruedFen - rec.waivedFen : 0;
    if (b.lateFeeFen !== recorded) {
      out.push({
        rule: 'late-fee-mismatch',
        target: b._id,
        detail: rec
          ? `滞纳金 ${b.lateFeeFen} 分，计提记录为已计 ${rec.accruedFen} 分 − 减免 ${rec.waivedFen} 分 = ${recorded} 分（计至 ${rec.accruedThrough ?? '—'}）`
          : `滞纳金 ${b.lateFeeFen} 分，但没有计提记录`,
      });
    }
    const basis = b.communityId ? lateFeeBasis(b, rules.get(b.communityId) ?? new Map()) : null;
    if (rec && basis) {
      const cap = lateFeeCapFen(basis.rule, basis.capBaseFen);
      if (rec.accruedFen > cap)
        out.push({
          rule: 'late-fee-over-cap',
          target: b._id,
          detail: `已计滞纳金 ${rec.accruedFen} 分，超过上限 ${cap} 分`,
        });
    }
  }
  return out;
}
