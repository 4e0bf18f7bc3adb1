/**
 * Complaint pages with miniprogram-simulate: the owner's form (from a bill: category and bill
 * preset; the submit tap asks for the progress subscription and files; photos go to cloud
 * storage under the owner's folder; mistakes shown at the fields and nothing sent), the owner's
 * progress page (timeline, rating, reopen), the staff desk (sorted, highlighted, forbidden to
 * owners) and ticket handling (polite phrases, internal notes, resolve needs a result).
 */
import type {
  DeskView,
  FormOptions,
  OwnerTicketView,
  StaffTicketView,
} from '../../miniprogram/domain/complaint/contract';
import { ADMIN, OWNER, SERVICE } from './fixtures';
import { callsOf, ok, stubWx } from './wx-stub';
import {
  loadPage,
  query,
  queryAll,
  type Rendered,
  settle,
  tap,
  tapButton,
  tapNth,
  textOf,
} from './page';

const OPTIONS: FormOptions = {
  rooms: [
    { roomId: 'r_1_1_1501', communityId: 'c_cuihu', label: '1栋1单元1501' },
    { roomId: 'r_2_1_302', communityId: 'c_cuihu', label: '2栋1单元302' },
  ],
  bills: [
    {
      billId: 'b_new',
      roomId: 'r_1_1_1501',
      title: '物业服务费（季度）',
      status: 'unpaid',
      outstandingFen: 96500,
      coverFrom: '2026-10',
      coverTo: '2026-12',
    },
    {
      billId: 'b_old',
      roomId: 'r_1_1_1501',
      title: '物业服务费（季度）',
      status: 'paid',
      outstandingFen: 0,
      coverFrom: '2026-07',
      coverTo: '2026-09',
    },
    {
      billId: 'b_302',
      roomId: 'r_2_1_302',
      title: '物业服务费（季度）',
      status: 'unpaid',
      outstandingFen: 96500,
      coverFrom: '2026-10',
      coverTo: '2026-12',
    },
  ],
};

async function typeText(page: Rendered, selector: string, value: string) {
  query(page, selector).dispatchEvent('input', { detail: { value } });
  await settle();
}

describe('owner: file a complaint', () => {
  test('from a bill: fee dispute and the bill preset; the tap asks for progress updates and files', async () => {
    const stub = stubWx({
      'complaint.formOptions': ok(OPTIONS),
      'account.whoami': ok(OWNER),
      'complaint.file': ok({
        ticketId: 'cp_1',
        ticketNo: 'TS202611270001',
        status: 'registered',
        held: true,
        firstResponseDueAt: '2026-11-27T04:00:00.000Z',
      }),
    });
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { success: (r: object) => void }) =>
        o.success({ errMsg: 'requestSubscribeMessage:ok', TMPL_TICKET_PROGRESS: 'accept' }),
    );
    const page = await loadPage('pages/complaints/new', { billId: 'b_new' });
    expect(page.data.category).toBe('fee-dispute');
    expect(page.data.roomId).toBe('r_1_1_1501');
    expect(queryAll(page, '.bill-chip.chip-on')).toHaveLength(1);
    await typeText(page, '.desc', '本季度物业费比上季度多了');
    await tapButton(page, '.submit');
    await settle();
    const req = (stub.wx.requestSubscribeMessage as jest.Mock).mock.calls[0][0] as {
      tmplIds: string[];
    };
    expect(req.tmplIds).toEqual(['TMPL_TICKET_PROGRESS']);
    const filed = stub.calls.find((c) => c.data.action === 'file')!;
    expect(filed.data).toMatchObject({
      roomId: 'r_1_1_1501',
      kind: 'complaint',
      category: 'fee-dispute',
      description: '本季度物业费比上季度多了',
      photos: [],
      billIds: ['b_new'],
    });
    expect(String(filed.data.requestId)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const text = textOf(page);
    expect(text).toContain('TS202611270001');
    expect(text).toContain('相关账单暂停催缴');
    expect(text).toContain('已为您订阅一次进度提醒');
    expect(text).toContain('2026年11月27日 12:00 前回复您');
  });

  test('mistakes are shown at the fields and nothing is sent', async () => {
    const stub = stubWx({ 'complaint.formOptions': ok(OPTIONS), 'account.whoami': ok(OWNER) });
    const page = await loadPage('pages/complaints/new');
    await typeText(page, '.desc', '太吵');
    await tapButton(page, '.submit');
    expect(textOf(page)).toContain('请选择类别');
    expect(textOf(page)).toContain('请至少写 5 个字');
    expect(stub.calls.some((c) => c.data.action === 'file')).toBe(false);
    expect(stub.wx.requestSubscribeMessage).not.toHaveBeenCalled();
    // the bills still owed are offered with their months and what they owe; choosing one
    // pauses collection
    const chips = queryAll(page, '.bill-chip').map((c) => textOf(c));
    expect(chips[0]).toBe('物业服务费（季度）2026年10月–12月 · 待缴 ¥965.00');
    expect(chips[1]).toBe('物业服务费（季度）2026年7月–9月 · 已缴清');
    expect(textOf(page)).toContain('选择待缴账单后，处理期间该账单暂停催缴');
    // switching rooms shows that room's bills only
    await tapNth(page, '.room-chip', 1);
    expect(page.data.roomId).toBe('r_2_1_302');
    expect(queryAll(page, '.bill-chip')).toHaveLength(1);
  });

  test('photos are uploaded to cloud storage in the owner’s folder; at most 9', async () => {
    const stub = stubWx({ 'complaint.formOptions': ok(OPTIONS), 'account.whoami': ok(OWNER) });
    const uploads: { cloudPath: string; filePath: string }[] = [];
    (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(
      async (o: { cloudPath: string; filePath: string }) => {
        uploads.push(o);
        return { fileID: `cloud://env.bucket/${o.cloudPath}`, statusCode: 200 };
      },
    );
    stub.wx.chooseMedia = jest.fn((o: { count: number; success: (r: object) => void }) =>
      o.success({
        tempFiles: [{ tempFilePath: 'wxfile://tmp_a.jpg' }, { tempFilePath: 'wxfile://tmp_b.png' }],
      }),
    );
    const page = await loadPage('pages/complaints/new');
    await tap(page, '.add-photo');
    await settle(10);
    expect((stub.wx.chooseMedia as jest.Mock).mock.calls[0][0].count).toBe(9);
    expect(uploads.map((u) => u.cloudPath)).toEqual([
      expect.stringMatching(/^complaints\/o_demo_owner\/\w+0\.jpg$/),
      expect.stringMatching(/^complaints\/o_demo_owner\/\w+1\.png$/),
    ]);
    expect(page.data.photos).toEqual(uploads.map((u) => `cloud://env.bucket/${u.cloudPath}`));
    expect(queryAll(page, '.photo-remove')).toHaveLength(2);
    await tap(page, '.photo-remove');
    expect(page.data.photos).toHaveLength(1);
  });
});

const TICKET: OwnerTicketView = {
  ticketId: 'cp_1',
  ticketNo: 'TS202611270001',
  kind: 'complaint',
  category: 'noise',
  status: 'resolved',
  description: '楼下装修太吵',
  photos: [],
  roomLabel: '2栋1单元302',
  bills: [],
  createdAt: '2026-11-25T02:00:00.000Z',
  updatedAt: '2026-11-26T02:00:00.000Z',
  rated: false,
  resolvedAt: '2026-11-26T02:00:00.000Z',
  handlerName: '周客服',
  timeline: [
    {
      id: 'e1',
      at: '2026-11-25T02:00:00.000Z',
      kind: 'created',
      by: 'owner',
      byName: '业主',
      text: '提交噪音扰民投诉',
      status: 'registered',
      photos: [],
      internal: false,
    },
    {
      id: 'e2',
      at: '2026-11-26T02:00:00.000Z',
      kind: 'status',
      by: 'staff',
      byName: '周客服',
      text: '已解决：已与商铺约定装修时间',
      status: 'resolved',
      photos: [],
      internal: false,
    },
  ],
  rating: null,
  canReply: true,
  canConfirm: true,
  canReopen: true,
  canRate: true,
  reopenUntil: '2026-12-03T02:00:00.000Z',
};

describe('owner: progress', () => {
  test('timeline newest first; rating needs a star, then sends it', async () => {
    const stub = stubWx({
      'complaint.detail': ok(TICKET),
      'complaint.rate': (input: Record<string, unknown>) =>
        ok({
          ...TICKET,
          canRate: false,
          rated: true,
          rating: { stars: input.stars, comment: input.comment, at: TICKET.updatedAt },
        }),
    });
    const page = await loadPage('pages/complaints/detail', { ticketId: 'cp_1' });
    const text = textOf(page);
    expect(text).toContain('TS202611270001');
    expect(text.indexOf('已与商铺约定')).toBeLessThan(text.indexOf('提交噪音扰民投诉'));
    expect(text).toContain('确认已解决');
    await tapButton(page, '.rate-send');
    expect(textOf(page)).toContain('请点亮星星');
    expect(stub.calls.some((c) => c.data.action === 'rate')).toBe(false);
    await tap(page, '.star-4');
    await typeText(page, '.rate-comment', '处理及时');
    await tapButton(page, '.rate-send');
    expect(stub.calls.find((c) => c.data.action === 'rate')!.data).toMatchObject({
      ticketId: 'cp_1',
      stars: 4,
      comment: '处理及时',
    });
    expect(queryAll(page, '.rated')).toHaveLength(1);
  });

  test('reopening asks what is still wrong', async () => {
    const stub = stubWx({
      'complaint.detail': ok(TICKET),
      'complaint.reopen': ok({
        ...TICKET,
        status: 'in-progress',
        canConfirm: false,
        canReopen: false,
      }),
    });
    const page = await loadPage('pages/complaints/detail', { ticketId: 'cp_1' });
    await tapButton(page, '.reopen-btn');
    await tapButton(page, '.reopen-send');
    expect(textOf(page)).toContain('请说明还有什么问题没有解决');
    await typeText(page, '.reopen-reason', '晚上还是很吵');
    await tapButton(page, '.reopen-send');
    expect(stub.calls.find((c) => c.data.action === 'reopen')!.data.reason).toBe('晚上还是很吵');
    expect(textOf(page)).toContain('处理中');
  });
});

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
function summary(id: string, over: Partial<DeskView['items'][number]>): DeskView['items'][number] {
  return {
    ticketId: id,
    ticketNo: `TS2026112700${id.slice(-2)}`,
    kind: 'complaint',
    category: 'repair',
    status: 'registered',
    description: '水管漏水',
    roomLabel: '1栋2单元201',
    createdAt: iso(now - 3600_000),
    updatedAt: iso(now - 3600_000),
    rated: false,
    handler: null,
    handlerName: '',
    firstResponseDueAt: iso(now + 3600_000),
    resolutionDueAt: iso(now + 3 * 86400_000),
    deadlineAt: iso(now + 3600_000),
    deadlineKind: 'first-response',
    deadlineState: 'ok',
    breaches: [],
    hasHold: false,
    ...over,
  };
}

describe('staff: desk and handling', () => {
  test('the desk lists tickets with near and past deadlines highlighted; filters reload', async () => {
    const desk: DeskView = {
      items: [
        summary('t01', {
          deadlineAt: iso(now - 1800_000),
          deadlineState: 'breached',
          breaches: ['first-response'],
        }),
        summary('t02', {
          deadlineAt: iso(now + 20 * 60_000),
          deadlineState: 'near',
          hasHold: true,
          category: 'fee-dispute',
        }),
        summary('t03', {}),
      ],
      nextCursor: null,
      total: 3,
      handlers: [{ openid: 'o_demo_service', name: '周客服' }],
      counts: { open: 3, near: 1, breached: 1, unassigned: 3 },
      isAdmin: false,
    };
    const stub = stubWx({ 'account.whoami': ok(SERVICE), 'complaint.desk': ok(desk) });
    const page = await loadPage('admin/tickets/index');
    expect(queryAll(page, '.desk-item')).toHaveLength(3);
    // the desk opens on the open tickets (the page's own `scope` filter, not the staff scope)
    expect(callsOf(stub, 'desk')[0]!.data).toEqual({
      action: 'desk',
      communityId: 'c_cuihu',
      scope: 'open',
      limit: 50,
    });
    expect(query(page, '.total').dom!.textContent).toBe('共 3 件');
    expect(queryAll(page, '.load-more')).toHaveLength(0);
    expect(queryAll(page, '.card-breached')).toHaveLength(1);
    expect(queryAll(page, '.card-near')).toHaveLength(1);
    const text = textOf(page);
    expect(text).toContain('首次响应 已超时 30 分钟');
    expect(text).toContain('已暂停催缴');
    await tap(page, '.stat-breached');
    const last = stub.calls.filter((c) => c.data.action === 'desk').pop()!;
    expect(last.data).toMatchObject({
      communityId: 'c_cuihu',
      scope: 'open',
      deadline: 'breached',
    });
    await tap(page, '.desk-item');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/admin/tickets/detail?ticketId=t01&communityId=c_cuihu',
    });
  });

  test('a long desk comes a page at a time with the filters kept; the search asks the server', async () => {
    const page1 = ['t01', 't02'].map((id) => summary(id, {}));
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'complaint.desk': (data: Record<string, unknown>) =>
        ok<DeskView>({
          items: data.cursor === 'p2' ? [summary('t03', { roomLabel: '5栋1单元101' })] : page1,
          nextCursor: data.cursor === 'p2' ? null : 'p2',
          total: 3,
          handlers: [],
          counts: { open: 3, near: 0, breached: 0, unassigned: 3 },
          isAdmin: false,
        }),
    });
    const page = await loadPage('admin/tickets/index');
    await tap(page, '.mine-chip');
    expect(queryAll(page, '.desk-item')).toHaveLength(2);
    expect(query(page, '.total').dom!.textContent).toBe('共 3 件');
    // scrolling to the bottom asks for the next page with the same filters and appends it
    (page.instance as unknown as { onReachBottom(): void }).onReachBottom();
    await settle();
    expect(queryAll(page, '.desk-item')).toHaveLength(3);
    expect(textOf(page)).toContain('5栋1单元101');
    expect(queryAll(page, '.load-more')).toHaveLength(0);
    const asks = () => stub.calls.filter((c) => c.data.action === 'desk').map((c) => c.data);
    expect(asks().pop()).toEqual({
      action: 'desk',
      communityId: 'c_cuihu',
      scope: 'open',
      handler: 'me',
      limit: 50,
      cursor: 'p2',
    });
    // a search starts again from the first page, filters kept
    await typeText(page, '.f-keyword', ' 1501 ');
    await tapButton(page, '.search-btn');
    expect(asks().pop()).toEqual({
      action: 'desk',
      communityId: 'c_cuihu',
      scope: 'open',
      handler: 'me',
      keyword: '1501',
      limit: 50,
    });
    expect(queryAll(page, '.desk-item')).toHaveLength(2);
  });

  const DETAIL: StaffTicketView = {
    ...summary('t01', { handler: 'o_demo_service', handlerName: '周客服', status: 'accepted' }),
    photos: [],
    bills: [],
    ownerName: '王**',
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    timeline: [
      {
        id: 'e1',
        at: iso(now - 3600_000),
        kind: 'note',
        by: 'staff',
        byName: '周客服',
        text: '楼上白天无人',
        status: null,
        photos: [],
        internal: true,
      },
    ],
    rating: null,
    returnVisit: null,
    calls: [],
  };

  test('a reply starts from a polite phrase; internal notes are marked; resolving needs a result', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'complaint.staffDetail': ok(DETAIL),
      'complaint.reply': ok(DETAIL),
      'complaint.setStatus': ok({ ...DETAIL, status: 'resolved' }),
    });
    const page = await loadPage('admin/tickets/detail', {
      ticketId: 't01',
      communityId: 'c_cuihu',
    });
    expect(textOf(page)).toContain('内部');
    // handled by 周客服 already: no 认领 button
    expect(queryAll(page, '.take-btn')).toHaveLength(0);
    await tap(page, '.phrase');
    expect(page.data.replyText).toMatch(/^您好/);
    await tapButton(page, '.reply-send');
    expect(stub.calls.find((c) => c.data.action === 'reply')!.data).toMatchObject({
      communityId: 'c_cuihu',
      ticketId: 't01',
      internal: false,
    });
    await tap(page, '.note-chip');
    await typeText(page, '.reply-text', '需财务复核面积');
    await tapButton(page, '.reply-send');
    expect(stub.calls.filter((c) => c.data.action === 'reply').pop()!.data).toMatchObject({
      text: '需财务复核面积',
      internal: true,
    });
    // 标记已解决 without a result: stopped at the field.
    await tapButton(page, '.status-resolved');
    expect(textOf(page)).toContain('请先写明处理结果');
    expect(stub.calls.some((c) => c.data.action === 'setStatus')).toBe(false);
    await typeText(page, '.status-note', '已修好水管');
    await tapButton(page, '.status-resolved');
    expect(stub.calls.find((c) => c.data.action === 'setStatus')!.data).toMatchObject({
      status: 'resolved',
      note: '已修好水管',
    });
  });

  test('an admin assigns from the list of handlers', async () => {
    const desk: DeskView = {
      items: [],
      nextCursor: null,
      total: 0,
      handlers: [
        { openid: 'o_demo_admin', name: '赵经理' },
        { openid: 'o_demo_service', name: '周客服' },
      ],
      counts: { open: 0, near: 0, breached: 0, unassigned: 0 },
      isAdmin: true,
    };
    const unassigned = { ...DETAIL, handler: null, handlerName: '' };
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'complaint.desk': ok(desk),
      'complaint.staffDetail': ok(unassigned),
      'complaint.assign': ok(DETAIL),
    });
    const page = await loadPage('admin/tickets/detail', { ticketId: 't01' });
    // only the handlers are wanted of the desk: one ticket at most comes with them
    expect(callsOf(stub, 'desk')[0]!.data).toMatchObject({ scope: 'open', limit: 1 });
    expect(queryAll(page, '.handler-chip')).toHaveLength(2);
    await tapNth(page, '.handler-chip', 1);
    expect(stub.calls.find((c) => c.data.action === 'assign')!.data).toMatchObject({
      ticketId: 't01',
      handler: 'o_demo_service',
    });
  });
});

describe('staff: call log and service numbers', () => {
  test('a call is logged with its ring count; missing fields are named and nothing is sent', async () => {
    const stub = stubWx({
      'account.whoami': ok(SERVICE),
      'complaint.calls': ok({ items: [], total: 0, nextCursor: null }),
      'complaint.logCall': (input: Record<string, unknown>) =>
        ok({
          callId: 'k1',
          at: input.at,
          direction: 'inbound',
          caller: input.caller,
          phone: '138****5678',
          roomLabel: '',
          topic: input.topic,
          outcome: input.outcome,
          rings: input.rings,
          answerSeconds: null,
          withinThreeRings: true,
          ticketId: null,
          ticketNo: '',
          byName: '周客服',
        }),
    });
    const page = await loadPage('admin/calls/index');
    await tapButton(page, '.save-call');
    expect(textOf(page)).toContain('请填写来电人、事项和处理结果');
    expect(stub.calls.some((c) => c.data.action === 'logCall')).toBe(false);
    await tap(page, '.ring-2');
    await typeText(page, '.f-caller', '王先生');
    await typeText(page, '.f-phone', '13812345678');
    await typeText(page, '.f-topic', '询问维修进度');
    await typeText(page, '.f-outcome', '已告知明天上门');
    await tapButton(page, '.save-call');
    const sent = stub.calls.find((c) => c.data.action === 'logCall')!.data;
    expect(sent).toMatchObject({
      communityId: 'c_cuihu',
      direction: 'inbound',
      caller: '王先生',
      phone: '13812345678',
      topic: '询问维修进度',
      outcome: '已告知明天上门',
      rings: 2,
    });
    expect(Math.abs(Date.parse(String(sent.at)) - Date.now())).toBeLessThan(60_000);
    expect(page.data.form.caller).toBe('');
  });

  test('the dashboard shows medians, breach rate and satisfaction as people read them', async () => {
    stubWx({
      'account.whoami': ok(ADMIN),
      'complaint.dashboard': ok({
        from: '2026-10-29',
        to: '2026-11-27',
        total: 6,
        byCategory: [
          { category: 'fee-dispute', count: 1 },
          { category: 'repair', count: 2 },
        ],
        byStatus: [{ status: 'registered', count: 4 }],
        medianFirstResponseMinutes: 55,
        medianResolutionMinutes: 2160,
        breachedTickets: 2,
        breaches: 2,
        breachRate: 0.333,
        ratings: 2,
        satisfactionAverage: 4,
        satisfactionDistribution: [0, 0, 1, 0, 1],
        repeatRooms: [{ roomId: 'r_1_1_1501', roomLabel: '1栋1单元1501', count: 3 }],
        calls: { total: 2, inbound: 1, answeredWithinThreeRings: 0, measured: 1 },
      }),
    });
    const page = await loadPage('admin/service/index');
    const text = textOf(page);
    expect(text).toContain('55 分钟');
    expect(text).toContain('1 天 12 小时');
    expect(text).toContain('33.3%');
    expect(text).toContain('4.00');
    expect(text).toContain('1栋1单元1501');
    expect(text).toContain('3 次投诉');
    expect(text).toContain('0/1 在 3 声内接听');
  });
});
