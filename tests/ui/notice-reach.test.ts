/**
 * Reaching every owner (issue 19) in the pages: staff's 通知触达 page (counts by channel, the SMS
 * and why one failed, texting the rest, 送达签收 for the picked households), the notices page's
 * late reason and missing-notice reminder, and binding opened from a household notice's code
 * (room filled in, only the name asked, the token sent) or from a used code (said, then picking).
 */
import { BUILDINGS, COMMUNITIES, myBinding } from './community-fixtures';
import { SERVICE } from './fixtures';
import { callsOf, confirmAll, fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  query,
  queryAll,
  settle,
  tap,
  tapButton,
  textOf,
  typeInto,
  waitFor,
} from './page';
import type {
  DeliveryReport,
  MissingNotices,
  SmsView,
} from '../../miniprogram/domain/notice/contract';
import type { ScannedRoom } from '../../miniprogram/domain/binding/contract';

const REPORT: DeliveryReport = {
  noticeId: 'n1',
  title: '2026年12月物业费缴费通知',
  counts: {
    rooms: 288,
    wechat: 2,
    read: 2,
    noSubscription: 2,
    notBound: 284,
    pending: 0,
    paid: 0,
    sms: 250,
    smsQueued: 10,
    printed: 6,
    callList: 15,
    unreachable: 5,
    settled: 0,
  },
  unreached: [
    {
      roomId: 'r_4_2_1801',
      roomLabel: '4栋2单元1801',
      outcome: 'not-bound',
      read: false,
      channel: '短信未送达：号码无效',
    },
    {
      roomId: 'r_4_2_1802',
      roomLabel: '4栋2单元1802',
      outcome: 'not-bound',
      read: false,
      channel: '待电话联系',
    },
  ],
  nextCursor: null,
  total: 2,
  late: { leadDays: 15, daysBefore: 9, reason: '账单核对推迟' },
};

const SMS: SmsView[] = [
  {
    roomId: 'r_1_2_201',
    roomLabel: '1栋2单元201',
    phones: ['138****0201'],
    text: '1-2-201 12月物业费¥632.76',
    status: 'sent',
    reason: '',
    attempts: 1,
    sentAt: '2026-12-02T00:05:00.000Z',
  },
  {
    roomId: 'r_4_2_1801',
    roomLabel: '4栋2单元1801',
    phones: ['134****1560'],
    text: '4-2-1801 12月物业费¥633.76',
    status: 'failed',
    reason: '号码无效',
    attempts: 1,
    sentAt: null,
  },
];

describe('通知触达 (admin/reach)', () => {
  test('shows each channel, the SMS with their reasons, texts the rest and records sign-offs', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'notice.report': ok(REPORT),
      // two pages: the failed one on the first, the sent one after 加载更多
      'notice.smsList': (input: Record<string, unknown>) =>
        ok(
          input.cursor === 'p2'
            ? { sms: [SMS[0]], nextCursor: null, total: 2 }
            : { sms: [SMS[1]], nextCursor: 'p2', total: 2 },
        ),
      'binding.buildings': ok(BUILDINGS),
      'notice.smsUnreached': ok({ queued: 3, sent: 2, waiting: 1, failed: 0 }),
      'notice.recordDelivery': ok({ recorded: 1 }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/reach/index', { noticeId: 'n1' });
    const text = textOf(page);
    expect(text).toContain('短信250 户');
    expect(text).toContain('通知单签收6 户');
    expect(text).toContain('无联系方式5 户');
    expect(text).toContain('距截止仅提前 9 天发布（规定 15 天）：账单核对推迟');
    expect(text).toContain('短信（2）');
    expect(text).toContain('号码无效');
    expect(text).not.toContain('138****0201');
    expect(text).toContain('尚未送达（2）');
    await tap(page, '.load-more');
    await waitFor('the second SMS page', () => textOf(page).includes('138****0201'));
    expect(callsOf(stub, 'smsList')[1]!.data).toMatchObject({ cursor: 'p2', limit: 50 });
    expect(page.querySelector('.load-more')).toBeUndefined();
    expect(queryAll(page, '.print-building')).toHaveLength(BUILDINGS.buildings.length);
    expect(callsOf(stub, 'report')[0]!.data).toMatchObject({
      communityId: 'c_cuihu',
      noticeId: 'n1',
      limit: 50,
    });

    await tapButton(page, '.text-unreached');
    await settle();
    expect(callsOf(stub, 'smsUnreached')).toHaveLength(1);

    // Nothing picked: nothing sent; then the second household signed.
    await tapButton(page, '.signed');
    await settle();
    expect(callsOf(stub, 'recordDelivery')).toHaveLength(0);
    queryAll(page, '.unreached')[1]!.dispatchEvent('tap');
    await settle();
    await tapButton(page, '.signed');
    await settle();
    expect(callsOf(stub, 'recordDelivery')[0]!.data).toMatchObject({
      noticeId: 'n1',
      roomIds: ['r_4_2_1802'],
    });
  });

  test('the unreached rooms come a page at a time, with the total of all of them', async () => {
    const [first, second] = REPORT.unreached;
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'notice.report': (input: Record<string, unknown>) =>
        ok(
          input.cursor === 'u2'
            ? { ...REPORT, unreached: [second], nextCursor: null, total: 2 }
            : { ...REPORT, unreached: [first], nextCursor: 'u2', total: 2 },
        ),
      'notice.smsList': ok({ sms: [], nextCursor: null, total: 0 }),
      'binding.buildings': ok(BUILDINGS),
    });
    const page = await loadPage('admin/reach/index', { noticeId: 'n1' });
    expect(textOf(page)).toContain('尚未送达（2）');
    expect(queryAll(page, '.unreached')).toHaveLength(1);
    await tap(page, '.unreached-more');
    await waitFor('the second page of unreached rooms', () =>
      textOf(page).includes(second!.roomLabel),
    );
    expect(callsOf(stub, 'report')[1]!.data).toMatchObject({ cursor: 'u2', limit: 50 });
    expect(queryAll(page, '.unreached')).toHaveLength(2);
    expect(page.querySelector('.unreached-more')).toBeUndefined();
  });
});

describe('缴费通知 (admin/notices)', () => {
  test('reminds of issued periods without a notice and sends the late reason', async () => {
    const missing: MissingNotices = {
      periods: [{ period: '2027-03', issuedAt: '2027-03-01T01:00:00.000Z', dueDate: null }],
      remindedAt: '2027-03-01T02:00:00.000Z',
      leadDays: 15,
    };
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'notice.staffList': ok([]),
      'notice.missing': ok(missing),
      'notice.publish': fail(
        'INVALID_INPUT',
        'lateReason: 距缴费截止仅 9 天（应至少提前 15 天发布），请填写延迟发布的原因',
      ),
    });
    confirmAll(stub);
    const page = await loadPage('admin/notices/index');
    expect(textOf(page)).toContain('尚未发布缴费通知：2027年3月 已出账');
    query(page, '.open-form').dispatchEvent('tap');
    await settle();
    await tapButton(page, '.publish');
    await settle();
    expect(textOf(page)).toContain('距缴费截止仅 9 天');
    query(page, '.late-reason').dispatchEvent('input', { detail: { value: '账单核对推迟' } });
    await settle();
    await tapButton(page, '.publish');
    await settle();
    expect(callsOf(stub, 'publish')[1]!.data).toMatchObject({ lateReason: '账单核对推迟' });
  });
});

describe('binding from a household code (pages/bind)', () => {
  const ROOM: ScannedRoom = {
    roomId: 'r_4_2_1801',
    roomLabel: '4栋2单元1801',
    communityId: 'c_cuihu',
    communityName: '翠湖花园',
    building: '4',
    unit: '2',
    number: '1801',
    floor: 18,
    token: 'AbCdEf0123456789',
    bound: false,
  };

  test('the room is filled in, only the name is asked, and the token is sent', async () => {
    const stub = stubWx({
      'binding.scan': ok(ROOM),
      'binding.request': ok(myBinding({ roomId: ROOM.roomId, roomLabel: ROOM.roomLabel })),
    });
    const page = await loadPage('pages/bind/index', { scene: 'h%3DAbCdEf0123456789' });
    expect(callsOf(stub, 'scan')[0]!.data).toMatchObject({ scene: 'h%3DAbCdEf0123456789' });
    expect(callsOf(stub, 'communities')).toHaveLength(0);
    const text = textOf(page);
    expect(text).toContain('4栋2单元1801');
    expect(text).toContain('已通过入户通知单上的小程序码核验房屋');
    expect(queryAll(page, '.f-mobile')).toHaveLength(0);
    await typeInto(page, ['.f-name'], '赵丽');
    await tapButton(page, '.submit-btn');
    await settle();
    expect(callsOf(stub, 'request')[0]!.data).toMatchObject({
      roomId: 'r_4_2_1801',
      name: '赵丽',
      token: 'AbCdEf0123456789',
    });
    expect(textOf(page)).toContain('认证成功');
  });

  test('an owner already bound goes to the bills; a used code says so and the room is picked as usual', async () => {
    const bound = stubWx({ 'binding.scan': ok({ ...ROOM, bound: true }) });
    await loadPage('pages/bind/index', { scene: 'h%3DAbCdEf0123456789' });
    expect(bound.wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });

    const stub = stubWx({
      'binding.scan': fail(
        'PRECONDITION_FAILED',
        '此通知单上的小程序码已使用或已失效，请按房号和手机号认证',
      ),
      'binding.communities': ok(COMMUNITIES),
      'binding.buildings': ok(BUILDINGS),
    });
    const page = await loadPage('pages/bind/index', { scene: 'h%3DAbCdEf0123456789' });
    await settle();
    expect(textOf(page)).toContain('此通知单上的小程序码已使用或已失效');
    expect(textOf(page)).toContain('请选择楼栋');
    expect(callsOf(stub, 'communities')).toHaveLength(1);
  });
});

describe('消息订阅 (pages/subscriptions): the SMS choice', () => {
  test('shown with a number on record, and sent when switched', async () => {
    const stub = stubWx({
      'notice.smsChoice': (input: { sms?: boolean }) =>
        ok({ sms: input.sms ?? true, available: true }),
    });
    const page = await loadPage('pages/subscriptions/index');
    expect(textOf(page)).toContain('短信通知');
    expect(page.data.sms).toBe(true);
    query(page, '.sms-switch').dispatchEvent('change', { detail: false });
    await settle();
    expect(callsOf(stub, 'smsChoice').map((c) => c.data.sms)).toEqual([undefined, false]);
    expect(page.data.sms).toBe(false);

    stubWx({ 'notice.smsChoice': ok({ sms: false, available: false }) });
    const none = await loadPage('pages/subscriptions/index');
    expect(textOf(none)).not.toContain('短信通知');
  });
});
