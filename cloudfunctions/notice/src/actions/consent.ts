/**
 * Owners' subscribe consent, recorded as one-time credits, and the credits left.
 */
import { creditsOf, recordConsent } from '../../../_shared/remind';
import { requireOpenid } from '../../../_shared/router';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import type { Action } from '../../../_shared/router';

type Act<A extends keyof typeof noticeContracts> = Action<typeof noticeContracts, A>;

export const consent: Act<'consent'> = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const credits = await recordConsent(ctx.db, openid, input.results, input.trigger, ctx.now());
  return { credits };
};

export const credits: Act<'credits'> = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  return { credits: await creditsOf(ctx.db, openid) };
};
