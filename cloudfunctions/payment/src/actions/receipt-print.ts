/**
 * Staff receipt search and batch printing (docs/printing.md): receipts of one community by
 * Beijing date range, room or receipt numbers; printing renders them into one PDF (one or two per
 * A4 page, red reversal receipts marked), uploads it to cloud storage and returns a temporary URL.
 */
import {
  CHANNEL_LABELS,
  type PaymentChannel,
} from '../../../../miniprogram/domain/payment/channels';
import { getDoc } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import {
  receiptBatchDoc,
  type PrintableReceipt,
} from '../../../../miniprogram/domain/payment/receipt-print';
import { addDays, formatMonths } from '../../../../miniprogram/domain/kernel/time';
import { withCover } from '../../../_shared/bills';
import { payerFor, receiptParties } from '../../../_shared/receipt-parties';
import {
  MAX_PRINT_RECEIPTS,
  type ReceiptListItem,
} from '../../../../miniprogram/domain/payment/receipts.contract';
import { audit } from '../../../_shared/audit';
import { fetchAll } from '../../../_shared/db';
import { type PaymentDoc } from '../../../_shared/ledger';
import { printToCloud } from '../../../_shared/print-file';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import type { paymentContracts } from '../../../../miniprogram/domain/payment/contract';

export const PRINT_ROLES = ['finance', 'cashier'] as const;

export interface Filter {
  communityId: string;
  from?: string;
  to?: string;
  roomId?: string;
  receiptNos?: string[];
}

/** Start of a Beijing calendar day as an instant. */
export function beijingStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

export function query(ctx: ActionContext, f: Filter) {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: f.communityId };
  if (f.from && f.to) {
    where.paidAt = _.gte(beijingStart(f.from)).and(_.lt(beijingStart(addDays(f.to, 1))));
  }
  if (f.roomId) where.roomIds = f.roomId;
  if (f.receiptNos) where.receiptNo = _.in([...new Set(f.receiptNos)]);
  return ctx.db.collection('payments').where(where);
}

export async function communityInfo(
  ctx: ActionContext,
  communityId: string,
): Promise<{ name: string; servicePhone?: string }> {
  return getDoc(ctx, 'communities', communityId, 'communityId: 小区不存在');
}

/** Red receipts that reverse any of `payments`, by the original's id. */
export async function reversalsOf(
  ctx: ActionContext,
  payments: PaymentDoc[],
): Promise<Map<string, PaymentDoc[]>> {
  const ids = payments.filter((p) => !p.reverses).map((p) => p._id);
  const out = new Map<string, PaymentDoc[]>();
  const _ = ctx.db.command;
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const red = await fetchAll<PaymentDoc>(
      ctx.db.collection('payments').where({ reverses: _.in(chunk) }),
    );
    for (const r of red) out.set(r.reverses!, [...(out.get(r.reverses!) ?? []), r]);
  }
  return out;
}

/** Receipt numbers of the originals that red receipts reverse, by payment id. */
export async function originalsOf(
  ctx: ActionContext,
  payments: PaymentDoc[],
  known: PaymentDoc[],
): Promise<Map<string, string>> {
  const out = new Map(known.map((p) => [p._id, p.receiptNo]));
  const missing = [
    ...new Set(payments.flatMap((p) => (p.reverses && !out.has(p.reverses) ? [p.reverses] : []))),
  ];
  const _ = ctx.db.command;
  for (let i = 0; i < missing.length; i += 100) {
    const found = await fetchAll<PaymentDoc>(
      ctx.db.collection('payments').where({ _id: _.in(missing.slice(i, i + 100)) }),
    );
    for (const p of found) out.set(p._id, p.receiptNo);
  }
  return out;
}

export function labelsOf(p: PaymentDoc, rooms: Map<string, string>): string[] {
  const labels = new Set(p.allocations.map((a) => a.roomLabel));
  if (p.prepaidRoomId && rooms.has(p.prepaidRoomId)) labels.add(rooms.get(p.prepaidRoomId)!);
  if (labels.size === 0) for (const r of p.roomIds) if (rooms.has(r)) labels.add(rooms.get(r)!);
  return [...labels];
}

export async function roomLabels(
  ctx: ActionContext,
  payments: PaymentDoc[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      payments.flatMap((p) => [...p.roomIds, ...(p.prepaidRoomId ? [p.prepaidRoomId] : [])]),
    ),
  ];
  const _ = ctx.db.command;
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 100) {
    const rooms = await fetchAll<RoomDoc>(
      ctx.db.collection('rooms').where({ _id: _.in(ids.slice(i, i + 100)) }),
    );
    for (const r of rooms) out.set(r._id, roomLabel(r));
  }
  return out;
}

export function byTimeThenNo(a: PaymentDoc, b: PaymentDoc): number {
  const t = new Date(a.paidAt).getTime() - new Date(b.paidAt).getTime();
  return t !== 0 ? t : a.receiptNo.localeCompare(b.receiptNo);
}

export async function load(
  ctx: ActionContext,
  f: Filter,
): Promise<{ payments: PaymentDoc[]; total: number }> {
  const { total } = await query(ctx, f).count();
  if (total > MAX_PRINT_RECEIPTS) return { payments: [], total };
  const payments = await fetchAll<PaymentDoc>(query(ctx, f));
  return { payments: payments.sort(byTimeThenNo), total };
}

/**
 * Receipts as printed: every field of `receiptBlocks` from the payments, their rooms, the red
 * receipts around them and the people they name. `viewerOwnerIds` says whose registered names are
 * printed in full (null: everyone's, for the paper a cashier hands the payer).
 */
export async function printableReceipts(
  ctx: ActionContext,
  communityId: string,
  payments: PaymentDoc[],
  viewerOwnerIds: readonly string[] | null,
): Promise<PrintableReceipt[]> {
  const [reversals, originals, rooms, parties] = await Promise.all([
    reversalsOf(ctx, payments),
    originalsOf(ctx, payments, payments),
    roomLabels(ctx, payments),
    receiptParties(ctx, communityId, payments),
  ]);
  const covered = await withCover(
    ctx,
    payments.flatMap((p) => p.allocations),
  );
  const coverOf = new Map(covered.map((a) => [a.billId, a]));
  return payments.map((p) => {
    const who = parties.get(p._id)!;
    return {
      receiptNo: p.receiptNo,
      amountFen: p.amountFen,
      channelLabel: CHANNEL_LABELS[p.channel as PaymentChannel] ?? p.channel,
      payer: viewerOwnerIds === null ? who.payer : payerFor(who, viewerOwnerIds),
      roomLabels: labelsOf(p, rooms),
      paidAt: new Date(p.paidAt).toISOString(),
      allocations: p.allocations.map((a) => ({
        ...a,
        months: formatMonths(
          coverOf.get(a.billId)?.coverFrom ?? a.period,
          coverOf.get(a.billId)?.coverTo ?? a.period,
        ),
      })),
      prepaidFen: p.prepaidFen,
      ...(p.prepaidRoomId && rooms.has(p.prepaidRoomId)
        ? { prepaidRoomLabel: rooms.get(p.prepaidRoomId)! }
        : {}),
      ...(p.reference ? { reference: p.reference } : {}),
      cashier: who.cashier,
      ...(p.reverses ? { reverses: originals.get(p.reverses) ?? '' } : {}),
      reversedBy: (reversals.get(p._id) ?? []).map((r) => ({
        receiptNo: r.receiptNo,
        amountFen: r.amountFen,
      })),
    };
  });
}

export const searchReceipts: Handlers<typeof paymentContracts>['searchReceipts'] = async (
  f,
  ctx,
) => {
  await requireRole(ctx, f.communityId, PRINT_ROLES);
  const { total } = await query(ctx, f).count();
  // Newest first, as staff look for recent ones; the list stops at the print limit.
  const res = await query(ctx, f).orderBy('paidAt', 'desc').limit(MAX_PRINT_RECEIPTS).get();
  const payments = res.data as PaymentDoc[];
  const [reversals, originals, rooms, parties] = await Promise.all([
    reversalsOf(ctx, payments),
    originalsOf(ctx, payments, payments),
    roomLabels(ctx, payments),
    receiptParties(ctx, f.communityId, payments),
  ]);
  const receipts: ReceiptListItem[] = payments.map((p) => ({
    paymentId: p._id,
    receiptNo: p.receiptNo,
    kind: p.reverses ? 'reversal' : 'receipt',
    amountFen: p.amountFen,
    channel: p.channel,
    channelLabel: CHANNEL_LABELS[p.channel as PaymentChannel] ?? p.channel,
    paidAt: new Date(p.paidAt).toISOString(),
    roomLabels: labelsOf(p, rooms),
    payer: payerFor(parties.get(p._id)!, []),
    reversedBy: (reversals.get(p._id) ?? []).map((r) => r.receiptNo),
    ...(p.reverses ? { reverses: originals.get(p.reverses) ?? '' } : {}),
  }));
  return { receipts, total, limit: MAX_PRINT_RECEIPTS };
};

export const printReceipts: Handlers<typeof paymentContracts>['printReceipts'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, PRINT_ROLES);
  const community = await communityInfo(ctx, input.communityId);
  const { payments, total } = await load(ctx, input);
  if (total > MAX_PRINT_RECEIPTS) {
    throw new AppError(
      'INVALID_INPUT',
      `符合条件的收据有 ${total} 张，一次最多打印 ${MAX_PRINT_RECEIPTS} 张，请缩小日期范围或分批打印`,
    );
  }
  if (input.receiptNos) {
    const found = new Set(payments.map((p) => p.receiptNo));
    const absent = input.receiptNos.filter((n) => !found.has(n));
    if (absent.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `receiptNos: 未找到收据 ${absent.slice(0, 5).join('、')}`,
      );
    }
  }
  if (payments.length === 0) {
    throw new AppError('NOT_FOUND', '没有符合条件的收据，请调整日期范围或收据编号');
  }
  const printable = await printableReceipts(ctx, input.communityId, payments, null);
  const now = ctx.now();
  const doc = receiptBatchDoc(printable, {
    communityName: community.name,
    ...(community.servicePhone ? { servicePhone: community.servicePhone } : {}),
    perPage: input.perPage ?? 2,
    printedAt: now,
  });
  const first = payments[0]!.receiptNo;
  const last = payments[payments.length - 1]!.receiptNo;
  const { printed, fileID } = await printToCloud(
    doc,
    { communityId: input.communityId, name: `receipts-${first}-${payments.length}.pdf` },
    now,
  );
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'receipt.print',
    targetType: 'export',
    targetId: fileID,
    targetLabel: first === last ? first : `${first}–${last}`,
    summary: `批量打印收据 ${payments.length} 张（${printed.pages} 页）`,
    after: {
      count: payments.length,
      from: input.from ?? null,
      to: input.to ?? null,
      roomId: input.roomId ?? null,
      receiptNos: input.receiptNos?.length ?? 0,
    },
  });
  return {
    ...printed,
    fileName: `${community.name}-收据-${first}${first === last ? '' : `至${last}`}.pdf`,
    count: payments.length,
  };
};
