/** 线下收款's form rules (admin/collect/form.ts): the server's rules, said before sending. */
import {
  newIdempotencyKey,
  validateCollect,
  type CollectForm,
} from '../../miniprogram/admin/collect/form';
import { parseRoomQuery } from '../../miniprogram/admin/room-finder/query';

describe('parseRoomQuery', () => {
  test.each([
    ['1-2-201', { building: '1', unit: '2', keyword: '201' }],
    ['1栋2单元201', { building: '1', unit: '2', keyword: '201' }],
    ['1 栋 2 单元 201 室', { building: '1', unit: '2', keyword: '201' }],
    ['A-1-1501', { building: 'A', unit: '1', keyword: '1501' }],
    ['3 2 801', { building: '3', unit: '2', keyword: '801' }],
    ['201', { keyword: '201' }],
    ['张', { keyword: '张' }],
    ['0201', { keyword: '0201' }],
    ['   ', {}],
  ])('%j → %j', (text, q) => expect(parseRoomQuery(text)).toEqual(q));
});

const form = (f: Partial<CollectForm>): CollectForm => ({
  channel: 'cash',
  amountText: '965',
  referenceText: '',
  tenderedText: '',
  payerName: '',
  note: '',
  ...f,
});

describe('validateCollect', () => {
  test('cash: amount in fen, change from what was tendered, no reference sent', () => {
    expect(
      validateCollect(form({ tenderedText: '1000', referenceText: 'stale', payerName: ' 张 ' })),
    ).toEqual({
      ok: true,
      changeFen: 3500,
      input: { channel: 'cash', amountFen: 96500, tenderedFen: 100000, payerName: '张' },
    });
  });

  test.each(['card', 'transfer', 'alipay', 'autodebit'] as const)(
    '%s needs a reference of at least 4 characters',
    (channel) => {
      expect(validateCollect(form({ channel }))).toMatchObject({
        ok: false,
        errors: { reference: '请填写交易参考号（POS 单号、转账流水号等）' },
      });
      expect(validateCollect(form({ channel, referenceText: 'ab1' }))).toMatchObject({
        ok: false,
        errors: { reference: '交易参考号至少 4 位' },
      });
      expect(validateCollect(form({ channel, referenceText: ' POS-1 ' }))).toMatchObject({
        ok: true,
        input: { channel, amountFen: 96500, reference: 'POS-1' },
      });
    },
  );

  test('other: the reference is optional', () => {
    expect(validateCollect(form({ channel: 'other' }))).toMatchObject({ ok: true });
  });

  test.each([
    ['', '请输入收款金额'],
    ['0', '金额应大于 0'],
    ['96.555', '金额格式不正确，如 965 或 965.50'],
    ['-5', '金额格式不正确，如 965 或 965.50'],
  ])('amount %j: %s', (amountText, message) => {
    expect(validateCollect(form({ amountText }))).toMatchObject({
      ok: false,
      errors: { amount: message },
    });
  });

  test('cash tendered below the amount is refused; equal is fine (no change)', () => {
    expect(validateCollect(form({ tenderedText: '964.99' }))).toMatchObject({
      ok: false,
      errors: { tendered: '实收现金不能少于收款金额 ¥965.00' },
    });
    expect(validateCollect(form({ tenderedText: '965' }))).toMatchObject({
      ok: true,
      changeFen: 0,
    });
  });

  test('idempotency keys fit the contract and differ per form', () => {
    const keys = new Set(Array.from({ length: 200 }, newIdempotencyKey));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k).toMatch(/^[0-9A-Za-z_-]{8,40}$/);
  });
});
