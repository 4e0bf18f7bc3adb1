/**
 * Staff pages of 收支公示 and 调价公示: the disclosure list with prepare → review → publish and a
 * correction with its reason; expense/income entries checked before sending (voucher required,
 * yuan typed becomes integer fen) and uploaded vouchers; proposals of a new price refused before
 * the notice period ends, then announced after confirmation. Other roles: staff-page.test.ts.
 */
import { computeFigures } from '../../miniprogram/domain/disclosure/rules';
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { DisclosureSummary } from '../../miniprogram/domain/disclosure/contract';
import { FINANCE } from './fixtures';
import { confirmAll, ok, stubWx } from './wx-stub';
import {
  loadPage,
  query,
  queryAll,
  settle,
  tap,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';
import type { FeeStandardView } from '../../miniprogram/domain/fee/contract';
import type { AdjustmentView } from '../../miniprogram/domain/fee/adjustments.contract';

/** Type into a vant textarea field (its native <textarea> fires `input`). */
async function typeArea(page: Parameters<typeof query>[0], selector: string, value: string) {
  const area = queryAll(query(page, selector), '.van-field__control').find(
    (n) => n.dom?.tagName === 'WX-TEXTAREA',
  );
  if (!area) throw new Error(`no <textarea> in ${selector}`);
  area.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
  await settle(10);
}

const flat = (p: Parameters<typeof textOf>[0]) => textOf(p).replace(/\s+/g, '');

const totals = computeFigures(
  { receivedFen: 100_000, refundedFen: 0, payments: 1, refunds: 0, byChannel: [] },
  [
    {
      entryId: 'e',
      category: 'staff',
      date: '2026-07-01',
      description: 'x',
      amountFen: 50_000,
      vouchers: 1,
    },
  ],
  [],
).totals;
const row = (over: Partial<DisclosureSummary>): DisclosureSummary => ({
  disclosureId: 'dc_c_cuihu_2026Q3_1',
  communityId: 'c_cuihu',
  period: '2026Q3',
  periodLabel: '2026年第三季度',
  version: 1,
  status: 'draft',
  superseded: false,
  supersededBy: null,
  totals,
  publishedAt: null,
  correctionReason: null,
  ...over,
});
describe('收支公示 (staff)', () => {
  test('prepares a draft with service projects, approves it and publishes after confirming', async () => {
    let list = [
      row({
        disclosureId: 'dc_c_cuihu_2026Q2_1',
        period: '2026Q2',
        periodLabel: '2026年第二季度',
        status: 'published',
        publishedAt: '2026-07-15T02:00:00.000Z',
      }),
    ];
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'disclosure.list': () => ok({ disclosures: list }),
      'disclosure.prepare': (input: Record<string, unknown>) => {
        list = [row({}), ...list];
        return ok({ ...row({}), snapshot: {}, input });
      },
      'disclosure.review': () => {
        list = [row({ status: 'reviewed' }), ...list.slice(1)];
        return ok(row({ status: 'reviewed' }));
      },
      'disclosure.publish': ok(row({ status: 'published' })),
    });
    confirmAll(stub);
    const page = await loadPage('admin/disclosure/index');
    expect(flat(page)).toContain('2026年第二季度收支公示');
    expect(flat(page)).toContain('发布更正');

    await typeArea(page, '.f-projects', '电梯钢丝绳更换：8 月完成\n\n防汛排查');
    await tapButton(page, '.prepare');
    await settle();
    const prep = stub.calls.find((c) => c.data.action === 'prepare')!.data;
    expect(prep).toMatchObject({
      communityId: 'c_cuihu',
      projects: [
        { title: '电梯钢丝绳更换', detail: '8 月完成' },
        { title: '防汛排查', detail: '' },
      ],
      note: '',
    });
    expect(prep.period).toMatch(/^\d{4}Q[1-4]$/);
    expect(prep).not.toHaveProperty('correctionReason');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/disclosure/index?id=dc_c_cuihu_2026Q3_1',
    });

    await tapButton(page, '.approve');
    expect(stub.calls.find((c) => c.data.action === 'review')!.data).toEqual({
      action: 'review',
      communityId: 'c_cuihu',
      disclosureId: 'dc_c_cuihu_2026Q3_1',
      decision: 'approve',
    });
    await settle();
    // Reloaded: the reviewed draft now offers 发布.
    await tapButton(page, '.publish');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalled();
    expect(stub.calls.find((c) => c.data.action === 'publish')!.data).toEqual({
      action: 'publish',
      communityId: 'c_cuihu',
      disclosureId: 'dc_c_cuihu_2026Q3_1',
    });
  });

  test('a correction needs its reason and sends it with the period of the published one', async () => {
    const published = row({ status: 'published', publishedAt: '2026-10-15T02:00:00.000Z' });
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'disclosure.list': ok({ disclosures: [published] }),
      'disclosure.prepare': ok({ ...row({ version: 2 }), snapshot: {} }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/disclosure/index');
    await tapButton(page, '.correct');
    expect(flat(page)).toContain('编制更正版本');
    await tapButton(page, '.prepare');
    expect(stub.calls.some((c) => c.data.action === 'prepare')).toBe(false);
    await typeInto(page, ['.f-correction'], '补记 9 月公共电费');
    await tapButton(page, '.prepare');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'prepare')!.data).toMatchObject({
      period: '2026Q3',
      correctionReason: '补记 9 月公共电费',
    });
  });

  test('an expense needs a voucher; yuan typed becomes integer fen; the voucher is uploaded first', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'disclosure.list': ok({ disclosures: [] }),
      'disclosure.entries': ok({ entries: [] }),
      'disclosure.addEntry': ok({}),
    });
    stub.wx.chooseMedia = jest.fn(async () => ({
      tempFiles: [{ tempFilePath: 'http://tmp/voucher.jpg' }],
    }));
    (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(async () => ({
      fileID: 'cloud://env.bucket/disclosure/c_cuihu/v.jpg',
    }));
    const page = await loadPage('admin/disclosure/index');
    await tap(page, '.tab-entries');
    await settle();
    await tapButton(page, '.new-entry');
    await tapNth(page, '.cat', 1); // 保洁费用
    await typeInto(page, ['.f-amount'], '12850.5');
    await typeInto(page, ['.f-description'], '9 月保洁外包服务费');
    await tapButton(page, '.save-entry');
    expect(flat(page)).toContain('请上传至少一张凭证照片');
    expect(stub.calls.some((c) => c.data.action === 'addEntry')).toBe(false);

    await tap(page, '.add-voucher');
    await settle();
    await tapButton(page, '.save-entry');
    await settle();
    const sent = stub.calls.find((c) => c.data.action === 'addEntry')!.data;
    expect(sent).toMatchObject({
      communityId: 'c_cuihu',
      type: 'expense',
      category: 'cleaning',
      date: shanghaiDate(new Date()),
      amountFen: 1_285_050,
      description: '9 月保洁外包服务费',
      vouchers: ['cloud://env.bucket/disclosure/c_cuihu/v.jpg'],
    });
    expect(sent.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(sent).not.toHaveProperty('use');
  });

  test('income needs its use', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'disclosure.list': ok({ disclosures: [] }),
      'disclosure.entries': ok({ entries: [] }),
      'disclosure.addEntry': ok({}),
    });
    const page = await loadPage('admin/disclosure/index');
    await tap(page, '.tab-entries');
    await settle();
    await tapButton(page, '.new-entry');
    await tap(page, '.type-income');
    await tapNth(page, '.cat', 0); // 广告收益
    await typeInto(page, ['.f-amount'], '18000');
    await typeInto(page, ['.f-description'], '电梯广告');
    await tapButton(page, '.save-entry');
    expect(flat(page)).toContain('请填写公共收益的使用情况');
    await typeInto(page, ['.f-use'], '计入业主共有资金');
    await tapButton(page, '.save-entry');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'addEntry')!.data).toMatchObject({
      type: 'income',
      category: 'ads',
      amountFen: 1_800_000,
      use: '计入业主共有资金',
      vouchers: [],
    });
  });
});

describe('调价公示 (staff)', () => {
  const today = shanghaiDate(new Date());
  const STANDARD = {
    itemId: 'property',
    name: '物业服务费',
    versions: [
      {
        versionId: 'v1',
        effectiveFrom: '2025-01-01',
        effectiveTo: null,
        pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
        priceText: '2.3500 元/m²/月（按建筑面积）',
        approvalRef: '决议',
        approvedAt: '2024-12-01',
        note: null,
        createdAt: null,
      },
    ],
  } as unknown as FeeStandardView;
  const PROPOSED: AdjustmentView = {
    adjustmentId: 'adj_1',
    communityId: 'c_cuihu',
    itemId: 'property',
    standardName: '物业服务费',
    currentPriceText: '2.35 元/m²/月（按建筑面积）',
    priceText: '2.60 元/m²/月（按建筑面积）',
    effectiveFrom: addDays(today, 45),
    approvalRef: '业主大会决议',
    approvedAt: today,
    reason: '人工成本上升，经业主大会表决通过',
    documents: [{ name: '决议', url: 'http://127.0.0.1/files/get/adjustments/a.jpg?t=1&sign=x' }],
    noticeDays: 30,
    status: 'proposed',
    statusLabel: '待公示',
    announcedOn: null,
    noticeEndsOn: null,
    daysLeft: 0,
    versionId: null,
    withdrawReason: null,
    proposedByName: '孙会计',
    announcedByName: '',
  };

  test('refuses a date inside the notice period before sending; sends the price in the standard’s shape', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.adjustments': ok({ adjustments: [] }),
      'fee.standards': ok({ standards: [STANDARD] }),
      'fee.proposeAdjustment': ok(PROPOSED),
    });
    stub.wx.chooseMedia = jest.fn(async () => ({
      tempFiles: [{ tempFilePath: 'http://tmp/d.jpg' }],
    }));
    (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(async () => ({
      fileID: 'cloud://env.bucket/adjustments/d.jpg',
    }));
    const page = await loadPage('admin/adjustments/index');
    await tapButton(page, '.new-adjustment');
    const inst = page.instance as unknown as Record<string, (e: unknown) => void>;
    inst.onStandard!({ detail: { value: 0 } });
    await settle();
    expect(flat(page)).toContain('现行价格：2.3500元/m²/月（按建筑面积）');
    await typeInto(page, ['.f-price'], '2.60');
    await typeInto(page, ['.f-approval'], '业主大会决议（物业费调整）');
    await typeArea(page, '.f-reason', '人工成本和最低工资标准上调，经业主大会表决通过。');
    inst.onField!({
      currentTarget: { dataset: { field: 'effectiveFrom' } },
      detail: { value: addDays(today, 10) },
    });
    await tap(page, '.upload');
    await settle();
    await tapButton(page, '.submit');
    expect(flat(page)).toContain(`须公示期满后生效，最早${addDays(today, 30)}`);
    expect(stub.calls.some((c) => c.data.action === 'proposeAdjustment')).toBe(false);

    inst.onField!({
      currentTarget: { dataset: { field: 'effectiveFrom' } },
      detail: { value: addDays(today, 45) },
    });
    await tapButton(page, '.submit');
    await settle();
    const sent = stub.calls.find((c) => c.data.action === 'proposeAdjustment')!.data;
    expect(sent).toMatchObject({
      communityId: 'c_cuihu',
      itemId: 'property',
      pricing: { kind: 'area', areaBasis: 'building', unitPrice: '2.60' },
      effectiveFrom: addDays(today, 45),
      approvedAt: today,
      noticeDays: 30,
      documents: [{ name: '依据材料 1', fileId: 'cloud://env.bucket/adjustments/d.jpg' }],
    });
  });

  test('a proposal is announced after confirming', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.adjustments': ok({ adjustments: [PROPOSED] }),
      'fee.standards': ok({ standards: [STANDARD] }),
      'fee.announceAdjustment': ok({ ...PROPOSED, status: 'notice' }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/adjustments/index');
    expect(flat(page)).toContain('2.35元/m²/月（按建筑面积）→2.60元/m²/月（按建筑面积）');
    expect(flat(page)).toContain('待公示');
    await tapButton(page, '.announce');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'announceAdjustment')!.data).toEqual({
      action: 'announceAdjustment',
      communityId: 'c_cuihu',
      adjustmentId: 'adj_1',
    });
  });
});
