/** Money in integer fen: formatting, strict parsing, allocation and 大写 (miniprogram/domain/kernel/money.ts). */
import fc from 'fast-check';
import {
  allocate,
  allocateOldestFirst,
  assertFen,
  chineseCapital,
  fenToYuanString,
  formatYuan,
  parseYuan,
  splitFen,
  sortOldestFirst,
} from '../../miniprogram/domain/kernel/money';

describe('assertFen', () => {
  test.each([0, 1, -1, Number.MAX_SAFE_INTEGER])('accepts %p', (v) => {
    expect(() => assertFen(v)).not.toThrow();
  });
  test.each([0.5, Number.NaN, Infinity, -Infinity, 2 ** 53, '1', null, undefined])(
    'rejects %p',
    (v) => {
      expect(() => assertFen(v)).toThrow(RangeError);
    },
  );
});

describe('formatYuan', () => {
  test.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [63076, '¥630.76'],
    [123456, '¥1,234.56'],
    [319152, '¥3,191.52'],
    [100000000, '¥1,000,000.00'],
    [-500, '-¥5.00'],
    [-1230, '-¥12.30'],
    [-5, '-¥0.05'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%i fen → %s', (fen, text) => expect(formatYuan(fen)).toBe(text));

  test('refuses floats', () => {
    expect(() => formatYuan(12.5)).toThrow(RangeError);
    expect(() => formatYuan(Number.NaN)).toThrow(RangeError);
  });

  test('always exactly two decimals and grouped thousands', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(formatYuan(fen)).toMatch(/^-?¥\d{1,3}(,\d{3})*\.\d{2}$/);
      }),
    );
  });

  test('round-trips: the digits shown are the fen given', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const p = splitFen(fen);
        const back = Number(`${p.yuan.replace(/,/g, '')}${p.cents}`) * (p.sign ? -1 : 1);
        return back === fen || (fen === 0 && back === 0);
      }),
    );
  });
});

describe('parseYuan', () => {
  test.each([
    ['630.76', 63076],
    ['630.7', 63070],
    ['5', 500],
    ['0.5', 50],
    ['0.05', 5],
    ['0', 0],
    ['1234567.89', 123456789],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('%s → %i fen', (text, fen) => expect(parseYuan(text)).toBe(fen));

  test.each([
    '1.234', // more than two decimals
    'abc',
    '',
    ' 1',
    '1 ',
    '-1', // negative without allowNegative
    '+1',
    '01', // leading zero
    '1.',
    '.5',
    '1,234.00', // separators are display only
    '¥1',
    '1e3',
    'NaN',
    'Infinity',
    '90071992547409.92', // beyond the safe integer range
  ])('rejects %p', (text) => expect(() => parseYuan(text)).toThrow(RangeError));

  test('negative only when allowed; -0 is 0', () => {
    expect(parseYuan('-12.30', { allowNegative: true })).toBe(-1230);
    expect(Object.is(parseYuan('-0', { allowNegative: true }), 0)).toBe(true);
  });

  test('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (fen) => {
        expect(parseYuan(fenToYuanString(fen), { allowNegative: true })).toBe(fen);
      }),
    );
  });
});

describe('allocate', () => {
  test.each([
    // 100/3 = 33.33…: floors 33+33+33 = 99, the one fen left goes to the first (ties → index)
    [100, [1, 1, 1], [34, 33, 33]],
    [5, [1, 1], [3, 2]],
    [1000, [70, 30], [700, 300]],
    // 10 × 1/6 = 1.67, 10 × 2/6 = 3.33, 10 × 3/6 = 5: floors 1+3+5 = 9, the largest remainder (.67) gets 1
    [10, [1, 2, 3], [2, 3, 5]],
    [1, [0, 1], [0, 1]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [0, [1, 2], [0, 0]],
  ])('allocate(%i, %j) → %j', (total, weights, parts) => {
    expect(allocate(total, weights)).toEqual(parts);
  });

  test.each([[[]], [[0, 0]], [[1.5]], [[-1, 2]]])('rejects weights %j', (weights) => {
    expect(() => allocate(100, weights)).toThrow(RangeError);
  });

  test('parts sum exactly to the total, each within 1 fen of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 12 }),
        (total, raw) => {
          const weights = raw.some((w) => w > 0) ? raw : [...raw.slice(1), 1];
          const parts = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(Number.isSafeInteger(p)).toBe(true);
            expect(Math.abs(p - (total * (weights[i] ?? 0)) / sum)).toBeLessThan(1 + 1e-6);
          });
          expect(allocate(total, weights)).toEqual(parts);
        },
      ),
    );
  });
});

describe('allocateOldestFirst', () => {
  const bills = [
    { id: 'a', outstandingFen: 6000 },
    { id: 'b', outstandingFen: 0 },
    { id: 'c', outstandingFen: 3000 },
    { id: 'd', outstandingFen: 5000 },
  ];

  test('settles bills in order; a settled bill gets nothing', () => {
    // 10000 = 6000 (a) + 3000 (c) + 1000 (d, partial)
    expect(allocateOldestFirst(10000, bills)).toEqual({
      allocations: [
        { id: 'a', amountFen: 6000 },
        { id: 'c', amountFen: 3000 },
        { id: 'd', amountFen: 1000 },
      ],
      remainderFen: 0,
    });
  });

  test('overpayment is left over (prepaid balance)', () => {
    // 20000 − (6000 + 3000 + 5000) = 6000
    expect(allocateOldestFirst(20000, bills).remainderFen).toBe(6000);
  });

  test('rejects duplicates, negatives and floats', () => {
    expect(() => allocateOldestFirst(1, [bills[0]!, bills[0]!])).toThrow(RangeError);
    expect(() => allocateOldestFirst(-1, bills)).toThrow(RangeError);
    expect(() => allocateOldestFirst(1, [{ id: 'x', outstandingFen: 1.5 }])).toThrow(RangeError);
  });

  test('sortOldestFirst: due date, then period, then id', () => {
    const sorted = sortOldestFirst([
      { id: 'z', dueDate: '2026-05-15', period: '2026-05' },
      { id: 'y', dueDate: '2026-04-15', period: '2026-04' },
      { id: 'b', dueDate: '2026-04-15', period: '2026-03' },
      { id: 'a', dueDate: '2026-04-15', period: '2026-03' },
    ]);
    expect(sorted.map((b) => b.id)).toEqual(['a', 'b', 'y', 'z']);
  });

  test('never over-allocates a bill; money is conserved; oldest bills are settled first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e8 }), { maxLength: 10 }),
        (amount, outstanding) => {
          const list = outstanding.map((o, i) => ({ id: `b${i}`, outstandingFen: o }));
          const { allocations, remainderFen } = allocateOldestFirst(amount, list);
          const byId = new Map(allocations.map((a) => [a.id, a.amountFen]));
          expect(allocations.reduce((s, a) => s + a.amountFen, 0) + remainderFen).toBe(amount);
          expect(remainderFen).toBeGreaterThanOrEqual(0);
          let earlierAllSettled = true;
          for (const bill of list) {
            const got = byId.get(bill.id) ?? 0;
            expect(got).toBeLessThanOrEqual(bill.outstandingFen);
            if (got > 0) expect(earlierAllSettled).toBe(true);
            if (got < bill.outstandingFen) earlierAllSettled = false;
          }
          if (remainderFen > 0) expect(earlierAllSettled).toBe(true);
        },
      ),
    );
  });
});

describe('chineseCapital (大写)', () => {
  test.each([
    [63076, '陆佰叁拾元柒角陆分'], // 630.76: the 元 digit is 0, the optional 零 before 角 is not written
    [100, '壹元整'],
    [10000000, '壹拾万元整'], // 100,000.00: 拾 always has its digit
    [100005, '壹仟元零伍分'], // 1,000.05: 角 is zero → 元零伍分
    [1001, '壹拾元零壹分'],
    [0, '零元整'],
    [1000000001, '壹仟万元零壹分'], // 10,000,000.01
    [5, '伍分'],
    [50, '伍角'],
    [150, '壹元伍角'], // ends in 角: no 整
    [1230, '壹拾贰元叁角'],
    [168032, '壹仟陆佰捌拾元叁角贰分'], // PBoC example ¥1680.32
    [10700053, '壹拾万柒仟元伍角叁分'], // PBoC example ¥107000.53
    [100100, '壹仟零壹元整'], // inner zeros read once
    [1000100, '壹万零壹元整'], // a section's leading zeros read once
    [100000000, '壹佰万元整'],
    [1000100000, '壹仟万壹仟元整'], // 1000,1000: zeros ending a section are silent
    [1000010000, '壹仟万零壹佰元整'], // 1000,0100
    [10001000000, '壹亿零壹万元整'], // 1,0001,0000: a section's leading zeros → one 零
    [10010000000, '壹亿零壹拾万元整'], // 1,0010,0000
    [10000000100, '壹亿零壹元整'], // 1,0000,0001: a whole zero section between → one 零
    [10000000000, '壹亿元整'],
    [11000000000, '壹亿壹仟万元整'],
    [100000000000000, '壹万亿元整'], // 1,0000,0000,0000 yuan
    [-1050, '负壹拾元伍角'],
  ])('%i fen → %s', (fen, text) => expect(chineseCapital(fen)).toBe(text));

  test('rejects floats', () => expect(() => chineseCapital(1.5)).toThrow(RangeError));

  test('injective on 0..¥2,000.00 and never writes 零零', () => {
    // One pass, one assertion each at the end: 200,001 amounts checked, not 200,001 expects.
    const seen = new Map<string, number>();
    const collisions: [number, number][] = [];
    const doubled: number[] = [];
    for (let fen = 0; fen <= 200000; fen += 1) {
      const text = chineseCapital(fen);
      const before = seen.get(text);
      if (before !== undefined) collisions.push([before, fen]);
      if (text.includes('零零')) doubled.push(fen);
      seen.set(text, fen);
    }
    expect(seen.size).toBe(200001);
    expect(collisions).toEqual([]);
    expect(doubled).toEqual([]);
  });

  test('well-formed over the whole safe range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const text = chineseCapital(fen);
        expect(text).not.toContain('零零');
        expect(text).not.toMatch(/^零|零[元万亿]|零$|(^|[^壹贰叁肆伍陆柒捌玖])拾/);
        expect(text).toMatch(/(元整|角|分)$/);
      }),
    );
  });

  test('distinct amounts give distinct words (sampled)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (a, b) => {
        fc.pre(a !== b);
        expect(chineseCapital(a)).not.toBe(chineseCapital(b));
      }),
    );
  });
});
