/**
 * Bank statements: import a file (CSV/XLSX with the community's column mapping), matched at once
 * against the transfer and POS payments the cashier recorded; the imports and one import's lines.
 */
import {
  BankFileError,
  DEFAULT_BANK_MAPPING,
  candidateRange,
  matchBankLines,
  parseBankTable,
  type BankCandidate,
  type BankLineMatch,
  type BankMapping,
} from '../../../../miniprogram/domain/reconcile/bank';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { BankLineView } from '../../../../miniprogram/domain/reconcile/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { fetchAll, isDuplicate, isMissing } from '../../../_shared/db';
import { sha256Hex } from '../../../_shared/ids';
import { type PaymentDoc } from '../../../_shared/ledger';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { dayRange, download, readTable } from '../repo/common';
import {
  BANK_CHANNELS,
  DEFAULT_WINDOW_DAYS,
  type ImportDoc,
  type LineDoc,
  importView,
  loadImport,
  importSummary,
  noCounts,
} from '../repo/bank';
import { fetchIn } from '../../../_shared/paging';
import type { Handlers } from '../../../_shared/router';
import type { reconcileContracts } from '../../../../miniprogram/domain/reconcile/contract';

export const importBank: Handlers<typeof reconcileContracts>['importBank'] = async (input, ctx) => {
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
    ...auditTarget('import', input.communityId, importId, imp.fileName),
    action: 'bank.import',
    summary: `导入银行流水 ${imp.fileName}（${imp.from} 至 ${imp.to}，${lines.length} 行）：匹配 ${view.counts.matched}，未匹配 ${view.counts.unmatched}，待确认 ${view.counts.ambiguous}`,
    after: { counts: view.counts },
  });
  return view;
};

export const bankImports: Handlers<typeof reconcileContracts>['bankImports'] = async (
  input,
  ctx,
) => {
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
      const counts = noCounts();
      for (const c of counted) if (c._id.importId === imp._id) counts[c._id.status] = c.n;
      return importSummary(imp, counts);
    }),
    mapping,
  };
};

export const bankImport: Handlers<typeof reconcileContracts>['bankImport'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['finance']);
  return importView(ctx, await loadImport(ctx, input.communityId, input.importId), false);
};
