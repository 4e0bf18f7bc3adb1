/**
 * Renders the asking function's `PrintDoc` to PDF, stores it as a generated file of the community
 * (a fresh unguessable folder, `storeExport`) and answers with the file. The mini-program never reaches this: on CloudBase every function can be
 * called by the client, so the caller must be another function (`SOURCE` ends in `scf`, e.g.
 * `wx_client,scf`); the asking function has already checked the user's roles and chosen the path.
 */
import type { printContracts } from '../../../../miniprogram/domain/print/contract';
import { storeExport } from '../../../_shared/storage';
import { AppError, type ActionContext, type Handlers } from '../../../_shared/router';
import { renderPdfWithInfo } from '../repo/pdf';

/** Whether the invocation came from another cloud function (the last link of SOURCE). */
export function calledByFunction(ctx: ActionContext): boolean {
  return ctx.source.split(',').pop() === 'scf';
}

export const render: Handlers<typeof printContracts>['render'] = async (input, ctx) => {
  if (!calledByFunction(ctx)) {
    throw new AppError('FORBIDDEN', '打印服务只接受其他云函数的调用');
  }
  const now = input.now ? new Date(input.now) : ctx.now();
  const { bytes, pages, unprintable } = await renderPdfWithInfo(input.doc, { now });
  if (unprintable.length > 0) {
    // Characters outside the shipped font print as "?": say which, so they can be added
    // (tools/print-font-extra.txt) before the next deploy.
    console.warn(`[print] not in the font, printed as "?": ${unprintable.join('')}`);
  }
  const stored = await storeExport(input.communityId, input.name, Buffer.from(bytes));
  return {
    ...stored,
    pages,
    bytes: bytes.length,
    ...(unprintable.length > 0 ? { unprintable: unprintable.join('') } : {}),
  };
};
