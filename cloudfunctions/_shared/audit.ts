/**
 * The append-only audit log: who (openid, roles), what action, which record, a short summary and
 * masked before/after values. Functions only ever `add` to it; the security rules close it to
 * clients; staff read it through `staff.auditLog` (admin).
 */
import type { ActionContext } from './router';

export interface AuditActor {
  openid: string;
  /** Staff roles in the community, or ['owner'] / ['anonymous'] for owner-side actions. */
  roles: readonly string[];
  name?: string;
}

export interface AuditRecord {
  communityId: string;
  /** Dotted verb, e.g. `room.update`, `roster.export`, `binding.approve`, `contact.reveal`. */
  action: string;
  targetType:
    | 'community'
    | 'building'
    | 'room'
    | 'owner'
    | 'relation'
    | 'staff'
    | 'binding'
    | 'import'
    | 'export'
    | 'invite'
    | 'payment'
    | 'refund'
    | 'invoice'
    // WeChat Pay orders closed at the desk and payment exceptions (docs/payments.md)
    | 'payOrder'
    | 'payException'
    // the cashier's shift close (交班日结)
    | 'cashierShift'
    // fee function (docs/billing.md)
    | 'feeStandard'
    | 'billingRun'
    | 'meterReading'
    | 'vacancy'
    | 'openingBalance'
    // parking spaces and storerooms (docs/spaces.md)
    | 'space'
    // reconcile and report functions (docs/reconciliation.md, docs/reports.md)
    | 'reconDay'
    | 'bankLine'
    | 'report'
    // complaint function (docs/complaints.md)
    | 'complaint'
    | 'serviceCall'
    // fee adjustments and 收支公示 (docs/disclosure.md)
    | 'feeAdjustment'
    | 'disclosure'
    | 'disclosureEntry'
    // notice and overdue functions (docs/overdue.md)
    | 'notice'
    | 'collectionCase'
    | 'installmentPlan'
    | 'bill'
    // charge function: one-off charges and deposits (docs/charges.md)
    | 'charge'
    | 'deposit';
  targetId: string;
  targetLabel?: string;
  summary: string;
  /** Masked values only: never a full mobile or ID number. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** The record an entry is about: its community, its kind, its id and the label people know it by. */
export type AuditTarget = Pick<
  AuditRecord,
  'communityId' | 'targetType' | 'targetId' | 'targetLabel'
>;

/** The fields of an entry that say which record it is about, in the order they are stored. */
export function auditTarget(
  targetType: AuditRecord['targetType'],
  communityId: string,
  targetId: string,
  targetLabel: string,
): AuditTarget {
  return { communityId, targetType, targetId, targetLabel };
}

/** The actor of an owner's own action (filing a complaint, binding a room). */
export function ownerActor(openid: string): AuditActor {
  return { openid, roles: ['owner'] };
}

export interface AuditDoc extends AuditRecord {
  _id?: string;
  at: Date;
  actor: string;
  actorRoles: string[];
  actorName: string;
}

export function auditDoc(ctx: ActionContext, actor: AuditActor, record: AuditRecord): AuditDoc {
  return {
    ...record,
    targetLabel: record.targetLabel ?? '',
    before: record.before ?? null,
    after: record.after ?? null,
    at: ctx.now(),
    actor: actor.openid,
    actorRoles: [...actor.roles],
    actorName: actor.name ?? '',
  };
}

/** Appends entries (one round trip for any number). */
export async function audit(
  ctx: ActionContext,
  actor: AuditActor,
  ...records: AuditRecord[]
): Promise<void> {
  if (records.length === 0) return;
  const docs = records.map((r) => auditDoc(ctx, actor, r));
  await ctx.db.collection('audit_log').add({ data: docs });
}
