/**
 * The first admin of a community, from a one-time bootstrap with the deployment's code (the
 * environment's BOOTSTRAP_CODE or the console's app_config), rate-limited per person.
 */
import { timingSafeEqual } from 'node:crypto';
import { audit, auditTarget } from '../../../_shared/audit';
import { sha256Hex } from '../../../_shared/ids';
import { reserveAttempt } from '../../../_shared/ratelimit';
import { findCommunity, type CommunityDoc } from '../../../_shared/records';
import { staffRoleId } from '../../../_shared/roles';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import { type StaffRole } from '../../../../miniprogram/domain/community/vocabulary';
import { type staffContracts } from '../../../../miniprogram/domain/staff/contract';
import type { Handlers } from '../../../_shared/router';
import { ATTEMPTS, activeAdmins, grants } from '../repo/grants';

export const MIN_CODE_LENGTH = 12;

/** Constant-time comparison of a candidate against the configured codes. */
export function codeMatches(candidate: string, configured: string[]): boolean {
  const c = Buffer.from(sha256Hex(candidate), 'hex');
  let ok = false;
  for (const code of configured) {
    if (timingSafeEqual(c, Buffer.from(sha256Hex(code), 'hex'))) ok = true;
  }
  return ok;
}

export async function configuredCodes(ctx: ActionContext): Promise<string[]> {
  const codes: string[] = [];
  const fromEnv = process.env.BOOTSTRAP_CODE;
  if (fromEnv && fromEnv.length >= MIN_CODE_LENGTH) codes.push(fromEnv);
  const res = await ctx.db.collection('app_config').where({ _id: 'bootstrap' }).limit(1).get();
  const doc = res.data[0] as { code?: unknown; expiresAt?: Date | null } | undefined;
  if (
    doc &&
    typeof doc.code === 'string' &&
    doc.code.length >= MIN_CODE_LENGTH &&
    (!doc.expiresAt || new Date(doc.expiresAt) > ctx.now())
  ) {
    codes.push(doc.code);
  }
  return codes;
}

export const bootstrap: Handlers<typeof staffContracts>['bootstrap'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const attempt = await reserveAttempt(ctx, `bootstrap:${openid}`, ATTEMPTS);
  const codes = await configuredCodes(ctx);
  if (codes.length === 0) {
    await attempt.refund();
    throw new AppError(
      'PRECONDITION_FAILED',
      '尚未配置初始化口令：请在云开发控制台为 staff 函数设置环境变量 BOOTSTRAP_CODE，或在 app_config 集合中添加 bootstrap 记录',
    );
  }
  if (!codeMatches(input.code, codes)) throw new AppError('FORBIDDEN', '初始化口令不正确');
  let community: CommunityDoc | null = await findCommunity(ctx, input.communityId);
  if (activeAdmins(await grants(ctx, input.communityId)).length > 0) {
    throw new AppError(
      'PRECONDITION_FAILED',
      '该小区已有管理员，初始化口令不能再使用；请由现有管理员在「人员与权限」中授权',
    );
  }
  if (!community && !input.communityName) {
    throw new AppError('INVALID_INPUT', 'communityName: 新建小区时请填写小区名称');
  }
  const now = ctx.now();
  // One bootstrap per community, even when two people race: the marker's _id is unique.
  try {
    await ctx.db.collection('app_config').add({
      data: { _id: `bootstrapped:${input.communityId}`, by: openid, at: now },
    });
  } catch (e) {
    if (/E11000|duplicate/i.test((e as Error).message)) {
      throw new AppError('PRECONDITION_FAILED', '该小区已完成初始化，初始化口令不能再使用');
    }
    throw e;
  }
  if (!community) {
    community = {
      _id: input.communityId,
      name: input.communityName!,
      address: '',
      servicePhone: '',
      serviceHours: '',
      frontDesk: '',
      paymentMethods: ['wechat'],
      createdAt: now,
    };
    const { _id, ...rest } = community;
    await ctx.db.collection('communities').doc(_id).set({ data: rest });
  }
  await ctx.db
    .collection('staff_roles')
    .doc(staffRoleId(input.communityId, openid))
    .set({
      data: {
        communityId: input.communityId,
        openid,
        roles: ['admin'],
        name: '管理员',
        grantedBy: 'bootstrap',
        grantedAt: now,
        revokedAt: null,
      },
    });
  await attempt.refund();
  await audit(
    ctx,
    { openid, roles: ['admin'] },
    {
      ...auditTarget('staff', input.communityId, openid, community.name),
      action: 'staff.bootstrap',
      summary: `使用初始化口令成为「${community.name}」的首位管理员`,
      after: { roles: ['admin'] },
    },
  );
  const roles: StaffRole[] = ['admin'];
  return { communityId: input.communityId, communityName: community.name, roles };
};
