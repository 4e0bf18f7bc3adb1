/**
 * The fee-standard form (admin/fees/form.ts) checks with fee.saveStandard / fee.addVersion: the
 * contract's rules and words per form field, every problem at once; the form only turns typed
 * text into the contract's units and words those limits in the units typed.
 */
import {
  applicabilityOf,
  checkStandard,
  checkVersion,
  emptyForm,
  scopeChoiceOf,
  standardField,
  type StandardForm,
} from '../../miniprogram/admin/fees/form';

const TODAY = '2026-11-27';
const form = (f: Partial<StandardForm> = {}): StandardForm => ({
  ...emptyForm(TODAY),
  itemId: 'property',
  name: '物业服务费',
  unitPrice: '2.35',
  effectiveFrom: '2027-01-01',
  approvalRef: '业主大会决议',
  approvedAt: '2026-11-20',
  ...f,
});

describe('checkStandard', () => {
  test('a new area standard: the typed price stays text, numbers become numbers', () => {
    const res = checkStandard(
      form({ vacancyPercent: '30', lateFeeOn: true, lateFeePermille: '0.5' }),
      'c_1',
      true,
    );
    expect(res).toEqual({
      ok: true,
      input: {
        communityId: 'c_1',
        itemId: 'property',
        name: '物业服务费',
        kind: 'area',
        applicability: { scope: 'all' },
        cycle: 'quarterly',
        firstMonth: 1,
        billingMode: 'prepaid',
        dueDay: 15,
        rounding: 'halfUp',
        vacancyDiscount: { rateBp: 3000 },
        lateFee: {
          enabled: true,
          rateBpPerDay: 5,
          graceDays: 30,
          cap: { kind: 'percentOfPrincipal', bp: 10000 },
        },
        description: null,
        version: {
          effectiveFrom: '2027-01-01',
          pricing: { kind: 'area', areaBasis: 'building', unitPrice: '2.35' },
          approvalRef: '业主大会决议',
          approvedAt: '2026-11-20',
        },
      },
    });
  });

  test('every problem at once, in the contract’s words (limits in the units typed)', () => {
    const res = checkStandard(
      form({
        itemId: 'Parking',
        name: '',
        dueDay: '40',
        firstMonth: '',
        unitPrice: '2.123456',
        approvalRef: '',
        approvedAt: '2027-02-01',
        vacancyPercent: '0',
        lateFeeOn: true,
        lateFeePermille: '0',
        lateFeeGraceDays: '999',
        lateFeeCapPercent: '200',
      }),
      'c_1',
      true,
    );
    expect(res).toEqual({
      ok: false,
      errors: {
        itemId: '项目编号为 2–32 位小写字母、数字或 _，以字母开头（如 property）',
        name: '请填写收费项目名称',
        firstMonth: '起始月应为 1–12',
        dueDay: '缴费日应为 1–31',
        vacancyPercent: '减收比例应为 0.01–100',
        lateFeePermille: '日费率应为 0.1‰–10‰',
        lateFeeGraceDays: '宽限天数应为 0–365',
        lateFeeCapPercent: '上限应为本金的 0–100%',
        unitPrice: '单价应为数字，最多 4 位小数（如 2.35）',
        approvalRef: '请填写批准文号或决议名称',
        approvedAt: '批准日期不能晚于生效日期',
      },
    });
  });

  test('a reserved item id and a meter without its unit are the contract’s to refuse', () => {
    const res = checkStandard(
      form({ itemId: 'latefee', kind: 'meter', meterUnit: ' ' }),
      'c',
      true,
    );
    expect(res).toEqual({
      ok: false,
      errors: { itemId: '该编号为系统保留，请换一个', meterUnit: '请填写计量单位，如 度、吨' },
    });
  });

  test('a one-off amount that is not yuan is the amount’s problem', () => {
    const res = checkStandard(form({ kind: 'oneOff', amount: '五十' }), 'c_1', true);
    expect(res).toEqual({ ok: false, errors: { amount: '请输入金额，最多 2 位小数' } });
    const ok = checkStandard(form({ kind: 'oneOff', amount: '50.5' }), 'c_1', true);
    expect(ok.ok && ok.input.version?.pricing).toEqual({ kind: 'oneOff', amountFen: 5050 });
  });

  test('editing a definition sends no price, and carries the revision', () => {
    const res = checkStandard(form({ unitPrice: '', approvalRef: '' }), 'c_1', false, 4);
    expect(res.ok).toBe(true);
    expect(res.ok && res.input).not.toHaveProperty('version');
    expect(res.ok && res.input.revision).toBe(4);
  });

  test('适用对象: a kind of parking space is the spaces scope; an edit keeps a scope the form does not offer', () => {
    const rented = checkStandard(
      form({ kind: 'parking', unitPrice: '300', applicability: applicabilityOf('rented') }),
      'c_1',
      true,
    );
    expect(rented.ok && rented.input.applicability).toEqual({
      scope: 'spaces',
      spaceKinds: ['rented'],
    });
    const water = { scope: 'buildings', buildingIds: ['1'] } as const;
    expect(scopeChoiceOf(water)).toBe('');
    const edit = checkStandard(form({ applicability: water }), 'c_1', false, 2);
    expect(edit.ok && edit.input.applicability).toEqual(water);
  });
});

describe('checkVersion', () => {
  test('a new price from a date', () => {
    expect(checkVersion(form({ unitPrice: '2.6' }), 'c_1', 3)).toEqual({
      ok: true,
      input: {
        communityId: 'c_1',
        itemId: 'property',
        effectiveFrom: '2027-01-01',
        pricing: { kind: 'area', areaBasis: 'building', unitPrice: '2.6' },
        approvalRef: '业主大会决议',
        approvedAt: '2026-11-20',
        revision: 3,
      },
    });
  });

  test('dates are real ones', () => {
    const res = checkVersion(form({ effectiveFrom: '2027-02-30', approvedAt: '' }), 'c_1');
    expect(res).toEqual({
      ok: false,
      errors: {
        effectiveFrom: '日期应为 YYYY-MM-DD 格式的有效日期',
        approvedAt: '日期应为 YYYY-MM-DD 格式的有效日期',
      },
    });
  });
});

test.each([
  ['version.pricing.unitPrice', 'unitPrice'],
  ['pricing.tiers.0.unitPrice', 'unitPrice'],
  ['version.pricing.unit', 'meterUnit'],
  ['pricing.amountFen', 'amount'],
  ['lateFee.cap.bp', 'lateFeeCapPercent'],
  ['lateFee.graceDays', 'lateFeeGraceDays'],
  ['vacancyDiscount.rateBp', 'vacancyPercent'],
  ['version.approvedAt', 'approvedAt'],
  ['revision', undefined],
])('the problem at %s is shown at %s', (path, field) => {
  expect(standardField(path)).toBe(field);
});
