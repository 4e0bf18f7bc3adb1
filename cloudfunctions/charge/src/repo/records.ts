/**
 * The charge function's records and how staff and owners see them: charges (with their bill's
 * status), deposits (with their receipts) and the deposit totals of a community.
 */
import { CHANNEL_LABELS } from '../../../../miniprogram/domain/payment/channels';
import {
  CHARGE_STATUS_LABELS,
  DEFAULT_CHARGE_APPROVAL_FEN,
  DEPOSIT_KIND_LABELS,
  DEPOSIT_STATUS_LABELS,
  type ChargeReason,
  type ChargeStatus,
} from '../../../../miniprogram/domain/charge/rules';
import type {
  ChargeView,
  DepositReceiptLine,
  DepositTotals,
  DepositView,
} from '../../../../miniprogram/domain/charge/contract';
import type { DepositDoc, DepositEntryDoc } from '../../../_shared/ledger';
import { fetchIn, type WithDb } from '../../../_shared/paging';
import { getCommunity, getDoc, iso } from '../../../_shared/records';
import type { ActionContext } from '../../../_shared/router';

export interface ChargeDoc {
  _id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  building: string;
  reason: ChargeReason;
  title: string;
  note: string;
  amountFen: number;
  dueDate: string;
  status: ChargeStatus;
  thresholdFen: number;
  raisedBy: string;
  raisedByName: string;
  raisedAt: Date;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: Date;
  decisionNote?: string;
  billId?: string;
}

/** The community's approval threshold for one-off charges (settings; default ¥500). */
export async function chargeThreshold(ctx: ActionContext, communityId: string): Promise<number> {
  const c = (await getCommunity(ctx, communityId)) as { chargeApprovalFen?: number };
  return c.chargeApprovalFen ?? DEFAULT_CHARGE_APPROVAL_FEN;
}

export function chargeView(c: ChargeDoc, billStatus: string | null): ChargeView {
  return {
    chargeId: c._id,
    roomId: c.roomId,
    roomLabel: c.roomLabel,
    reason: c.reason,
    title: c.title,
    note: c.note,
    amountFen: c.amountFen,
    dueDate: c.dueDate,
    status: c.status,
    statusLabel: CHARGE_STATUS_LABELS[c.status],
    raisedByName: c.raisedByName,
    raisedAt: iso(c.raisedAt)!,
    decidedByName: c.decidedByName ?? null,
    decisionNote: c.decisionNote ?? null,
    billId: c.billId ?? null,
    billStatus,
  };
}

/** Views of charges with their bills' statuses (one read for the bills). */
export async function chargeViews(ctx: WithDb, charges: ChargeDoc[]): Promise<ChargeView[]> {
  const billIds = charges.flatMap((c) => (c.billId ? [c.billId] : []));
  const bills = await fetchIn<{ _id: string; status: string }>(
    ctx,
    'bills',
    '_id',
    billIds,
    {},
    {
      _id: true,
      status: true,
    },
  );
  const status = new Map(bills.map((b) => [b._id, b.status]));
  return charges.map((c) => chargeView(c, c.billId ? (status.get(c.billId) ?? null) : null));
}

export async function chargeDoc(ctx: WithDb, chargeId: string): Promise<ChargeDoc> {
  return getDoc<ChargeDoc>(ctx, 'charges', chargeId, 'chargeId: 未找到该临时收费');
}

export async function depositDoc(ctx: WithDb, depositId: string): Promise<DepositDoc> {
  return getDoc<DepositDoc>(ctx, 'deposits', depositId, 'depositId: 未找到该押金');
}

function receiptLine(e: DepositEntryDoc | undefined): DepositReceiptLine | null {
  if (!e) return null;
  return {
    receiptNo: e.receiptNo,
    amountFen: e.amountFen,
    channel: e.channel,
    channelLabel: CHANNEL_LABELS[e.channel],
    at: iso(e.at)!,
  };
}

export function depositView(
  d: DepositDoc,
  entries: readonly DepositEntryDoc[],
  now: Date = new Date(),
): DepositView {
  const of = (kind: DepositEntryDoc['kind']) =>
    receiptLine(entries.find((e) => e.depositId === d._id && e.kind === kind));
  const r = d.refund;
  return {
    depositId: d._id,
    roomId: d.roomId,
    roomLabel: d.roomLabel,
    kind: d.kind,
    kindLabel: DEPOSIT_KIND_LABELS[d.kind],
    note: d.note,
    amountFen: d.amountFen,
    heldFen: d.heldFen,
    status: d.status,
    statusLabel: DEPOSIT_STATUS_LABELS[d.status],
    requestedAt: iso(d.requestedAt)!,
    payingUntil:
      d.status === 'requested' && d.payHold && new Date(d.payHold.expireAt) > now
        ? iso(d.payHold.expireAt)
        : null,
    collected: of('collect'),
    released: of('release'),
    refund: r
      ? {
          deductions: r.deductions,
          deductedFen: r.deductedFen,
          refundFen: r.refundFen,
          channel: r.channel,
          channelLabel: CHANNEL_LABELS[r.channel],
          requestedAt: iso(r.requestedAt)!,
          acknowledgedAt: iso(r.acknowledgedAt),
          failure: r.failure || null,
        }
      : null,
  };
}

/** Views of deposits with their receipts (one read for the entries). */
export async function depositViews(ctx: WithDb, deposits: DepositDoc[]): Promise<DepositView[]> {
  const entries = await entriesOf(ctx, deposits);
  return deposits.map((d) => depositView(d, entries));
}

async function entriesOf(ctx: WithDb, deposits: DepositDoc[]): Promise<DepositEntryDoc[]> {
  return fetchIn<DepositEntryDoc>(
    ctx,
    'deposit_entries',
    'depositId',
    deposits.map((d) => d._id),
  );
}

export async function oneDepositView(ctx: WithDb, depositId: string): Promise<DepositView> {
  return (await depositViews(ctx, [await depositDoc(ctx, depositId)]))[0]!;
}

/**
 * A community's deposit totals (held / collected / released), summed by the database over its
 * deposits and their ledger entries: two requests however many there are.
 */
export async function communityDepositTotals(
  ctx: WithDb,
  communityId: string,
): Promise<DepositTotals> {
  const $ = ctx.db.command.aggregate;
  const [byKind, held] = await Promise.all([
    ctx.db
      .collection('deposit_entries')
      .aggregate()
      .match({ communityId })
      .group({
        _id: '$kind',
        amountFen: $.sum('$amountFen'),
        refundFen: $.sum('$refundFen'),
        deductedFen: $.sum('$deductedFen'),
      })
      .end(),
    ctx.db
      .collection('deposits')
      .aggregate()
      .match({ communityId })
      .group({ _id: null, heldFen: $.sum('$heldFen') })
      .end(),
  ]);
  type Sums = { _id: string; amountFen: number; refundFen: number; deductedFen: number };
  const kinds = byKind.list as Sums[];
  const of = (kind: string) => kinds.find((k) => k._id === kind);
  const sum = (f: (k: Sums) => number) => kinds.reduce((s, k) => s + f(k), 0);
  return {
    collectedFen: of('collect')?.amountFen ?? 0,
    // Release entries carry the money leaving as a negative amount.
    releasedFen: 0 - (of('release')?.amountFen ?? 0),
    refundedFen: sum((k) => k.refundFen ?? 0),
    deductedFen: sum((k) => k.deductedFen ?? 0),
    heldFen: (held.list[0] as { heldFen?: number } | undefined)?.heldFen ?? 0,
  };
}
