/**
 * A notice as a printable poster (document, or PDF in cloud storage).
 */
import { printToCloud } from '../../../_shared/print-file';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';
import { posterOf } from '../repo/notices';

export const poster: Handlers<typeof noticeContracts>['poster'] = async (input, ctx) => {
  return posterOf(ctx, input);
};

export const posterPdf: Handlers<typeof noticeContracts>['posterPdf'] = async (input, ctx) => {
  const doc = await posterOf(ctx, input);
  const { printed } = await printToCloud(
    doc,
    { communityId: input.communityId, name: `notice-${input.noticeId}.pdf` },
    ctx.now(),
  );
  return printed;
};
