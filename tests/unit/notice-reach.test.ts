/**
 * The rules for reaching owners outside the mini-program (issue 19): an SMS fits WeChat's limits
 * (custom part ≤ 30, whole message ≤ 70 with signature and link, 回T退订 carried), numbers go out
 * as +86, a household code's scene fits wxacode's 32 characters and reads back to its token, and
 * a notice's timing. The local cloud's emulation refuses what WeChat refuses and its codes scan.
 */
import fc from 'fast-check';
import {
  householdScene,
  isValidScene,
  maskNumber,
  noticeSmsCustom,
  noticeTiming,
  smsLength,
  smsMessage,
  smsNumber,
  smsProblem,
  SMS_LIMITS,
  tokenOfScene,
  URL_LINK_SAMPLE,
} from '../../miniprogram/domain/notice/reach';
import { householdNoticeDoc, coveredText } from '../../miniprogram/domain/notice/household';
import { qrPng, ReachApis, scanCode } from '../../tools/cloud/reach';

const SIG = '物业费收缴';

describe('SMS text', () => {
  test('the message is 【signature】custom，跳转小程序 link 回T退订 and counts characters, not bytes', () => {
    const m = smsMessage(SIG, '1-1-1501 12月物业费¥632.76', URL_LINK_SAMPLE);
    expect(m).toBe(
      `【物业费收缴】1-1-1501 12月物业费¥632.76，跳转小程序 ${URL_LINK_SAMPLE} 回T退订`,
    );
    expect(smsLength(m)).toBe(Array.from(m).length);
    expect(smsLength('回T退订')).toBe(4);
  });

  test('the limits: custom ≤ 30, whole ≤ 70, not empty', () => {
    expect(smsProblem(SIG, '', URL_LINK_SAMPLE)).toBe('empty');
    expect(smsProblem(SIG, '物'.repeat(31), URL_LINK_SAMPLE)).toBe('custom-too-long');
    // 7 + 22 + 7 + 29 + 5 = 70 fits; one more does not.
    expect(smsProblem(SIG, '物'.repeat(22), URL_LINK_SAMPLE)).toBeNull();
    expect(smsProblem(SIG, '物'.repeat(23), URL_LINK_SAMPLE)).toBe('message-too-long');
  });

  test('a notice SMS always fits, drops detail before the amount, and never loses the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 101, max: 9999 }),
        fc.integer({ min: 1, max: 99_999_999_99 }),
        fc.constantFrom('notice', 'overdue') as fc.Arbitrary<'notice' | 'overdue'>,
        (b, u, n, amountFen, kind) => {
          const custom = noticeSmsCustom(
            {
              roomLabel: `${b}栋${u}单元${n}`,
              period: '2026-12',
              amountFen,
              deadline: '2026-12-31',
              kind,
            },
            (c) => smsProblem(SIG, c, URL_LINK_SAMPLE) === null,
          );
          expect(smsProblem(SIG, custom, URL_LINK_SAMPLE)).toBeNull();
          expect(custom).toContain('¥');
        },
      ),
    );
    expect(
      noticeSmsCustom({
        roomLabel: '1栋1单元101',
        period: '2026-12',
        amountFen: 12_345,
        deadline: '2026-12-31',
        kind: 'notice',
      }),
    ).toBe('1-1-101 12月物业费¥123.45，12月31日前缴');
  });

  test('numbers go out as +86 mainland mobiles; anything else is not texted; lists mask them', () => {
    expect(smsNumber('13800001501')).toBe('+8613800001501');
    expect(smsNumber('+86 138-0000-1501')).toBe('+8613800001501');
    expect(smsNumber('8613800001501')).toBe('+8613800001501');
    for (const bad of ['', null, undefined, '12800001501', '1380000150', '0571-88886666'])
      expect(smsNumber(bad)).toBeNull();
    expect(maskNumber('+8613800001501')).toBe('138****1501');
  });
});

describe('household code scene', () => {
  test('h=<token> fits 32 visible characters of the allowed set and reads back, encoded or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{12,24}$/), (token) => {
        const scene = householdScene(token);
        expect(isValidScene(scene)).toBe(true);
        expect(scene.length).toBeLessThanOrEqual(32);
        expect(tokenOfScene(scene)).toBe(token);
        expect(tokenOfScene(encodeURIComponent(scene))).toBe(token);
      }),
    );
  });

  test('anything else is not a household code', () => {
    expect(() => householdScene('short')).toThrow();
    expect(() => householdScene('with-dash-123456')).toThrow();
    for (const s of [
      undefined,
      null,
      '',
      'roomId=1',
      'h=',
      'h=abc',
      '%E0%A4%A',
      'h=中文中文中文中文中文中文',
    ])
      expect(tokenOfScene(s)).toBeNull();
    expect(isValidScene('a'.repeat(33))).toBe(false);
    expect(isValidScene('中文')).toBe(false);
    expect(isValidScene("!#$&'()*+,/:;=?@-._~")).toBe(true);
  });
});

test('notice timing: at least N days before the deadline, or late by how much', () => {
  expect(noticeTiming('2026-12-01', '2026-12-16', 15)).toEqual({ daysBefore: 15, late: false });
  expect(noticeTiming('2026-12-01', '2026-12-15', 15)).toEqual({ daysBefore: 14, late: true });
  expect(noticeTiming('2026-12-31', '2027-01-05', 3)).toEqual({ daysBefore: 5, late: false });
});

test('the household notice: one page per room, the lines with their basis, the code, 12358', () => {
  const page = {
    roomLabel: '1栋1单元101',
    ownerName: '王建国',
    lines: [
      {
        name: '物业服务费',
        basis: '89.47 m² × 2.3500 元/m²/月 × 3 个月',
        amountFen: 63_076,
        from: '2026-12-01',
        to: '2027-02-28',
      },
    ],
    outstandingFen: 63_076,
    codePng: qrPng('wxacode:pages/bind/index?scene=h%3Dabc', 280).toString('base64'),
  };
  const doc = householdNoticeDoc(
    {
      communityName: '翠湖花园',
      title: '2026年12月物业费缴费通知',
      period: '2026-12',
      deadline: '2026-12-31',
      methods: ['微信小程序缴费', '现金'],
      frontDesk: '3 栋一楼',
      serviceHours: '8:30–18:00',
      lateFeePolicy: null,
      contactPhone: '0571-8888 6666',
      building: '1',
    },
    [page, { ...page, roomLabel: '1栋1单元102' }],
  );
  expect(doc.blocks.filter((b) => b.kind === 'pageBreak')).toHaveLength(1);
  expect(doc.blocks.filter((b) => b.kind === 'image')).toHaveLength(2);
  const text = JSON.stringify(doc.blocks);
  expect(text).toContain('¥630.76');
  expect(text).toContain('12358');
  expect(text).toContain('未约定滞纳金');
  expect(coveredText('2026-12', page.lines)).toBe('2026年12月1日 至 2027年2月28日');
  expect(doc.title).toBe('2026年12月物业费缴费通知（1栋 2 户）');
});

describe('the local cloud emulation', () => {
  const now = Date.parse('2026-12-01T10:00:00+08:00');
  const api = () => new ReachApis(() => now);

  test('urllink.generate checks path, query and expiry as WeChat does', () => {
    const r = api();
    expect(
      r.handle('urllink.generate', {
        path: '/pages/bills/index',
        expire_type: 1,
        expire_interval: 1,
      }),
    ).toMatchObject({ errcode: 40165 });
    expect(
      r.handle('urllink.generate', { path: 'pages/none', expire_type: 1, expire_interval: 1 }),
    ).toMatchObject({ errcode: 40165 });
    expect(
      r.handle('urllink.generate', {
        path: 'pages/bills/index',
        query: 'a=中文',
        expire_type: 1,
        expire_interval: 1,
      }),
    ).toMatchObject({ errcode: 40212 });
    expect(
      r.handle('urllink.generate', {
        path: 'pages/bills/index',
        query: 'x'.repeat(1025),
        expire_type: 1,
        expire_interval: 1,
      }),
    ).toMatchObject({ errcode: 40212 });
    expect(
      r.handle('urllink.generate', {
        path: 'pages/bills/index',
        expire_type: 1,
        expire_interval: 31,
      }),
    ).toMatchObject({ errcode: 40097 });
    expect(
      r.handle('urllink.generate', {
        path: 'pages/bills/index',
        expire_type: 0,
        expire_time: now / 1000 + 31 * 86400,
      }),
    ).toMatchObject({ errcode: 40097 });
    const ok = r.handle('urllink.generate', {
      path: 'pages/bills/index',
      query: 'roomId=r_1',
      expire_type: 1,
      expire_interval: 30,
    }) as { url_link: string };
    expect(ok.url_link).toMatch(/^https:\/\/wxaurl\.cn\/[0-9A-Za-z]{11}$/);
    expect(ok.url_link.length).toBe(URL_LINK_SAMPLE.length);
  });

  test('sendSmsV2: the link must be ours, ≤ 1000 numbers, the lengths, and a report per number', () => {
    const r = api();
    const { url_link: link } = r.handle('urllink.generate', {
      path: 'pages/bills/index',
      expire_type: 1,
      expire_interval: 30,
    }) as { url_link: string };
    const base = {
      env: 'local-dev',
      url_link: link,
      template_id: '2053122',
      template_param_list: ['12月物业费¥632.76'],
    };
    expect(
      r.handle('cloudbase.sendSmsV2', {
        ...base,
        url_link: 'https://example.com/x',
        phone_number_list: ['+8613800000001'],
      }),
    ).toMatchObject({ errcode: 40097 });
    expect(
      r.handle('cloudbase.sendSmsV2', {
        ...base,
        template_id: '1',
        phone_number_list: ['+8613800000001'],
      }),
    ).toMatchObject({ errcode: 40097 });
    const many = Array.from(
      { length: SMS_LIMITS.perRequest + 1 },
      (_, i) => `+86138${String(i).padStart(8, '0')}`,
    );
    expect(r.handle('cloudbase.sendSmsV2', { ...base, phone_number_list: many })).toMatchObject({
      errcode: 40097,
    });
    expect(
      r.handle('cloudbase.sendSmsV2', {
        ...base,
        template_param_list: ['物'.repeat(31)],
        phone_number_list: ['+8613800000001'],
      }),
    ).toMatchObject({ errcode: 40097 });
    expect(
      r.handle('cloudbase.sendSmsV2', {
        ...base,
        template_param_list: ['物'.repeat(23)],
        phone_number_list: ['+8613800000001'],
      }),
    ).toMatchObject({ errcode: 40097 });
    r.reply('+8613800000003', 'T');
    const ok = r.handle('cloudbase.sendSmsV2', {
      ...base,
      phone_number_list: ['+8613800000001', '13800000002', '+8613800000003'],
    }) as {
      send_status_list: { phone_number: string; code: string }[];
    };
    expect(ok.send_status_list.map((s) => s.code)).toEqual([
      'Ok',
      'InvalidParameterValue.IncorrectPhoneNumber',
      'FailedOperation.PhoneNumberInBlacklist',
    ]);
    expect(r.sms[0]!.content).toBe(`【物业费收缴】12月物业费¥632.76，跳转小程序 ${link} 回T退订`);
    expect(r.sms[0]!.opens).toBe('pages/bills/index');
    r.faults = { busy: 1, quota: 1 };
    expect(
      r.handle('cloudbase.sendSmsV2', { ...base, phone_number_list: ['+8613800000001'] }),
    ).toMatchObject({ errcode: -1 });
    expect(
      r.handle('cloudbase.sendSmsV2', {
        ...base,
        phone_number_list: ['+8613800000001', '+8613800000004'],
      }),
    ).toMatchObject({ errcode: -501007 });
  });

  test('the older sendSms: custom text and a static-site path, the same limits', () => {
    const r = api();
    const base = {
      env: 'local-dev',
      content: '12月物业费¥632.76',
      phone_number_list: ['+8613800000001'],
    };
    expect(r.handle('cloudbase.sendSms', { ...base, path: 'index.html' })).toMatchObject({
      errcode: 40097,
    });
    expect(
      r.handle('cloudbase.sendSms', { ...base, content: '物'.repeat(31), path: '/p' }),
    ).toMatchObject({ errcode: 40097 });
    expect(r.handle('cloudbase.sendSms', { ...base, path: '/p' })).toMatchObject({ errcode: 0 });
    expect(r.sms[0]!.content).toBe(
      '【物业费收缴】12月物业费¥632.76，跳转小程序 https://local-dev.tcloudbaseapp.com/p 回T退订',
    );
  });

  test('wxacode.getUnlimited: scene and page rules, width clamped, and the PNG scans back to the page', () => {
    const r = api();
    expect(
      r.handle('wxacode.getUnlimited', { scene: 'a'.repeat(33), page: 'pages/bind/index' }),
    ).toMatchObject({ errcode: 40129 });
    expect(
      r.handle('wxacode.getUnlimited', { scene: 'h=中文', page: 'pages/bind/index' }),
    ).toMatchObject({ errcode: 40129 });
    expect(
      r.handle('wxacode.getUnlimited', { scene: 'h=1', page: '/pages/bind/index' }),
    ).toMatchObject({ errcode: 41030 });
    expect(r.handle('wxacode.getUnlimited', { scene: 'h=1', page: 'pages/none' })).toMatchObject({
      errcode: 41030,
    });
    expect(
      r.handle('wxacode.getUnlimited', { scene: 'h=1', page: 'pages/none', check_path: false }),
    ).toMatchObject({ contentType: 'image/png' });
    const img = r.handle('wxacode.getUnlimited', {
      scene: 'h=AbCdEf0123456789',
      page: 'pages/bind/index',
      width: 100,
    }) as { buffer: Buffer };
    expect(r.codes.at(-1)!.width).toBe(280);
    expect(scanCode(img.buffer)).toEqual({
      page: 'pages/bind/index',
      query: 'scene=h%3DAbCdEf0123456789',
    });
    expect(scanCode(qrPng('https://example.com', 280))).toBeNull();
  });
});
