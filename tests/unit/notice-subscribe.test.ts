/** Subscribe-message payloads fit WeChat's keyword rules (no 47003). */
import fc from 'fast-check';
import {
  amountKeyword,
  buildPayload,
  dateKeyword,
  fitKeyword,
  timeKeyword,
  trimThing,
  validateTemplate,
  type KeywordType,
} from '../../miniprogram/domain/notice/subscribe';
import { template } from '../helpers/templates';

const billReminder = template('tmpl_bill_reminder_001', 'thing1', 'amount2', 'date3', 'phrase4');

test('formats money, dates and times the way the keywords require', () => {
  expect(amountKeyword(63076)).toBe('¥630.76');
  expect(amountKeyword(5)).toBe('¥0.05');
  expect(dateKeyword('2026-12-05')).toBe('2026年12月5日');
  expect(timeKeyword(new Date('2026-12-05T07:01:00Z'))).toBe('2026年12月5日 15:01');
});

test('thing is trimmed to 20 characters by whole characters, marked with …', () => {
  expect(trimThing('翠湖花园1栋1单元1501 2026年第四季度物业服务费')).toHaveLength(20);
  expect(trimThing('翠湖花园1栋1单元1501 2026年第四季度物业服务费').endsWith('…')).toBe(true);
  expect(trimThing('短文本')).toBe('短文本');
  // An emoji is two UTF-16 units: never cut in half.
  const t = trimThing('😀'.repeat(30));
  expect(Array.from(t)).toHaveLength(20);
  expect(t).not.toMatch(/[\ud800-\udbff]$/);
});

test.each<[KeywordType, string, boolean]>([
  ['amount', '¥630.76', true],
  ['amount', '630.76元', true],
  ['amount', '630.76', false],
  ['amount', '¥12345678901', false],
  ['date', '2026年12月15日', true],
  ['date', '2026-12-15', false],
  ['time', '15:01', true],
  ['time', '2026年12月15日 15:01', true],
  ['phrase', '待缴费', true],
  ['phrase', '已经逾期未缴', false],
  ['phrase', 'paid', false],
  ['character_string', 'SJ2026-000123', true],
  ['character_string', '收据SJ2026', false],
  ['number', '12', true],
  ['name', '王先生', true],
  ['name', '王'.repeat(11), false],
  ['phone_number', '0571-88886666', true],
  ['thing', '   ', false],
])('%s %j → %s', (type, value, ok) => {
  expect('value' in fitKeyword(type, value)).toBe(ok);
});

test('a payload is built only when every keyword fits; problems name the keyword', () => {
  const good = buildPayload(billReminder, {
    thing1: '2026年第四季度物业服务费（1栋1单元1501）',
    amount2: amountKeyword(63076),
    date3: dateKeyword('2026-12-15'),
    phrase4: '待缴费',
  });
  expect(good).toEqual({
    ok: true,
    data: {
      thing1: { value: '2026年第四季度物业服务费（1栋1单…' }, // 19 characters + …
      amount2: { value: '¥630.76' },
      date3: { value: '2026年12月15日' },
      phrase4: { value: '待缴费' },
    },
  });
  const bad = buildPayload(billReminder, {
    thing1: 'x',
    amount2: '630',
    date3: '2026-12-15',
    extra1: 'y',
  });
  expect(bad).toEqual({
    ok: false,
    problems: [
      expect.stringMatching(/^amount2: /),
      expect.stringMatching(/^date3: /),
      'phrase4: 缺少取值',
      'extra1: 模板中没有该关键词',
    ],
  });
});

test('template configuration is checked: keys named by type, 1–5 keywords', () => {
  expect(validateTemplate(billReminder)).toEqual([]);
  expect(
    validateTemplate({ templateId: 'short', keywords: [{ key: 'amount1', type: 'thing' }] }),
  ).toEqual(['templateId: 模板 ID 格式不正确', 'amount1: 关键词名须为类型加序号，如 thing1']);
});

test('property: any text becomes a thing of at most 20 whole characters', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
      const fit = fitKeyword('thing', s);
      if ('value' in fit) {
        expect(Array.from(fit.value).length).toBeLessThanOrEqual(20);
        expect(fit.value).not.toMatch(/[\ud800-\udbff]$/);
      }
    }),
  );
});
