/**
 * A notice as a printable poster (document, or PDF in cloud storage).
 */
import { printToCloud } from '../../../_shared/print-file';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import type { Action } from '../../../_shared/router';
import { posterOf } from '../repo/notices';

type Act<A extends keyof typeof noticeContracts> = Action<typeof noticeContracts, A>;

export const poster: Act<'poster'> = async (input, ctx) => {
  return posterOf(ctx, input);
};

export const posterPdf: Act<'posterPdf'> = async (input, ctx) => {
  const doc = await posterOf(ctx, input);
  return printToCloud(doc, `exports/${input.communityId}/notice-${input.noticeId}.pdf`, ctx.now());
};
