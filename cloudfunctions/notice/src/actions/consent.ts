/**
 * Owners' subscribe consent, recorded as one-time credits, and the credits left.
 */
import { creditsOf, recordConsent } from '../../../_shared/remind';
import { requireOpenid } from '../../../_shared/router';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';

export const consent: Handlers<typeof noticeContracts>['consent'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const credits = await recordConsent(ctx.db, openid, input.results, input.trigger, ctx.now());
  return { credits };
};

export const credits: Handlers<typeof noticeContracts>['credits'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  return { credits: await creditsOf(ctx.db, openid) };
};
