/** The WeChat statement reader and matcher, and the bank statement reader and matcher. */
import fc from 'fast-check';
import {
  bankAmount,
  bankDate,
  matchBankLines,
  parseBankTable,
  BankFileError,
  type BankLine,
} from '../../miniprogram/domain/reconcile/bank';
import {
  StatementError,
  parseWechatStatement,
  reconcileWechat,
} from '../../miniprogram/domain/reconcile/statement';
import { addDays } from '../../miniprogram/domain/kernel/time';

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const row = (f: string[]) => f.map((v) => `\`${v}`).join(',');
const COLUMNS = HEADER.split(',');
/** What every line of this merchant's statement has, unless a line says otherwise. */
const EVERY_LINE: Record<string, string> = {
  公众账号ID: 'wxapp',
  商户号: '1900000001',
  用户标识: 'o1',
  交易类型: 'JSAPI',
  付款银行: 'OTHERS',
  货币种类: 'CNY',
  代金券金额: '0.00',
  充值券退款金额: '0.00',
  商品名称: '物业费',
  费率: '0.60%',
};
/** A statement line from its named fields (columns not named and not in EVERY_LINE are empty). */
const line = (fields: Record<string, string>) =>
  row(COLUMNS.map((c) => fields[c] ?? EVERY_LINE[c] ?? ''));
const trade = (time: string, sub: string, tx: string, out: string, yuan: string, fee: string) =>
  line({
    交易时间: time,
    特约商户号: sub,
    微信订单号: tx,
    商户订单号: out,
    交易状态: 'SUCCESS',
    应结订单金额: yuan,
    微信退款单号: '0',
    商户退款单号: '0',
    退款金额: '0.00',
    手续费: fee,
    订单金额: yuan,
    申请退款金额: '0.00',
  });
const refund = (time: string, sub: string, out: string, rno: string, yuan: string, fee: string) =>
  line({
    交易时间: time,
    特约商户号: sub,
    微信订单号: 'tx9',
    商户订单号: out,
    交易状态: 'REFUND',
    应结订单金额: '0.00',
    微信退款单号: 'wr1',
    商户退款单号: rno,
    退款金额: yuan,
    退款类型: 'ORIGINAL',
    退款状态: 'SUCCESS',
    手续费: fee,
    订单金额: '0.00',
    申请退款金额: yuan,
  });
const SUMMARY_HEADER =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

function statement(rows: string[], summary: string[]): string {
  return [HEADER, ...rows, SUMMARY_HEADER, row(summary)].join('\r\n') + '\r\n';
}

const GOOD = statement(
  [
    trade('2026-12-02 09:10:00', 'S1', 'tx1', 'PF1', '630.76', '3.78'),
    trade('2026-12-02 10:10:00', 'S1', 'tx2', 'PF2', '210.25', '1.26'),
    trade('2026-12-02 11:00:00', 'S1', 'tx3', 'PF3', '100.00', '0.60'),
    trade('2026-12-02 11:30:00', 'S2', 'tx4', 'PFX', '50.00', '0.30'),
    refund('2026-12-02 12:00:00', 'S1', 'PF2', 'RF1', '10.25', '-0.06'),
  ],
  ['5', '991.01', '10.25', '0.00', '5.88', '991.01', '10.25'],
);

describe('parseWechatStatement', () => {
  test('reads rows by header name, strips backticks, amounts to fen, checks the summary', () => {
    const s = parseWechatStatement(GOOD);
    expect(s.rows).toHaveLength(5);
    expect(s.rows[0]).toMatchObject({
      outTradeNo: 'PF1',
      transactionId: 'tx1',
      settledFen: 63076,
      feeFen: 378,
    });
    expect(s.rows[4]).toMatchObject({
      tradeState: 'REFUND',
      outRefundNo: 'RF1',
      refundFen: 1025,
      feeFen: -6,
    });
    expect(s.summary).toEqual({ count: 5, tradeFen: 99101, refundFen: 1025, feeFen: 588 });
  });
  test('a summary that disagrees with the rows, a bad amount or no header is refused', () => {
    expect(() =>
      parseWechatStatement(
        statement(
          [trade('2026-12-02 09:10:00', 'S1', 'a', 'PF1', '1.00', '0.01')],
          ['1', '2.00', '0.00', '0.00', '0.01', '2.00', '0.00'],
        ),
      ),
    ).toThrow(/汇总与明细不符/);
    expect(() =>
      parseWechatStatement(
        statement(
          [trade('2026-12-02 09:10:00', 'S1', 'a', 'PF1', '1.0x', '0.01')],
          ['1', '1.00', '0.00', '0.00', '0.01', '1.00', '0.00'],
        ),
      ),
    ).toThrow(/第 2 行：应结订单金额/);
    expect(() => parseWechatStatement('hello')).toThrow(StatementError);
    expect(() => parseWechatStatement(`${HEADER}\r\n`)).toThrow(/汇总行/);
  });
});

describe('reconcileWechat', () => {
  test('matched, lost callback, amount mismatch, unknown, missing in statement, refunds', () => {
    const result = reconcileWechat({
      date: '2026-12-02',
      subMchId: 'S1',
      statement: parseWechatStatement(GOOD),
      payments: [
        { paymentId: 'wx_PF1', outTradeNo: 'PF1', amountFen: 63076, paidDate: '2026-12-02' },
        { paymentId: 'wx_PF2', outTradeNo: 'PF2', amountFen: 21000, paidDate: '2026-12-02' },
        { paymentId: 'wx_PF9', outTradeNo: 'PF9', amountFen: 800, paidDate: '2026-12-02' },
        // Paid another day: never "missing in statement" for this day.
        { paymentId: 'wx_PF8', outTradeNo: 'PF8', amountFen: 800, paidDate: '2026-12-01' },
      ],
      orders: [{ outTradeNo: 'PF3', amountFen: 10000, status: 'pending', subMchId: 'S1' }],
      refunds: [
        {
          refundId: 'RF1',
          paymentId: 'wx_PF2',
          amountFen: 1025,
          status: 'done',
          reversalDate: '2026-12-02',
        },
      ],
    });
    expect(result.statement).toMatchObject({
      count: 4,
      tradeFen: 94101,
      refundFen: 1025,
      feeFen: 558,
      otherMerchantRows: 1,
    });
    expect(result.statement.netFen).toBe(94101 - 1025 - 558);
    expect(result).toMatchObject({
      matchedCount: 1,
      matchedFen: 63076,
      refundMatchedCount: 1,
      refundMatchedFen: 1025,
    });
    expect(result.items.map((i) => [i.kind, i.outTradeNo, i.action])).toEqual([
      ['amount-mismatch', 'PF2', 'note'],
      ['missing-in-system', 'PF3', 'apply'],
      ['missing-in-statement', 'PF9', 'note'],
    ]);
    expect(result.system).toEqual({
      paymentCount: 3,
      paymentFen: 63076 + 21000 + 800,
      refundCount: 1,
      refundFen: 1025,
    });
  });
  test('an order with another amount is accepted, not applied; an order we never made is unknown', () => {
    const s = parseWechatStatement(
      statement(
        [
          trade('2026-12-02 09:10:00', 'S1', 'a', 'PF1', '1.00', '0.01'),
          trade('2026-12-02 09:11:00', 'S1', 'b', 'PF2', '2.00', '0.01'),
        ],
        ['2', '3.00', '0.00', '0.00', '0.02', '3.00', '0.00'],
      ),
    );
    const r = reconcileWechat({
      date: '2026-12-02',
      subMchId: 'S1',
      statement: s,
      payments: [],
      orders: [{ outTradeNo: 'PF1', amountFen: 90, status: 'exception', subMchId: 'S1' }],
      refunds: [],
    });
    expect(r.items.map((i) => [i.kind, i.action, i.statementFen, i.systemFen])).toEqual([
      ['amount-mismatch', 'accept', 100, 90],
      ['unknown-order', 'note', 200, undefined],
    ]);
  });
});

describe('bank statements', () => {
  test('amount and date cells as banks write them', () => {
    expect(bankAmount('1,234.50')).toBe(123450);
    expect(bankAmount('¥ 20')).toBe(2000);
    expect(bankAmount('-10.00')).toBe(-1000);
    expect(bankAmount(444.195)).toBe(44420);
    expect(bankAmount('')).toBeNull();
    expect(() => bankAmount('12x')).toThrow();
    expect(bankDate('2026/12/3')).toBe('2026-12-03');
    expect(bankDate('2026-12-02 15:20:00')).toBe('2026-12-02');
    expect(bankDate('20261202')).toBe('2026-12-02');
    expect(bankDate(20261202)).toBe('2026-12-02');
    expect(bankDate('2026-02-30')).toBeNull();
  });
  test('parseBankTable finds the header under a title and names bad rows', () => {
    const lines = parseBankTable(
      [
        ['账户明细'],
        ['日期', '收入', '支出', '流水号'],
        ['2026-12-02', '1.00', '', 'R1'],
        ['2026-12-02', '', '2.00', 'R2'],
        ['本页合计', '1.00', '2.00', ''],
      ],
      { date: '日期', credit: '收入', debit: '支出', reference: '流水号' },
    );
    expect(lines.map((l) => [l.row, l.amountFen, l.reference])).toEqual([
      [3, 100, 'R1'],
      [4, -200, 'R2'],
    ]);
    expect(() =>
      parseBankTable(
        [
          ['日期', '收入'],
          ['昨天', '1.00'],
        ],
        { date: '日期', credit: '收入' },
      ),
    ).toThrow(/第 2 行“日期”/);
    expect(() => parseBankTable([['x']], { date: '日期', credit: '收入' })).toThrow(BankFileError);
  });
  const line = (
    row: number,
    date: string,
    amountFen: number,
    reference = '',
    memo = '',
  ): BankLine => ({ row, date, amountFen, reference, payer: '', memo });
  test('reference first, then a unique amount within the window; each payment once', () => {
    const payments = [
      {
        paymentId: 'p1',
        channel: 'transfer',
        amountFen: 500,
        reference: 'TR001',
        paidDate: '2026-12-01',
      },
      { paymentId: 'p2', channel: 'card', amountFen: 500, paidDate: '2026-12-02' },
      { paymentId: 'p3', channel: 'card', amountFen: 700, paidDate: '2026-12-02' },
      { paymentId: 'p4', channel: 'card', amountFen: 700, paidDate: '2026-12-03' },
      { paymentId: 'p5', channel: 'card', amountFen: 900, paidDate: '2026-11-20' },
    ];
    const r = matchBankLines(
      [
        line(1, '2026-12-02', 500, '', '转账 TR001 物业费'),
        line(2, '2026-12-02', 500),
        line(3, '2026-12-02', 700),
        line(4, '2026-12-02', 900),
        line(5, '2026-12-02', -100),
      ],
      payments,
      3,
    );
    expect(r.lines).toEqual([
      { status: 'matched', paymentId: 'p1', matchedBy: 'reference' },
      { status: 'matched', paymentId: 'p2', matchedBy: 'amount-date' },
      { status: 'ambiguous', candidates: ['p3', 'p4'] },
      { status: 'unmatched' }, // p5 is 12 days away
      { status: 'debit' },
    ]);
    expect(r.unmatchedPayments).toEqual(['p3']);
    // A payment matched by an earlier import is not matched again.
    expect(
      matchBankLines([line(1, '2026-12-02', 500, 'TR001')], payments, 3, new Set(['p1', 'p2']))
        .lines[0],
    ).toEqual({ status: 'unmatched' });
  });
  test('property: no payment is matched twice, and matches agree on amount', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: fc.integer({ min: 1, max: 5 }),
            day: fc.integer({ min: 0, max: 6 }),
          }),
          { maxLength: 12 },
        ),
        fc.array(
          fc.record({
            amount: fc.integer({ min: 1, max: 5 }),
            day: fc.integer({ min: 0, max: 6 }),
          }),
          { maxLength: 12 },
        ),
        (ls, ps) => {
          const lines = ls.map((l, i) => line(i + 1, addDays('2026-12-01', l.day), l.amount * 100));
          const payments = ps.map((p, i) => ({
            paymentId: `p${i}`,
            channel: 'card',
            amountFen: p.amount * 100,
            paidDate: addDays('2026-12-01', p.day),
          }));
          const r = matchBankLines(lines, payments, 2);
          const used = r.lines.filter((m) => m.paymentId).map((m) => m.paymentId);
          expect(new Set(used).size).toBe(used.length);
          r.lines.forEach((m, i) => {
            if (m.paymentId)
              expect(payments.find((p) => p.paymentId === m.paymentId)!.amountFen).toBe(
                lines[i]!.amountFen,
              );
          });
        },
      ),
    );
  });
});
