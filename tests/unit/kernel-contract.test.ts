/**
 * The contract kit (miniprogram/domain/kernel/contract.ts, check.ts): `check` gives every problem
 * at once with its field path and a Chinese sentence, in the form the router turns into its
 * INVALID_INPUT reply; contracts mark the reads the client may repeat.
 */
import { api, type FunctionName } from '../../miniprogram/domain/api';
import { IDEMPOTENT_READS } from '../helpers/reads';
import {
  check,
  contract,
  defaultMessage,
  describeErrors,
  messagesByField,
  z,
} from '../../miniprogram/domain/kernel/contract';

/** A valid unified social credit code (check character computed per GB 32100-2015). */
const USCC = '91110000600037341L';

describe('check', () => {
  test('an invoice request with several problems: every one at once, each naming its field', () => {
    const res = check(api.payment.requestInvoice, {
      paymentId: 'pay_1',
      titleType: 'company',
      title: '杭',
      taxId: '12345',
      email: 'not-an-email',
    });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.errors).toEqual([
      { field: 'title', message: '请填写抬头（至少 2 个字）' },
      { field: 'taxId', message: '税号应为 18 位统一社会信用代码（或 15/20 位纳税人识别号）' },
      { field: 'email', message: '邮箱格式不正确' },
    ]);
  });

  test('the cross-field rule is asked even when another field is missing', () => {
    const res = check(api.payment.requestInvoice, { paymentId: 'pay_1', titleType: 'company' });
    expect(!res.ok && messagesByField(res.errors)).toEqual({
      title: '请填写此项',
      taxId: '单位抬头请填写税号',
    });
  });

  test('the tax ID rule is the function’s: a bad check character, a legacy number, a real code', () => {
    const base = { paymentId: 'pay_1', titleType: 'company', title: '杭州翠湖科技有限公司' };
    const bad = check(api.payment.requestInvoice, { ...base, taxId: '91110000600037341X' });
    expect(!bad.ok && bad.errors).toEqual([
      { field: 'taxId', message: '统一社会信用代码校验位不正确，请核对后重新填写' },
    ]);
    const legacy = check(api.payment.requestInvoice, { ...base, taxId: '330106123456789' });
    expect(legacy.ok).toBe(true);
    const typed = check(api.payment.requestInvoice, {
      ...base,
      taxId: ` ${USCC.slice(0, 9).toLowerCase()} ${USCC.slice(9)} `,
    });
    expect(typed.ok && typed.data.taxId).toBe(USCC);
  });

  test('parsed data carries defaults and transforms (the function’s view of the input)', () => {
    const res = check(api.fee.proposeAdjustment, {
      communityId: 'c_1',
      requestId: 'req_12345',
      itemId: 'property',
      pricing: { kind: 'area', unitPrice: '2.6' },
      effectiveFrom: '2027-01-01',
      approvalRef: '业主大会决议',
      approvedAt: '2026-11-01',
      reason: '保洁与绿化外包合同价格上涨',
      documents: [{ name: '决议', fileId: 'cloud://env/a.pdf' }],
    });
    expect(res.ok).toBe(true);
    expect(res.ok && res.data).toMatchObject({
      noticeDays: 30,
      pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 26000 },
    });
  });

  test('nested paths are dotted, array indexes included', () => {
    const res = check(api.settings.update, {
      communityId: 'c_1',
      templates: {
        billReminder: { templateId: 'T1', keywords: [{ key: 'Thing', type: 'thing' }] },
      },
    });
    expect(!res.ok && res.errors).toEqual([
      { field: 'templates.billReminder.keywords.0.key', message: '关键词名如 thing1、amount2' },
    ]);
  });

  test('unexpected fields are named one by one, nested ones with their path', () => {
    const res = check(api.settings.update, {
      communityId: 'c_1',
      extra: 1,
      quietHours: { from: '22:00', to: '07:00', tz: 'x' },
    });
    expect(!res.ok && res.errors.map((e) => e.field).sort()).toEqual(['extra', 'quietHours.tz']);
    expect(!res.ok && res.errors[0]!.message).toBe('不支持的字段 (unrecognized field)');
  });

  test('a rule on the whole input has no field; the reply line calls it (input)', () => {
    const res = check(api.community.update, { communityId: 'c_1' });
    expect(!res.ok && res.errors).toEqual([{ field: '', message: '至少修改一项设置' }]);
    expect(!res.ok && describeErrors(res.errors)).toBe('(input): 至少修改一项设置');
  });

  test('rules without their own words read in Chinese', () => {
    const schema = contract<null>()(
      z.strictObject({
        name: z.string().check(z.minLength(2), z.maxLength(4)),
        count: z.int().check(z.minimum(1), z.maximum(9)),
        tags: z.array(z.string()).check(z.minLength(1)),
        kind: z.enum(['a', 'b']),
        needed: z.string(),
      }),
    );
    const res = check(schema, { name: 'abcdef', count: 1.5, tags: [], kind: 'c' });
    expect(!res.ok && messagesByField(res.errors)).toEqual({
      name: '最多 4 个字',
      count: '应为整数',
      tags: '至少 1 项',
      kind: '应为 a、b 之一',
      needed: '请填写此项',
    });
    const small = check(schema, { name: 'a', count: 0, tags: ['x'], kind: 'a', needed: 'y' });
    expect(!small.ok && messagesByField(small.errors)).toEqual({
      name: '至少 2 个字',
      count: '不能小于 1',
    });
  });

  test('describeErrors is the reply message: field: sentence; field: sentence', () => {
    expect(
      describeErrors([
        { field: 'taxId', message: '单位抬头请填写税号' },
        { field: 'readings.0.roomId', message: '同一房屋重复录入' },
      ]),
    ).toBe('taxId: 单位抬头请填写税号; readings.0.roomId: 同一房屋重复录入');
  });

  test('an issue of a kind the map does not know still gets a sentence', () => {
    expect(defaultMessage({ code: 'custom', input: 1, path: [] } as never)).toBe('格式不正确');
  });
});

describe('shared field rules', () => {
  test('dates and periods are real ones, with one sentence each', () => {
    const rep = (asOf: string) => check(api.report.aging, { communityId: 'c_1', asOf });
    expect(rep('2026-02-28').ok).toBe(true);
    for (const bad of ['2026-02-30', '2026-2-1', 'tomorrow']) {
      expect(!rep(bad).ok && (rep(bad) as { errors: unknown }).errors).toEqual([
        { field: 'asOf', message: '日期应为 YYYY-MM-DD 格式的有效日期' },
      ]);
    }
    const res = check(api.report.collection, { communityId: 'c_1', period: '2026-13' });
    expect(!res.ok && res.errors).toEqual([
      { field: 'period', message: '账期应为 YYYY-MM（如 2026-12）' },
    ]);
  });

  test('one community id rule for every function', () => {
    const msg = '小区编号只能包含字母、数字、_ 和 -（最多 64 位）';
    for (const c of [
      api.report.aging,
      api.complaint.desk,
      api.notice.staffList,
      api.reconcile.days,
      api.fee.adjustments,
      api.disclosure.list,
    ]) {
      const res = check(c, { communityId: '翠湖' });
      expect(!res.ok && res.errors).toEqual([{ field: 'communityId', message: msg }]);
    }
  });
});

describe('idempotent marks', () => {
  test('exactly the known reads are marked on their contracts', () => {
    const marked: string[] = [];
    for (const fn of Object.keys(api) as FunctionName[]) {
      const contracts: Record<string, { idempotent: boolean }> = api[fn];
      for (const [action, c] of Object.entries(contracts)) {
        if (c.idempotent) marked.push(`${fn}.${action}`);
      }
    }
    expect(marked.sort()).toEqual([...IDEMPOTENT_READS].sort());
  });

  test('a contract is not idempotent unless it says so', () => {
    const input = z.strictObject({});
    expect(contract<null>()(input).idempotent).toBe(false);
    expect(contract<null>()(input, { idempotent: true }).idempotent).toBe(true);
    expect(api.payment.createOrder.idempotent).toBe(false);
    expect(api.payment.recordOffline.idempotent).toBe(false);
  });
});
