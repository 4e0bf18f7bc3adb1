/**
 * 自助抄表 (pages/meter): the owner's meters with this month's window and the last accepted
 * reading; taking the photo uploads it to the owner's own folder; the report is checked before
 * sending (figure, photo) and the function's refusal shows next to the figure; a meter staff have
 * read, or outside the window, says why instead of offering the form; large type for 长辈模式.
 * Entries: 首页 (when the owner has meters) and a metered line of a bill. On the staff side,
 * 抄表录入's 业主上报 tab: the owner's photo, 采用 and 更正 (with a reason) through
 * fee.reviewOwnerReading.
 */
import { HOME_ARREARS, HOME_PAID, OWNER, SERVICE } from './fixtures';
import { callsOf, fail, ok, stubWx, type WxStub } from './wx-stub';
import {
  loadPage,
  queryAll,
  settle,
  tap,
  tapButton,
  textOf,
  typeInto,
  type Rendered,
} from './page';
import type { OwnerMeterView } from '../../miniprogram/domain/fee/owner-readings.contract';
import type { BillDetailView } from '../../miniprogram/domain/fee/contract';
import type {
  MeterReadingView,
  ReadingSheet,
} from '../../miniprogram/domain/fee/readings.contract';

const METER: OwnerMeterView = {
  roomId: 'r_1_1_1501',
  roomLabel: '1栋1单元1501',
  itemId: 'tapwater',
  name: '自来水费（1栋代收）',
  unit: 'm³',
  period: '2026-11',
  windowFrom: '2026-11-24',
  windowTo: '2026-12-07',
  open: true,
  previous: '1234',
  previousPeriod: '2026-10',
  reading: null,
  blocked: null,
};

function withUploads(stub: WxStub): { cloudPath: string }[] {
  const uploads: { cloudPath: string }[] = [];
  (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(
    async (o: { cloudPath: string }) => {
      uploads.push(o);
      return { fileID: `cloud://env.bucket/${o.cloudPath}`, statusCode: 200 };
    },
  );
  stub.wx.chooseMedia = jest.fn((o: { success: (r: object) => void }) =>
    o.success({ tempFiles: [{ tempFilePath: 'wxfile://tmp_meter.jpg' }] }),
  );
  return uploads;
}

/** Types into the page's plain <input> (the figure), as WeChat reports input. */
async function typeReading(page: Rendered, value: string): Promise<void> {
  const input = queryAll(page, '.reading-input')[0]!;
  input.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
  await settle();
}

describe('自助抄表 (pages/meter)', () => {
  test('photo to the owner’s own folder, figure checked first, then reported; the refusal shows at the figure', async () => {
    const stub = stubWx({
      'account.whoami': ok(OWNER),
      'fee.myMeters': ok({ meters: [METER] }),
      'fee.submitReading': fail(
        'INVALID_INPUT',
        'current: 读数低于上次读数 1234（2026年10月），请核对表盘上的数字；如已换表请联系物业',
      ),
    });
    const uploads = withUploads(stub);
    const page = await loadPage('pages/meter/index');
    const text = textOf(page);
    expect(text).toContain('自来水费（1栋代收）');
    expect(text).toContain('2026年11月抄表：11月24日至12月7日');
    expect(text).toContain('上次读数 1234 m³（2026年10月）');
    expect(text).toContain('提交读数');

    // nothing typed, no photo: said at the fields, nothing sent
    await tapButton(page, '.submit');
    expect(textOf(page)).toContain('请填写表盘上的读数');
    await typeReading(page, '12a');
    await tapButton(page, '.submit');
    expect(textOf(page)).toContain('请先给表拍一张照片');
    await tap(page, '.take-photo');
    await settle(10);
    expect(uploads.map((u) => u.cloudPath)).toEqual([
      expect.stringMatching(/^readings\/o_demo_owner\/\w+\.jpg$/),
    ]);
    expect(page.data.cards[0].photo).toBe(`cloud://env.bucket/${uploads[0]!.cloudPath}`);
    expect(textOf(page)).toContain('重新拍照');
    // the contract's rule for the figure
    await tapButton(page, '.submit');
    expect(page.data.cards[0].errors.current).toBe('应为非负数，最多 4 位小数');
    expect(callsOf(stub, 'submitReading')).toHaveLength(0);

    await typeReading(page, '1230');
    await tapButton(page, '.submit');
    await settle();
    expect(callsOf(stub, 'submitReading')[0]!.data).toEqual({
      action: 'submitReading',
      roomId: 'r_1_1_1501',
      itemId: 'tapwater',
      current: '1230',
      photo: `cloud://env.bucket/${uploads[0]!.cloudPath}`,
    });
    expect(textOf(page)).toContain('读数低于上次读数 1234（2026年10月）');
  });

  test('a report goes through, and the month then shows it waiting for staff', async () => {
    let reported: OwnerMeterView = METER;
    const stub = stubWx({
      'account.whoami': ok(OWNER),
      'fee.myMeters': () => ok({ meters: [reported] }),
      'fee.submitReading': (input: Record<string, unknown>) => {
        reported = {
          ...METER,
          reading: {
            current: String(input.current),
            status: 'submitted',
            byOwner: true,
            submittedAt: '2026-11-26T02:00:00.000Z',
          },
        };
        return ok(reported);
      },
    });
    withUploads(stub);
    const page = await loadPage('pages/meter/index');
    await typeReading(page, '1246');
    await tap(page, '.take-photo');
    await settle(10);
    await tapButton(page, '.submit');
    await settle();
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '已提交，物业核对后计费',
      icon: 'success',
    });
    const text = textOf(page);
    expect(text).toContain('本月读数 1246 m³ · 已上报，等待物业核对');
    expect(text).toContain('重新上报');
  });

  test('staff read it already, or the window is closed: the reason instead of the form', async () => {
    stubWx({
      'account.whoami': ok(OWNER),
      'fee.myMeters': ok({
        meters: [
          {
            ...METER,
            reading: { current: '1250', status: 'ok', byOwner: false, submittedAt: null },
            blocked: 'staffRead',
          },
          {
            ...METER,
            roomId: 'r_1_1_1502',
            roomLabel: '1栋1单元1502',
            open: false,
            blocked: 'closed',
          },
        ],
      }),
    });
    const page = await loadPage('pages/meter/index');
    const text = textOf(page);
    expect(text).toContain('本月读数 1250 m³ · 物业已确认');
    expect(text).toContain('本月读数物业已经抄录，无需再报');
    expect(text).toContain('下次自助抄表时间为 11月24日至12月7日，请到时再拍照上报');
    expect(queryAll(page, '.submit')).toHaveLength(0);
  });

  test('opened from a bill: that meter only; none at all: a polite empty state; 长辈模式', async () => {
    stubWx({
      'account.whoami': ok(OWNER),
      'fee.myMeters': ok({
        meters: [METER, { ...METER, itemId: 'power', name: '电费', unit: 'kWh' }],
      }),
    });
    const one = await loadPage('pages/meter/index', { roomId: 'r_1_1_1501', itemId: 'power' });
    expect(one.data.cards.map((c: { itemId: string }) => c.itemId)).toEqual(['power']);

    const stub = stubWx({ 'account.whoami': ok(OWNER), 'fee.myMeters': ok({ meters: [] }) });
    stub.storage.set('settings.elderMode', true);
    const none = await loadPage('pages/meter/index');
    expect(none.data.status).toBe('empty');
    expect(textOf(none)).toContain('暂无需要您自助抄表的水电表');
    expect(none.data.elder).toBe(true);
  });
});

describe('entries to 自助抄表', () => {
  test('首页 shows it when the owner has meters, and not otherwise', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS), 'account.whoami': ok(OWNER) });
    const page = await loadPage('pages/home/index');
    expect(textOf(page)).toContain('现在可拍照上报水电表读数（至12月7日）');
    await tap(page, '.meter-entry');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/meter/index' });

    stubWx({ 'owner.home': ok(HOME_PAID), 'account.whoami': ok(OWNER) });
    const paid = await loadPage('pages/home/index');
    expect(queryAll(paid, '.meter-entry')).toHaveLength(0);
  });
});

const WATER_BILL: BillDetailView = {
  billId: 'b_r_1_1_1501_2027-04_tapwater',
  roomId: 'r_1_1_1501',
  roomLabel: '1栋1单元1501',
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  period: '2027-04',
  title: '2027年4月 自来水费（1栋代收）',
  status: 'unpaid',
  dueDate: '2027-04-20',
  overdueDays: 0,
  amountDueFen: 3480,
  lateFeeFen: 0,
  paidFen: 0,
  outstandingFen: 3480,
  prepaidAppliedFen: 0,
  lines: [
    {
      itemId: 'tapwater',
      name: '自来水费（1栋代收）',
      kind: 'charge',
      amountFen: 3480,
      basis: '用量 12 m³ × 2.9000 元/m³ = ¥34.80',
      quantity: '12',
      quantityUnit: 'm³',
      unitPrice: '2.9000',
      priceUnit: '元/m³',
      months: null,
      from: '2027-03-01',
      to: '2027-03-31',
      metered: true,
      standard: null,
    },
  ],
  payments: [],
  paymentMethods: [{ method: 'wechat', label: '微信支付' }],
  contacts: { servicePhone: '', serviceHours: '', frontDesk: '', priceHotline: '12358' },
  issuedAt: null,
};

describe('a metered bill line', () => {
  test('links to 自助抄表 for the bill’s room and that meter', async () => {
    const stub = stubWx({ 'fee.billDetail': ok(WATER_BILL) });
    const page = await loadPage('pages/bill/index', { billId: WATER_BILL.billId });
    expect(textOf(page)).toContain('自助抄表：月底拍照上报读数');
    await tap(page, '.line-meter');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/meter/index?roomId=r_1_1_1501&itemId=tapwater',
    });
  });
});

const SUBMITTED: MeterReadingView = {
  readingId: 'mr_r_1_1_1501_tapwater_2026-11',
  roomId: 'r_1_1_1501',
  roomLabel: '1栋1单元1501',
  itemId: 'tapwater',
  period: '2026-11',
  previous: '1234',
  current: '1246',
  multiplier: '1',
  loss: '0',
  usage: '12',
  readOn: '2026-11-26',
  status: 'submitted',
  flags: [],
  median: null,
  note: null,
  enteredAt: '2026-11-26T02:00:00.000Z',
  ownerReading: {
    current: '1246',
    submittedAt: '2026-11-26T02:00:00.000Z',
    photoUrl: 'http://127.0.0.1/files/get/readings/o_demo_owner/m.jpg?sign=x',
  },
};

const SHEET: ReadingSheet = {
  itemId: 'tapwater',
  name: '自来水费（1栋代收）',
  unit: 'm³',
  period: '2026-11',
  buildings: ['1'],
  rows: [
    {
      roomId: 'r_1_1_1501',
      roomLabel: '1栋1单元1501',
      previous: '1234',
      previousPeriod: '2026-10',
      reading: SUBMITTED,
    },
  ],
  nextCursor: null,
  total: 1,
  counts: { rooms: 72, entered: 1, flagged: 0, submitted: 1, confirmed: 0, rejected: 0, billed: 0 },
};

describe('抄表录入: 业主上报', () => {
  test('the owner’s photo and figure; 采用 sends it as reported, 更正 needs the figure and why', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'fee.meterItems': ok({
        items: [{ itemId: 'tapwater', name: '自来水费（1栋代收）', unit: 'm³' }],
        readingPeriod: '2026-11',
      }),
      'fee.readingSheet': ok(SHEET),
      'fee.reviewOwnerReading': (input: Record<string, unknown>) =>
        ok({
          reading: { ...SUBMITTED, status: 'ok', current: String(input.current ?? '1246') },
          message: null,
        }),
    });
    stub.wx.previewImage = jest.fn();
    const page = await loadPage('admin/readings/index');
    expect(callsOf(stub, 'readingSheet')[0]!.data).toMatchObject({ period: '2026-11' });
    const text = textOf(page);
    expect(text).toContain('2026年11月用量');
    expect(text).toContain('业主上报待核对 1 户');
    expect(text).toContain('业主上报 1246（2026年11月26日 10:00）');
    expect(queryAll(page, '.owner-photo')).toHaveLength(1);
    // the sheet's own input is not offered for it: 采用 / 更正 are audited
    expect(queryAll(page, '.reading .f-current')).toHaveLength(0);
    await tap(page, '.owner-photo');
    expect(stub.wx.previewImage).toHaveBeenCalledWith({ urls: [SUBMITTED.ownerReading!.photoUrl] });

    await tapButton(page, '.correct-owner');
    await tapButton(page, '.confirm-correct');
    expect(page.data.reviewErrors.current).toBe('请填写更正后的读数');
    expect(textOf(page)).toContain('请填写更正原因');
    expect(callsOf(stub, 'reviewOwnerReading')).toHaveLength(0);
    await typeInto(page, ['.f-correct'], '1264');
    await typeInto(page, ['.f-correct-note'], '照片显示 1264，业主看错一位');
    await tapButton(page, '.confirm-correct');
    await settle();
    await tapButton(page, '.accept-owner');
    await settle();
    const review = {
      action: 'reviewOwnerReading',
      communityId: 'c_cuihu',
      readingId: SUBMITTED.readingId,
    };
    expect(callsOf(stub, 'reviewOwnerReading').map((c) => c.data)).toEqual([
      { ...review, decision: 'correct', current: '1264', note: '照片显示 1264，业主看错一位' },
      { ...review, decision: 'accept' },
    ]);
    expect(stub.wx.showToast).toHaveBeenCalledWith({ title: '已采用', icon: 'success' });
  });
});
