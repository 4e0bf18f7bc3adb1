/**
 * Staff pages of community records (admin subpackage): 认证审核 (service, admin), 房屋档案 import
 * report and apply (admin) and roster export (admin, service, finance), 人员与权限 and 操作日志
 * (admin). Roles that may not use a page: staff-page.test.ts.
 */
import { featuresFor } from '../../miniprogram/admin/features';
import {
  AUDIT_ENTRIES,
  FINANCE,
  REPORT_INVALID,
  REPORT_READY,
  STAFF_MEMBERS,
  staffBinding,
} from './community-fixtures';
import { ADMIN, SERVICE } from './fixtures';
import { confirmAll, fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  queryAll,
  type Rendered,
  settle,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';
import type { ImportResult } from '../../miniprogram/domain/community/contract';

const actions = (stub: ReturnType<typeof stubWx>, action: string) =>
  stub.calls.filter((c) => c.data.action === action).map((c) => c.data);

describe('workbench entries', () => {
  const urls = (roles: Parameters<typeof featuresFor>[0]) =>
    featuresFor(roles).flatMap((g) => g.features.map((f) => f.url).filter(Boolean));

  test('each role sees the community pages it may use', () => {
    expect(urls(['admin'])).toEqual(
      expect.arrayContaining([
        '/admin/bindings/index',
        '/admin/import/index',
        '/admin/staff/index',
        '/admin/audit/index',
      ]),
    );
    expect(urls(['service'])).toEqual(
      expect.arrayContaining(['/admin/bindings/index', '/admin/import/index']),
    );
    expect(urls(['service'])).not.toContain('/admin/staff/index');
    expect(urls(['finance'])).toContain('/admin/import/index');
    expect(urls(['finance'])).not.toContain('/admin/bindings/index');
    expect(urls(['cashier'])).not.toContain('/admin/import/index');
  });
});

describe('认证审核', () => {
  function reviewStub(extra: Record<string, unknown> = {}) {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'binding.list': (input: Record<string, unknown>) =>
        ok({
          items:
            input.status === 'pending-review'
              ? [
                  staffBinding(),
                  staffBinding({ bindingId: 'b2', roomLabel: '2栋2单元502', method: 'last4' }),
                ]
              : [
                  staffBinding({
                    bindingId: 'v1',
                    status: 'verified',
                    decidedAt: '2026-11-27T07:00:00.000Z',
                  }),
                ],
          nextCursor: null,
          total: input.status === 'pending-review' ? 2 : 1,
        }),
      'binding.review': (input: Record<string, unknown>) =>
        ok(staffBinding({ status: input.decision === 'approve' ? 'verified' : 'rejected' })),
      'binding.unbind': ok(staffBinding({ status: 'revoked' })),
      ...extra,
    });
    confirmAll(stub);
    return stub;
  }

  test('the pending queue, masked applicants; approve after confirming', async () => {
    const stub = reviewStub();
    const page = await loadPage('admin/bindings/index');
    const text = textOf(page);
    expect(text).toContain('共 2 条待审核');
    expect(text).toContain('4栋1单元1001');
    expect(text).toContain('林**');
    expect(text).toContain('姓名与手机号核对一致');
    expect(text).toContain('姓名与手机号后 4 位核对一致');
    expect(actions(stub, 'list')[0]).toMatchObject({
      communityId: 'c_cuihu',
      status: 'pending-review',
    });

    await tapButton(page, '.approve');
    await settle();
    expect(actions(stub, 'review')).toEqual([
      {
        action: 'review',
        communityId: 'c_cuihu',
        bindingId: 'r_4_1_1001:o_demo_newcomer',
        decision: 'approve',
      },
    ]);
    expect(textOf(page)).not.toContain('4栋1单元1001');
    expect(textOf(page)).toContain('共 1 条待审核');
  });

  test('reject needs a reason; a quick reason fills it', async () => {
    const stub = reviewStub();
    const page = await loadPage('admin/bindings/index');
    await tapButton(page, '.reject');
    expect(textOf(page)).toContain('驳回原因（会告知业主）');
    await tapButton(page, '.confirm-edit');
    expect(textOf(page)).toContain('请填写原因（至少 2 个字）');
    expect(actions(stub, 'review')).toHaveLength(0);
    await tapNth(page, '.quick-chip', 1);
    await tapButton(page, '.confirm-edit');
    await settle();
    expect(actions(stub, 'review')[0]).toMatchObject({
      decision: 'reject',
      reason: '非本房屋业主',
    });
  });

  test('已认证 tab: unbind with a typed reason', async () => {
    const stub = reviewStub();
    const page = await loadPage('admin/bindings/index');
    await tapNth(page, '.tab', 1);
    await settle();
    expect(actions(stub, 'list')[1]).toMatchObject({ status: 'verified' });
    await tapButton(page, '.unbind');
    await typeInto(page, ['.f-reason'], '房屋已出售');
    await tapButton(page, '.confirm-edit');
    await settle();
    expect(actions(stub, 'unbind')).toEqual([
      { action: 'unbind', communityId: 'c_cuihu', bindingId: 'v1', reason: '房屋已出售' },
    ]);
  });
});

describe('房屋档案', () => {
  function importStub(report: unknown, extra: Record<string, unknown> = {}) {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'community.importPreview': report,
      ...extra,
    });
    confirmAll(stub);
    stub.wx.chooseMessageFile = jest.fn(async () => ({
      errMsg: 'chooseMessageFile:ok',
      tempFiles: [
        {
          path: 'wxfile://tmp_roster.xlsx',
          size: 48_213,
          name: '翠湖花园档案.xlsx',
          type: 'file',
          time: 0,
        },
      ],
    }));
    (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(
      async (o: { cloudPath: string }) => ({
        fileID: `cloud://local-dev.bucket/${o.cloudPath}`,
        statusCode: 200,
      }),
    );
    // Generated files come as the function's link, downloaded with wx.downloadFile (never by id).
    stub.wx.downloadFile = jest.fn(
      (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
        o.success({ tempFilePath: 'wxfile://tmp_export.xlsx', statusCode: 200 }),
    );
    stub.wx.openDocument = jest.fn(async () => ({}));
    stub.wx.setNavigationBarTitle = jest.fn();
    return stub;
  }

  async function chooseFile(page: Rendered) {
    await tapButton(page, '.choose-btn');
    await settle(10);
  }

  test('an invalid file: problems by row, nothing written, no confirm offered', async () => {
    const stub = importStub(ok(REPORT_INVALID));
    const page = await loadPage('admin/import/index');
    await chooseFile(page);
    const upload = (stub.wx.cloud as Record<string, jest.Mock>).uploadFile!;
    expect(upload.mock.calls[0]![0]).toMatchObject({ filePath: 'wxfile://tmp_roster.xlsx' });
    expect(upload.mock.calls[0]![0].cloudPath).toMatch(/^imports\/c_cuihu\/\d+\.xlsx$/);
    expect(actions(stub, 'importPreview')[0]!.fileID).toMatch(/^cloud:\/\/.+imports\/c_cuihu\//);

    const text = textOf(page);
    expect(text).toContain('文件有 3 处问题，未导入任何数据');
    expect(text).toContain('第 5 行');
    expect(text).toContain('建筑面积(㎡)：面积应为正数，最多 2 位小数');
    expect(text).toContain('手机号：手机号应为 11 位');
    expect(text).toContain('第 9 行');
    expect(text).toContain('未识别的列将被忽略：备注');
    expect(queryAll(page, '.issue')).toHaveLength(2); // two rows
    expect(queryAll(page, '.apply')).toHaveLength(0);
    expect(actions(stub, 'importConfirm')).toHaveLength(0);
  });

  test('a valid file: counts and changes, then confirm until done', async () => {
    const results: ImportResult[] = [
      {
        importId: REPORT_READY.importId,
        status: 'applying',
        done: false,
        counts: REPORT_READY.counts,
        remaining: 120,
        replayed: false,
      },
      {
        importId: REPORT_READY.importId,
        status: 'applied',
        done: true,
        counts: REPORT_READY.counts,
        remaining: 0,
        replayed: false,
      },
    ];
    const stub = importStub(ok(REPORT_READY), {
      'community.importConfirm': () => ok(results.shift()),
    });
    const page = await loadPage('admin/import/index');
    await chooseFile(page);
    const text = textOf(page);
    expect(text).toContain('校验通过，可以导入');
    expect(text).toContain('CSV 文件');
    expect(text).toMatch(/2\s*新增房屋/);
    expect(text).toMatch(/287\s*无变化/);
    expect(text).toContain('1栋1单元101');
    expect(text).toMatch(/89\.47\s*→\s*90\.00/);
    expect(text).toContain('吴** 139****0001');

    await tapButton(page, '.apply');
    await settle(10);
    expect(actions(stub, 'importConfirm')).toEqual([
      { action: 'importConfirm', communityId: 'c_cuihu', importId: 'imp:c_cuihu:good' },
      { action: 'importConfirm', communityId: 'c_cuihu', importId: 'imp:c_cuihu:good' },
    ]);
    expect(textOf(page)).toContain('导入完成');
  });

  test('a file that is not .xlsx/.csv is refused before upload', async () => {
    const stub = importStub(ok(REPORT_READY));
    stub.wx.chooseMessageFile = jest.fn(async () => ({
      tempFiles: [
        { path: 'wxfile://tmp.xls', size: 100, name: '旧表格.xls', type: 'file', time: 0 },
      ],
    }));
    const page = await loadPage('admin/import/index');
    await chooseFile(page);
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '文件格式不支持' }),
    );
    expect((stub.wx.cloud as Record<string, jest.Mock>).uploadFile).not.toHaveBeenCalled();
  });

  test('finance exports the masked roster only (no import, no unmasked switch)', async () => {
    const stub = importStub(ok(REPORT_READY), {
      'account.whoami': ok(FINANCE),
      'community.exportRoster': ok({
        tempFileURL: 'http://127.0.0.1/roster.xlsx',
        fileName: '翠湖花园花名册.xlsx',
        rowCount: 288,
        masked: true,
      }),
    });
    const page = await loadPage('admin/import/index');
    expect(textOf(page)).not.toContain('导入房屋档案');
    expect(queryAll(page, '.unmasked-switch')).toHaveLength(0);
    await tapButton(page, '.export-btn');
    await settle(10);
    expect(actions(stub, 'exportRoster')).toEqual([
      { action: 'exportRoster', communityId: 'c_cuihu', unmasked: false },
    ]);
    expect(textOf(page)).toContain('共 288 行，手机号与身份证号已脱敏');
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({
        filePath: 'wxfile://tmp_export.xlsx',
        fileType: 'xlsx',
        showMenu: true,
      }),
    );
  });
});

describe('人员与权限', () => {
  test('lists staff, changes roles, invites with a code', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'staff.list': ok({ members: STAFF_MEMBERS }),
      'staff.grant': ok({ ...STAFF_MEMBERS[1]!, roles: ['service', 'finance'] }),
      'staff.invite': ok({
        code: 'ZX98YW76',
        expiresAt: '2026-11-30T06:03:00.000Z',
        roles: ['cashier'],
      }),
    });
    const page = await loadPage('admin/staff/index');
    const text = textOf(page);
    expect(text).toContain('赵经理（我）');
    expect(text).toContain('周客服');
    expect(text).toContain('客服专员');
    // my own row has no 撤销
    expect(queryAll(page, '.revoke')).toHaveLength(1);

    await tapNth(page, '.edit', 1);
    await tapNth(page, '.role', 3); // + 财务
    await tapButton(page, '.save-roles');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'grant')?.data).toEqual({
      action: 'grant',
      communityId: 'c_cuihu',
      openid: 'o_demo_service',
      roles: ['service', 'finance'],
    });

    await typeInto(page, ['.f-invite-name'], '陈晓');
    const roles = queryAll(page, '.roles-invite .role');
    roles[2]!.dispatchEvent('tap'); // − 客服 (the default)
    roles[1]!.dispatchEvent('tap'); // + 收费员
    await settle();
    await tapButton(page, '.invite-btn');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'invite')?.data).toEqual({
      action: 'invite',
      communityId: 'c_cuihu',
      name: '陈晓',
      roles: ['cashier'],
    });
    expect(textOf(page)).toContain('ZX98 YW76');
  });

  test('the last admin: the function’s polite refusal is shown', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'staff.list': ok({ members: STAFF_MEMBERS }),
      'staff.grant': fail('PRECONDITION_FAILED', '至少要保留一名管理员：请先授权另一位管理员'),
    });
    const page = await loadPage('admin/staff/index');
    await tapNth(page, '.edit', 0);
    await tapNth(page, '.role', 1); // + 收费员
    await tapNth(page, '.role', 0); // − 管理员
    await tapButton(page, '.save-roles');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ content: '至少要保留一名管理员：请先授权另一位管理员' }),
    );
  });
});

describe('操作日志', () => {
  test('searches by family, colleague and date; masked values as they come', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'staff.list': ok({ members: STAFF_MEMBERS }),
      'staff.auditLog': ok({ items: AUDIT_ENTRIES, nextCursor: 'c20', total: 41 }),
    });
    const page = await loadPage('admin/audit/index');
    const first = actions(stub, 'auditLog')[0]!;
    expect(first).toMatchObject({ communityId: 'c_cuihu', limit: 20 });
    expect(first.from).toMatch(/^\d{4}-\d{2}-\d{2}$/); // 近 7 天
    const text = textOf(page);
    expect(text).toContain('共 41 条记录');
    expect(text).toContain('审核通过');
    expect(text).toContain('周客服');
    expect(text).toContain('业主（…omer）');
    expect(text).toMatch(/状态\s*待审核\s*→\s*已认证/);
    expect(text).toContain('申请绑定 4栋1单元1001（业主，林**）');

    await tapNth(page, '.family-chip', 1); // 业主认证
    await tapNth(page, '.actor-chip', 2); // 周客服
    await tapNth(page, '.date-chip', 3); // 不限
    const last = actions(stub, 'auditLog').pop()!;
    expect(last).toMatchObject({ operation: 'binding', actor: 'o_demo_service' });
    expect(last.from).toBeUndefined();

    queryAll(page, '.more')[0]!.dispatchEvent('tap');
    await settle();
    expect(actions(stub, 'auditLog').pop()).toMatchObject({ cursor: 'c20' });
  });

  test('custom dates are checked before searching', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'staff.list': ok({ members: STAFF_MEMBERS }),
      'staff.auditLog': ok({ items: [], nextCursor: null, total: 0 }),
    });
    const page = await loadPage('admin/audit/index');
    await tapNth(page, '.date-chip', 4); // 自定义
    await typeInto(page, ['.f-from'], '2026-11-30');
    await typeInto(page, ['.f-to'], '2026/11/1');
    const before = actions(stub, 'auditLog').length;
    await tapButton(page, '.search-btn');
    expect(textOf(page)).toContain('开始日期不能晚于结束日期');
    expect(actions(stub, 'auditLog')).toHaveLength(before);
    await typeInto(page, ['.f-from'], '2026-11-01');
    await tapButton(page, '.search-btn');
    await settle();
    expect(actions(stub, 'auditLog').pop()).toMatchObject({ from: '2026-11-01', to: '2026-11-01' });
    expect(textOf(page)).toContain('没有符合条件的记录');
  });
});
