/** Stored shapes of 收支公示 and the reads every action shares. */
import {
  CHANNEL_LABELS,
  type PaymentChannel,
} from '../../../../miniprogram/domain/payment/channels';
import {
  EXPENSE_CATEGORY_LABELS,
  INCOME_KIND_LABELS,
  periodInstants,
  periodRange,
  type DisclosureSnapshot,
  type ExpenseCategory,
  type FeeIncome,
  type IncomeKind,
} from '../../../../miniprogram/domain/disclosure/rules';
import type {
  DisclosureEntryView,
  DisclosureStatus,
  DisclosureSummary,
  DisclosureView,
  EntryType,
} from '../../../../miniprogram/domain/disclosure/contract';
import { fetchAll } from '../../../_shared/db';
import { signoffsOf, type SignoffDoc } from '../../../_shared/signoffs';
import { linksIn, viewsWithLinks } from '../../../_shared/storage';
import { AppError, type ActionContext } from '../../../_shared/router';
import { auditTarget, type AuditTarget } from '../../../_shared/audit';

/** An entry as stored: what staff see of it, with its category as entered and who made it. */
export interface EntryDoc extends Omit<
  DisclosureEntryView,
  'entryId' | 'category' | 'categoryLabel' | 'vouchers' | 'createdAt'
> {
  _id: string;
  category: string;
  /** The voucher pictures' file IDs (the view shows links). */
  vouchers: string[];
  requestId: string;
  createdBy: string;
  createdAt: Date;
  voidedBy?: string;
  voidedAt?: Date;
}

export interface DisclosureDoc {
  _id: string;
  communityId: string;
  period: string;
  version: number;
  /** Stays 'published' once published (the security rule keys on it); see supersededBy. */
  status: DisclosureStatus;
  supersededBy: string | null;
  supersedes: string | null;
  snapshot: DisclosureSnapshot;
  fingerprint: string;
  /**
   * Who prepared, reviewed and published it lives in staff_signoffs (`disclosures:<_id>`), never
   * here: any client may read a published disclosure.
   */
  publishedAt: Date | null;
  discardReason?: string;
}

export function disclosureId(communityId: string, period: string, version: number): string {
  return `dc_${communityId}_${period}_v${version}`;
}

export function iso(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}

/** Entries as staff see them, each voucher a temporary link (another member's upload). */
export function entryViews(docs: EntryDoc[]): Promise<DisclosureEntryView[]> {
  return viewsWithLinks(docs, (d) => d.vouchers, entryView);
}

export async function oneEntryView(d: EntryDoc): Promise<DisclosureEntryView> {
  return (await entryViews([d]))[0]!;
}

function entryView(d: EntryDoc, links: Map<string, string>): DisclosureEntryView {
  return {
    entryId: d._id,
    communityId: d.communityId,
    type: d.type,
    category: d.category as ExpenseCategory | IncomeKind,
    categoryLabel:
      d.type === 'expense'
        ? (EXPENSE_CATEGORY_LABELS[d.category as ExpenseCategory] ?? d.category)
        : (INCOME_KIND_LABELS[d.category as IncomeKind] ?? d.category),
    date: d.date,
    amountFen: d.amountFen,
    description: d.description,
    use: d.use,
    vouchers: linksIn(d.vouchers, links),
    status: d.status,
    voidReason: d.voidReason,
    createdByName: d.createdByName,
    createdAt: iso(d.createdAt) ?? '',
  };
}

export function summaryOf(d: DisclosureDoc): DisclosureSummary {
  return {
    disclosureId: d._id,
    communityId: d.communityId,
    period: d.period,
    periodLabel: d.snapshot.periodLabel,
    version: d.version,
    status: d.status,
    superseded: d.supersededBy !== null,
    supersededBy: d.supersededBy,
    totals: d.snapshot.figures.totals,
    publishedAt: iso(d.publishedAt),
    correctionReason: d.snapshot.correctionReason,
  };
}

/** A disclosure in the audit log: known by its period ("2026年第二季度收支公示"). */
export function disclosureTarget(d: DisclosureDoc): AuditTarget {
  return auditTarget('disclosure', d.communityId, d._id, `${d.snapshot.periodLabel}收支公示`);
}

/** The full view as owners read it: no staff names and no staleness. */
export function ownerViewOf(d: DisclosureDoc): DisclosureView {
  return {
    ...summaryOf(d),
    snapshot: d.snapshot,
    preparedByName: '',
    preparedAt: null,
    reviewedByName: '',
    reviewedAt: null,
    reviewComment: '',
    publishedByName: '',
    stale: false,
  };
}

/** The full view as staff read it, with who prepared, reviewed and published it. */
export function staffViewOf(
  d: DisclosureDoc,
  signed: Omit<SignoffDoc, '_id'> | null,
  stale = false,
): DisclosureView {
  return {
    ...ownerViewOf(d),
    preparedByName: signed?.prepared?.byName ?? '',
    preparedAt: iso(signed?.prepared?.at),
    reviewedByName: signed?.reviewed?.byName ?? '',
    reviewedAt: iso(signed?.reviewed?.at),
    reviewComment: signed?.reviewed?.comment ?? '',
    publishedByName: signed?.published?.byName ?? '',
    stale,
  };
}

/** A disclosure's sign-offs (staff only), or null when none were recorded. */
export async function signoffOfDisclosure(
  ctx: ActionContext,
  id: string,
): Promise<SignoffDoc | null> {
  return (await signoffsOf(ctx.db, 'disclosures', [id])).get(id) ?? null;
}

/** Active entries of a community whose date falls in the period. */
export async function entriesOf(
  ctx: ActionContext,
  communityId: string,
  period: string | undefined,
  opts: { type?: EntryType; includeVoid?: boolean } = {},
): Promise<EntryDoc[]> {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId };
  if (opts.type) where.type = opts.type;
  if (!opts.includeVoid) where.status = 'active';
  if (period) {
    const { from, to } = periodRange(period);
    where.date = _.gte(from).and(_.lte(to));
  }
  const docs = await fetchAll<EntryDoc>(
    ctx.db.collection('disclosure_entries').where(where).orderBy('date', 'desc'),
  );
  return docs.sort((a, b) => b.date.localeCompare(a.date) || a._id.localeCompare(b._id));
}

/**
 * Fee income of the period from the ledger (`payments`, never typed in): money received by
 * channel, and refunds (negative reversal entries, 冲红), by when they were paid/refunded in
 * Asia/Shanghai. Two aggregations, however many payments.
 */
export async function feeIncome(
  ctx: ActionContext,
  communityId: string,
  period: string,
): Promise<FeeIncome> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const { start, end } = periodInstants(period);
  const inPeriod = { communityId, paidAt: _.gte(start).and(_.lt(end)) };
  const received = (
    await ctx.db
      .collection('payments')
      .aggregate()
      .match({ ...inPeriod, amountFen: _.gt(0) })
      .group({ _id: '$channel', amountFen: $.sum('$amountFen'), n: $.sum(1) })
      .limit(100)
      .end()
  ).list as { _id: PaymentChannel; amountFen: number; n: number }[];
  const refunded = (
    await ctx.db
      .collection('payments')
      .aggregate()
      .match({ ...inPeriod, amountFen: _.lt(0) })
      .group({ _id: null, amountFen: $.sum('$amountFen'), n: $.sum(1) })
      .end()
  ).list as { amountFen: number; n: number }[];
  const byChannel = received
    .map((r) => ({
      channel: r._id,
      label: CHANNEL_LABELS[r._id] ?? String(r._id),
      amountFen: r.amountFen,
    }))
    .sort((a, b) => b.amountFen - a.amountFen || a.channel.localeCompare(b.channel));
  return {
    receivedFen: received.reduce((s, r) => s + r.amountFen, 0),
    refundedFen: -(refunded[0]?.amountFen ?? 0),
    payments: received.reduce((s, r) => s + r.n, 0),
    refunds: refunded[0]?.n ?? 0,
    byChannel,
  };
}

export async function findDisclosure(
  ctx: ActionContext,
  id: string,
): Promise<DisclosureDoc | null> {
  const res = await ctx.db.collection('disclosures').where({ _id: id }).limit(1).get();
  return (res.data[0] as DisclosureDoc | undefined) ?? null;
}

/** A disclosure of this community, or NOT_FOUND. */
export async function getDisclosure(
  ctx: ActionContext,
  communityId: string,
  id: string,
): Promise<DisclosureDoc> {
  const d = await findDisclosure(ctx, id);
  if (!d || d.communityId !== communityId) {
    throw new AppError('NOT_FOUND', 'disclosureId: 未找到该公示');
  }
  return d;
}

/** Every version of every period of a community, newest period and version first. */
export async function disclosuresOf(
  ctx: ActionContext,
  communityId: string,
  status?: DisclosureStatus,
): Promise<DisclosureDoc[]> {
  const docs = await fetchAll<DisclosureDoc>(
    ctx.db.collection('disclosures').where(status ? { communityId, status } : { communityId }),
  );
  const end = (p: string) => periodRange(p).to;
  return docs.sort(
    (a, b) =>
      end(b.period).localeCompare(end(a.period)) ||
      b.period.localeCompare(a.period) ||
      b.version - a.version,
  );
}
