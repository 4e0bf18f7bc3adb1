/**
 * Payment notices and overdue follow-up pages: the owner's notice list and detail (own amount,
 * read, consent from a tap), the owner's installment plan confirmation, and the staff pages —
 * 催缴任务 (cases and the contact list), one account (contact with a reason and a promise date,
 * plan approval, late-fee waiver), the 催缴函 on screen with delivery, and publishing a notice.
 */
import type {
  CaseDetail,
  CaseItem,
  LetterView,
  PlanView,
  TaskView,
} from '../../miniprogram/domain/overdue/contract';
import { overdueLettersDoc } from '../../miniprogram/domain/overdue/rules';
import { addDays, formatDate, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { ADMIN, FINANCE, SERVICE } from './fixtures';
import { confirmAll, fail, ok, stubWx } from './wx-stub';
import { loadPage, query, queryAll, settle, tapButton, textOf } from './page';
import type {
  DeliveryReport,
  NoticeView,
  OwnerNoticeDetail,
  OwnerNoticeItem,
} from '../../miniprogram/domain/notice/contract';

const ITEMS: OwnerNoticeItem[] = [
  {
    noticeId: 'n1',
    title: '2026年12月物业费缴费通知',
    summary: '2026年12月，请于2026年12月15日前缴纳。',
    publishedAt: '2026-12-01T02:00:00.000Z',
    read: false,
    kind: 'payment',
  },
  {
    noticeId: 'n2',
    title: '二次供水水箱清洗通知',
    summary: '本周六清洗水箱',
    publishedAt: '2026-11-20T02:00:00.000Z',
    read: true,
    kind: 'general',
  },
];

const DETAIL: OwnerNoticeDetail = {
  ...ITEMS[0]!,
  read: true,
  communityName: '翠湖花园',
  period: '2026-12',
  deadline: '2026-12-15',
  amountBasis: '建筑面积 × 2.35 元/m²/月 × 3 个月',
  methods: ['微信小程序缴费', '现金'],
  frontDesk: '3 栋一楼物业服务中心',
  serviceHours: '每日 8:30–18:00',
  lateFeePolicy: null,
  contactPhone: '0571-8888 6666',
  body: '本季度物业服务费已出账，感谢您的支持。',
  myRooms: [
    { roomId: 'r1', roomLabel: '1栋1单元1501', amountFen: 63_076 },
    { roomId: 'r2', roomLabel: '2栋1单元302', amountFen: 0 },
  ],
};

const PLAN: PlanView = {
  planId: 'plan1',
  communityId: 'c_cuihu',
  roomId: 'r1',
  roomLabel: '1栋1单元1501',
  status: 'approved',
  statusText: '待业主确认',
  arrearsFen: 52_500,
  billIds: ['b1'],
  installments: [
    { dueDate: '2027-02-01', amountFen: 17_500, coveredFen: 0 },
    { dueDate: '2027-03-01', amountFen: 17_500, coveredFen: 0 },
    { dueDate: '2027-04-01', amountFen: 17_500, coveredFen: 0 },
  ],
  note: '业主失业，申请分三期',
  proposedByName: '周客服',
  approvedByName: '赵经理',
  acceptedAt: null,
  createdAt: '2027-01-20T02:00:00.000Z',
};

const CASE: CaseItem = {
  roomId: 'r1',
  roomLabel: '1栋1单元1501',
  arrearsFen: 52_500,
  lateFeeFen: 2_500,
  billCount: 1,
  oldestDueDate: '2026-12-15',
  overdueDays: 36,
  agingBucket: '31-90',
  stage: 'formal-notice',
  stageLabel: '书面催缴函',
  held: null,
  openTasks: 1,
  specialCare: true,
  bound: true,
};

const TASK: TaskView = {
  taskId: 't1',
  roomId: 'r4',
  roomLabel: '4栋2单元1801',
  kind: 'call',
  kindText: '电话联系',
  source: 'not-bound',
  sourceText: '未绑定小程序',
  status: 'open',
  assignedTo: null,
  assignedName: '',
  outcome: '',
  createdAt: '2026-12-01T02:00:00.000Z',
  arrearsFen: 50_300,
};

const DETAIL_CASE: CaseDetail = {
  item: CASE,
  ownerId: 'p1',
  ownerName: '王**',
  ownerMobile: '138****5678',
  careNote: '独居老人，听力不好，请慢慢说',
  bills: [
    {
      billId: 'b1',
      period: '2026-12',
      coverFrom: '2026-12',
      coverTo: '2027-02',
      title: '物业服务费（季度）',
      dueDate: '2026-12-15',
      amountDueFen: 50_000,
      lateFeeFen: 2_500,
      lateFeeWaivedFen: 0,
      paidFen: 0,
      outstandingFen: 52_500,
      overdueDays: 36,
    },
  ],
  events: [
    {
      eventId: 'e1',
      kind: 'stage',
      stage: 'formal-notice',
      title: '书面催缴函',
      detail: '逾期 30 天，欠费 ¥525.00（1 笔）。已生成催缴函 CJ20270114-1_1_1501，待送达',
      channel: null,
      reason: null,
      reasonText: '',
      notes: '',
      nextStep: '',
      ownerResponse: '',
      at: '2027-01-14T02:00:00.000Z',
      byName: '系统',
    },
  ],
  tasks: [],
  plans: [{ ...PLAN, status: 'proposed', statusText: '待审批' }],
  holds: [],
  letter: { letterNo: 'CJ20270114-1栋1单元1501', deliveredAt: null },
};

describe('owner: notices', () => {
  test('the list marks unread notices and opens one', async () => {
    const stub = stubWx({ 'notice.mine': ok(ITEMS) });
    const page = await loadPage('pages/notice/index');
    const text = textOf(page);
    expect(text).toContain('共 2 条通知，1 条未读');
    expect(text).toContain('未读');
    queryAll(page, '.notice')[0]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/detail?noticeId=n1' });
  });

  test('the detail shows the owner’s own amounts, where to pay and that no late fee applies', async () => {
    const stub = stubWx({ 'notice.detail': ok(DETAIL), 'notice.consent': ok({ credits: {} }) });
    const page = await loadPage('pages/notice/detail', { noticeId: 'n1' });
    const text = textOf(page);
    expect(text).toContain('¥630.76');
    expect(text).toContain('已缴清');
    expect(text).toContain('2026年12月15日');
    expect(text).toContain('合同未约定滞纳金，不收取');
    expect(text).toContain('3 栋一楼物业服务中心');
    expect(stub.calls[0]).toMatchObject({
      name: 'notice',
      data: { action: 'detail', noticeId: 'n1' },
    });
    // Consent only from the tap, at most 3 templates, recorded as credits.
    expect(stub.wx.requestSubscribeMessage).not.toHaveBeenCalled();
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { tmplIds: string[]; success: (r: object) => void }) =>
        o.success(Object.fromEntries(o.tmplIds.map((id) => [id, 'accept']))),
    );
    await tapButton(page, '.remind-btn');
    await settle();
    const req = (stub.wx.requestSubscribeMessage as jest.Mock).mock.calls[0][0] as {
      tmplIds: string[];
    };
    expect(req.tmplIds.length).toBeLessThanOrEqual(3);
    const consent = stub.calls.find((c) => c.data.action === 'consent');
    expect(consent?.data).toMatchObject({ trigger: 'notice' });
    expect(Object.values(consent!.data.results as object)).toEqual(req.tmplIds.map(() => 'accept'));
  });

  test('a notice that is gone is explained politely', async () => {
    stubWx({ 'notice.detail': fail('NOT_FOUND', '抱歉，该通知不存在或已撤回') });
    const page = await loadPage('pages/notice/detail', { noticeId: 'nx' });
    expect(textOf(page)).toContain('抱歉');
  });
});

describe('owner: installment plan', () => {
  test('an approved plan is confirmed by the owner from a tap', async () => {
    const stub = stubWx({
      'overdue.myPlans': ok([PLAN]),
      'overdue.acceptPlan': ok({ ...PLAN, status: 'active', statusText: '执行中' }),
    });
    confirmAll(stub);
    const page = await loadPage('pages/plan/index');
    const text = textOf(page);
    expect(text).toContain('¥525.00');
    expect(text).toContain('第1期');
    expect(text).toContain('2027年2月1日');
    expect(text).toContain('¥175.00');
    await tapButton(page, '.accept');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'acceptPlan')?.data).toMatchObject({
      planId: 'plan1',
    });
  });

  test('an active plan pays this installment: the plan’s bills, the amount still due', async () => {
    const stub = stubWx({
      'overdue.myPlans': ok([
        {
          ...PLAN,
          status: 'active',
          statusText: '执行中',
          installments: [
            { dueDate: '2027-02-01', amountFen: 17_500, coveredFen: 17_500 },
            { dueDate: '2027-03-01', amountFen: 17_500, coveredFen: 5_000 },
            { dueDate: '2027-04-01', amountFen: 17_500, coveredFen: 0 },
          ],
        },
      ]),
    });
    const page = await loadPage('pages/plan/index');
    expect(textOf(page)).toContain('已缴 ¥50.00');
    await tapButton(page, '.pay');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/pay/index?billIds=b1&partFen=12500',
    });
  });

  test('no plan: how to ask for one', async () => {
    stubWx({ 'overdue.myPlans': ok([]) });
    const page = await loadPage('pages/plan/index');
    expect(textOf(page)).toContain('可联系物业客服协商分期缴纳');
  });
});

describe('staff: 催缴任务', () => {
  test('cases by days overdue, then the contact list with 我来联系', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'overdue.cases': ok({ items: [CASE], total: 1, totalArrearsFen: 52_500, nextCursor: null }),
      'overdue.tasks': ok({ items: [TASK], total: 1, nextCursor: null, assignees: [] }),
      'overdue.assign': ok({ ...TASK, assignedTo: 'o_service', assignedName: '周客服' }),
    });
    const page = await loadPage('admin/collection/index');
    let text = textOf(page);
    expect(text).toContain('共 1 户逾期，合计 ¥525.00');
    expect(text).toContain('逾期 36 天');
    expect(text).toContain('书面催缴函');
    expect(text).toContain('特殊关怀');
    expect(text).toContain('不得以停水、停电、停暖、停气相要挟');
    queryAll(page, '.case')[0]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/collection/case?roomId=r1' });

    query(page, '.tab-tasks').dispatchEvent('tap');
    await settle();
    text = textOf(page);
    expect(text).toContain('共 1 项待联系');
    expect(text).toContain('4栋2单元1801');
    expect(text).toContain('未绑定小程序');
    await tapButton(page, '.take');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'assign')?.data).toMatchObject({
      taskId: 't1',
      assignee: SERVICE.openid,
    });
  });

  test('a long list comes a page at a time: 加载更多 asks for the next page and appends it', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'overdue.cases': (data: Record<string, unknown>) =>
        ok(
          data.cursor === 'p2'
            ? {
                items: [{ ...CASE, roomId: 'r2', roomLabel: '5栋1单元101' }],
                total: 2,
                totalArrearsFen: 105_000,
                nextCursor: null,
              }
            : { items: [CASE], total: 2, totalArrearsFen: 105_000, nextCursor: 'p2' },
        ),
    });
    const page = await loadPage('admin/collection/index');
    expect(textOf(page)).toContain('共 2 户逾期，合计 ¥1,050.00');
    expect(queryAll(page, '.case')).toHaveLength(1);
    query(page, '.load-more').dispatchEvent('tap');
    await settle();
    expect(queryAll(page, '.case')).toHaveLength(2);
    expect(textOf(page)).toContain('5栋1单元101');
    expect(queryAll(page, '.load-more')).toHaveLength(0);
    const asks = stub.calls.filter((c) => c.data.action === 'cases').map((c) => c.data.cursor);
    expect(asks).toEqual([undefined, 'p2']);
  });
});

describe('staff: one overdue account', () => {
  test('a contact needs a reason; with a promise date it is saved', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'overdue.case': ok(DETAIL_CASE),
      'overdue.record': ok(DETAIL_CASE.events[0]),
    });
    const page = await loadPage('admin/collection/case', { roomId: 'r1', taskId: 't9' });
    const text = textOf(page);
    expect(text).toContain('独居老人');
    expect(text).toContain('138****5678');
    for (const r of [
      '对服务不满意',
      '经济困难',
      '对收费有误解',
      '不在家/联系不上',
      '有争议',
      '其他',
    ])
      expect(text).toContain(r);
    await tapButton(page, '.save-contact');
    expect(textOf(page)).toContain('请选择未缴原因');
    expect(stub.calls.some((c) => c.data.action === 'record')).toBe(false);

    queryAll(page, '.reason')[1]!.dispatchEvent('tap');
    query(page, '.notes').dispatchEvent('input', { detail: { value: '子女下月回来处理' } });
    query(page, '.next-step').dispatchEvent('input', { detail: { value: '下周三回访' } });
    await settle();
    // the promise date comes from a date picker (today to 90 days ahead), never typed
    expect(textOf(query(page, '.promise'))).toContain('之前');
    const d = addDays(shanghaiDate(new Date()), 5);
    query(page, '.promise-picker').dispatchEvent('change', { detail: { value: d } });
    await settle();
    expect(textOf(query(page, '.promise'))).toBe(formatDate(d));
    await tapButton(page, '.save-contact');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'record')?.data).toMatchObject({
      roomId: 'r1',
      channel: 'call',
      reason: 'hardship',
      notes: '子女下月回来处理',
      nextStep: '下周三回访',
      promiseDate: d,
      taskId: 't9',
    });
  });

  test('an admin approves a proposed plan', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'overdue.case': ok(DETAIL_CASE),
      'overdue.decidePlan': ok(PLAN),
    });
    confirmAll(stub);
    const page = await loadPage('admin/collection/case', { roomId: 'r1' });
    await tapButton(page, '.approve-plan');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'decidePlan')?.data).toMatchObject({
      planId: 'plan1',
      approve: true,
    });
  });

  test('finance waives a late fee with a reason', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'overdue.case': ok(DETAIL_CASE),
      'overdue.waive': ok({ billId: 'b1', lateFeeFen: 1_500, lateFeeWaivedFen: 1_000 }),
    });
    const page = await loadPage('admin/collection/case', { roomId: 'r1' });
    // Finance does not record contacts.
    expect(queryAll(page, '.save-contact')).toHaveLength(0);
    await tapButton(page, '.waive');
    query(page, '.waive-amount').dispatchEvent('input', { detail: { value: '10' } });
    await settle();
    await tapButton(page, '.confirm-waive');
    expect(textOf(page)).toContain('请填写减免原因');
    query(page, '.waive-reason').dispatchEvent('input', { detail: { value: '经理批准减免' } });
    await settle();
    await tapButton(page, '.confirm-waive');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'waive')?.data).toMatchObject({
      billId: 'b1',
      amountFen: 1000,
      reason: '经理批准减免',
    });
  });
});

describe('staff: 催缴函 and notices', () => {
  const letterDoc = overdueLettersDoc([
    {
      letterNo: 'CJ20270114-1栋1单元1501',
      communityName: '翠湖花园',
      roomLabel: '1栋1单元1501',
      addressee: '王先生',
      bills: [
        {
          period: '2026-12',
          coverFrom: '2026-12',
          coverTo: '2027-02',
          title: '物业服务费（季度）',
          dueDate: '2026-12-15',
          amountDueFen: 50_000,
          lateFeeFen: 2_500,
          paidFen: 0,
          outstandingFen: 52_500,
          overdueDays: 30,
        },
      ],
      issuedOn: '2027-01-14',
      payBy: '2027-01-29',
      servicePhone: '0571-8888 6666',
      frontDesk: '3 栋一楼物业服务中心',
      serviceHours: '每日 8:30–18:00',
      lateFeePolicy: null,
    },
  ]);
  const LETTER: LetterView = {
    roomId: 'r1',
    roomLabel: '1栋1单元1501',
    letterNo: 'CJ20270114-1栋1单元1501',
    doc: letterDoc,
    deliveredAt: null,
  };

  test('the letter shows on screen as it prints, and the delivery is recorded', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'overdue.letter': ok(LETTER),
      'overdue.letterDelivered': ok({ ...LETTER, deliveredAt: '2027-01-15T02:00:00.000Z' }),
    });
    const page = await loadPage('admin/collection/letter', { roomId: 'r1' });
    const text = textOf(page);
    expect(text).toContain('物业服务费缴费通知函');
    expect(text).toContain('尊敬的 1栋1单元1501 王先生');
    expect(text).toContain('¥525.00');
    expect(text).not.toMatch(/停水|停电/);
    queryAll(page, '.method')[2]!.dispatchEvent('tap');
    await settle();
    await tapButton(page, '.deliver');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'letterDelivered')?.data).toMatchObject({
      roomId: 'r1',
      method: 'posted',
    });
    expect(textOf(page)).toContain('已于 2027年1月15日 送达');
  });

  test('publishing a notice, then its delivery report', async () => {
    const view: NoticeView = {
      noticeId: 'n1',
      communityId: 'c_cuihu',
      kind: 'payment',
      title: '2026年12月物业费缴费通知',
      summary: '…',
      period: '2026-12',
      deadline: '2026-12-15',
      amountBasis: 'x',
      methods: ['wechat'],
      frontDesk: '',
      serviceHours: '',
      lateFeePolicy: null,
      contactPhone: '',
      body: '',
      publishedAt: '2026-12-01T02:00:00.000Z',
      publishedByName: '周客服',
      push: { status: 'done', rooms: 288, sent: 3 },
      readCount: 2,
      late: null,
    };
    const report: DeliveryReport = {
      noticeId: 'n1',
      title: view.title,
      counts: {
        rooms: 288,
        wechat: 3,
        read: 2,
        noSubscription: 1,
        notBound: 284,
        pending: 0,
        paid: 0,
        sms: 0,
        smsQueued: 0,
        printed: 0,
        callList: 284,
        unreachable: 1,
        settled: 0,
      },
      unreached: [
        {
          roomId: 'r4',
          roomLabel: '4栋2单元1801',
          outcome: 'not-bound',
          read: false,
          channel: '待电话联系',
        },
      ],
      // The first page of 285: the rest are on 通知触达.
      nextCursor: 'c2',
      total: 285,
      late: null,
    };
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'notice.staffList': ok([view]),
      'notice.missing': ok({ periods: [], remindedAt: null, leadDays: 15 }),
      'notice.publish': ok(view),
      'notice.report': ok(report),
    });
    confirmAll(stub);
    const page = await loadPage('admin/notices/index');
    expect(textOf(page)).toContain('已推送 288 户，微信送达 3 人，已读 2 人');
    query(page, '.open-form').dispatchEvent('tap');
    await settle();
    await tapButton(page, '.publish');
    await settle();
    const publish = stub.calls.find((c) => c.data.action === 'publish');
    expect(publish?.data).toMatchObject({
      communityId: 'c_cuihu',
      methods: ['wechat', 'cash', 'card', 'transfer'],
      lateFeePolicy: null,
    });
    queryAll(page, '.item-head')[0]!.dispatchEvent('tap');
    await settle();
    const text = textOf(page);
    expect(text).toContain('未绑定284 户');
    expect(text).toContain('4栋2单元1801');
    expect(text).toContain('共 285 户');
    expect(text).toContain('全部见「触达明细」');
  });
});
