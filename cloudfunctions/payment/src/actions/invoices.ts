/**
 * Invoice requests (发票): one per payment, asked by the owner, issued or refused by finance.
 */
import { getDoc } from '../../../_shared/records';
import { validateTaxId } from '../../../../miniprogram/domain/payment/invoice';
import { fetchAll, isMissing } from '../../../_shared/db';
import { audit } from '../../../_shared/audit';
import { requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid } from '../../../_shared/router';
import type { InvoiceView } from '../../../../miniprogram/domain/payment/contract';
import { communitiesWith, payment } from '../repo/payments';
import { myRoomIds } from '../../../_shared/bindings';
import { viewsWithLinks } from '../../../_shared/storage';
import { listPage } from '../../../_shared/paging';
import { requireUploads } from '../../../_shared/uploads';
import type { Handlers } from '../../../_shared/router';
import type { paymentContracts } from '../../../../miniprogram/domain/payment/contract';

export interface InvoiceDoc {
  _id: string;
  communityId: string;
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  openid: string;
  titleType: 'personal' | 'company';
  title: string;
  taxId?: string;
  email?: string;
  status: InvoiceView['status'];
  requestedAt: Date;
  invoiceNo?: string;
  fileID?: string;
  rejectReason?: string;
  decidedBy?: string;
}

// ------------------------------------------------------------------ invoices
/** Views of invoices, each issued file as a temporary link (one request for all). */
export async function invoiceViews(docs: InvoiceDoc[]): Promise<InvoiceView[]> {
  return viewsWithLinks(docs, (d) => (d.fileID ? [d.fileID] : []), invoiceView);
}

async function viewOne(d: InvoiceDoc): Promise<InvoiceView> {
  return (await invoiceViews([d]))[0]!;
}

function invoiceView(d: InvoiceDoc, links: Map<string, string>): InvoiceView {
  const fileUrl = d.fileID ? links.get(d.fileID) : undefined;
  return {
    invoiceId: d._id,
    paymentId: d.paymentId,
    receiptNo: d.receiptNo,
    amountFen: d.amountFen,
    titleType: d.titleType,
    title: d.title,
    ...(d.taxId ? { taxId: d.taxId } : {}),
    ...(d.email ? { email: d.email } : {}),
    status: d.status,
    requestedAt: new Date(d.requestedAt).toISOString(),
    ...(d.invoiceNo ? { invoiceNo: d.invoiceNo } : {}),
    ...(fileUrl ? { fileUrl } : {}),
    ...(d.rejectReason ? { rejectReason: d.rejectReason } : {}),
  };
}

export const requestInvoice: Handlers<typeof paymentContracts>['requestInvoice'] = async (
  input,
  ctx,
) => {
  const roomIds = await myRoomIds(ctx);
  const openid = requireOpenid(ctx);
  const paid = await payment(ctx.db, input.paymentId).catch(() => null);
  if (!paid || paid.amountFen <= 0 || !paid.roomIds.some((r) => roomIds.includes(r))) {
    throw new AppError('NOT_FOUND', 'paymentId: 未找到您的这笔缴费');
  }
  let taxId: string | undefined;
  if (input.titleType === 'company') {
    const checked = validateTaxId(input.taxId ?? '');
    if (!checked.ok) throw new AppError('INVALID_INPUT', `taxId: ${checked.reason}`);
    taxId = checked.taxId;
  }
  const id = `inv_${paid._id}`;
  let existing: InvoiceDoc | null = null;
  try {
    existing = (await ctx.db.collection('invoices').doc(id).get()).data as InvoiceDoc;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  if (existing && existing.status !== 'rejected') return viewOne(existing);
  const doc: InvoiceDoc = {
    _id: id,
    communityId: paid.communityId,
    paymentId: paid._id,
    receiptNo: paid.receiptNo,
    amountFen: paid.amountFen,
    openid,
    titleType: input.titleType,
    title: input.title,
    ...(taxId ? { taxId } : {}),
    ...(input.email ? { email: input.email } : {}),
    status: 'requested',
    requestedAt: ctx.now(),
  };
  // set() replaces a rejected request; the _id lives in doc(), not in the data.
  const { _id: _ignored, ...data } = doc;
  await ctx.db.collection('invoices').doc(id).set({ data });
  return viewOne(doc);
};

export const myInvoices: Handlers<typeof paymentContracts>['myInvoices'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  const docs = await fetchAll<InvoiceDoc>(ctx.db.collection('invoices').where({ openid }));
  docs.sort((a, b) => new Date(b.requestedAt).getTime() - new Date(a.requestedAt).getTime());
  return { invoices: await invoiceViews(docs) };
};

export const invoiceQueue: Handlers<typeof paymentContracts>['invoiceQueue'] = async (
  input,
  ctx,
) => {
  const communities = await communitiesWith(ctx, ['finance']);
  const _ = ctx.db.command;
  const where = { communityId: _.in(communities), status: input.status ?? 'requested' };
  const page = await listPage<InvoiceDoc, InvoiceView>(
    ctx,
    'invoices',
    where,
    [
      ['requestedAt', 'asc'],
      ['_id', 'asc'],
    ],
    input,
    invoiceViews,
  );
  return { invoices: page.items, nextCursor: page.nextCursor, total: page.total };
};

export const decideInvoice: Handlers<typeof paymentContracts>['decideInvoice'] = async (
  input,
  ctx,
) => {
  const doc = await getDoc<InvoiceDoc>(
    ctx,
    'invoices',
    input.invoiceId,
    'invoiceId: 未找到该发票申请',
  );
  const caller = await requireRole(ctx, doc.communityId, ['finance']);
  if (doc.status !== 'requested') throw new AppError('PRECONDITION_FAILED', '该发票申请已处理');
  // The file must be one finance uploaded for this invoice on 发票管理 (invoices/<invoiceId>-…).
  if (input.issue && input.fileID) {
    await requireUploads('fileID', [input.fileID], {
      folder: 'invoices',
      prefix: `invoices/${doc._id}-`,
      refusal: '请在本页为该发票上传文件后再提交',
    });
  }
  const change = input.issue
    ? {
        status: 'issued' as const,
        invoiceNo: input.invoiceNo,
        ...(input.fileID ? { fileID: input.fileID } : {}),
        decidedBy: ctx.openid,
      }
    : { status: 'rejected' as const, rejectReason: input.rejectReason, decidedBy: ctx.openid };
  await ctx.db.collection('invoices').doc(doc._id).update({ data: change });
  await audit(ctx, caller, {
    communityId: doc.communityId,
    action: input.issue ? 'invoice.issue' : 'invoice.reject',
    targetType: 'invoice',
    targetId: doc._id,
    targetLabel: doc.receiptNo,
    summary: input.issue
      ? `开具发票 ${input.invoiceNo ?? ''}`
      : `退回发票申请：${input.rejectReason ?? ''}`,
  });
  return viewOne({ ...doc, ...change } as InvoiceDoc);
};
