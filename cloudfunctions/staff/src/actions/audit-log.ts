/**
 * The append-only audit log, searched by admins.
 */
import { type AuditDoc } from '../../../_shared/audit';
import { escapeRegExp } from '../../../_shared/db';
import { listPage } from '../../../_shared/paging';
import { requireRole } from '../../../_shared/roles';
import type { AuditEntryView } from '../../../../miniprogram/domain/staff/contract';
import { type staffContracts } from '../../../../miniprogram/domain/staff/contract';
import type { Handlers } from '../../../_shared/router';

export const auditLog: Handlers<typeof staffContracts>['auditLog'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['admin']);
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.operation) {
    // "binding" matches binding.approve, binding.reject…; "binding.approve" matches itself. The
    // contract allows only [A-Za-z0-9_-] and one dot, at most 64 characters; it is escaped anyway,
    // as every user text in a query is.
    where.action = input.operation.includes('.')
      ? input.operation
      : ctx.db.RegExp({ regexp: `^${escapeRegExp(input.operation)}\\.` });
  }
  if (input.actor) where.actor = input.actor;
  if (input.targetId) where.targetId = input.targetId;
  // Dates are Beijing calendar days: from 00:00 of `from` to 24:00 of `to`, UTC+8.
  const from = input.from ? new Date(`${input.from}T00:00:00+08:00`) : null;
  const to = input.to ? new Date(Date.parse(`${input.to}T00:00:00+08:00`) + 86_400_000) : null;
  if (from && to) where.at = _.and(_.gte(from), _.lt(to));
  else if (from) where.at = _.gte(from);
  else if (to) where.at = _.lt(to);
  return listPage<AuditDoc & { _id: string }, AuditEntryView>(
    ctx,
    'audit_log',
    where,
    [['at', 'desc']],
    input,
    (docs) => docs.map(auditEntry),
  );
};

function auditEntry(d: AuditDoc & { _id: string }): AuditEntryView {
  return {
    auditId: d._id,
    at: new Date(d.at).toISOString(),
    actor: d.actor,
    actorRoles: d.actorRoles,
    action: d.action,
    targetType: d.targetType,
    targetId: d.targetId,
    targetLabel: d.targetLabel ?? '',
    summary: d.summary,
    before: d.before ?? null,
    after: d.after ?? null,
  };
}
