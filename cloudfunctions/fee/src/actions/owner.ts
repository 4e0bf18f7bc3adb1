/**
 * What owners see of fees: a bill explained line by line (with the standard, approval and
 * effective date it came from, payments and how to pay), and the community's published fee
 * standards (明码标价, with the 12358 price hotline). Owners reach only rooms bound to them
 * (verified `room_bindings`); staff of the community may look too. Anyone else: NOT_FOUND.
 */
import { billsAsOf } from '../../../_shared/ledger/as-of';
import {
  CHANNEL_LABELS,
  PAYMENT_METHOD_LABELS,
  type PaymentChannel,
} from '../../../../miniprogram/domain/payment/channels';
import {
  FEE_KIND_LABELS,
  PRICE_HOTLINE,
  applicabilityText,
  basisWithAmount,
  pricingText,
  rulesText,
} from '../../../../miniprogram/domain/fee/billing';
import { type BillDoc, outstandingFen } from '../../../../miniprogram/domain/fee/bill';
import { ROOM_USE_LABELS } from '../../../../miniprogram/domain/community/vocabulary';
import { sortVersions, versionOn } from '../../../../miniprogram/domain/fee';
import { daysBetween, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { ANY_STAFF, rolesIn, hasRole } from '../../../_shared/roles';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import { fetchWhere, findById } from '../../../_shared/paging';
import { iso } from '../../../_shared/records';
import { labelOf, type FeeRoomDoc } from '../repo/rooms';
import {
  type FeeStandardDoc,
  loadStandards,
  standardStatus,
  toStandard,
  versionViews,
} from '../repo/standards';
import { type AdjustmentDoc, publicAdjustments } from './adjustments';
import type { BillDetailView, BillLineView } from '../../../../miniprogram/domain/fee/contract';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

interface CommunityDoc {
  _id: string;
  name: string;
  servicePhone?: string;
  serviceHours?: string;
  frontDesk?: string;
  paymentMethods?: PaymentChannel[];
}

async function isBound(ctx: ActionContext, openid: string, roomId: string): Promise<boolean> {
  const res = await ctx.db
    .collection('room_bindings')
    .where({ roomId, openid, status: 'verified' })
    .limit(1)
    .get();
  return res.data.length > 0;
}

async function isStaff(ctx: ActionContext, openid: string, communityId: string): Promise<boolean> {
  const { roles } = await rolesIn(ctx, communityId, openid);
  return hasRole(roles, ANY_STAFF);
}

function contactsOf(c: CommunityDoc | null): BillDetailView['contacts'] {
  return {
    servicePhone: c?.servicePhone ?? '',
    serviceHours: c?.serviceHours ?? '',
    frontDesk: c?.frontDesk ?? '',
    priceHotline: PRICE_HOTLINE,
  };
}

type StoredBill = BillDoc & {
  prepaidAppliedFen?: number;
  issuedAt?: Date;
};

interface PaymentDoc {
  _id: string;
  receiptNo: string;
  paidAt: Date;
  channel: PaymentChannel;
  allocations: { billId: string; amountFen: number }[];
  reversed?: boolean;
}

function standardOfLine(
  standards: Map<string, FeeStandardDoc>,
  bill: StoredBill,
  item: BillDoc['items'][number],
): BillLineView['standard'] {
  const doc = standards.get(item.itemId);
  if (!doc) return null;
  const versions = sortVersions(doc.versions);
  const used = item.versionIds?.length
    ? versions.filter((v) => item.versionIds!.includes(v.versionId))
    : [versionOn(versions, item.from ?? `${bill.period}-01`)].filter(
        (v): v is NonNullable<typeof v> => v !== null,
      );
  const v = used[used.length - 1];
  if (!v) return null;
  return {
    name: doc.name,
    priceText: used.map((u) => pricingText(u.pricing, 4)).join(' / '),
    effectiveFrom: used[0]!.effectiveFrom,
    approvalRef: used.map((u) => u.approvalRef).join('；'),
    approvedAt: v.approvedAt,
  };
}

export const billDetail: Handlers<typeof feeContracts>['billDetail'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const notFound = () => new AppError('NOT_FOUND', '未找到该账单');
  const stored = await findById<StoredBill>(ctx, 'bills', input.billId);
  if (!stored) throw notFound();
  // As of today: the late fee derived as the owner is charged it.
  const [bill] = (await billsAsOf(ctx.db, [stored])) as [StoredBill];
  // Someone else's bill is "not found", never a hint that it exists.
  if (
    !(await isBound(ctx, openid, bill.roomId)) &&
    !(await isStaff(ctx, openid, bill.communityId))
  ) {
    throw notFound();
  }
  const _ = ctx.db.command;
  const [room, community, standards, payments] = await Promise.all([
    findById<FeeRoomDoc>(ctx, 'rooms', bill.roomId),
    findById<CommunityDoc>(ctx, 'communities', bill.communityId),
    loadStandards(ctx, bill.communityId),
    ctx.db
      .collection('payments')
      .where({ 'allocations.billId': bill._id, reversed: _.neq(true) })
      .limit(100)
      .get(),
  ]);
  const byItem = new Map(standards.map((s) => [s.itemId, s]));
  const lines: BillLineView[] = bill.items.map((item) => {
    const kind = item.kind ?? (item.amountFen < 0 ? 'discount' : 'charge');
    return {
      itemId: item.itemId,
      name: item.name,
      kind,
      amountFen: item.amountFen,
      basis: basisWithAmount(item),
      quantity: item.quantity ?? null,
      quantityUnit: item.quantityUnit ?? null,
      unitPrice: item.unitPrice ?? null,
      priceUnit: item.priceUnit ?? null,
      months: item.months ?? null,
      from: item.from ?? null,
      to: item.to ?? null,
      metered: kind === 'charge' && byItem.get(item.itemId)?.kind === 'meter',
      standard: kind === 'charge' ? standardOfLine(byItem, bill, item) : null,
    };
  });
  const today = shanghaiDate(ctx.now());
  const outstanding = outstandingFen(bill);
  return {
    billId: bill._id,
    roomId: bill.roomId,
    roomLabel: room ? labelOf(room) : bill.roomId,
    communityId: bill.communityId,
    communityName: community?.name ?? '',
    period: bill.period,
    title: bill.title,
    status: bill.status,
    dueDate: bill.dueDate,
    overdueDays: outstanding > 0 ? Math.max(0, daysBetween(bill.dueDate, today)) : 0,
    amountDueFen: bill.amountDueFen,
    lateFeeFen: bill.lateFeeFen,
    paidFen: bill.paidFen,
    outstandingFen: outstanding,
    prepaidAppliedFen: bill.prepaidAppliedFen ?? 0,
    lines,
    payments: (payments.data as PaymentDoc[]).map((p) => ({
      paymentId: p._id,
      receiptNo: p.receiptNo,
      amountFen: p.allocations
        .filter((a) => a.billId === bill._id)
        .reduce((s, a) => s + a.amountFen, 0),
      channelLabel: CHANNEL_LABELS[p.channel] ?? p.channel,
      paidAt: iso(p.paidAt) ?? '',
    })),
    paymentMethods: (community?.paymentMethods ?? ['wechat']).map((m) => ({
      method: m,
      label: PAYMENT_METHOD_LABELS[m] ?? m,
    })),
    contacts: contactsOf(community),
    issuedAt: iso(bill.issuedAt ?? null),
  };
};

export const publicStandards: Handlers<typeof feeContracts>['publicStandards'] = async (
  input,
  ctx,
) => {
  const openid = requireOpenid(ctx);
  const bound = await ctx.db
    .collection('room_bindings')
    .where({ communityId: input.communityId, openid, status: 'verified' })
    .limit(1)
    .get();
  if (bound.data.length === 0 && !(await isStaff(ctx, openid, input.communityId))) {
    throw new AppError('NOT_FOUND', '未找到该小区的收费标准');
  }
  const community = await findById<CommunityDoc>(ctx, 'communities', input.communityId);
  if (!community) throw new AppError('NOT_FOUND', '未找到该小区的收费标准');
  const today = shanghaiDate(ctx.now());
  const docs = await loadStandards(ctx, input.communityId);
  const standards = docs
    .filter((d) => standardStatus(d, today) !== 'withdrawn')
    .map((d) => {
      const versions = sortVersions(d.versions);
      const current = versionOn(versions, today) ?? versions[0]!;
      return {
        itemId: d.itemId,
        name: d.name,
        kindLabel: FEE_KIND_LABELS[d.kind],
        priceText: pricingText(current.pricing, 2),
        effectiveFrom: current.effectiveFrom,
        approvalRef: current.approvalRef,
        approvedAt: current.approvedAt,
        applicabilityText: applicabilityText(d.applicability, ROOM_USE_LABELS),
        rules: rulesText(toStandard(d)),
        upcoming: versions
          .filter((v) => v.effectiveFrom > current.effectiveFrom && v.effectiveFrom > today)
          .map((v) => ({
            priceText: pricingText(v.pricing, 2),
            effectiveFrom: v.effectiveFrom,
            approvalRef: v.approvalRef,
            approvedAt: v.approvedAt,
          })),
        history: versionViews(d).map((v) => ({
          priceText: pricingText(v.pricing, 2),
          effectiveFrom: v.effectiveFrom,
          effectiveTo: v.effectiveTo,
          approvalRef: v.approvalRef,
        })),
      };
    });
  const adjustments = await publicAdjustments(
    await fetchWhere<AdjustmentDoc>(ctx, 'fee_adjustments', {
      communityId: input.communityId,
      state: 'announced',
    }),
    today,
  );
  return {
    communityId: community._id,
    communityName: community.name,
    standards,
    adjustments,
    servicePhone: community.servicePhone ?? '',
    priceHotline: PRICE_HOTLINE,
    notice: `以上收费标准依法公示（明码标价）。如对收费有疑问，请联系物业服务中心${community.servicePhone ? ` ${community.servicePhone}` : ''}；价格举报请拨打 ${PRICE_HOTLINE}。`,
  };
};
