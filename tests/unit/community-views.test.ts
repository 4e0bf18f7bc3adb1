/**
 * The pure view helpers of 业主认证 and the community staff pages: the bind form as
 * binding.request takes it, refusals that never echo the record, invite codes, the import
 * report grouped by row, audit rows and Beijing date presets.
 */
import { toReviewItem, checkReason } from '../../miniprogram/admin/bindings/view';
import { parseDay, presetRange, toAuditRow } from '../../miniprogram/admin/audit/view';
import { importFormatOf, toReportView } from '../../miniprogram/admin/import/view';
import { CloudError } from '../../miniprogram/services/cloud';
import {
  bindRefusal,
  checkBindForm,
  normaliseCode,
  checkInviteCode,
  toBindingView,
  waitMinutes,
} from '../../miniprogram/utils/binding-view';
import {
  AUDIT_ENTRIES,
  MISMATCH,
  REPORT_INVALID,
  REPORT_READY,
  myBinding,
  staffBinding,
} from '../ui/community-fixtures';

describe('bind form', () => {
  test.each([
    [
      { name: ' 林晓梅 ', mode: 'mobile', mobile: '139-0000-1001', last4: '' },
      { name: '林晓梅', mobile: '13900001001' },
    ],
    [
      { name: '林晓梅', mode: 'mobile', mobile: '+86 139 0000 1001', last4: '' },
      { name: '林晓梅', mobile: '13900001001' },
    ],
    [
      { name: '林晓梅', mode: 'last4', mobile: '13900001001', last4: '1001' },
      { name: '林晓梅', mobileLast4: '1001' },
    ],
  ] as const)('%o → %o', (form, input) => {
    expect(checkBindForm(form)).toEqual({ ok: true, input });
  });

  test.each([
    [{ name: '', mode: 'mobile', mobile: '13900001001', last4: '' }, 'name'],
    [{ name: '林晓梅', mode: 'mobile', mobile: '1390000100', last4: '' }, 'mobile'],
    [{ name: '林晓梅', mode: 'mobile', mobile: '23900001001', last4: '' }, 'mobile'],
    [{ name: '林晓梅', mode: 'last4', mobile: '', last4: '10a1' }, 'last4'],
  ] as const)('%o is refused on %s', (form, field) => {
    const r = checkBindForm(form);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).not.toBe('');
  });
});

describe('refusals', () => {
  test('a mismatch reads the same whatever the server said', () => {
    const a = bindRefusal(
      new CloudError('PRECONDITION_FAILED', MISMATCH, `PRECONDITION_FAILED: ${MISMATCH}`),
    );
    const b = bindRefusal(new CloudError('PRECONDITION_FAILED', '王建国 13800001501', ''));
    expect(a).toEqual(b);
    expect(a.kind).toBe('mismatch');
    expect(a.message).not.toMatch(/\d{4}/);
  });

  test('rate limited: the minutes to wait come from the reply', () => {
    const err = new CloudError(
      'RATE_LIMITED',
      '您好，操作有些频繁，请稍后再试',
      'RATE_LIMITED: 尝试次数过多，请 12 分钟后再试，或到物业服务中心办理',
    );
    expect(waitMinutes(err)).toBe(12);
    expect(bindRefusal(err)).toMatchObject({ kind: 'rate-limited' });
    expect(bindRefusal(err).message).toContain('12 分钟后');
    expect(bindRefusal(new CloudError('RATE_LIMITED', 'x', '')).message).toContain('稍后再试');
  });

  test('rate limited: a structured retryAfterSeconds wins over the text, rounded up', () => {
    const err = new CloudError('RATE_LIMITED', 'x', 'RATE_LIMITED: 请 12 分钟后再试', [], 61);
    expect(waitMinutes(err)).toBe(2);
    expect(bindRefusal(err).message).toContain('2 分钟后');
  });

  test('anything else: the friendly message', () => {
    expect(bindRefusal(new Error('boom'))).toMatchObject({
      kind: 'error',
      message: '抱歉，系统暂时繁忙，请稍后再试',
    });
  });
});

test('invite codes are read the way the server compares them', () => {
  expect(normaliseCode(' ab12-cd34 ')).toBe('AB12CD34');
  expect(normaliseCode('AB12 CD34 9')).toBe('AB12CD349');
  expect(checkInviteCode(' ab12·cd34 ')).toEqual({ ok: true, code: 'AB12CD34' });
  expect(checkInviteCode('AB12 CD34 9')).toEqual({ ok: false, error: '邀请码为 8 位字母或数字' });
});

test('bindings as the owner sees them', () => {
  expect(toBindingView(myBinding({ status: 'rejected', reason: null }))).toMatchObject({
    statusText: '未通过',
    tagType: 'danger',
    reasonText: '未通过原因：信息未能核实',
    canWithdraw: false,
  });
  expect(toBindingView(myBinding({ status: 'pending-review' }))).toMatchObject({
    canWithdraw: true,
    timeText: '申请于 2026年11月27日 14:03',
  });
});

test('review items and reasons', () => {
  expect(toReviewItem(staffBinding({ method: 'invite' }))).toMatchObject({
    methodText: '业主邀请绑定',
    canReview: true,
    canUnbind: false,
  });
  expect(checkReason(' 否 ')).not.toBe('');
  expect(checkReason('房屋已过户')).toBe('');
  expect(checkReason('字'.repeat(101))).not.toBe('');
});

describe('import report', () => {
  test('errors are grouped by row, in row order', () => {
    const v = toReportView({
      ...REPORT_INVALID,
      errors: [REPORT_INVALID.errors[2]!, ...REPORT_INVALID.errors.slice(0, 2)],
    });
    expect(v.valid).toBe(false);
    expect(v.errorRows.map((r) => r.row)).toEqual([5, 9]);
    expect(v.errorRows[0]!.messages).toHaveLength(2);
    expect(v.errorsNote).toBe('');
  });

  test('more errors than listed are counted', () => {
    const v = toReportView({ ...REPORT_INVALID, errorCount: 812 });
    expect(v.errorsNote).toBe('以上列出 3 处，共 812 处问题');
  });

  test('a valid file: counts, changes with before → after, nothing-to-do', () => {
    const v = toReportView(REPORT_READY);
    expect(v.valid).toBe(true);
    expect(v.counts.find((c) => c.key === 'added')!.value).toBe(2);
    expect(v.changes[0]!.fields[0]).toMatchObject({
      before: '89.47',
      after: '90.00',
      hasBefore: true,
    });
    expect(v.changes[1]!.fields[0]!.hasBefore).toBe(false);
    expect(v.nothingToDo).toBe(false);
    const same = toReportView({
      ...REPORT_READY,
      counts: { ...REPORT_READY.counts, added: 0, changed: 0, ownersAdded: 0, relationsAdded: 0 },
      changes: [],
    });
    expect(same.nothingToDo).toBe(true);
  });

  test.each([
    ['花名册.XLSX', 'xlsx'],
    ['a.b.csv', 'csv'],
    ['旧表格.xls', null],
    ['无扩展名', null],
  ])('%s → %s', (name, format) => {
    expect(importFormatOf(name)).toBe(format);
  });
});

describe('audit', () => {
  test('rows name colleagues, never owners, and translate values', () => {
    const names = { o_demo_service: '周客服' };
    const [approve, request] = AUDIT_ENTRIES.map((e) => toAuditRow(e, names));
    expect(approve).toMatchObject({ actionText: '审核通过', actorText: '周客服' });
    expect(approve!.diffs[0]).toMatchObject({ label: '状态', before: '待审核', after: '已认证' });
    expect(request!.actorText).toBe('业主（…omer）');
    expect(request!.diffs.every((d) => !d.hasBefore)).toBe(true);
  });

  test('presets are Beijing days, inclusive', () => {
    expect(presetRange('today', '2026-11-27')).toEqual({ from: '2026-11-27', to: '2026-11-27' });
    expect(presetRange('7d', '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(presetRange('all', '2026-11-27')).toEqual({});
  });

  test.each([
    ['2026-11-01', '2026-11-01'],
    ['2026/11/1', '2026-11-01'],
    ['2026年11月1日', '2026-11-01'],
    ['', ''],
    ['2026-02-30', null],
    ['11/01', null],
  ])('parseDay(%s) → %s', (text, day) => {
    expect(parseDay(text)).toBe(day);
  });
});
