/**
 * The deposit invariants (docs/charges.md), part of `npm run ledger:check`: deposits are a
 * liability, so what is held must be exactly what was collected minus what was released
 * (refunded plus deducted), deposit by deposit and in total per community:
 * - every deposit's held amount equals the sum of its entries, and its status agrees (requested:
 *   nothing held; held, awaiting-ack, refunding: its amount; refunded: nothing);
 * - at most one collection (+ its amount) and one release (− what was held) per deposit;
 * - a release's refund plus deductions equals what it released, and the deductions add up;
 * - per community, held deposits = collected − released.
 * Receipt numbers (YJ/YH) are checked with the payments' (unique, gap-free, none pending).
 */
import { HELD_DEPOSIT_STATUSES, type DepositStatus } from '../charge/rules';

export interface LedgerDeposit {
  _id: string;
  communityId: string;
  amountFen: number;
  heldFen: number;
  status: DepositStatus;
}

export interface LedgerDepositEntry {
  _id: string;
  communityId: string;
  depositId: string;
  kind: 'collect' | 'release';
  amountFen: number;
  refundFen?: number;
  deductedFen?: number;
  deductions?: { amountFen: number }[];
  receiptNo: string;
}

export interface DepositViolation {
  rule: 'deposit-mismatch' | 'deposit-entry-invalid' | 'deposit-totals-mismatch';
  target: string;
  detail: string;
}

/** Held, collected and released per community, from the deposits and their entries. */
export function depositBalances(
  deposits: readonly LedgerDeposit[],
  entries: readonly LedgerDepositEntry[],
): Map<string, { heldFen: number; collectedFen: number; releasedFen: number }> {
  const out = new Map<string, { heldFen: number; collectedFen: number; releasedFen: number }>();
  const of = (c: string) => {
    const t = out.get(c) ?? { heldFen: 0, collectedFen: 0, releasedFen: 0 };
    out.set(c, t);
    return t;
  };
  for (const d of deposits) of(d.communityId).heldFen += d.heldFen;
  for (const e of entries) {
    if (e.kind === 'collect') of(e.communityId).collectedFen += e.amountFen;
    else of(e.communityId).releasedFen -= e.amountFen;
  }
  return out;
}

function entryProblem(e: LedgerDepositEntry, dep: LedgerDeposit | undefined): string | null {
  if (!dep) return `押金 ${e.depositId} 不存在`;
  if (!Number.isInteger(e.amountFen)) return `金额 ${e.amountFen} 不是整数分`;
  if (e.kind === 'collect' && e.amountFen !== dep.amountFen)
    return `收取 ${e.amountFen} 分 ≠ 押金 ${dep.amountFen} 分`;
  if (e.kind === 'release') {
    const refund = e.refundFen ?? 0;
    const deducted = e.deductedFen ?? 0;
    const listed = (e.deductions ?? []).reduce((s, d) => s + d.amountFen, 0);
    if (refund < 0 || refund + deducted !== -e.amountFen)
      return `退还 ${refund} 分 + 扣款 ${deducted} 分 ≠ 冲减 ${-e.amountFen} 分`;
    if (listed !== deducted) return `扣款明细合计 ${listed} 分 ≠ 扣款 ${deducted} 分`;
  }
  return null;
}

export function checkDeposits(
  deposits: readonly LedgerDeposit[],
  entries: readonly LedgerDepositEntry[],
): DepositViolation[] {
  const out: DepositViolation[] = [];
  const byId = new Map(deposits.map((d) => [d._id, d]));
  const sums = new Map<string, number>();
  const kinds = new Map<string, string[]>();
  for (const e of entries) {
    sums.set(e.depositId, (sums.get(e.depositId) ?? 0) + e.amountFen);
    kinds.set(e.depositId, [...(kinds.get(e.depositId) ?? []), e.kind]);
    const problem = entryProblem(e, byId.get(e.depositId));
    if (problem) out.push({ rule: 'deposit-entry-invalid', target: e._id, detail: problem });
  }
  for (const d of deposits) {
    const sum = sums.get(d._id) ?? 0;
    const k = kinds.get(d._id) ?? [];
    const expected = HELD_DEPOSIT_STATUSES.includes(d.status) ? d.amountFen : 0;
    const problems = [
      sum !== d.heldFen ? `在押 ${d.heldFen} 分，明细合计 ${sum} 分` : '',
      d.heldFen !== expected
        ? `状态 ${d.status} 应在押 ${expected} 分，记录为 ${d.heldFen} 分`
        : '',
      k.filter((x) => x === 'collect').length > 1 ? '收取了不止一次' : '',
      k.filter((x) => x === 'release').length > 1 ? '退还了不止一次' : '',
    ].filter(Boolean);
    if (problems.length)
      out.push({ rule: 'deposit-mismatch', target: d._id, detail: problems.join('；') });
  }
  for (const [community, t] of depositBalances(deposits, entries)) {
    if (t.heldFen !== t.collectedFen - t.releasedFen)
      out.push({
        rule: 'deposit-totals-mismatch',
        target: community,
        detail: `在押押金 ${t.heldFen} 分 ≠ 收取 ${t.collectedFen} 分 − 退还 ${t.releasedFen} 分`,
      });
  }
  return out;
}
