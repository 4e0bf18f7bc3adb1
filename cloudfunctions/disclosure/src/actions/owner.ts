/**
 * What owners read: the published disclosures of communities they are bound in (verified
 * `room_bindings`), superseded versions included and marked; staff of the community also see
 * drafts. Anyone else gets NOT_FOUND, never a hint that the disclosure exists.
 */
import { disclosurePoster } from '../../../../miniprogram/domain/disclosure/rules';
import type { PrintDoc } from '../../../../miniprogram/domain/print/document';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { printToCloud } from '../../../_shared/print-file';
import { findCommunity } from '../../../_shared/records';
import { ANY_STAFF, hasRole, rolesIn } from '../../../_shared/roles';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import {
  type DisclosureDoc,
  disclosuresOf,
  findDisclosure,
  ownerViewOf,
  signoffOfDisclosure,
  staffViewOf,
  summaryOf,
} from '../repo/disclosures';
import { isStale } from './disclosures';
import type { Handlers } from '../../../_shared/router';
import type { disclosureContracts } from '../../../../miniprogram/domain/disclosure/contract';

/** Communities the caller is bound in (verified), in the order of their bindings. */
async function boundCommunities(ctx: ActionContext, openid: string): Promise<string[]> {
  const res = await ctx.db
    .collection('room_bindings')
    .where({ openid, status: 'verified' })
    .limit(100)
    .get();
  const ids: string[] = [];
  for (const b of res.data as { communityId: string; roomId: string }[]) {
    if (!ids.includes(b.communityId)) ids.push(b.communityId);
  }
  return ids;
}

async function isStaffOf(ctx: ActionContext, openid: string, communityId: string) {
  const { roles } = await rolesIn(ctx, communityId, openid);
  return hasRole(roles, ANY_STAFF);
}

export const published: Handlers<typeof disclosureContracts>['published'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const bound = await boundCommunities(ctx, openid);
  let communityId = input.communityId ?? bound[0] ?? '';
  if (input.communityId && !bound.includes(input.communityId)) {
    if (!(await isStaffOf(ctx, openid, input.communityId))) {
      throw new AppError('NOT_FOUND', '未找到该小区的收支公示');
    }
    communityId = input.communityId;
  }
  if (!communityId) return { communityId: '', communityName: '', disclosures: [] };
  const community = await findCommunity(ctx, communityId);
  const docs = await disclosuresOf(ctx, communityId, 'published');
  return {
    communityId,
    communityName: community?.name ?? '',
    disclosures: docs.map(summaryOf),
  };
};

/** The disclosure if the caller may read it (and whether as staff); otherwise NOT_FOUND. */
async function readable(
  ctx: ActionContext,
  id: string,
): Promise<{ doc: DisclosureDoc; staff: boolean }> {
  const openid = requireOpenid(ctx);
  const doc = await findDisclosure(ctx, id);
  const missing = new AppError('NOT_FOUND', '未找到该收支公示');
  if (!doc) throw missing;
  if (await isStaffOf(ctx, openid, doc.communityId)) return { doc, staff: true };
  if (doc.status !== 'published') throw missing;
  if (!(await boundCommunities(ctx, openid)).includes(doc.communityId)) throw missing;
  return { doc, staff: false };
}

export const view: Handlers<typeof disclosureContracts>['view'] = async (input, ctx) => {
  const { doc, staff } = await readable(ctx, input.disclosureId);
  if (!staff) return ownerViewOf(doc);
  return staffViewOf(doc, await signoffOfDisclosure(ctx, doc._id), await isStale(ctx, doc));
};

export const poster: Handlers<typeof disclosureContracts>['poster'] = async (input, ctx) => {
  return (await posterOf(ctx, input.disclosureId)).print;
};

async function posterOf(
  ctx: ActionContext,
  id: string,
): Promise<{ print: PrintDoc; doc: DisclosureDoc }> {
  const { doc } = await readable(ctx, id);
  if (doc.status !== 'published' || !doc.publishedAt) {
    throw new AppError('CONFLICT', '公示发布后才能打印海报');
  }
  const print = disclosurePoster(doc.snapshot, {
    publishedOn: shanghaiDate(new Date(doc.publishedAt)),
    superseded: doc.supersededBy !== null,
  });
  return { print, doc };
}

/**
 * The poster as a PDF in cloud storage: a new file at an unguessable path each time (the link is
 * what the page opens), named by the disclosure and whether it has been superseded.
 */
export const posterPdf: Handlers<typeof disclosureContracts>['posterPdf'] = async (input, ctx) => {
  const { print, doc } = await posterOf(ctx, input.disclosureId);
  const state = doc.supersededBy !== null ? 'superseded' : 'current';
  const { printed } = await printToCloud(
    print,
    { communityId: doc.communityId, name: `disclosure-${doc._id}-${state}.pdf` },
    ctx.now(),
  );
  return printed;
};
