/**
 * The demo's 收支公示 (docs/disclosure.md): a quarter of expenses (with voucher images in
 * storage) and common-area income, and that quarter's disclosure prepared by finance, reviewed
 * and published by the admin — its fee income taken from the seeded payments exactly as the
 * function computes it — plus a price adjustment of 公共能耗费 in its 30-day notice period, so
 * owners see both at once in the preview.
 */
import { CHANNEL_LABELS, type PaymentChannel } from '../../miniprogram/domain/payment/channels';
import {
  computeFigures,
  earliestEffective,
  expenseLines,
  figuresFingerprint,
  incomeLines,
  lastEndedQuarter,
  periodInstants,
  periodLabel,
  periodRange,
  type DisclosureSnapshot,
  type ExpenseCategory,
  type FeeIncome,
  type IncomeKind,
} from '../../miniprogram/domain/disclosure/rules';
import { pricingText } from '../../miniprogram/domain/fee/billing';
import type { FeePricing } from '../../miniprogram/domain/fee';
import { addDays } from '../../miniprogram/domain/kernel/time';
import { signoffData, signoffId } from '../../cloudfunctions/_shared/signoffs';
import type { Store } from '../cloud/store';
import { seedFile } from './files';

const COMMUNITY_ID = 'c_cuihu';

/** Day `d` of month `m` (1-based) of the period starting `from`. */
function dayIn(from: string, monthOffset: number, day: number): string {
  const [y, m] = from.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + monthOffset;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A small voucher picture (an SVG 收据) so the staff page shows something real. */
function voucherSvg(title: string, amount: string, color: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="220" viewBox="0 0 360 220">
<rect width="360" height="220" fill="#fffdf7" stroke="${color}" stroke-width="4"/>
<text x="180" y="48" font-size="26" text-anchor="middle" fill="${color}" font-family="sans-serif">${title}</text>
<line x1="30" y1="70" x2="330" y2="70" stroke="#b9c7c3"/>
<text x="30" y="120" font-size="20" fill="#1f2d2b" font-family="sans-serif">金额：${amount}</text>
<text x="30" y="160" font-size="16" fill="#566663" font-family="sans-serif">翠湖花园物业服务中心 · 演示凭证</text>
<circle cx="300" cy="170" r="32" fill="none" stroke="#d0342c" stroke-width="3"/>
<text x="300" y="176" font-size="14" text-anchor="middle" fill="#d0342c" font-family="sans-serif">财务专用</text>
</svg>`;
}

const VOUCHERS = [
  {
    path: 'disclosure/demo/voucher-invoice.svg',
    title: '增值税发票',
    amount: '见票面',
    color: '#0a6f62',
  },
  {
    path: 'disclosure/demo/voucher-payroll.svg',
    title: '工资发放表',
    amount: '见明细',
    color: '#3a5f9e',
  },
  {
    path: 'disclosure/demo/voucher-receipt.svg',
    title: '收款收据',
    amount: '见票面',
    color: '#8d6e63',
  },
];

/** Stores the demo voucher pictures as finance's uploads; returns their file ids. */
async function uploadVouchers(url: string, owner: string): Promise<string[]> {
  const ids: string[] = [];
  for (const v of VOUCHERS) {
    ids.push(
      await seedFile(url, v.path, voucherSvg(v.title, v.amount, v.color), {
        owner,
        type: 'image/svg+xml',
      }),
    );
  }
  return ids;
}

/** Category, month offset, day, description, amount (fen); an income adds its use. */
type EntryRow = [string, number, number, string, number, ...string[]];

const EXPENSES: [ExpenseCategory, number, number, string, number][] = [
  // category, month offset, day, description, amount (fen)
  ['staff', 0, 10, '7 月物业服务人员工资及社保', 3_268_000],
  ['staff', 1, 10, '8 月物业服务人员工资及社保', 3_268_000],
  ['staff', 2, 10, '9 月物业服务人员工资及社保', 3_312_500],
  ['cleaning', 0, 28, '第三季度保洁外包服务费（7 月）', 1_150_000],
  ['cleaning', 1, 28, '第三季度保洁外包服务费（8 月）', 1_150_000],
  ['cleaning', 2, 28, '第三季度保洁外包服务费（9 月）', 1_150_000],
  ['security', 2, 20, '第三季度秩序维护（保安）外包服务费', 3_960_000],
  ['greening', 1, 16, '夏季草坪修剪、病虫害防治及补种', 1_285_050],
  ['repairs', 0, 18, '2 栋电梯曳引钢丝绳更换', 486_000],
  ['repairs', 2, 5, '地下车库排水泵维修', 132_080],
  ['utilities', 0, 31, '7 月公共区域电费（照明、电梯、水泵）', 512_334],
  ['utilities', 1, 31, '8 月公共区域电费（照明、电梯、水泵）', 538_906],
  ['utilities', 2, 30, '9 月公共区域电费及公共用水', 497_612],
  ['management', 2, 25, '办公耗材、系统服务费及员工培训', 326_500],
  ['tax', 2, 15, '第三季度增值税及附加', 845_620],
  ['other', 1, 8, '台风“梅花”防汛物资', 98_600],
];

const INCOMES: [IncomeKind, number, number, string, number, string][] = [
  [
    'ads',
    2,
    30,
    '电梯轿厢广告（第三季度）',
    1_800_000,
    '扣除税费后计入业主共有资金，用于 2 栋电梯钢丝绳更换',
  ],
  [
    'parking',
    2,
    30,
    '地面临时停车费（第三季度）',
    2_356_000,
    '扣除收费员人工成本后计入业主共有资金',
  ],
  ['venue', 1, 20, '会所活动室场地租赁（周末兴趣班）', 360_000, '用于小区儿童游乐设施维护'],
];

const PROJECTS = [
  { title: '2 栋电梯钢丝绳更换', detail: '8 月完成，经特种设备检验合格' },
  { title: '夏季绿化养护', detail: '草坪修剪 6 次、病虫害防治 2 次，补种桂花 12 株' },
  { title: '防汛排查', detail: '台风前排查地下车库排水泵及雨水井 46 处' },
  { title: '二次供水水箱清洗', detail: '1–4 栋水箱清洗消毒，水质检测报告已张贴' },
];

/** Fee income of the period from the seeded payments (the same rule as the function). */
function feeIncomeOf(store: Store, period: string): FeeIncome {
  const { start, end } = periodInstants(period);
  const payments = store.find('payments', { communityId: COMMUNITY_ID }).filter((p) => {
    const t = new Date(p.paidAt as Date).getTime();
    return t >= start.getTime() && t < end.getTime();
  });
  const byChannel = new Map<string, number>();
  let receivedFen = 0;
  let refundedFen = 0;
  let n = 0;
  let r = 0;
  for (const p of payments) {
    const amount = p.amountFen as number;
    if (amount > 0) {
      receivedFen += amount;
      n += 1;
      byChannel.set(p.channel as string, (byChannel.get(p.channel as string) ?? 0) + amount);
    } else if (amount < 0) {
      refundedFen += -amount;
      r += 1;
    }
  }
  return {
    receivedFen,
    refundedFen,
    payments: n,
    refunds: r,
    byChannel: [...byChannel.entries()]
      .map(([channel, amountFen]) => ({
        channel,
        label: CHANNEL_LABELS[channel as PaymentChannel] ?? channel,
        amountFen,
      }))
      .sort((a, b) => b.amountFen - a.amountFen || a.channel.localeCompare(b.channel)),
  };
}

export const DEMO_DISCLOSURE_PERIOD = (today: string) => lastEndedQuarter(today);

export async function seedDisclosure(
  store: Store,
  url: string,
  today: string,
  users: { finance: string; admin: string },
): Promise<void> {
  const period = lastEndedQuarter(today);
  const { from, to } = periodRange(period);
  const vouchers = await uploadVouchers(url, users.finance);
  const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

  /** Entry `i` of its type: dated within the quarter, with one voucher. */
  const entry = <T extends 'expense' | 'income'>(
    type: T,
    i: number,
    [category, mo, day, description, amountFen]: EntryRow,
    use: string,
    voucher: string,
  ) => ({
    _id: `de_${COMMUNITY_ID}_seed-${type}-${String(i + 1).padStart(2, '0')}`,
    type,
    category,
    date: dayIn(from, mo, day) > to ? to : dayIn(from, mo, day),
    description,
    amountFen,
    use,
    vouchers: [voucher],
  });
  const entries = [
    ...EXPENSES.map((e, i) => entry('expense', i, e, '', vouchers[e[0] === 'staff' ? 1 : 0]!)),
    ...INCOMES.map((e, i) => entry('income', i, e, e[5], vouchers[2]!)),
  ].map((e) => ({
    ...e,
    communityId: COMMUNITY_ID,
    status: 'active',
    voidReason: null,
    requestId: e._id.slice(`de_${COMMUNITY_ID}_`.length),
    createdBy: users.finance,
    createdByName: '孙会计',
    createdAt: at(e.date),
  }));
  store.insert('disclosure_entries', entries);

  const expenses = expenseLines(entries);
  const incomes = incomeLines(entries);
  const fee = feeIncomeOf(store, period);
  const community = store.find('communities', { _id: COMMUNITY_ID })[0]!;
  const snapshot: DisclosureSnapshot = {
    communityId: COMMUNITY_ID,
    communityName: community.name as string,
    period,
    periodLabel: periodLabel(period),
    from,
    to,
    version: 1,
    fee,
    figures: computeFigures(fee, expenses, incomes),
    expenses,
    incomes,
    projects: PROJECTS,
    note: '公共收益扣除成本后归全体业主共有，使用情况如上；详细凭证可到物业服务中心查阅。',
    correctionReason: null,
    servicePhone: (community.servicePhone as string | undefined) ?? '',
  };
  const publishedOn = addDays(to, 15) < today ? addDays(to, 15) : today;
  store.insert('disclosures', [
    {
      _id: `dc_${COMMUNITY_ID}_${period}_v1`,
      communityId: COMMUNITY_ID,
      period,
      version: 1,
      status: 'published',
      supersededBy: null,
      supersedes: null,
      snapshot,
      fingerprint: figuresFingerprint(snapshot),
      publishedAt: at(publishedOn),
    },
  ]);
  // Who prepared, reviewed and published it: staff-only, never on the public document.
  const disclosureId = `dc_${COMMUNITY_ID}_${period}_v1`;
  store.insert('staff_signoffs', [
    {
      _id: signoffId('disclosures', disclosureId),
      ...signoffData('disclosures', COMMUNITY_ID, disclosureId, {
        prepared: { by: users.finance, byName: '孙会计', at: at(addDays(publishedOn, -3)) },
        reviewed: {
          by: users.admin,
          byName: '赵经理',
          at: at(addDays(publishedOn, -1)),
          comment: '核对无误',
        },
        published: { by: users.admin, byName: '赵经理', at: at(publishedOn) },
      }),
    },
  ]);

  // 公共能耗费 0.15 → 0.18 元/m²/月, announced 10 days ago with 30 days' notice, from the first
  // day of the quarter after next (so the next billing run is unaffected).
  const energy = store.find('fee_standards', { _id: `fs_${COMMUNITY_ID}_energy` })[0];
  if (!energy) return;
  const firstFrom = (energy.versions as { effectiveFrom: string }[])[0]!.effectiveFrom;
  const effectiveFrom = dayIn(firstFrom, 3, 1);
  const announcedOn = addDays(today, -10);
  if (effectiveFrom < earliestEffective(announcedOn, 30)) return;
  const adjustmentId = `adj_${COMMUNITY_ID}_seed-energy-2027`;
  const reason =
    '供电部门上调非居民用电价格，电梯、公共照明和二次供水加压的用电成本上升约 20%。经业主大会表决通过，公共能耗费相应调整。';
  const approvalRef = '翠湖花园业主大会决议（公共能耗费调整）';
  const approvedAt = addDays(today, -14);
  store.update(
    'fee_standards',
    { _id: energy._id },
    {
      $push: {
        versions: {
          versionId: 'v2',
          effectiveFrom,
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 1800 },
          approvalRef,
          approvedAt,
          note: `调价公示：${reason}`.slice(0, 200),
          adjustmentId,
          createdAt: at(announcedOn),
          createdBy: users.admin,
        },
      },
      $inc: { revision: 1 },
    },
    { multi: false, replace: false, upsert: false },
  );
  store.insert('fee_adjustments', [
    {
      _id: adjustmentId,
      communityId: COMMUNITY_ID,
      itemId: 'energy',
      standardName: '公共能耗费',
      currentPriceText: pricingText((energy.versions as { pricing: FeePricing }[])[0]!.pricing, 2),
      pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 1800 },
      priceText: pricingText({ kind: 'area', areaBasis: 'building', unitPriceE4: 1800 }, 2),
      effectiveFrom,
      approvalRef,
      approvedAt,
      reason,
      documents: [
        { name: '业主大会决议', fileId: vouchers[2]! },
        { name: '公共用电成本测算表', fileId: vouchers[0]! },
      ],
      noticeDays: 30,
      state: 'announced',
      proposedBy: users.finance,
      proposedByName: '孙会计',
      proposedAt: at(addDays(announcedOn, -2)),
      announcedBy: users.admin,
      announcedByName: '赵经理',
      announcedAt: at(announcedOn),
      announcedOn,
      versionId: 'v2',
    },
  ]);
}
