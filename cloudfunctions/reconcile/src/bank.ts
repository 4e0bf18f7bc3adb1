/**
 * Bank statements: import (CSV/XLSX with the community's column mapping), match against the
 * transfer and POS payments the cashier recorded, and let finance credit an unmatched line to a
 * room — through the ledger's `applyPayment`, like any other payment, never a side channel.
 */
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../_shared/records';
import {
  BankFileError,
  DEFAULT_BANK_MAPPING,
  candidateRange,
  matchBankLines,
  parseBankTable,
  type BankCandidate,
  type BankLineMatch,
  type BankMapping,
} from '../../../miniprogram/domain/reconcile/bank';
import { outstandingFen, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { sortOldestFirst } from '../../../miniprogram/domain/kernel/money';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type { BankImportView, BankLineView } from '../../../miniprogram/domain/reconcile/contract';
import { audit } from '../../_shared/audit';
import { fetchAll, isDuplicate, isMissing } from '../../_shared/db';
import { sha256Hex } from '../../_shared/ids';
import { applyPayment, type PaymentDoc } from '../../_shared/ledger';
import { getInCommunity } from '../../_shared/records';
import { requireRole } from '../../_shared/roles';
import { AppError, type ActionContext } from '../../_shared/router';
import { dayRange, download, fetchIn, readTable } from './common';

interface ImportDoc {
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

interface LineDoc {
  _id: string;
  communityId: string;
  importId: string;
  row: number;
  date: string;
  amountFen: number;
  reference: string;
  payer: string;
  memo: string;
  status: BankLineView['status'];
  paymentId?: string;
  matchedBy?: 'reference' | 'amount-date' | 'manual';
  candidates?: string[];
  note?: string;
  decidedBy?: string;
  decidedAt?: Date;
}

const BANK_CHANNELS = ['transfer', 'card'];
const DEFAULT_WINDOW_DAYS = 3;

function lineView(l: LineDoc, payments: Map<string, PaymentDoc>): BankLineView {
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

async function importView(
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
  const counts: BankImportView['counts'] = {
    matched: 0,
    unmatched: 0,
    ambiguous: 0,
    debit: 0,
    assigned: 0,
    ignored: 0,
  };
  for (const l of lines) counts[l.status]++;
  const matchedNow = new Set(lines.map((l) => l.paymentId).filter(Boolean));
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

function loadImport(ctx: ActionContext, communityId: string, importId: string) {
  return getInCommunity<ImportDoc>(
    ctx,
    'bank_imports',
    communityId,
    importId,
    'importId: 未找到该次银行流水导入',
  );
}

export async function importBank(
  input: {
    communityId: string;
    fileID: string;
    fileName?: string;
    mapping: BankMapping;
    windowDays?: number;
  },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const bytes = await download(input.fileID, input.communityId);
  const table = await readTable(bytes);
  let lines;
  try {
    lines = parseBankTable(table, input.mapping);
  } catch (e) {
    if (e instanceof BankFileError) throw new AppError('INVALID_INPUT', `fileID: ${e.message}`);
    throw e;
  }
  const importId = `bk_${input.communityId}_${sha256Hex(bytes).slice(0, 24)}`;
  const existing = await ctx.db.collection('bank_imports').where({ _id: importId }).limit(1).get();
  if (existing.data[0]) return importView(ctx, existing.data[0] as ImportDoc, true);

  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  const range = candidateRange(lines, windowDays);
  const _ = ctx.db.command;
  const candidates = await fetchAll<PaymentDoc>(
    ctx.db.collection('payments').where({
      communityId: input.communityId,
      channel: _.in(BANK_CHANNELS),
      paidAt: _.gte(dayRange(range.from).start).and(_.lt(dayRange(range.to).end)),
    }),
  );
  const usable = candidates.filter((p) => p.amountFen > 0 && !p.reverses);
  const takenLines = await fetchIn<LineDoc>(
    ctx,
    'bank_lines',
    'paymentId',
    usable.map((p) => p._id),
    { communityId: input.communityId },
  );
  const taken = new Set(
    takenLines
      .filter((l) => l.status === 'matched' || l.status === 'assigned')
      .map((l) => l.paymentId!),
  );
  const pool: BankCandidate[] = usable.map((p) => ({
    paymentId: p._id,
    channel: p.channel,
    amountFen: p.amountFen,
    ...(p.reference ? { reference: p.reference } : {}),
    paidDate: shanghaiDate(new Date(p.paidAt)),
  }));
  const result = matchBankLines(lines, pool, windowDays, taken);
  const dates = lines.map((l) => l.date).sort();
  const now = ctx.now();
  const docs: LineDoc[] = lines.map((l, i) => {
    const m: BankLineMatch = result.lines[i]!;
    return {
      _id: `${importId}:${l.row}`,
      communityId: input.communityId,
      importId,
      ...l,
      status: m.status,
      ...(m.paymentId ? { paymentId: m.paymentId } : {}),
      ...(m.matchedBy ? { matchedBy: m.matchedBy } : {}),
      ...(m.candidates ? { candidates: m.candidates } : {}),
    };
  });
  // Lines first, the import record last: an import that exists is complete. Leftovers of an
  // attempt that died halfway are cleared before writing again.
  await ctx.db.collection('bank_lines').where({ importId }).remove();
  for (let i = 0; i < docs.length; i += 500) {
    await ctx.db.collection('bank_lines').add({ data: docs.slice(i, i + 500) });
  }
  const imp: ImportDoc = {
    _id: importId,
    communityId: input.communityId,
    fileName: input.fileName ?? '银行流水',
    fileID: input.fileID,
    importedAt: now,
    importedBy: caller.openid,
    from: dates[0]!,
    to: dates[dates.length - 1]!,
    windowDays,
    mapping: input.mapping,
    lineCount: lines.length,
    creditFen: lines.filter((l) => l.amountFen > 0).reduce((s, l) => s + l.amountFen, 0),
    unmatchedPayments: result.unmatchedPayments,
  };
  try {
    await ctx.db.collection('bank_imports').add({ data: imp });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  await ctx.db
    .collection('recon_settings')
    .doc(input.communityId)
    .set({ data: { communityId: input.communityId, bankMapping: input.mapping } });
  const view = await importView(ctx, imp, false);
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'bank.import',
    targetType: 'import',
    targetId: importId,
    targetLabel: imp.fileName,
    summary: `导入银行流水 ${imp.fileName}（${imp.from} 至 ${imp.to}，${lines.length} 行）：匹配 ${view.counts.matched}，未匹配 ${view.counts.unmatched}，待确认 ${view.counts.ambiguous}`,
    after: { counts: view.counts },
  });
  return view;
}

export async function bankImports(input: { communityId: string }, ctx: ActionContext) {
  await requireRole(ctx, input.communityId, ['finance']);
  const res = await ctx.db
    .collection('bank_imports')
    .where({ communityId: input.communityId })
    .orderBy('importedAt', 'desc')
    .limit(50)
    .get();
  const imports = res.data as ImportDoc[];
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const counted = imports.length
    ? ((
        await ctx.db
          .collection('bank_lines')
          .aggregate()
          .match({ communityId: input.communityId, importId: _.in(imports.map((i) => i._id)) })
          .group({ _id: { importId: '$importId', status: '$status' }, n: $.sum(1) })
          .limit(1000)
          .end()
      ).list as { _id: { importId: string; status: BankLineView['status'] }; n: number }[])
    : [];
  let mapping: BankMapping = DEFAULT_BANK_MAPPING;
  try {
    const saved = (await ctx.db.collection('recon_settings').doc(input.communityId).get()).data as {
      bankMapping?: BankMapping;
    };
    if (saved.bankMapping) mapping = saved.bankMapping;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  return {
    imports: imports.map((imp) => {
      const counts: BankImportView['counts'] = {
        matched: 0,
        unmatched: 0,
        ambiguous: 0,
        debit: 0,
        assigned: 0,
        ignored: 0,
      };
      for (const c of counted) if (c._id.importId === imp._id) counts[c._id.status] = c.n;
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
    }),
    mapping,
  };
}

export async function bankImport(
  input: { communityId: string; importId: string },
  ctx: ActionContext,
): Promise<BankImportView> {
  await requireRole(ctx, input.communityId, ['finance']);
  return importView(ctx, await loadImport(ctx, input.communityId, input.importId), false);
}

function openLine(ctx: ActionContext, communityId: string, lineId: string): Promise<LineDoc> {
  return getInCommunity<LineDoc>(
    ctx,
    'bank_lines',
    communityId,
    lineId,
    'lineId: 未找到该条银行流水',
  );
}

export async function assignBankLine(
  input: {
    communityId: string;
    lineId: string;
    roomId: string;
    billIds?: string[];
    reason: string;
  },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  const paymentId = `bank_${sha256Hex(line._id).slice(0, 28)}`;
  // A retry after the payment was written but before the line was marked finishes the job.
  const retry = line.status === 'assigned' && line.paymentId === paymentId;
  if (!retry && line.status !== 'unmatched' && line.status !== 'ambiguous') {
    throw new AppError('CONFLICT', '该条流水已匹配或已处理，请刷新后查看');
  }
  let room: RoomDoc & { communityId: string };
  try {
    room = (await ctx.db.collection('rooms').doc(input.roomId).get()).data as RoomDoc & {
      communityId: string;
    };
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'roomId: 房屋不存在');
    throw e;
  }
  if (room.communityId !== input.communityId) throw new AppError('NOT_FOUND', 'roomId: 房屋不存在');
  const _ = ctx.db.command;
  const open = (
    await fetchAll<BillDoc>(
      ctx.db
        .collection('bills')
        .where({ roomId: input.roomId, status: _.in(['unpaid', 'partial']) }),
    )
  ).filter((b) => outstandingFen(b) > 0);
  let target = open;
  if (input.billIds) {
    const wanted = new Set(input.billIds);
    target = open.filter((b) => wanted.has(b._id));
    if (target.length !== wanted.size)
      throw new AppError('INVALID_INPUT', 'billIds: 所选账单不属于该房屋或已缴清，请刷新后重试');
  }
  const billIds = sortOldestFirst(target.map((b) => ({ ...b, id: b._id }))).map((b) => b._id);
  const { payment } = await applyPayment(ctx.db, {
    paymentId,
    communityId: input.communityId,
    channel: 'transfer',
    amountFen: line.amountFen,
    billIds,
    prepaidRoomId: input.roomId,
    recordedBy: caller.openid,
    // The money arrived on the bank's value date.
    paidAt: new Date(`${line.date}T12:00:00+08:00`),
    ...(line.payer ? { payerName: line.payer.slice(0, 20) } : {}),
    ...(line.reference ? { reference: line.reference } : {}),
    note: `银行流水认领：${input.reason}`,
    correctionReason: input.reason,
    respectLocks: true,
  }).catch((e: unknown) => {
    if (isDuplicate(e))
      throw new AppError('CONFLICT', '该流水号已登记过一笔收款，请核对是否重复，或选择“忽略”');
    throw e;
  });
  const now = ctx.now();
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'assigned',
        paymentId: payment._id,
        matchedBy: 'manual',
        note: input.reason,
        decidedBy: caller.openid,
        decidedAt: now,
      },
    });
  if (!retry) {
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'bank.assign',
      targetType: 'bankLine',
      targetId: line._id,
      targetLabel: `${line.date} ${line.reference || line.payer}`,
      summary: `银行流水（${line.date}，${line.amountFen} 分）认领到 ${roomLabel(room)}，收据 ${payment.receiptNo}。原因：${input.reason}`,
      after: { paymentId: payment._id, roomId: input.roomId, billIds },
    });
  }
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}

export async function ignoreBankLine(
  input: { communityId: string; lineId: string; reason: string },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'unmatched' && line.status !== 'ambiguous')
    throw new AppError('CONFLICT', '该条流水已匹配或已处理，请刷新后查看');
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'ignored',
        note: input.reason,
        decidedBy: caller.openid,
        decidedAt: ctx.now(),
      },
    });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'bank.ignore',
    targetType: 'bankLine',
    targetId: line._id,
    targetLabel: `${line.date} ${line.reference || line.payer}`,
    summary: `银行流水（${line.date}，${line.amountFen} 分）标记为非物业费收入。原因：${input.reason}`,
  });
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}

export async function matchBankLine(
  input: { communityId: string; lineId: string; paymentId: string },
  ctx: ActionContext,
): Promise<BankImportView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const line = await openLine(ctx, input.communityId, input.lineId);
  if (line.status !== 'ambiguous' || !line.candidates?.includes(input.paymentId))
    throw new AppError('INVALID_INPUT', 'paymentId: 只能在该流水的候选收款中选择');
  const used = await ctx.db
    .collection('bank_lines')
    .where({ communityId: input.communityId, paymentId: input.paymentId })
    .count();
  if (used.total > 0) throw new AppError('CONFLICT', '该笔收款已与另一条流水匹配，请选择其他收款');
  await ctx.db
    .collection('bank_lines')
    .doc(line._id)
    .update({
      data: {
        status: 'matched',
        paymentId: input.paymentId,
        matchedBy: 'manual',
        decidedBy: caller.openid,
        decidedAt: ctx.now(),
      },
    });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'bank.match',
    targetType: 'bankLine',
    targetId: line._id,
    targetLabel: `${line.date} ${line.reference || line.payer}`,
    summary: `银行流水（${line.date}，${line.amountFen} 分）人工匹配到收款 ${input.paymentId}`,
  });
  return importView(ctx, await loadImport(ctx, input.communityId, line.importId), false);
}
