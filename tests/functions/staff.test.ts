/**
 * Staff roles through the staff function: the one-time bootstrap of a community's first admin,
 * invitations, grants and revocations (never losing the last admin), and the audit log search.
 */
import { LOCAL_BOOTSTRAP_CODE } from '../../tools/seed/community';
import { DEMO_USERS } from '../../tools/seed/demo';
import { callsTo } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { counts, ok } from './community-helpers';
import type { AuditEntryView, StaffMember } from '../../miniprogram/domain/staff/contract';
import type { Page } from '../../miniprogram/domain/kernel/contract';
import type { WhoAmI } from '../../miniprogram/domain/account/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);

const C = 'c_cuihu';
const NEW = 'c_riverside';

describe('bootstrap', () => {
  test('a wrong code is refused and writes nothing', async () => {
    const before = counts(cloud);
    expect(
      await call.staff(
        {
          action: 'bootstrap',
          code: 'not-the-right-code',
          communityId: NEW,
          communityName: '滨江苑',
        },
        'o_boot',
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect({ ...counts(cloud), rate_limits: 0 }).toEqual({ ...before, rate_limits: 0 });
  });

  test('does not work in a community that has an admin', async () => {
    expect(
      await call.staff(
        { action: 'bootstrap', code: LOCAL_BOOTSTRAP_CODE, communityId: C },
        'o_intruder',
      ),
    ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
    const me = ok(await call.account<WhoAmI>({ action: 'whoami' }, 'o_intruder'));
    expect(me.isStaff).toBe(false);
  });

  test('creates a new community with its first admin, once', async () => {
    expect(
      await call.staff(
        { action: 'bootstrap', code: LOCAL_BOOTSTRAP_CODE, communityId: NEW },
        'o_boot',
      ),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^communityName: /),
    });
    const res = ok(
      await call.staff(
        {
          action: 'bootstrap',
          code: LOCAL_BOOTSTRAP_CODE,
          communityId: NEW,
          communityName: '滨江苑',
        },
        'o_boot',
      ),
    );
    expect(res).toEqual({ communityId: NEW, communityName: '滨江苑', roles: ['admin'] });
    const me = ok(await call.account<WhoAmI>({ action: 'whoami' }, 'o_boot'));
    expect(me.staffOf).toEqual([{ communityId: NEW, communityName: '滨江苑', roles: ['admin'] }]);
    expect(
      await call.staff(
        { action: 'bootstrap', code: LOCAL_BOOTSTRAP_CODE, communityId: NEW },
        'o_second',
      ),
    ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
    expect(
      cloud.store.find('audit_log', { communityId: NEW, action: 'staff.bootstrap' }),
    ).toHaveLength(1);
  });

  test('5 wrong codes an hour, then refused outright', async () => {
    for (let i = 0; i < 5; i++) {
      await call.staff(
        {
          action: 'bootstrap',
          code: `wrong-code-${i}-xxxx`,
          communityId: 'c_z',
          communityName: 'z',
        },
        'o_brute',
      );
    }
    expect(
      await call.staff(
        { action: 'bootstrap', code: LOCAL_BOOTSTRAP_CODE, communityId: 'c_z', communityName: 'z' },
        'o_brute',
      ),
    ).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });
});

describe('roles', () => {
  test('an admin invites a colleague, who redeems the code once and gets the roles here only', async () => {
    const inv = ok(
      await call.staff<{ code: string; roles: string[] }>(
        { action: 'invite', communityId: NEW, roles: ['finance', 'cashier'], name: '钱会计' },
        'o_boot',
      ),
    );
    expect(inv.roles).toEqual(['cashier', 'finance']);
    const joined = ok(await call.staff({ action: 'acceptInvite', code: inv.code }, 'o_qian'));
    expect(joined).toEqual({
      communityId: NEW,
      communityName: '滨江苑',
      roles: ['cashier', 'finance'],
    });
    expect(await call.staff({ action: 'acceptInvite', code: inv.code }, 'o_other')).toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const me = ok(await call.account<WhoAmI>({ action: 'whoami' }, 'o_qian'));
    expect(me.staffOf).toEqual([
      { communityId: NEW, communityName: '滨江苑', roles: ['cashier', 'finance'] },
    ]);
    // No role in another community.
    expect(await call.community({ action: 'get', communityId: C }, 'o_qian')).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  test('grant replaces roles; revoke removes them; both are audited with before and after', async () => {
    const m = ok(
      await call.staff<StaffMember>(
        { action: 'grant', communityId: NEW, openid: 'o_qian', roles: ['finance'] },
        'o_boot',
      ),
    );
    expect(m).toMatchObject({ roles: ['finance'], active: true, name: '钱会计' });
    const r = ok(
      await call.staff<StaffMember>(
        { action: 'revoke', communityId: NEW, openid: 'o_qian', reason: '离职' },
        'o_boot',
      ),
    );
    expect(r).toMatchObject({ roles: [], active: false });
    expect(ok(await call.account<WhoAmI>({ action: 'whoami' }, 'o_qian')).isStaff).toBe(false);
    const log = cloud.store.find(
      'audit_log',
      { communityId: NEW, targetId: 'o_qian' },
      { sort: { at: 1 } },
    );
    expect(log.map((e) => [e.action, e.before, e.after])).toEqual([
      ['staff.join', { roles: [] }, { roles: ['cashier', 'finance'] }],
      ['staff.grant', { roles: ['cashier', 'finance'] }, { roles: ['finance'] }],
      ['staff.revoke', { roles: ['finance'] }, { roles: [], reason: '离职' }],
    ]);
    const list = ok(
      await call.staff<{ members: StaffMember[] }>(
        { action: 'list', communityId: NEW, includeRevoked: true },
        'o_boot',
      ),
    );
    expect(list.members.map((x) => [x.openid, x.active])).toEqual([
      ['o_boot', true],
      ['o_qian', false],
    ]);
  });

  test('the last admin can neither be revoked nor lose the admin role', async () => {
    expect(
      await call.staff({ action: 'revoke', communityId: NEW, openid: 'o_boot' }, 'o_boot'),
    ).toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    expect(
      await call.staff(
        { action: 'grant', communityId: NEW, openid: 'o_boot', roles: ['finance'] },
        'o_boot',
      ),
    ).toMatchObject({ code: 'PRECONDITION_FAILED' });
    ok(
      await call.staff(
        { action: 'grant', communityId: NEW, openid: 'o_deputy', roles: ['admin'], name: '副经理' },
        'o_boot',
      ),
    );
    ok(
      await call.staff(
        { action: 'grant', communityId: NEW, openid: 'o_boot', roles: ['finance'] },
        'o_boot',
      ),
    );
    expect(ok(await call.account<WhoAmI>({ action: 'whoami' }, 'o_boot')).roles).toEqual([
      'finance',
    ]);
  });

  test('an admin of one community has no say in another', async () => {
    expect(
      await call.staff(
        { action: 'grant', communityId: C, openid: 'o_deputy', roles: ['admin'] },
        'o_deputy',
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await call.staff({ action: 'list', communityId: C }, 'o_deputy')).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('audit log', () => {
  test('admins search by action family, actor, target and Beijing dates, newest first', async () => {
    ok(
      await call.community(
        { action: 'update', communityId: C, serviceHours: '每日 8:00–20:00' },
        DEMO_USERS.admin,
      ),
    );
    ok(
      await call.community(
        {
          action: 'revealContact',
          communityId: C,
          ownerId: 'p_1_2_201',
          field: 'mobile',
          reason: '电话回访独居老人',
        },
        DEMO_USERS.service,
      ),
    );
    const all = ok(
      await call.staff<Page<AuditEntryView>>(
        { action: 'auditLog', communityId: C },
        DEMO_USERS.admin,
      ),
    );
    expect(all.items.map((e) => e.action).slice(0, 2)).toEqual([
      'contact.reveal',
      'community.update',
    ]);
    const reveal = all.items[0]!;
    expect(reveal).toMatchObject({
      actor: DEMO_USERS.service,
      actorRoles: ['service'],
      targetId: 'p_1_2_201',
      targetLabel: '张**',
      summary: '查看完整手机号：电话回访独居老人',
    });
    // The log itself never holds the full number.
    expect(JSON.stringify(all)).not.toContain('13800000201');
    const byFamily = ok(
      await call.staff<Page<AuditEntryView>>(
        { action: 'auditLog', communityId: C, operation: 'community' },
        DEMO_USERS.admin,
      ),
    );
    expect(byFamily.items.every((e) => e.action.startsWith('community.'))).toBe(true);
    // Issue 20: a 100,000-character operation was INTERNAL (the database refused the regular
    // expression); the contract bounds it, and what reaches the query is escaped.
    expect(
      await call.staff(
        { action: 'auditLog', communityId: C, operation: 'a'.repeat(100_000) },
        DEMO_USERS.admin,
      ),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: 'operation: 最多 64 个字' });
    for (const operation of ['.*', 'community|contact', 'a(']) {
      expect(
        await call.staff({ action: 'auditLog', communityId: C, operation }, DEMO_USERS.admin),
      ).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^operation: /),
      });
    }
    const byActor = ok(
      await call.staff<Page<AuditEntryView>>(
        { action: 'auditLog', communityId: C, actor: DEMO_USERS.service },
        DEMO_USERS.admin,
      ),
    );
    expect(byActor.items.map((e) => e.action)).toEqual(['contact.reveal']);
    const today = new Date(cloud.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const dated = ok(
      await call.staff<Page<AuditEntryView>>(
        { action: 'auditLog', communityId: C, from: today, to: today },
        DEMO_USERS.admin,
      ),
    );
    expect(dated.total).toBe(all.total);
    const past = ok(
      await call.staff<Page<AuditEntryView>>(
        { action: 'auditLog', communityId: C, to: '2020-01-01' },
        DEMO_USERS.admin,
      ),
    );
    expect(past.total).toBe(0);
  });

  test('is admin only, and shows nothing of other communities', async () => {
    expect(
      await call.staff({ action: 'auditLog', communityId: C }, DEMO_USERS.service),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const other = ok(
      await call.staff<Page<AuditEntryView>>({ action: 'auditLog', communityId: NEW }, 'o_deputy'),
    );
    expect(other.items.every((e) => !JSON.stringify(e).includes('p_1_2_201'))).toBe(true);
  });
});
