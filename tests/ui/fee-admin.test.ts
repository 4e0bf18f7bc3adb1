/**
 * Fee staff pages in the admin subpackage: 抄表录入 (sheet with previous readings, entering and
 * saving, a flagged reading confirmed with a note by finance, service cannot confirm), 空置管理
 * (find a room, record, revoke with a reason), 期初导入 (upload, preview with problems first,
 * confirm imports the previewed rows) and 收费标准 (a new price version checked, confirmed and sent;
 * the server's refusal at its field).
 */
import { type MeterReadingView } from '../../miniprogram/domain/fee/readings.contract';
import type { OpeningPreview } from '../../miniprogram/domain/fee/opening.contract';
import type { ReadingSheet } from '../../miniprogram/domain/fee/readings.contract';
import { readingsToSave, toSheetRow, usagePreview } from '../../miniprogram/admin/readings/view';
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { FINANCE, SERVICE } from './fixtures';
import { callsOf, confirmAll, fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  openPage,
  queryAll,
  type Rendered,
  settle,
  tap,
  tapButton,
  textOf,
  typeInto,
} from './page';
import type {
  FeeStandardView,
  OpeningImportResult,
  SavedReadings,
  VacancyView,
} from '../../miniprogram/domain/fee/contract';
import type { Page } from '../../miniprogram/domain/kernel/contract';
import type { RoomListItem } from '../../miniprogram/domain/community/contract';

const ITEMS = {
  items: [{ itemId: 'tapwater', name: '自来水费（1栋代收）', unit: 'm³' }],
  readingPeriod: '2026-10',
};

const FLAGGED: MeterReadingView = {
  readingId: 'mr_r_1_1_201_tapwater_2026-10',
  roomId: 'r_1_1_201',
  roomLabel: '1栋1单元201',
  itemId: 'tapwater',
  period: '2026-10',
  previous: '130',
  current: '230',
  multiplier: '1',
  loss: '0',
  usage: '100',
  readOn: null,
  status: 'flagged',
  flags: ['spike'],
  median: '10',
  note: null,
  enteredAt: '2026-11-01T02:00:00.000Z',
  ownerReading: null,
};

function sheet(rows: ReadingSheet['rows'], counts?: Partial<ReadingSheet['counts']>): ReadingSheet {
  return {
    itemId: 'tapwater',
    name: '自来水费（1栋代收）',
    unit: 'm³',
    period: '2026-10',
    buildings: ['1'],
    rows,
    nextCursor: null,
    total: rows.length,
    counts: {
      rooms: 3,
      entered: 2,
      flagged: 1,
      submitted: 0,
      confirmed: 0,
      rejected: 0,
      billed: 0,
      ...counts,
    },
  };
}

const SHEET = sheet([
  {
    roomId: 'r_1_1_101',
    roomLabel: '1栋1单元101',
    previous: '120',
    previousPeriod: '2026-09',
    reading: null,
  },
  {
    roomId: 'r_1_1_102',
    roomLabel: '1栋1单元102',
    previous: null,
    previousPeriod: null,
    reading: null,
  },
  {
    roomId: 'r_1_1_201',
    roomLabel: '1栋1单元201',
    previous: '130',
    previousPeriod: '2026-09',
    reading: FLAGGED,
  },
]);

describe('抄表录入 helpers', () => {
  test('usage preview, and what a save sends', () => {
    expect(usagePreview('120.5', '131')).toBe('10.5');
    expect(usagePreview(null, '1')).toBeNull();
    expect(usagePreview('1', '1.23456')).toBeNull();
    const rows = SHEET.rows.map((r) => toSheetRow(r, 'm³'));
    expect(rows[1]).toMatchObject({ needsStart: true, previousText: '—', statusText: '待录入' });
    expect(rows[2]).toMatchObject({ statusText: '待确认', lower: false });
    expect(rows[2]!.flagText).toContain('超过该户历史中位数 10 m³ 的 5 倍');
    expect(readingsToSave(rows, {})).toEqual({ error: '请先填写本次读数' });
    expect(readingsToSave(rows, { r_1_1_101: { current: 'abc' } })).toEqual({
      error: '1栋1单元101：本次读数应为非负数，最多 4 位小数',
    });
    expect(readingsToSave(rows, { r_1_1_102: { current: '5' } })).toEqual({
      error: '1栋1单元102：首次抄表请填写起始读数',
    });
    expect(
      readingsToSave(rows, {
        r_1_1_101: { current: '131' },
        r_1_1_102: { current: '5', start: '0' },
      }),
    ).toEqual({
      readings: [
        { roomId: 'r_1_1_101', current: '131' },
        { roomId: 'r_1_1_102', current: '5', previous: '0' },
      ],
    });
  });
});

describe('抄表录入', () => {
  test('shows previous readings and the flagged one; saving sends typed readings; finance confirms with a note', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.meterItems': ok(ITEMS),
      'fee.readingSheet': ok(SHEET),
      'fee.saveReadings': ok<SavedReadings>({
        saved: 1,
        flagged: 0,
        unchanged: 0,
        results: [],
      }),
      'fee.confirmReadings': ok({ readings: [{ ...FLAGGED, status: 'confirmed' }] }),
    });
    const page = await loadPage('admin/readings/index');
    const ask = stub.calls.find((c) => c.data.action === 'readingSheet')!;
    expect(ask.data).toMatchObject({ communityId: 'c_cuihu', itemId: 'tapwater', filter: 'all' });
    expect(ask.data.period).toMatch(/^\d{4}-\d{2}$/);
    const text = textOf(page);
    expect(text).toContain('自来水费（1栋代收）');
    expect(text).toContain('上次读数 120（2026年9月）');
    expect(text).toContain('待确认');
    expect(text).toContain('用量 100 m³ 超过该户历史中位数 10 m³ 的 5 倍');

    // typing shows the usage; saving sends only what was typed
    const fields = queryAll(page, '.f-current');
    expect(fields.length).toBe(3);
    const input = queryAll(fields[0]!, '.van-field__control').find(
      (n) => n.dom?.tagName === 'WX-INPUT',
    )!;
    input.dispatchEvent('input', { detail: { value: '131.5', cursor: 5, keyCode: 0 } });
    await settle(10);
    expect(textOf(page)).toContain('用量 11.5 m³');
    await tapButton(page, '.save');
    await settle();
    const save = stub.calls.find((c) => c.data.action === 'saveReadings')!;
    expect(save.data).toMatchObject({
      itemId: 'tapwater',
      readings: [{ roomId: 'r_1_1_101', current: '131.5' }],
    });

    // confirm the flagged reading: a note is required
    await tapButton(page, '.confirm');
    await tapButton(page, '.confirm-decide');
    expect(textOf(page)).toContain('请填写核实说明');
    expect(stub.calls.some((c) => c.data.action === 'confirmReadings')).toBe(false);
    await typeInto(page, ['.f-note'], '现场核实，水管漏水已修复');
    await tapButton(page, '.confirm-decide');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'confirmReadings')!.data).toEqual({
      action: 'confirmReadings',
      communityId: 'c_cuihu',
      readingIds: [FLAGGED.readingId],
      decision: 'confirm',
      note: '现场核实，水管漏水已修复',
    });
  });

  test('the 待确认 tab asks for flagged readings; service staff enter but cannot confirm', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'fee.meterItems': ok(ITEMS),
      'fee.readingSheet': (input: Record<string, unknown>) =>
        ok(input.filter === 'flagged' ? sheet([SHEET.rows[2]!]) : SHEET),
    });
    const page = await loadPage('admin/readings/index');
    await tap(page, '.f-flagged');
    await settle();
    expect(stub.calls[stub.calls.length - 1]!.data).toMatchObject({ filter: 'flagged' });
    expect(queryAll(page, '.reading').length).toBe(1);
    expect(queryAll(page, '.confirm').length).toBe(0);
    expect(textOf(page)).toContain('待财务核实确认');
  });

  test('no meter items: explained', async () => {
    stubWx({ 'account.whoami': ok(FINANCE), 'fee.meterItems': ok({ ...ITEMS, items: [] }) });
    const page = await loadPage('admin/readings/index');
    expect(textOf(page)).toContain('暂无按表计量的收费项目');
  });
});

const VACANCY: VacancyView = {
  vacancyId: 'vac_1',
  roomId: 'r_2_1_302',
  roomLabel: '2栋1单元302',
  from: '2026-12-01',
  to: '2027-08-31',
  status: 'approved',
  approvalRef: '空置申请（物业服务中心审批）',
  note: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  revokedAt: null,
  reason: null,
};

describe('空置管理', () => {
  test('lists approved vacancies; records one for a room found by number; revokes with a reason', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.vacancies': ok<Page<VacancyView>>({ items: [VACANCY], nextCursor: null, total: 1 }),
      'community.rooms': ok<Page<Partial<RoomListItem>>>({
        items: [{ roomId: 'r_1_1_1501', label: '1栋1单元1501' }],
        nextCursor: null,
        total: 1,
      }),
      'fee.recordVacancy': ok({ ...VACANCY, vacancyId: 'vac_2', roomId: 'r_1_1_1501' }),
      'fee.revokeVacancy': ok({ ...VACANCY, status: 'revoked' }),
    });
    const page = await loadPage('admin/vacancies/index');
    expect(textOf(page)).toContain('2栋1单元302');
    expect(textOf(page)).toContain('2026年12月1日 至 2027年8月31日');

    await tapButton(page, '.add');
    await tapButton(page, '.save');
    expect(textOf(page)).toContain('请先查找并选择房屋');
    await typeInto(page, ['.f-keyword'], '1501');
    await tapButton(page, '.search-room');
    await settle();
    await tap(page, '.match');
    expect(textOf(page)).toContain('房屋：1栋1单元1501');
    await tapButton(page, '.save');
    expect(textOf(page)).toContain('请填写审批单号或说明');
    await typeInto(page, ['.f-approval'], '空置申请 2026-015');
    await tapButton(page, '.save');
    await settle();
    const rec = stub.calls.find((c) => c.data.action === 'recordVacancy')!;
    expect(rec.data).toMatchObject({
      communityId: 'c_cuihu',
      roomId: 'r_1_1_1501',
      approvalRef: '空置申请 2026-015',
    });
    expect(rec.data.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await tapButton(page, '.revoke');
    await tapButton(page, '.confirm-revoke');
    expect(textOf(page)).toContain('请填写撤销原因');
    await typeInto(page, ['.f-reason'], '业主已入住');
    await tapButton(page, '.confirm-revoke');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'revokeVacancy')!.data).toEqual({
      action: 'revokeVacancy',
      communityId: 'c_cuihu',
      vacancyId: 'vac_1',
      reason: '业主已入住',
    });
  });
});

const PREVIEW_BAD: OpeningPreview = {
  kind: 'arrears',
  period: '2026-10',
  format: 'csv',
  rows: [
    {
      line: 2,
      roomId: 'r_1_1_101',
      roomLabel: '1栋1单元101',
      amountFen: 123450,
      note: '旧系统欠费',
      status: 'new',
      message: null,
    },
    {
      line: 3,
      roomId: null,
      roomLabel: '9栋9单元999',
      amountFen: 1000,
      note: null,
      status: 'error',
      message: '小区中没有这间房屋，请核对楼栋、单元、房号',
    },
  ],
  errors: [{ line: 4, message: '金额须大于 0' }],
  counts: { rows: 2, new: 1, unchanged: 0, errors: 2 },
  newFen: 123450,
  totalFen: 124450,
  ready: false,
};

const PREVIEW_OK: OpeningPreview = {
  ...PREVIEW_BAD,
  rows: [PREVIEW_BAD.rows[0]!],
  errors: [],
  counts: { rows: 1, new: 1, unchanged: 0, errors: 0 },
  totalFen: 123450,
  ready: true,
};

function withFile(stub: ReturnType<typeof stubWx>) {
  stub.wx.chooseMessageFile = jest.fn(async () => ({
    errMsg: 'chooseMessageFile:ok',
    tempFiles: [{ path: 'wxfile://tmp_open.csv', size: 300, name: '期初欠费.csv', type: 'file' }],
  }));
  (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(
    async (o: { cloudPath: string }) => ({ fileID: `cloud://local-dev.bucket/${o.cloudPath}` }),
  );
  confirmAll(stub);
}

describe('期初导入', () => {
  async function open(preview: OpeningPreview): Promise<{
    page: Rendered;
    stub: ReturnType<typeof stubWx>;
  }> {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.previewOpening': ok(preview),
      'fee.importOpening': ok<OpeningImportResult>({
        kind: 'arrears',
        created: 1,
        unchanged: 0,
        totalFen: 123450,
        results: [],
      }),
    });
    withFile(stub);
    const page = await loadPage('admin/opening/index');
    return { page, stub };
  }

  test('a file with problems lists them first and cannot be imported', async () => {
    const { page, stub } = await open(PREVIEW_BAD);
    await tapButton(page, '.choose');
    await settle();
    const upload = (stub.wx.cloud as Record<string, jest.Mock>).uploadFile!;
    expect(upload.mock.calls[0][0].cloudPath).toMatch(/^imports\/c_cuihu\/opening-\d+\.csv$/);
    const preview = stub.calls.find((c) => c.data.action === 'previewOpening')!;
    expect(preview.data).toMatchObject({ kind: 'arrears', communityId: 'c_cuihu' });
    expect(preview.data.period).toMatch(/^\d{4}-\d{2}$/);
    const text = textOf(page);
    expect(text).toContain('有问题时不会导入任何一行');
    expect(text).toContain('第 4 行：金额须大于 0');
    expect(text.indexOf('9栋9单元999')).toBeLessThan(text.indexOf('1栋1单元101'));
    expect(queryAll(page, '.import').length).toBe(0);
  });

  test('a clean file imports the previewed rows after confirmation', async () => {
    const { page, stub } = await open(PREVIEW_OK);
    await tapButton(page, '.choose');
    await settle();
    expect(textOf(page)).toContain('校验通过，本次将导入 ¥1,234.50');
    await tapButton(page, '.import');
    await settle();
    const imported = stub.calls.find((c) => c.data.action === 'importOpening')!;
    expect(imported.data).toMatchObject({
      kind: 'arrears',
      rows: [{ roomId: 'r_1_1_101', amountFen: 123450, note: '旧系统欠费' }],
    });
    expect(textOf(page)).toContain('导入完成');
    expect(textOf(page)).toContain('新导入 1 户');
  });

  test('期初预存 sends no period', async () => {
    const { page, stub } = await open({ ...PREVIEW_OK, kind: 'prepaid', period: null });
    await tap(page, '.k-prepaid');
    await tapButton(page, '.choose');
    await settle();
    const preview = stub.calls.find((c) => c.data.action === 'previewOpening')!;
    expect(preview.data.kind).toBe('prepaid');
    expect(preview.data.period).toBeUndefined();
  });
});

describe('收费标准 (admin/fees)', () => {
  /** A start date the approval (today) comes before, on any day the suite runs. */
  const FROM = addDays(shanghaiDate(new Date()), 120);
  const PROPERTY: FeeStandardView = {
    communityId: 'c_cuihu',
    itemId: 'property',
    name: '物业服务费',
    kind: 'area',
    kindLabel: '按面积',
    cycle: 'quarterly',
    cycleLabel: '按季',
    firstMonth: 1,
    billingMode: 'prepaid',
    billingModeLabel: '预收',
    dueDay: 15,
    rounding: 'halfUp',
    applicability: { scope: 'all' },
    applicabilityText: '全部房屋',
    vacancyDiscount: null,
    prepaymentDiscount: [],
    lateFee: null,
    effectiveTo: null,
    description: null,
    revision: 3,
    issuedThrough: '2026-12-31',
    status: 'active',
    currentVersionId: 'v1',
    versions: [
      {
        versionId: 'v1',
        effectiveFrom: '2025-01-01',
        effectiveTo: null,
        pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
        priceText: '2.35 元/m²/月（按建筑面积）',
        approvalRef: '业主大会决议',
        approvedAt: '2024-12-01',
        note: null,
        createdAt: null,
      },
    ],
    rules: [],
    updatedAt: null,
  } as FeeStandardView;

  /** Not billed yet: its price may still be set right directly. */
  const UNBILLED = { ...PROPERTY, issuedThrough: null };

  test('a billed standard offers 发起调价 (the adjustment workflow), never a direct new price', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.standards': ok({ standards: [PROPERTY] }),
    });
    const page = openPage('admin/fees/index');
    await settle();
    expect(textOf(page)).toContain('已出账至 2026年12月31日');
    expect(textOf(page)).not.toContain('调整价格');
    await tap(page, '.adjust');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/admin/adjustments/index?itemId=property',
    });
    expect(callsOf(stub, 'addVersion')).toHaveLength(0);
  });

  async function openVersionForm(addVersion: unknown) {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.standards': ok({ standards: [UNBILLED] }),
      'fee.addVersion': addVersion,
    });
    confirmAll(stub);
    const page = await loadPage('admin/fees/index');
    await tap(page, '.act-primary');
    return { stub, page };
  }

  test('a new price from a date: checked, confirmed, sent as a version; the list reloads', async () => {
    const { stub, page } = await openVersionForm(ok(UNBILLED));
    await tapButton(page, '.save-btn');
    expect(callsOf(stub, 'addVersion')).toHaveLength(0);
    expect(stub.wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ icon: 'none' }));

    await typeInto(page, ['.f-price'], '2.60');
    await typeInto(page, ['.f-effective'], FROM);
    await typeInto(page, ['.f-approval'], '业主大会 2027 第 1 号决议');
    await tapButton(page, '.save-btn');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '确认调整价格' }),
    );
    expect(callsOf(stub, 'addVersion')[0]!.data).toMatchObject({
      itemId: 'property',
      effectiveFrom: FROM,
      pricing: { kind: 'area', areaBasis: 'building', unitPrice: '2.60' },
      approvalRef: '业主大会 2027 第 1 号决议',
      revision: 3,
    });
    expect(stub.wx.showToast).toHaveBeenLastCalledWith({ title: '已保存', icon: 'success' });
    expect(callsOf(stub, 'standards')).toHaveLength(2);
  });

  test('a refusal naming a field stands under it, and is said in a notice', async () => {
    const { stub, page } = await openVersionForm(
      fail('INVALID_INPUT', 'effectiveFrom: 该日期已有价格版本，请换一个生效日期'),
    );
    await typeInto(page, ['.f-price'], '2.60');
    await typeInto(page, ['.f-effective'], FROM);
    await typeInto(page, ['.f-approval'], '业主大会决议');
    await tapButton(page, '.save-btn');
    await settle();
    expect(textOf(page)).toContain('该日期已有价格版本，请换一个生效日期');
    expect(page.data.errors.effectiveFrom).toBe('该日期已有价格版本，请换一个生效日期');
    expect(stub.wx.showModal).toHaveBeenLastCalledWith(
      expect.objectContaining({
        title: '保存未成功',
        content: '该日期已有价格版本，请换一个生效日期',
      }),
    );
    expect(callsOf(stub, 'standards')).toHaveLength(1);
  });
});
