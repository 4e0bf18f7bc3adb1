/**
 * staff: who may do what, per community. The first admin of a community comes from a one-time
 * bootstrap with the deployment's code (never a hard-coded openid); after that admins invite
 * colleagues (one-time codes), change and revoke roles, and search the append-only audit log.
 * See docs/community.md.
 */
import { timingSafeEqual } from 'node:crypto';
import type { DB } from 'wx-server-sdk';
import { audit, type AuditDoc } from '../../_shared/audit';
import { sha256Hex } from '../../_shared/ids';
import {
  createInvite,
  findUsableInvite,
  INVITE_INVALID,
  type InviteDoc,
} from '../../_shared/invites';
import { decodeCursor, nextCursor } from '../../_shared/paging';
import { HOUR_MS, reserveAttempt } from '../../_shared/ratelimit';
import { findCommunity, getCommunity, iso, type CommunityDoc } from '../../_shared/records';
import { requireRole, staffRoleId, type StaffRoleDoc } from '../../_shared/roles';
import { AppError, createRouter, requireOpenid, type ActionContext } from '../../_shared/router';
import { STAFF_ROLES, type StaffRole } from '../../../miniprogram/domain/community/vocabulary';
import type { AuditEntryView, StaffMember } from '../../../miniprogram/domain/staff/contract';
import { staffContracts } from '../../../miniprogram/domain/staff/contract';

const ROLE_LABELS: Record<StaffRole, string> = {
  admin: '管理员',
  cashier: '收费员',
  service: '客服',
  finance: '财务',
};
const ATTEMPTS = { max: 5, windowMs: HOUR_MS };
const MIN_CODE_LENGTH = 12;

function member(doc: StaffRoleDoc): StaffMember {
  return {
    openid: doc.openid,
    name: doc.name ?? '',
    roles: STAFF_ROLES.filter((r) => doc.roles.includes(r)),
    active: !doc.revokedAt && doc.roles.length > 0,
    grantedBy: doc.grantedBy ?? null,
    grantedAt: iso(doc.grantedAt ?? null),
    revokedAt: iso(doc.revokedAt ?? null),
  };
}

function rolesText(roles: readonly StaffRole[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join('、') || '无';
}

async function grants(ctx: ActionContext, communityId: string): Promise<StaffRoleDoc[]> {
  const res = await ctx.db.collection('staff_roles').where({ communityId }).limit(1000).get();
  return res.data as StaffRoleDoc[];
}

function activeAdmins(list: StaffRoleDoc[]): StaffRoleDoc[] {
  return list.filter((g) => !g.revokedAt && g.roles.includes('admin'));
}

async function getGrant(ctx: ActionContext, communityId: string, openid: string) {
  const res = await ctx.db
    .collection('staff_roles')
    .where({ _id: staffRoleId(communityId, openid) })
    .limit(1)
    .get();
  return (res.data[0] as StaffRoleDoc | undefined) ?? null;
}

/** Constant-time comparison of a candidate against the configured codes. */
function codeMatches(candidate: string, configured: string[]): boolean {
  const c = Buffer.from(sha256Hex(candidate), 'hex');
  let ok = false;
  for (const code of configured) {
    if (timingSafeEqual(c, Buffer.from(sha256Hex(code), 'hex'))) ok = true;
  }
  return ok;
}

async function configuredCodes(ctx: ActionContext): Promise<string[]> {
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

export const main = createRouter('staff', staffContracts, {
  async bootstrap(input, ctx) {
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
        communityId: input.communityId,
        action: 'staff.bootstrap',
        targetType: 'staff',
        targetId: openid,
        targetLabel: community.name,
        summary: `使用初始化口令成为「${community.name}」的首位管理员`,
        after: { roles: ['admin'] },
      },
    );
    const roles: StaffRole[] = ['admin'];
    return { communityId: input.communityId, communityName: community.name, roles };
  },

  async list(input, ctx) {
    await requireRole(ctx, input.communityId, ['admin']);
    const list = (await grants(ctx, input.communityId))
      .map(member)
      .filter((m) => input.includeRevoked || m.active)
      .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh'));
    return { members: list };
  },

  async invite(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['admin']);
    const community = await getCommunity(ctx, input.communityId);
    const roles = STAFF_ROLES.filter((r) => input.roles.includes(r));
    const { code, expiresAt } = await createInvite(ctx, {
      kind: 'staff',
      communityId: input.communityId,
      roles,
      name: input.name,
      createdBy: caller.openid,
    });
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'staff.invite',
      targetType: 'invite',
      targetId: input.name,
      targetLabel: community.name,
      summary: `邀请 ${input.name} 担任 ${rolesText(roles)}（72 小时内有效）`,
      after: { roles, name: input.name },
    });
    return { code, expiresAt: expiresAt.toISOString(), roles };
  },

  async acceptInvite(input, ctx) {
    const openid = requireOpenid(ctx);
    const attempt = await reserveAttempt(ctx, `invite:${openid}`, ATTEMPTS);
    const inv = await findUsableInvite(ctx, input.code, 'staff');
    if (!inv || !inv.roles?.length) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
    const community = await getCommunity(ctx, inv.communityId);
    const id = staffRoleId(inv.communityId, openid);
    const now = ctx.now();
    const result = await ctx.db.runTransaction(async (t) => {
      const cur = (await t.collection('invites').doc(inv._id).get()).data as InviteDoc;
      if (cur.usedBy) return null;
      let prev: StaffRoleDoc | null = null;
      try {
        prev = (await t.collection('staff_roles').doc(id).get()).data as StaffRoleDoc;
      } catch {
        prev = null;
      }
      const held = prev && !prev.revokedAt ? prev.roles : [];
      const roles = STAFF_ROLES.filter((r) => held.includes(r) || inv.roles!.includes(r));
      await t
        .collection('invites')
        .doc(inv._id)
        .update({ data: { usedBy: openid, usedAt: now } });
      await t
        .collection('staff_roles')
        .doc(id)
        .set({
          data: {
            communityId: inv.communityId,
            openid,
            roles,
            name: inv.name ?? prev?.name ?? '',
            grantedBy: inv.createdBy,
            grantedAt: now,
            revokedAt: null,
          },
        });
      return { roles, before: held };
    });
    if (!result) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
    await attempt.refund();
    await audit(
      ctx,
      { openid, roles: result.roles, name: inv.name },
      {
        communityId: inv.communityId,
        action: 'staff.join',
        targetType: 'staff',
        targetId: openid,
        targetLabel: inv.name ?? '',
        summary: `${inv.name ?? ''} 通过邀请码成为 ${rolesText(result.roles)}`,
        before: { roles: result.before },
        after: { roles: result.roles },
      },
    );
    return { communityId: inv.communityId, communityName: community.name, roles: result.roles };
  },

  async grant(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['admin']);
    await getCommunity(ctx, input.communityId);
    const all = await grants(ctx, input.communityId);
    const prev = all.find((g) => g.openid === input.openid) ?? null;
    const roles = STAFF_ROLES.filter((r) => input.roles.includes(r));
    const admins = activeAdmins(all);
    if (!roles.includes('admin') && admins.length === 1 && admins[0]!.openid === input.openid) {
      throw new AppError('PRECONDITION_FAILED', '至少要保留一名管理员：请先授权另一位管理员');
    }
    const now = ctx.now();
    const doc: Omit<StaffRoleDoc, '_id'> = {
      communityId: input.communityId,
      openid: input.openid,
      roles,
      name: input.name ?? prev?.name ?? '',
      grantedBy: caller.openid,
      grantedAt: now,
      revokedAt: null,
    };
    await ctx.db
      .collection('staff_roles')
      .doc(staffRoleId(input.communityId, input.openid))
      .set({ data: doc });
    const before = prev && !prev.revokedAt ? prev.roles : [];
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'staff.grant',
      targetType: 'staff',
      targetId: input.openid,
      targetLabel: doc.name ?? '',
      summary: `设置 ${doc.name || input.openid} 的角色：${rolesText(before)} → ${rolesText(roles)}`,
      before: { roles: before },
      after: { roles },
    });
    return member({ _id: staffRoleId(input.communityId, input.openid), ...doc });
  },

  async revoke(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['admin']);
    const prev = await getGrant(ctx, input.communityId, input.openid);
    if (!prev || prev.revokedAt || prev.roles.length === 0) {
      throw new AppError('NOT_FOUND', '该人员在本小区没有角色');
    }
    const admins = activeAdmins(await grants(ctx, input.communityId));
    if (prev.roles.includes('admin') && admins.length === 1) {
      throw new AppError('PRECONDITION_FAILED', '至少要保留一名管理员：不能撤销最后一位管理员');
    }
    const now = ctx.now();
    await ctx.db
      .collection('staff_roles')
      .doc(prev._id)
      .update({ data: { roles: [], revokedAt: now, revokedBy: caller.openid } });
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'staff.revoke',
      targetType: 'staff',
      targetId: input.openid,
      targetLabel: prev.name ?? '',
      summary: `撤销 ${prev.name || input.openid} 的全部角色（${rolesText(prev.roles)}）${input.reason ? `：${input.reason}` : ''}`,
      before: { roles: prev.roles },
      after: { roles: [], reason: input.reason ?? null },
    });
    return member({ ...prev, roles: [], revokedAt: now });
  },

  async auditLog(input, ctx) {
    await requireRole(ctx, input.communityId, ['admin']);
    const _ = ctx.db.command;
    const where: Record<string, unknown> = { communityId: input.communityId };
    if (input.operation) {
      // "binding" matches binding.approve, binding.reject…; "binding.approve" matches itself.
      where.action = input.operation.includes('.')
        ? input.operation
        : ctx.db.RegExp({ regexp: `^${input.operation}\\.` });
    }
    if (input.actor) where.actor = input.actor;
    if (input.targetId) where.targetId = input.targetId;
    // Dates are Beijing calendar days: from 00:00 of `from` to 24:00 of `to`, UTC+8.
    const from = input.from ? new Date(`${input.from}T00:00:00+08:00`) : null;
    const to = input.to ? new Date(Date.parse(`${input.to}T00:00:00+08:00`) + 86_400_000) : null;
    if (from && to) where.at = _.and(_.gte(from), _.lt(to));
    else if (from) where.at = _.gte(from);
    else if (to) where.at = _.lt(to);
    const offset = decodeCursor(input.cursor);
    const coll = ctx.db.collection('audit_log');
    const { total } = await coll.where(where as DB.QueryCondition).count();
    const docs = (
      await coll
        .where(where as DB.QueryCondition)
        .orderBy('at', 'desc')
        .skip(offset)
        .limit(input.limit)
        .get()
    ).data as (AuditDoc & { _id: string })[];
    const items: AuditEntryView[] = docs.map((d) => ({
      auditId: d._id,
      at: new Date(d.at).toISOString(),
      actor: d.actor,
      actorRoles: d.actorRoles,
      action: d.action,
      targetType: d.targetType,
      targetId: d.targetId,
      targetLabel: d.targetLabel ?? '',
      summary: d.summary,
      before: d.before ?? null,
      after: d.after ?? null,
    }));
    return { items, nextCursor: nextCursor(offset, docs.length, total), total };
  },
});
