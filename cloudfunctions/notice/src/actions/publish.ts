/**
 * Staff publish a payment notice from the template fields and start pushing it to owners, each
 * with their own amount (the push continues on the overdue timer).
 */
import { noticePosterDoc, noticeSummary } from '../../../../miniprogram/domain/overdue/rules';
import { formatPeriod, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { noticeTiming } from '../../../../miniprogram/domain/notice/reach';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import { flushSms } from '../../../_shared/sms';
import { audit, auditTarget } from '../../../_shared/audit';
import { isDuplicate } from '../../../_shared/db';
import { stableId } from '../../../_shared/ids';
import { SIGNOFFS, signoff, signoffData, signoffId } from '../../../_shared/signoffs';
import { pushNotice, type NoticeDoc } from '../../../_shared/notice-push';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';
import { community, view } from '../repo/notices';

export const publish: Handlers<typeof noticeContracts>['publish'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  if (input.deadline < today) {
    throw new AppError('INVALID_INPUT', 'deadline: 缴费截止日期不能早于今天');
  }
  // Owners learn the amount a reasonable time before the deadline (流程 step 二): later than
  // settings ask needs a reason, which the delivery report shows.
  const leadDays = c.noticeLeadDays ?? DEFAULT_SETTINGS.noticeLeadDays;
  const timing = noticeTiming(today, input.deadline, leadDays);
  if (timing.late && !input.lateReason) {
    throw new AppError(
      'INVALID_INPUT',
      `lateReason: 距缴费截止仅 ${timing.daysBefore} 天（应至少提前 ${leadDays} 天发布），请填写延迟发布的原因`,
    );
  }
  const _id = stableId('notice', input.communityId, 'payment', input.period);
  const methods = input.methods;
  const doc: Omit<NoticeDoc, '_id'> = {
    communityId: input.communityId,
    kind: 'payment',
    title: input.title ?? `${formatPeriod(input.period)}物业费缴费通知`,
    summary: noticeSummary({ period: input.period, deadline: input.deadline, body: input.body }),
    period: input.period,
    deadline: input.deadline,
    amountBasis: input.amountBasis,
    methods,
    frontDesk: c.frontDesk ?? '',
    serviceHours: c.serviceHours ?? '',
    lateFeePolicy: input.lateFeePolicy,
    contactPhone: input.contactPhone ?? c.servicePhone ?? '',
    body: input.body,
    status: 'published',
    publishedAt: ctx.now(),
    push: { status: 'running', cursor: '', rooms: 0, sent: 0 },
    late: timing.late
      ? { leadDays, daysBefore: timing.daysBefore, reason: input.lateReason ?? '' }
      : null,
  };
  // The poster text is checked here too: never a threat to cut utilities (art. 944).
  try {
    noticePosterDoc({
      communityName: c.name,
      title: doc.title,
      period: input.period,
      amountBasis: input.amountBasis,
      methods,
      frontDesk: doc.frontDesk ?? '',
      serviceHours: doc.serviceHours ?? '',
      deadline: input.deadline,
      lateFeePolicy: input.lateFeePolicy,
      contactPhone: doc.contactPhone ?? '',
      body: input.body,
      publishedOn: shanghaiDate(ctx.now()),
    });
  } catch (e) {
    throw new AppError('INVALID_INPUT', `body: ${(e as Error).message}`);
  }
  try {
    await ctx.db.collection('notices').add({ data: { _id, ...doc } });
  } catch (e) {
    if (isDuplicate(e))
      throw new AppError('CONFLICT', `period: ${input.period} 的缴费通知已发布，请勿重复发布`);
    throw e;
  }
  const signed = signoffData('notices', input.communityId, _id, {
    published: signoff(caller, doc.publishedAt),
  });
  await ctx.db.collection(SIGNOFFS).doc(signoffId('notices', _id)).set({ data: signed });
  await audit(ctx, caller, {
    ...auditTarget('notice', input.communityId, _id, doc.title),
    action: 'notice.publish',
    summary: `发布缴费通知：${doc.title}，截止 ${input.deadline}`,
    after: { period: input.period, deadline: input.deadline, methods, late: doc.late },
  });
  const notice = { _id, ...doc } as NoticeDoc;
  // Push what fits in this call; the overdue timer finishes the rest (and after quiet hours).
  const stopAt = Date.now() + 8_000;
  notice.push = await pushNotice(ctx.db, c, notice, ctx.now(), stopAt);
  await flushSms(ctx.db, c, ctx.now(), stopAt);
  return view(notice, 0, signed);
};
