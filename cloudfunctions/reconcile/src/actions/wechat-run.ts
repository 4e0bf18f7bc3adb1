/**
 * WeChat Pay daily reconciliation: fetch (or read) the day's statement and match it with the
 * ledger; and the run as it stands.
 */
import {
  StatementError,
  parseWechatStatement,
  reconcileWechat,
  type ParsedStatement,
} from '../../../../miniprogram/domain/reconcile/statement';
import { audit } from '../../../_shared/audit';
import { reconDayId } from '../../../_shared/ledger';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { decodeText } from '../../../_shared/table-file';
import { community, download } from '../repo/common';
import {
  type RunDoc,
  checkDate,
  dayStatus,
  fetchStatement,
  loadRun,
  runId,
  runView,
  saveRun,
  systemSide,
} from '../repo/wechat';
import type { Handlers } from '../../../_shared/router';
import type { reconcileContracts } from '../../../../miniprogram/domain/reconcile/contract';

export const runWechat: Handlers<typeof reconcileContracts>['runWechat'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  checkDate(ctx, input.date);
  if ((await dayStatus(ctx, input.communityId, input.date)) === 'closed') {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${input.date} 已关账，不能重新对账；如需更正请记录新的收款或冲红`,
    );
  }
  const comm = await community(ctx, input.communityId);
  const subMchId = comm.payment?.subMchId ?? '';
  let statement: ParsedStatement;
  if (input.fileID) {
    const text = decodeText(await download(input.fileID, input.communityId));
    try {
      statement = parseWechatStatement(text);
    } catch (e) {
      if (e instanceof StatementError) throw new AppError('INVALID_INPUT', `fileID: ${e.message}`);
      throw e;
    }
    const days = new Set(statement.rows.map((r) => r.time.slice(0, 10)));
    if (days.size && (days.size > 1 || !days.has(input.date))) {
      throw new AppError(
        'INVALID_INPUT',
        `fileID: 对账单中的交易日期（${[...days].join('、')}）与所选日期 ${input.date} 不一致`,
      );
    }
  } else {
    if (!subMchId)
      throw new AppError(
        'PRECONDITION_FAILED',
        '本小区尚未设置微信支付特约商户号，请上传对账单文件',
      );
    statement = await fetchStatement(ctx, subMchId, input.date);
  }
  const system = await systemSide(ctx, input.communityId, input.date, statement);
  const result = reconcileWechat({ date: input.date, subMchId, statement, ...system });
  // Resolutions made earlier stay: on the same discrepancy, and as history when it is gone.
  const previous = await loadRun(ctx, input.communityId, input.date);
  const resolved = new Map(
    (previous?.items ?? []).filter((i) => i.resolution).map((i) => [i.key, i]),
  );
  const items: RunDoc['items'] = result.items.map((i) => {
    const before = resolved.get(i.key);
    return before?.resolution ? { ...i, resolution: before.resolution } : i;
  });
  const keys = new Set(items.map((i) => i.key));
  for (const [key, item] of resolved) if (!keys.has(key)) items.push(item);
  const run: RunDoc = {
    _id: runId(input.communityId, input.date),
    communityId: input.communityId,
    date: input.date,
    source: input.fileID ? 'upload' : 'download',
    empty: statement.rows.length === 0,
    statement: result.statement,
    system: result.system,
    matchedCount: result.matchedCount,
    matchedFen: result.matchedFen,
    refundMatchedCount: result.refundMatchedCount,
    refundMatchedFen: result.refundMatchedFen,
    items,
    runAt: ctx.now(),
    runBy: caller.openid,
  };
  await saveRun(ctx, run);
  const view = runView(run, 'open');
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.wechat',
    targetType: 'reconDay',
    targetId: reconDayId(input.communityId, input.date),
    targetLabel: input.date,
    summary: `微信支付对账 ${input.date}：匹配 ${run.matchedCount} 笔，差异 ${items.length} 项（待处理 ${view.openItems}）`,
    after: { matched: run.matchedCount, items: items.length, source: run.source },
  });
  return view;
};

export const wechatRun: Handlers<typeof reconcileContracts>['wechatRun'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['finance']);
  const run = await loadRun(ctx, input.communityId, input.date);
  return run ? runView(run, await dayStatus(ctx, input.communityId, input.date)) : null;
};
