/** Overdue domain: aging, escalation stages, quiet hours, installments, reminder values, letters. */
import fc from 'fast-check';
import { agingBucket, overdueDaysOn } from '../../miniprogram/domain/ledger/aging';
import {
  letterNumber,
  lettersBills,
  addMonths,
  evenInstallments,
  assertNoUtilityThreat,
  inQuietHours,
  installmentProgress,
  noticePosterDoc,
  overdueLettersDoc,
  reminderValues,
  splitInstallments,
  stageToRun,
  validateInstallments,
  validateStages,
  type LetterInput,
} from '../../miniprogram/domain/overdue/rules';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import { isPastDue } from '../../miniprogram/domain/fee/bill';
import { screenBlocks } from '../../miniprogram/admin/collection/view';
import { buildPayload } from '../../miniprogram/domain/notice/subscribe';
import { template } from '../helpers/templates';

const STAGES = DEFAULT_SETTINGS.escalation;

describe('aging and days overdue', () => {
  test.each([
    [0, '0-30'],
    [30, '0-30'],
    [31, '31-90'],
    [90, '31-90'],
    [91, '91-180'],
    [181, '181-365'],
    [366, '365+'],
  ] as const)('%i days → %s', (days, bucket) => expect(agingBucket(days)).toBe(bucket));

  test('counted from the day after the due date plus grace, never negative', () => {
    expect(overdueDaysOn('2026-12-15', '2026-12-15')).toBe(0);
    expect(overdueDaysOn('2026-12-15', '2026-12-16')).toBe(1);
    expect(overdueDaysOn('2026-12-15', '2027-01-14')).toBe(30);
    expect(overdueDaysOn('2026-12-15', '2026-12-20', 3)).toBe(2);
    expect(overdueDaysOn('2026-12-15', '2026-12-01')).toBe(0);
  });
});

describe('escalation stages', () => {
  test('day 1, 15, 30 and 60 in turn, each once', () => {
    expect(stageToRun(STAGES, 0, [])).toBeNull();
    expect(stageToRun(STAGES, 1, [])?.stage).toBe('friendly-reminder');
    expect(stageToRun(STAGES, 14, ['friendly-reminder'])).toBeNull();
    expect(stageToRun(STAGES, 15, ['friendly-reminder'])?.stage).toBe('second-reminder');
    expect(stageToRun(STAGES, 30, ['friendly-reminder', 'second-reminder'])?.stage).toBe(
      'formal-notice',
    );
    expect(
      stageToRun(STAGES, 60, ['friendly-reminder', 'second-reminder', 'formal-notice'])?.stage,
    ).toBe('home-visit');
    expect(
      stageToRun(STAGES, 400, [
        'friendly-reminder',
        'second-reminder',
        'formal-notice',
        'home-visit',
      ]),
    ).toBeNull();
  });

  test('a late start jumps to the stage that is due instead of replaying the earlier ones', () => {
    expect(stageToRun(STAGES, 40, [])?.stage).toBe('formal-notice');
    expect(stageToRun(STAGES, 40, ['formal-notice'])).toBeNull();
  });

  test('a policy is checked: increasing days, no repeated stage', () => {
    expect(validateStages(STAGES)).toEqual([]);
    expect(validateStages([STAGES[1]!, STAGES[0]!]).join()).toMatch(/逐级递增/);
    expect(validateStages([]).join()).toMatch(/至少/);
  });
});

describe('quiet hours (UTC+8)', () => {
  const q = { from: '21:00', to: '08:00' };
  test.each([
    ['2026-12-16T20:59:00+08:00', false],
    ['2026-12-16T21:00:00+08:00', true],
    ['2026-12-17T03:00:00+08:00', true],
    ['2026-12-17T07:59:00+08:00', true],
    ['2026-12-17T08:00:00+08:00', false],
    ['2026-12-17T12:00:00+08:00', false],
  ])('%s quiet: %s', (at, quiet) => expect(inQuietHours(new Date(at), q)).toBe(quiet));

  test('a window within one day works too', () => {
    const lunch = { from: '12:00', to: '13:30' };
    expect(inQuietHours(new Date('2026-12-17T12:30:00+08:00'), lunch)).toBe(true);
    expect(inQuietHours(new Date('2026-12-17T13:30:00+08:00'), lunch)).toBe(false);
  });
});

describe('installment plans', () => {
  test('an even split sums exactly to the arrears, a month apart', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50_000_000 }),
        fc.integer({ min: 2, max: 24 }),
        (fen, n) => {
          fc.pre(fen >= n);
          const parts = splitInstallments(fen, n, '2027-01-31');
          expect(parts.reduce((s, p) => s + p.amountFen, 0)).toBe(fen);
          expect(
            Math.max(...parts.map((p) => p.amountFen)) - Math.min(...parts.map((p) => p.amountFen)),
          ).toBeLessThanOrEqual(1);
          expect(validateInstallments(fen, parts, '2027-01-01')).toEqual([]);
          // The pages' big.js-free split is the same plan.
          expect(evenInstallments(fen, n, '2027-01-31')).toEqual(parts);
        },
      ),
    );
    expect(splitInstallments(100, 3, '2027-01-31').map((p) => p.dueDate)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
    ]);
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
  });

  test.each([
    [
      'does not sum exactly',
      [
        ['2027-02-01', 5_000],
        ['2027-03-01', 4_999],
      ],
      /不一致/,
    ],
    [
      'dates out of order',
      [
        ['2027-03-01', 5_000],
        ['2027-02-01', 5_000],
      ],
      /installments\.1\.dueDate/,
    ],
    ['one installment', [['2027-02-01', 10_000]], /2 到 24/],
    [
      'a date before today',
      [
        ['2027-01-01', 5_000],
        ['2027-03-01', 5_000],
      ],
      /不能早于今天/,
    ],
  ] as const)(
    'a plan of 10,000 fen with %s is refused with the field named',
    (_, parts, problem) => {
      const installments = parts.map(([dueDate, amountFen]) => ({ dueDate, amountFen }));
      expect(validateInstallments(10_000, installments, '2027-01-20').join()).toMatch(problem);
    },
  );

  test('progress: payments fill installments in order; a missed one lapses after the grace', () => {
    const plan = splitInstallments(30_000, 3, '2027-02-01');
    expect(installmentProgress(plan, 0, '2027-02-08', 7)).toMatchObject({
      lapsed: false,
      nextIndex: 0,
    });
    expect(installmentProgress(plan, 0, '2027-02-09', 7)).toMatchObject({
      lapsed: true,
      lapsedIndex: 0,
    });
    expect(installmentProgress(plan, 15_000, '2027-02-09', 7)).toMatchObject({
      lapsed: false,
      nextIndex: 1,
      covered: [10_000, 5_000, 0],
    });
    expect(installmentProgress(plan, 30_000, '2027-09-01', 7)).toMatchObject({
      complete: true,
      lapsed: false,
    });
  });
});

describe('reminder values fit the deployment’s template', () => {
  const tmpl = template('TMPL_BILL_OVERDUE', 'thing1', 'amount2', 'date3', 'thing4', 'phrase5');
  test('each keyword gets its field; long text is trimmed by whole characters', () => {
    const values = reminderValues(tmpl, {
      subject: '翠湖花园 12栋2单元1502 2026年12月物业服务费（季度）',
      amountFen: 123_456,
      date: '2026-12-15',
      note: '如有困难请联系物业客服',
      phone: '0571-8888 6666',
      status: '已逾期',
    });
    const built = buildPayload(tmpl, values);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(Array.from(built.data.thing1!.value)).toHaveLength(20);
    expect(built.data.amount2!.value).toBe('¥1234.56');
    expect(built.data.date3!.value).toBe('2026年12月15日');
    expect(built.data.thing4!.value).toBe('如有困难请联系物业客服');
    expect(built.data.phrase5!.value).toBe('已逾期');
  });
  test('a keyword a reminder cannot fill is reported, not sent', () => {
    const built = buildPayload(
      { templateId: 'TMPL_X_123456', keywords: [{ key: 'name1', type: 'name' }] },
      reminderValues(
        { templateId: 'TMPL_X_123456', keywords: [{ key: 'name1', type: 'name' }] },
        { subject: 's', amountFen: 1, date: '2026-12-15', note: 'n', phone: '1', status: '待缴费' },
      ),
    );
    expect(built.ok).toBe(false);
  });
});

describe('printable letters and posters', () => {
  const letter: LetterInput = {
    letterNo: 'CJ20270114-1栋1单元1501',
    communityName: '翠湖花园',
    roomLabel: '1栋1单元1501',
    addressee: '王先生',
    bills: [
      {
        period: '2026-09',
        coverFrom: '2026-09',
        coverTo: '2026-11',
        title: '物业服务费（季度）',
        dueDate: '2026-09-15',
        amountDueFen: 63_076,
        lateFeeFen: 0,
        paidFen: 10_000,
        outstandingFen: 53_076,
        overdueDays: 121,
      },
      {
        period: '2026-12',
        coverFrom: '2026-12',
        coverTo: '2027-02',
        title: '物业服务费（季度）',
        dueDate: '2026-12-15',
        amountDueFen: 63_076,
        lateFeeFen: 1_500,
        paidFen: 0,
        outstandingFen: 64_576,
        overdueDays: 30,
      },
    ],
    issuedOn: '2027-01-14',
    payBy: '2027-01-29',
    servicePhone: '0571-8888 6666',
    frontDesk: '3 栋一楼物业服务中心',
    serviceHours: '每日 8:30–18:00',
    lateFeePolicy: null,
  };

  test('one page per room with the amounts, a deadline, respectful legal text and no threat', () => {
    const doc = overdueLettersDoc([
      letter,
      { ...letter, roomLabel: '2栋1单元302', letterNo: 'CJ2' },
    ]);
    expect(doc.blocks.filter((b) => b.kind === 'pageBreak')).toHaveLength(1);
    const text = JSON.stringify(doc);
    expect(text).toContain('¥1,176.52'); // 53,076 + 64,576 fen
    expect(text).toContain('壹仟壹佰柒拾陆元伍角贰分');
    expect(text).toContain('2027年1月29日');
    expect(text).toContain('未约定滞纳金');
    expect(text).toContain('分期');
    expect(text).not.toMatch(/停水|停电|停暖|停气/);
    const table = doc.blocks.find((b) => b.kind === 'table');
    expect(table && table.kind === 'table' && table.rows).toHaveLength(2);
    expect(() => overdueLettersDoc([])).toThrow();
  });

  test('the table reads the months each bill covers and Chinese dates, never zero-padded', () => {
    const table = overdueLettersDoc([letter]).blocks.find((b) => b.kind === 'table')!;
    if (table.kind !== 'table') throw new Error('no table');
    expect(table.rows[0]!.slice(0, 3)).toEqual([
      '2026年9月–11月',
      '物业服务费（季度）',
      '2026年9月15日',
    ]);
    expect(table.rows[1]![0]).toBe('2026年12月–2027年2月');
    expect(letterNumber('2026-11-14', '1栋1单元602')).toBe('CJ20261114-1栋1单元602');
  });

  test('a letter asks only for bills past due plus grace that still owe something', () => {
    const bill = (id: string, dueDate: string, paidFen = 0) => ({
      _id: id,
      communityId: 'c',
      roomId: 'r',
      period: dueDate.slice(0, 7),
      key: 'property',
      title: '物业服务费（季度）',
      items: [],
      amountDueFen: 64_296,
      lateFeeFen: 0,
      paidFen,
      dueDate,
      status: paidFen ? ('paid' as const) : ('unpaid' as const),
    });
    const bills = [
      bill('next', '2027-01-15'),
      bill('old', '2026-10-15'),
      bill('paid', '2026-07-15', 64_296),
      bill('edge', '2026-11-10'),
    ];
    // on 2026-11-14: October's is past due; the one due 2027-01-15 is not; a paid one is not owed
    expect(lettersBills(bills, '2026-11-14').map((b) => b.dueDate)).toEqual([
      '2026-10-15',
      '2026-11-10',
    ]);
    // with 5 grace days, the bill due 11-10 is not past due until 11-16
    expect(lettersBills(bills, '2026-11-14', 5).map((b) => b.dueDate)).toEqual(['2026-10-15']);
    expect(lettersBills(bills, '2026-11-16', 5).map((b) => b.dueDate)).toEqual([
      '2026-10-15',
      '2026-11-10',
    ]);
    expect(isPastDue('2026-11-10', '2026-11-10')).toBe(false);
    expect(isPastDue('2026-11-10', '2026-11-11')).toBe(true);
  });

  test('on a phone each row of the letter is a card; the amounts never break', () => {
    const blocks = screenBlocks(overdueLettersDoc([letter]).blocks);
    const table = blocks.find((b) => b.kind === 'table')!;
    expect(table.cards).toHaveLength(2);
    expect(table.cards![0]).toMatchObject({
      title: '物业服务费（季度）',
      sub: '2026年9月–11月',
    });
    expect(table.cards![0]!.fields).toEqual(
      expect.arrayContaining([
        { label: '应缴日期', value: '2026年9月15日' },
        { label: '未缴', value: '¥530.76' },
      ]),
    );
    expect(table.totalText).toBe('合计 ¥1,176.52');
  });

  test('the poster names period, basis, methods, place, deadline, late fee and 12358', () => {
    const doc = noticePosterDoc({
      communityName: '翠湖花园',
      title: '2026年12月物业费缴费通知',
      period: '2026年12月',
      amountBasis: '建筑面积 × 2.35 元/m²/月',
      methods: ['微信小程序缴费', '现金'],
      frontDesk: '3 栋一楼物业服务中心',
      serviceHours: '每日 8:30–18:00',
      deadline: '2026-12-15',
      lateFeePolicy: null,
      contactPhone: '0571-8888 6666',
      body: '本季度物业服务费已出账。',
      publishedOn: '2026-12-01',
    });
    const text = JSON.stringify(doc);
    for (const s of [
      '缴费期间',
      '收费标准',
      '微信小程序缴费、现金',
      '2026年12月15日',
      '合同未约定',
      '12358',
    ])
      expect(text).toContain(s);
  });

  test('text threatening to cut utilities is refused (Civil Code art. 944)', () => {
    expect(() => assertNoUtilityThreat('逾期将停水')).toThrow();
    expect(() => assertNoUtilityThreat('请按时缴费')).not.toThrow();
  });
});
