/**
 * 收支公示 and 调价公示 through the local cloud and the real SDK: expenses and common-area income
 * recorded (bad input changes nothing), fee income from the ledger (refunds netted, the period's
 * Beijing-time boundaries), prepare → review by a second person → publish, the immutable
 * snapshot, corrections as new versions with the old one marked superseded, who may read what,
 * the poster as a PrintDoc, and price adjustments that cannot take effect before 30 days' notice.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import { PNG, fetchLinked, idOfPath } from '../helpers/files';
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { lastEndedQuarter } from '../../miniprogram/domain/disclosure/rules';
import type { PrintDoc } from '../../miniprogram/domain/print/document';
import type {
  DisclosureEntryView,
  DisclosureView,
  OwnerDisclosures,
} from '../../miniprogram/domain/disclosure/contract';
import type { FeeStandardView, PublicStandardsView } from '../../miniprogram/domain/fee/contract';
import type { AdjustmentView } from '../../miniprogram/domain/fee/adjustments.contract';

const C = 'c_cuihu';
/** A quarter before the seeded bills: no seeded payments, so every figure is ours. */
const P = '2025Q2';
/**
 * A picture finance uploaded on the page for one record (`disclosure/<community>/<requestId>-n`,
 * `adjustments/<community>/<requestId>-n`): the only files addEntry and proposeAdjustment take.
 */
function uploaded(folder: 'disclosure' | 'adjustments', requestId: string, community = C): string {
  const p = `${folder}/${community}/${requestId}-0.jpg`;
  cloud.files.adminUpload(p, PNG, DEMO_USERS.finance);
  return idOfPath(p);
}

const cloud = useTestCloud({ seed: 'demo' });

const { call: dc, raw: dcRaw } = caller(cloud, 'disclosure', DEMO_USERS.finance);
const { call: fee, raw: feeRaw } = caller(cloud, 'fee', DEMO_USERS.finance);

const counts = () => ({
  entries: cloud.store.count('disclosure_entries', {}),
  disclosures: cloud.store.count('disclosures', {}),
  adjustments: cloud.store.count('fee_adjustments', {}),
  audit: cloud.store.count('audit_log', {}),
  standards: JSON.stringify(cloud.store.find('fee_standards', {})),
});

let seq = 0;
function entry(over: Record<string, unknown>) {
  seq += 1;
  const requestId = `test-entry-${String(seq).padStart(4, '0')}`;
  return {
    action: 'addEntry',
    communityId: C,
    requestId,
    type: 'expense',
    category: 'cleaning',
    date: '2025-05-10',
    amountFen: 100,
    description: '测试支出',
    vouchers: [uploaded('disclosure', requestId)],
    ...over,
  };
}

/** Hand-chosen ledger entries of 2025Q2, and two just outside it. */
function seedPayments(): void {
  const pay = (id: string, at: string, amountFen: number, channel = 'wechat') => ({
    _id: id,
    communityId: C,
    roomIds: ['r_1_1_1501'],
    channel,
    amountFen,
    allocations: [],
    prepaidFen: 0,
    receiptNo: `T-${id}`,
    paidAt: new Date(at),
    recordedBy: 'test',
  });
  cloud.store.insert('payments', [
    pay('tp1', '2025-04-01T00:00:00+08:00', 96_500), // first instant of the quarter
    pay('tp2', '2025-05-20T10:00:00+08:00', 63_076, 'cash'),
    pay('tp3', '2025-06-30T23:59:59+08:00', 150_000, 'transfer'), // last second
    pay('tp4', '2025-06-12T09:00:00+08:00', -20_000), // a refund (冲红)
    pay('tp5', '2025-03-31T23:59:59+08:00', 77_700), // before
    pay('tp6', '2025-07-01T00:00:00+08:00', 88_800), // after
    { ...pay('tp7', '2025-05-01T00:00:00+08:00', 55_500), communityId: 'c_other' },
  ]);
}

async function recordQuarter(): Promise<void> {
  await dc(entry({ category: 'staff', amountFen: 1_000_000, description: '4 月工资' }));
  await dc(entry({ category: 'staff', amountFen: 1_050_050, description: '5 月工资' }));
  await dc(entry({ category: 'cleaning', amountFen: 300_000, description: '保洁外包' }));
  await dc(entry({ category: 'repairs', amountFen: 49_999, description: '水泵维修' }));
  await dc(
    entry({
      type: 'income',
      category: 'ads',
      amountFen: 120_000,
      description: '电梯广告',
      use: '用于电梯维修',
      vouchers: [],
    }),
  );
  await dc(
    entry({
      type: 'income',
      category: 'parking',
      amountFen: 80_001,
      description: '临时停车',
      use: '计入共有资金',
    }),
  );
}

describe('entries', () => {
  test('finance records expenses and income; bad input is refused naming the field, nothing changes', async () => {
    const before = counts();
    const bad: [Record<string, unknown>, RegExp][] = [
      [entry({ amountFen: 12.5 }), /^amountFen: /],
      [entry({ amountFen: 0 }), /^amountFen: /],
      [entry({ category: 'party' }), /^category: /],
      [entry({ vouchers: [] }), /^vouchers: 支出请上传至少一张凭证/],
      [entry({ vouchers: ['http://x/y.jpg'] }), /^vouchers\.0: /],
      // Only vouchers uploaded for this entry: not another entry's, another community's, a
      // generated file, or one never uploaded.
      [entry({ vouchers: [uploaded('disclosure', 'other-request-1')] }), /^vouchers: 请在本页/],
      [
        entry({ vouchers: [uploaded('disclosure', 'test-entry-9999', 'c_other')] }),
        /^vouchers: 请在本页/,
      ],
      [
        entry({ vouchers: [idOfPath(`exports/${C}/0123456789abcdef0123456789abcdef/p.jpg`)] }),
        /^vouchers: 请在本页/,
      ],
      [
        {
          ...entry({}),
          requestId: 'test-entry-8888',
          vouchers: [idOfPath(`disclosure/${C}/test-entry-8888-0.jpg`)],
        },
        /^vouchers: 找不到上传的文件/,
      ],
      [entry({ type: 'income', category: 'ads', vouchers: [] }), /^use: /],
      [entry({ date: '2025-02-30' }), /^date: /],
      [
        entry({ date: addDays(shanghaiDate(new Date(cloud.clock.now())), 2) }),
        /^date: 日期不能晚于今天/,
      ],
      [entry({ requestId: 'x' }), /^requestId: /],
      [{ ...entry({}), extra: 1 }, /extra: 不支持的字段/],
    ];
    for (const [event, message] of bad) {
      const r = await dcRaw(event);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect((r as { message: string }).message).toMatch(message);
    }
    expect(counts()).toEqual(before);

    // Cashiers and service staff cannot write the books; owners neither.
    for (const who of [DEMO_USERS.cashier, DEMO_USERS.service, DEMO_USERS.owner]) {
      expect(await dcRaw(entry({}), who)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(counts()).toEqual(before);

    const e = entry({ amountFen: 12_345, description: '绿化补种', category: 'greening' });
    const first = await dc<DisclosureEntryView>(e);
    expect(first).toMatchObject({ categoryLabel: '绿化养护', amountFen: 12_345, status: 'active' });
    // The same request again (a retried tap) records nothing new.
    // (Links are signed afresh on every answer.)
    const again = await dc<DisclosureEntryView>(e);
    expect({ ...again, vouchers: [] }).toEqual({ ...first, vouchers: [] });
    expect(cloud.store.count('disclosure_entries', {})).toBe(before.entries + 1);

    const voided = await dc<DisclosureEntryView>({
      action: 'voidEntry',
      communityId: C,
      entryId: first.entryId,
      reason: '重复登记',
    });
    expect(voided).toMatchObject({ status: 'void', voidReason: '重复登记' });
    const listed = await dc<{ entries: DisclosureEntryView[] }>({
      action: 'entries',
      communityId: C,
      period: P,
    });
    expect(listed.entries.map((x) => x.entryId)).not.toContain(first.entryId);
    // Vouchers come as links (another finance member cannot read them by id), never file ids.
    expect(JSON.stringify([first, listed])).not.toContain('cloud://');
    expect(first.vouchers).toHaveLength(1);
    expect(await fetchLinked({ tempFileURL: first.vouchers[0]! })).toEqual(PNG);
    const actions = cloud.store
      .find('audit_log', { targetId: first.entryId })
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(['disclosure.addExpense', 'disclosure.voidEntry']);
  });
});

describe('prepare, review, publish', () => {
  test('figures come from the ledger and the entries, hand-computed; a second person reviews; published is frozen', async () => {
    seedPayments();
    await recordQuarter();
    // A period that has not ended cannot be disclosed.
    const today = shanghaiDate(new Date(cloud.clock.now()));
    const current = `${today.slice(0, 4)}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    expect(await dcRaw({ action: 'prepare', communityId: C, period: current })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });

    const draft = await dc<DisclosureView>({
      action: 'prepare',
      communityId: C,
      period: P,
      projects: [{ title: '水泵维修', detail: '地下车库' }],
      note: '测试',
    });
    // received: 96,500 + 63,076 + 150,000 = 309,576; refunded 20,000; net 289,576
    // common income: 120,000 + 80,001 = 200,001; total income 489,577
    // expenses: staff 2,050,050 + cleaning 300,000 + repairs 49,999 = 2,400,049
    // balance: 489,577 − 2,400,049 = −1,910,472
    expect(draft.snapshot.figures.totals).toEqual({
      feeReceivedFen: 309_576,
      feeRefundedFen: 20_000,
      feeNetFen: 289_576,
      commonIncomeFen: 200_001,
      totalIncomeFen: 489_577,
      expenseFen: 2_400_049,
      balanceFen: -1_910_472,
    });
    expect(draft.snapshot.fee).toMatchObject({ payments: 3, refunds: 1 });
    expect(draft.snapshot.fee.byChannel).toEqual([
      { channel: 'transfer', label: '银行转账', amountFen: 150_000 },
      { channel: 'wechat', label: '微信支付', amountFen: 96_500 },
      { channel: 'cash', label: '现金', amountFen: 63_076 },
    ]);
    // Shares: 2,050,050/2,400,049 = 85.417% → 85.4; 300,000 → 12.499% → 12.5; 49,999 → 2.083% → 2.1
    expect(
      draft.snapshot.figures.expensesByCategory.map((c) => [c.category, c.amountFen, c.shareText]),
    ).toEqual([
      ['staff', 2_050_050, '85.4%'],
      ['cleaning', 300_000, '12.5%'],
      ['repairs', 49_999, '2.1%'],
    ]);
    expect(draft).toMatchObject({ status: 'draft', version: 1, preparedByName: '孙会计' });

    // Owners cannot see a draft; the preparer cannot review it.
    expect(
      await dcRaw({ action: 'view', disclosureId: draft.disclosureId }, DEMO_USERS.owner),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await dcRaw({
        action: 'review',
        communityId: C,
        disclosureId: draft.disclosureId,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    // Not reviewed yet: publishing is refused.
    expect(
      await dcRaw({ action: 'publish', communityId: C, disclosureId: draft.disclosureId }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });

    const reviewed = await dc<DisclosureView>(
      { action: 'review', communityId: C, disclosureId: draft.disclosureId, decision: 'approve' },
      DEMO_USERS.admin,
    );
    expect(reviewed).toMatchObject({ status: 'reviewed', reviewedByName: '赵经理', stale: false });

    // An entry added after review: publishing is refused until prepared and reviewed again.
    const late = await dc<DisclosureEntryView>(entry({ category: 'tax', amountFen: 5_000 }));
    const beforeRefused = counts();
    expect(
      await dcRaw({ action: 'publish', communityId: C, disclosureId: draft.disclosureId }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(counts()).toEqual(beforeRefused);
    await dc({ action: 'voidEntry', communityId: C, entryId: late.entryId, reason: '登记错期' });

    const published = await dc<DisclosureView>({
      action: 'publish',
      communityId: C,
      disclosureId: draft.disclosureId,
    });
    expect(published).toMatchObject({
      status: 'published',
      superseded: false,
      preparedByName: '孙会计',
      reviewedByName: '赵经理',
      publishedByName: '孙会计',
    });
    // Any client may read the published document: it names no staff member; who prepared,
    // reviewed and published it is kept in staff_signoffs (issue 20).
    const doc = cloud.store.find('disclosures', { _id: draft.disclosureId })[0]!;
    expect(JSON.stringify(doc)).not.toMatch(/o_demo_|孙会计|赵经理/);
    expect(
      cloud.store.find('staff_signoffs', { _id: `disclosures:${draft.disclosureId}` }),
    ).toEqual([
      expect.objectContaining({
        prepared: expect.objectContaining({ by: DEMO_USERS.finance, byName: '孙会计' }),
        reviewed: expect.objectContaining({ by: DEMO_USERS.admin, byName: '赵经理' }),
        published: expect.objectContaining({ by: DEMO_USERS.finance, byName: '孙会计' }),
      }),
    ]);
    const stored = JSON.stringify(cloud.store.find('disclosures', { _id: draft.disclosureId }));

    // Published is frozen: later records do not change it.
    await dc(entry({ category: 'other', amountFen: 7_777 }));
    const owner = await dc<DisclosureView>(
      { action: 'view', disclosureId: draft.disclosureId },
      DEMO_USERS.owner,
    );
    expect(owner.snapshot.figures.totals.expenseFen).toBe(2_400_049);
    expect(owner).toMatchObject({ preparedByName: '', reviewedByName: '', stale: false });
    expect(JSON.stringify(cloud.store.find('disclosures', { _id: draft.disclosureId }))).toBe(
      stored,
    );
    // Publishing again changes nothing.
    await dc({ action: 'publish', communityId: C, disclosureId: draft.disclosureId });
    expect(JSON.stringify(cloud.store.find('disclosures', { _id: draft.disclosureId }))).toBe(
      stored,
    );

    const list = await dc<OwnerDisclosures>({ action: 'published' }, DEMO_USERS.owner);
    expect(list.communityName).toBe('翠湖花园');
    expect(list.disclosures.map((d) => d.period)).toContain(P);

    // Someone not bound in the community sees nothing.
    expect(
      await dcRaw({ action: 'view', disclosureId: draft.disclosureId }, 'o_demo_newcomer'),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await dc<OwnerDisclosures>({ action: 'published' }, 'o_demo_newcomer')).toMatchObject({
      disclosures: [],
    });
    expect(await dcRaw({ action: 'published', communityId: C }, 'o_demo_newcomer')).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });

    const poster = await dc<PrintDoc>(
      { action: 'poster', disclosureId: draft.disclosureId },
      DEMO_USERS.owner,
    );
    expect(poster.title).toBe('翠湖花园2025年第二季度收支公示');
    const table = poster.blocks.find((b) => b.kind === 'table');
    expect(table).toMatchObject({
      rows: [
        ['人员费用', '¥20,500.50', '85.4%', '2'],
        ['保洁费用', '¥3,000.00', '12.5%', '1'],
        ['维修养护', '¥499.99', '2.1%', '1'],
      ],
      footer: ['合计', '¥24,000.49', '100.0%', '4'],
    });

    const audited = cloud.store
      .find('audit_log', { targetId: draft.disclosureId })
      .map((a) => a.action)
      .sort();
    expect(audited).toEqual(['disclosure.approve', 'disclosure.prepare', 'disclosure.publish']);
  });

  test('a correction is a new version with its reason; the old one stays visible, marked superseded', async () => {
    seedPayments();
    await recordQuarter();
    const v1 = await dc<DisclosureView>({ action: 'prepare', communityId: C, period: P });
    await dc(
      { action: 'review', communityId: C, disclosureId: v1.disclosureId, decision: 'approve' },
      DEMO_USERS.admin,
    );
    await dc({ action: 'publish', communityId: C, disclosureId: v1.disclosureId });
    const v1Stored = JSON.stringify(
      cloud.store.find('disclosures', { _id: v1.disclosureId })[0]!.snapshot,
    );

    // Without a reason, a published period cannot be prepared again.
    expect(await dcRaw({ action: 'prepare', communityId: C, period: P })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    await dc(
      entry({ category: 'utilities', amountFen: 33_333, description: '6 月公共电费（漏记）' }),
    );
    const v2 = await dc<DisclosureView>({
      action: 'prepare',
      communityId: C,
      period: P,
      correctionReason: '补记 6 月公共区域电费',
    });
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    expect(v2.snapshot.figures.totals.expenseFen).toBe(2_400_049 + 33_333);
    // A returned draft stays a draft with the comment; the admin then approves.
    await dc(
      {
        action: 'review',
        communityId: C,
        disclosureId: v2.disclosureId,
        decision: 'return',
        comment: '请附电费单',
      },
      DEMO_USERS.admin,
    );
    expect(
      await dcRaw(
        { action: 'review', communityId: C, disclosureId: v2.disclosureId, decision: 'return' },
        DEMO_USERS.admin,
      ),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await dc(
      { action: 'review', communityId: C, disclosureId: v2.disclosureId, decision: 'approve' },
      DEMO_USERS.admin,
    );
    await dc({ action: 'publish', communityId: C, disclosureId: v2.disclosureId });

    const list = await dc<OwnerDisclosures>(
      { action: 'published', communityId: C },
      DEMO_USERS.owner,
    );
    const ofP = list.disclosures.filter((d) => d.period === P);
    expect(ofP.map((d) => [d.version, d.superseded, d.correctionReason])).toEqual([
      [2, false, '补记 6 月公共区域电费'],
      [1, true, null],
    ]);
    const old = await dc<DisclosureView>(
      { action: 'view', disclosureId: v1.disclosureId },
      DEMO_USERS.owner,
    );
    expect(old).toMatchObject({ superseded: true, supersededBy: v2.disclosureId });
    expect(
      JSON.stringify(cloud.store.find('disclosures', { _id: v1.disclosureId })[0]!.snapshot),
    ).toBe(v1Stored);
    const poster = await dc<PrintDoc>(
      { action: 'poster', disclosureId: v1.disclosureId },
      DEMO_USERS.owner,
    );
    expect(poster.blocks).toContainEqual({
      kind: 'paragraph',
      text: '本版本已被更正，请以最新版本为准。',
      align: 'center',
      bold: true,
    });
  });

  test('the seeded published disclosure agrees with what the function computes from the ledger', async () => {
    const period = lastEndedQuarter(shanghaiDate(new Date(cloud.clock.now())));
    const list = await dc<OwnerDisclosures>({ action: 'published' }, DEMO_USERS.elder);
    const seeded = list.disclosures.find((d) => d.period === period)!;
    expect(seeded).toMatchObject({ version: 1, status: 'published', superseded: false });
    const view = await dc<DisclosureView>(
      { action: 'view', disclosureId: seeded.disclosureId },
      DEMO_USERS.admin,
    );
    expect(view.stale).toBe(false);
    expect(view.snapshot.figures.expensesByCategory.length).toBe(9);
    expect(view.snapshot.fee.receivedFen).toBeGreaterThan(0);
  });
});

describe('across communities', () => {
  test('an admin of another community reaches nothing of this one', async () => {
    cloud.store.insert('communities', [{ _id: 'c_lake', name: '湖畔' }]);
    cloud.store.insert('staff_roles', [
      {
        _id: 'c_lake:o_lake_admin',
        communityId: 'c_lake',
        openid: 'o_lake_admin',
        roles: ['admin'],
      },
    ]);
    const lake = 'o_lake_admin';
    const seeded = (await dc<OwnerDisclosures>({ action: 'published' }, DEMO_USERS.owner))
      .disclosures[0]!;
    const before = counts();
    expect(await dcRaw(entry({}), lake)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await dcRaw({ action: 'list', communityId: C }, lake)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await dcRaw({ action: 'view', disclosureId: seeded.disclosureId }, lake)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await dcRaw({ action: 'poster', disclosureId: seeded.disclosureId }, lake),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await dcRaw({ action: 'published', communityId: C }, lake)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await dcRaw(
        {
          action: 'review',
          communityId: 'c_lake',
          disclosureId: seeded.disclosureId,
          decision: 'approve',
        },
        lake,
      ),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await feeRaw({ action: 'adjustments', communityId: C }, lake)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(counts()).toEqual(before);
  });
});

describe('fee adjustments (调价公示)', () => {
  const today = () => shanghaiDate(new Date(cloud.clock.now()));
  const propose = (over: Record<string, unknown> = {}) => ({
    action: 'proposeAdjustment',
    communityId: C,
    requestId: 'test-adjust-0001',
    itemId: 'property',
    pricing: { kind: 'area', unitPrice: '2.6' },
    effectiveFrom: addDays(today(), 45),
    approvalRef: '业主大会决议（物业费调整）',
    approvedAt: today(),
    reason: '人工成本和最低工资标准上调，经业主大会表决通过调整物业服务费。',
    documents: [{ name: '业主大会决议', fileId: uploaded('adjustments', 'test-adjust-0001') }],
    ...over,
  });

  test('cannot take effect before the notice period; announced by a second person; owners see it and its history', async () => {
    const before = counts();
    const bad: [Record<string, unknown>, RegExp][] = [
      [propose({ effectiveFrom: addDays(today(), 29) }), /^effectiveFrom: 公示期 30 天/],
      [propose({ noticeDays: 10 }), /^noticeDays: 公示期不少于 30 天/],
      [propose({ documents: [] }), /^documents: /],
      [
        propose({
          documents: [{ name: '别人的', fileId: uploaded('adjustments', 'other-adjust') }],
        }),
        /^documents: 请在本页/,
      ],
      [
        propose({
          documents: [{ name: '邻居的', fileId: uploaded('disclosure', 'test-adjust-0001') }],
        }),
        /^documents: 请在本页/,
      ],
      [propose({ reason: '涨价' }), /^reason: /],
      [propose({ pricing: { kind: 'perRoom', unitPrice: '100' } }), /^pricing\.kind: /],
      [propose({ approvedAt: addDays(today(), 50) }), /^approvedAt: /],
    ];
    for (const [event, message] of bad) {
      const r = await feeRaw(event);
      expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect((r as { message: string }).message).toMatch(message);
    }
    expect(counts()).toEqual(before);
    // A standard already billed takes no direct price version: only this workflow changes it.
    const direct = await feeRaw({
      action: 'addVersion',
      communityId: C,
      itemId: 'property',
      effectiveFrom: addDays(today(), 20),
      approvedAt: today(),
      approvalRef: '业主大会决议',
      pricing: { kind: 'area', unitPrice: '2.6' },
    });
    expect(direct).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
    expect((direct as { message: string }).message).toMatch(/^pricing: .*调价公示/);
    expect(counts()).toEqual(before);

    const proposed = await fee<AdjustmentView>(propose());
    expect(proposed).toMatchObject({
      status: 'proposed',
      currentPriceText: '2.35 元/m²/月（按建筑面积）',
      priceText: '2.60 元/m²/月（按建筑面积）',
    });
    // Not visible to owners while only proposed; the standard is unchanged.
    let pub = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    expect(pub.adjustments.map((a) => a.adjustmentId)).not.toContain(proposed.adjustmentId);
    expect(counts().standards).toBe(before.standards);

    // The proposer cannot announce their own proposal.
    expect(
      await feeRaw({
        action: 'announceAdjustment',
        communityId: C,
        adjustmentId: proposed.adjustmentId,
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const announced = await fee<AdjustmentView>(
      { action: 'announceAdjustment', communityId: C, adjustmentId: proposed.adjustmentId },
      DEMO_USERS.admin,
    );
    expect(announced).toMatchObject({
      status: 'notice',
      announcedOn: today(),
      noticeEndsOn: addDays(today(), 30),
      daysLeft: 45,
      versionId: 'v2',
    });
    const std = (
      await fee<{ standards: FeeStandardView[] }>({ action: 'standards', communityId: C })
    ).standards.find((s) => s.itemId === 'property')!;
    expect(std.versions.map((v) => [v.versionId, v.effectiveFrom])).toEqual([
      ['v1', std.versions[0]!.effectiveFrom],
      ['v2', addDays(today(), 45)],
    ]);
    // Still the old price today.
    expect(std.currentVersionId).toBe('v1');

    pub = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    const shown = pub.adjustments.find((a) => a.adjustmentId === proposed.adjustmentId)!;
    expect(shown).toMatchObject({
      status: 'notice',
      daysLeft: 45,
      effectiveFrom: addDays(today(), 45),
      priceText: '2.60 元/m²/月（按建筑面积）',
    });
    // Owners get the documents as links: the proposer's upload is not theirs to read by id.
    expect(JSON.stringify(pub)).not.toContain('cloud://');
    expect(shown.documents).toEqual([
      { name: '业主大会决议', url: expect.stringMatching(/^http/) },
    ]);
    expect(await fetchLinked({ tempFileURL: shown.documents[0]!.url })).toEqual(PNG);
    const property = pub.standards.find((s) => s.itemId === 'property')!;
    expect(property.history.map((h) => h.priceText)).toEqual([
      '2.35 元/m²/月（按建筑面积）',
      '2.60 元/m²/月（按建筑面积）',
    ]);
    expect(property.history[0]!.effectiveTo).toBe(addDays(today(), 44));

    // Withdrawn before it takes effect: the version goes, owners no longer see it.
    const withdrawn = await fee<AdjustmentView>({
      action: 'withdrawAdjustment',
      communityId: C,
      adjustmentId: proposed.adjustmentId,
      reason: '业主意见较大，暂缓调整',
    });
    expect(withdrawn.status).toBe('withdrawn');
    const after = cloud.store.find('fee_standards', { itemId: 'property' })[0]!;
    expect((after.versions as unknown[]).length).toBe(1);
    pub = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    expect(pub.adjustments.map((a) => a.adjustmentId)).not.toContain(proposed.adjustmentId);
    const audited = cloud.store
      .find('audit_log', { targetId: proposed.adjustmentId })
      .map((a) => a.action)
      .sort();
    expect(audited).toEqual([
      'feeAdjustment.announce',
      'feeAdjustment.propose',
      'feeAdjustment.withdraw',
    ]);
  });

  test('the seeded adjustment of 公共能耗费 is in its notice period for owners', async () => {
    const pub = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    const a = pub.adjustments.find((x) => x.itemId === 'energy')!;
    expect(a).toMatchObject({
      status: 'notice',
      announcedOn: addDays(today(), -10),
      currentPriceText: '0.15 元/m²/月（按建筑面积）',
      priceText: '0.18 元/m²/月（按建筑面积）',
    });
    expect(a.effectiveFrom >= addDays(a.announcedOn, 30)).toBe(true);
    expect(a.daysLeft).toBeGreaterThan(0);
  });
});
