/**
 * Bank statement import (银行流水), pure: a table of cells (from CSV or .xlsx) read with a column
 * mapping the finance team sets once (every bank names its columns differently), then matched
 * against the transfer and POS payments the cashier recorded: by reference first, then by amount
 * within a date window when exactly one payment fits.
 */
import Big from 'big.js';
import { parseYuan, type Fen } from '../kernel/money';
import { parseDateCell, type Cell } from '../community/roster';
import { addDays, daysBetween } from '../kernel/time';

export class BankFileError extends Error {}

/** Column headers (as they appear in the bank's file) for each field. */
export interface BankMapping {
  date: string;
  /** A signed amount column (credit positive) … */
  amount?: string;
  /** … or separate credit (贷方/收入) and debit (借方/支出) columns. */
  credit?: string;
  debit?: string;
  reference?: string;
  payer?: string;
  memo?: string;
}

/** What most Chinese bank exports call their columns; the page offers it as the first mapping. */
export const DEFAULT_BANK_MAPPING: BankMapping = {
  date: '交易日期',
  credit: '贷方金额',
  debit: '借方金额',
  reference: '交易流水号',
  payer: '对方户名',
  memo: '摘要',
};

export interface BankLine {
  /** 1-based row number in the file. */
  row: number;
  date: string;
  /** Credit positive; debits are negative and never matched. */
  amountFen: Fen;
  reference: string;
  payer: string;
  memo: string;
}

export const MAX_BANK_LINES = 5_000;

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).trim();
}

/** A bank amount cell: 1234.5, "1,234.50", "¥1,234.50", "-20.00", "" → fen (null when empty). */
export function bankAmount(cell: Cell): Fen | null {
  if (cell === null || cell === undefined || cell === '') return null;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new RangeError('not a number');
    // Spreadsheet numbers are floats: round to the fen once, through big.js.
    return Number(new Big(cell).times(100).round(0, Big.roundHalfUp).toFixed(0));
  }
  const t = String(cell)
    .replace(/[\s,¥￥元]/g, '')
    .replace(/^\+/, '');
  if (t === '' || t === '-') return null;
  const normal = t.replace(/^(-?)0+(?=\d)/, '$1').replace(/(\.\d\d)0+$/, '$1');
  return parseYuan(normal.startsWith('.') ? `0${normal}` : normal, { allowNegative: true });
}

/** A bank date cell, also with a time ("2026-11-20 10:22:33") or as 20261120. */
export function bankDate(cell: Cell): string | null {
  if (typeof cell === 'number' && cell > 19_000_000 && cell < 30_000_000) {
    return bankDate(String(cell));
  }
  const t = text(cell);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (compact) return parseDateCell(`${compact[1]}-${compact[2]}-${compact[3]}`);
  const withTime = /^(\S+?)[\sT]+\d{1,2}:\d{2}(:\d{2})?$/.exec(t);
  return parseDateCell(withTime ? withTime[1]! : cell);
}

function findHeader(table: Cell[][], mapping: BankMapping): number {
  const needed = [mapping.date, mapping.amount ?? mapping.credit ?? ''];
  for (let i = 0; i < Math.min(table.length, 30); i++) {
    const cells = (table[i] ?? []).map(text);
    if (needed.every((h) => h && cells.includes(h))) return i;
  }
  return -1;
}

/**
 * Reads the lines. Throws BankFileError listing (up to five) rows that cannot be read, naming
 * the row and column, so nothing is saved from a half-understood file.
 */
export function parseBankTable(table: Cell[][], mapping: BankMapping): BankLine[] {
  if (!mapping.amount && !mapping.credit) {
    throw new BankFileError('mapping: 请指定“金额”列或“贷方（收入）金额”列');
  }
  const at = findHeader(table, mapping);
  if (at < 0) {
    const wanted = [mapping.date, mapping.amount ?? mapping.credit].join('”“');
    throw new BankFileError(`找不到表头：前 30 行中没有同时含“${wanted}”的一行，请核对列名设置`);
  }
  const header = (table[at] ?? []).map(text);
  const col = (name?: string): number => {
    if (!name) return -1;
    const i = header.indexOf(name);
    if (i < 0) throw new BankFileError(`表头中没有“${name}”列，请核对列名设置`);
    return i;
  };
  const c = {
    date: col(mapping.date),
    amount: col(mapping.amount),
    credit: col(mapping.credit),
    debit: col(mapping.debit),
    reference: col(mapping.reference),
    payer: col(mapping.payer),
    memo: col(mapping.memo),
  };
  const lines: BankLine[] = [];
  const errors: string[] = [];
  for (let i = at + 1; i < table.length; i++) {
    const row = table[i] ?? [];
    if (row.every((cell) => text(cell) === '')) continue;
    const rowNo = i + 1;
    const cell = (k: number) => (k < 0 ? null : (row[k] ?? null));
    // A closing total row ("合计", "本页合计") is not a transaction.
    if (/合计|总计/.test(text(cell(c.date)))) continue;
    const date = bankDate(cell(c.date));
    if (!date) {
      errors.push(`第 ${rowNo} 行“${mapping.date}”：“${text(cell(c.date))}”不是有效日期`);
      continue;
    }
    let amountFen: Fen;
    try {
      if (c.amount >= 0) {
        const v = bankAmount(cell(c.amount));
        if (v === null) throw new RangeError('empty');
        amountFen = v;
      } else {
        const credit = bankAmount(cell(c.credit)) ?? 0;
        const debit = c.debit >= 0 ? (bankAmount(cell(c.debit)) ?? 0) : 0;
        if (credit === 0 && debit === 0 && text(cell(c.credit)) === '')
          throw new RangeError('empty');
        amountFen = credit - Math.abs(debit);
      }
    } catch {
      const name = mapping.amount ?? mapping.credit!;
      const raw = text(cell(c.amount >= 0 ? c.amount : c.credit));
      errors.push(`第 ${rowNo} 行“${name}”：“${raw}”不是有效金额`);
      continue;
    }
    lines.push({
      row: rowNo,
      date,
      amountFen,
      reference: text(cell(c.reference)).slice(0, 64),
      payer: text(cell(c.payer)).slice(0, 40),
      memo: text(cell(c.memo)).slice(0, 100),
    });
  }
  if (errors.length) {
    const more = errors.length > 5 ? `；另有 ${errors.length - 5} 行有误` : '';
    throw new BankFileError(
      `${errors.slice(0, 5).join('；')}${more}。未导入任何数据，请修改后重新上传`,
    );
  }
  if (lines.length === 0) throw new BankFileError('表头下没有任何交易记录');
  if (lines.length > MAX_BANK_LINES) {
    throw new BankFileError(`一次最多导入 ${MAX_BANK_LINES} 行，请按日期拆分文件`);
  }
  return lines;
}

/** A transfer or POS payment the ledger holds. */
export interface BankCandidate {
  paymentId: string;
  channel: string;
  amountFen: Fen;
  reference?: string;
  paidDate: string;
  roomLabel?: string;
}

export type BankLineStatus = 'matched' | 'unmatched' | 'ambiguous' | 'debit';

export interface BankLineMatch {
  status: BankLineStatus;
  paymentId?: string;
  matchedBy?: 'reference' | 'amount-date';
  /** For an ambiguous line: the payments that fit equally well. */
  candidates?: string[];
}

export interface BankMatchResult {
  lines: BankLineMatch[];
  /** Payments in the statement's date range that no line matched (in system, not in bank). */
  unmatchedPayments: string[];
}

function referenceOf(line: BankLine, ref: string | undefined): boolean {
  if (!ref || ref.length < 4) return false;
  return line.reference === ref || line.memo.includes(ref) || line.reference.includes(ref);
}

/**
 * Matches lines to payments, each payment at most once. Pass 1: the payment's reference appears
 * as the line's reference (or in its memo), same amount, date within the window. Pass 2: same
 * amount within the window, when exactly one unused payment fits; several → ambiguous (finance
 * chooses). `taken` are payments already matched by earlier imports.
 */
export function matchBankLines(
  lines: readonly BankLine[],
  payments: readonly BankCandidate[],
  windowDays: number,
  taken: ReadonlySet<string> = new Set(),
): BankMatchResult {
  const used = new Set(taken);
  const out: BankLineMatch[] = lines.map((l) =>
    l.amountFen <= 0 ? { status: 'debit' } : { status: 'unmatched' },
  );
  const near = (l: BankLine, p: BankCandidate) =>
    Math.abs(daysBetween(p.paidDate, l.date)) <= windowDays;
  lines.forEach((l, i) => {
    if (out[i]!.status !== 'unmatched') return;
    const hit = payments.find(
      (p) =>
        !used.has(p.paymentId) &&
        p.amountFen === l.amountFen &&
        near(l, p) &&
        referenceOf(l, p.reference),
    );
    if (hit) {
      used.add(hit.paymentId);
      out[i] = { status: 'matched', paymentId: hit.paymentId, matchedBy: 'reference' };
    }
  });
  lines.forEach((l, i) => {
    if (out[i]!.status !== 'unmatched') return;
    const fits = payments.filter(
      (p) => !used.has(p.paymentId) && p.amountFen === l.amountFen && near(l, p),
    );
    if (fits.length === 1) {
      used.add(fits[0]!.paymentId);
      out[i] = { status: 'matched', paymentId: fits[0]!.paymentId, matchedBy: 'amount-date' };
    } else if (fits.length > 1) {
      out[i] = { status: 'ambiguous', candidates: fits.map((p) => p.paymentId).slice(0, 10) };
    }
  });
  const dates = lines.map((l) => l.date).sort();
  const from = dates[0] ?? '';
  const to = dates[dates.length - 1] ?? '';
  const unmatchedPayments = payments
    .filter((p) => !used.has(p.paymentId) && p.paidDate >= from && p.paidDate <= to)
    .map((p) => p.paymentId);
  return { lines: out, unmatchedPayments };
}

/** The date range of payments worth loading for a statement: its dates ± the window. */
export function candidateRange(
  lines: readonly BankLine[],
  windowDays: number,
): { from: string; to: string } {
  const dates = lines.map((l) => l.date).sort();
  return {
    from: addDays(dates[0]!, -windowDays),
    to: addDays(dates[dates.length - 1]!, windowDays),
  };
}
