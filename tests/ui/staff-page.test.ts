/**
 * The behaviours every page is built on (behaviors/page-state.ts, admin/staff-page.ts): staffPage
 * — the caller's scope, loading / forbidden / error states, 重新加载 — and pageState's reload,
 * fillList and submit (a check shown at the fields, a refusal under the field it names or in a
 * notice, one send per tap, a toast and a reload after). Driven through two probe pages (tests/ui/probe) that are nothing but
 * the behaviour, then every staff page of the admin subpackage turning away who lacks its roles.
 */
import * as path from 'node:path';
import { ADMIN, CASHIER, FINANCE, OWNER, SERVICE } from './fixtures';
import { fail, later, ok, stubWx } from './wx-stub';
import {
  mount,
  openPage,
  query,
  queryAll,
  type Rendered,
  settle,
  simulate,
  tap,
  textOf,
  waitFor,
} from './page';
import type { WhoAmI } from '../../miniprogram/domain/account/contract';

/**
 * Open a probe page as WeChat does. The probes live outside the mini-program, so their plain
 * WXML is compiled by simulate's own compiler.
 */
function openProbe(name: 'staff' | 'owner', query: Record<string, string> = {}): Rendered {
  jest.resetModules();
  const dir = path.join(__dirname, 'probe');
  const id = simulate.load(path.join(dir, name), { compiler: 'simulate', rootPath: dir });
  const page = simulate.render(id);
  page.attach(document.createElement('div'));
  const inst = page.instance as unknown as { onLoad(q: object): void };
  inst.onLoad(query);
  return page;
}

const ROOMS = {
  items: [{ roomId: 'r_1_1_201', label: '1栋1单元201' }],
  nextCursor: null,
  total: 1,
};
const RECORDED = { paymentId: 'pay_1', receiptNo: 'SJ2026-000001', allocations: [] };

const has = (page: Rendered, selector: string) => queryAll(page, selector).length > 0;
const calledActions = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.map((c) => `${c.name}.${String(c.data.action)}`);

function setAmount(page: Rendered, amountText: string) {
  (page.instance as unknown as { setData(d: object): void }).setData({ amountText });
}

describe('staffPage: scope, states and 重新加载', () => {
  test('loading until the caller is known and the page has loaded, then the page', async () => {
    const me = later<unknown>();
    stubWx({ 'account.whoami': () => me.reply, 'community.rooms': ok(ROOMS) });
    const page = openProbe('staff');
    await settle();
    expect(textOf(page)).toContain('正在加载，请稍候');
    expect(has(page, '.room')).toBe(false);

    me.answer(ok(CASHIER));
    await waitFor('the rooms', () => has(page, '.room'));
    expect(textOf(page)).toContain('1栋1单元201');
    expect(has(page, '.state')).toBe(false);
  });

  test('an admin may open every staff page', async () => {
    const stub = stubWx({ 'account.whoami': ok(ADMIN), 'community.rooms': ok(ROOMS) });
    const page = openProbe('staff');
    await waitFor('the rooms', () => has(page, '.room'));
    // the page works in the community the scope found
    expect(stub.calls.find((c) => c.data.action === 'rooms')!.data).toMatchObject({
      communityId: 'c_cuihu',
    });
  });

  test('without the role: the forbidden state with the page’s words, and nothing is loaded', async () => {
    const stub = stubWx({ 'account.whoami': ok(SERVICE), 'community.rooms': ok(ROOMS) });
    const page = openProbe('staff');
    await waitFor('the forbidden state', () => textOf(page).includes('抱歉，您暂无收款权限'));
    expect(has(page, '.retry')).toBe(false);
    expect(calledActions(stub)).toEqual(['account.whoami']);
  });

  test('a failed load shows the friendly sentence; 重新加载 asks who the caller is again', async () => {
    let roomsAsked = 0;
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'community.rooms': () =>
        ++roomsAsked === 1 ? fail('INTERNAL', 'Error: db down') : ok(ROOMS),
    });
    const page = openProbe('staff');
    await waitFor('the error state', () => has(page, '.retry'));
    expect(textOf(page)).toContain('抱歉，系统暂时繁忙，请稍后再试');
    expect(textOf(page)).not.toContain('db down');

    await tap(page, '.retry');
    await waitFor('the rooms', () => has(page, '.room'));
    expect(calledActions(stub).filter((a) => a === 'account.whoami')).toHaveLength(2);
  });

  test('when who the caller is cannot be asked, the error state (not forbidden)', async () => {
    stubWx({ 'account.whoami': new Error('timeout') });
    const page = openProbe('staff');
    await waitFor('the error state', () => has(page, '.retry'));
    expect(textOf(page)).toContain('抱歉，网络连接不太稳定');
    expect(textOf(page)).not.toContain('暂无收款权限');
  });
});

describe('submit: check, send once, field errors, notice, toast and reload', () => {
  async function openForm(replies: Record<string, unknown>) {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'community.rooms': ok(ROOMS),
      ...replies,
    });
    const page = openProbe('staff');
    await waitFor('the rooms', () => has(page, '.room'));
    return { stub, page };
  }

  test('a form that fails its check: the message at the field, nothing sent', async () => {
    const { stub, page } = await openForm({ 'payment.recordOffline': ok(RECORDED) });
    setAmount(page, '十元');
    await tap(page, '.save');
    expect(textOf(query(page, '.amount-error'))).toBe('请输入收款金额');
    expect(calledActions(stub)).not.toContain('payment.recordOffline');
  });

  test('a refusal naming a field stands under that field; the earlier message is gone', async () => {
    const { stub, page } = await openForm({
      'payment.recordOffline': fail('INVALID_INPUT', 'amountFen: 收款金额超过本户应缴'),
    });
    setAmount(page, '十元');
    await tap(page, '.save');
    setAmount(page, '99999999');
    await tap(page, '.save');
    await waitFor('the field message', () =>
      textOf(query(page, '.amount-error')).includes('收款金额超过本户应缴'),
    );
    expect(textOf(query(page, '.reference-error'))).toBe('');
    expect(stub.wx.showModal).not.toHaveBeenCalled();
  });

  test('a refusal without a field is a notice titled for the action', async () => {
    const { stub, page } = await openForm({ 'payment.recordOffline': fail('CONFLICT') });
    setAmount(page, '100');
    await tap(page, '.save');
    await waitFor('the notice', () => (stub.wx.showModal as jest.Mock).mock.calls.length > 0);
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '收款未成功',
        content: '抱歉，信息刚刚有更新，请刷新后再试',
      }),
    );
    expect(textOf(query(page, '.amount-error'))).toBe('');
  });

  test('a second tap while sending sends nothing; done: toast, the form cleared, the page reloaded', async () => {
    const sent = later<unknown>();
    const { stub, page } = await openForm({ 'payment.recordOffline': () => sent.reply });
    setAmount(page, '100');
    await tap(page, '.save');
    await tap(page, '.save');
    expect(calledActions(stub).filter((a) => a === 'payment.recordOffline')).toHaveLength(1);

    sent.answer(ok(RECORDED));
    await waitFor('the toast', () => (stub.wx.showToast as jest.Mock).mock.calls.length > 0);
    expect(stub.wx.showToast).toHaveBeenCalledWith({ title: '已收款', icon: 'success' });
    await waitFor(
      'the reload',
      () => calledActions(stub).filter((a) => a === 'community.rooms').length === 2,
    );
    expect(stub.calls.find((c) => c.data.action === 'recordOffline')!.data).toMatchObject({
      amountFen: 100,
    });
    expect((page.instance as unknown as { data: { amountText: string } }).data.amountText).toBe('');
  });
});

describe('fillList: a list under a shown page', () => {
  test('the latest search is shown, an earlier answer arriving late is dropped; a failure stays in the list', async () => {
    const asked: Record<string, ReturnType<typeof later<unknown>>> = {};
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'community.rooms': (input: Record<string, unknown>) => {
        const keyword = String(input.keyword ?? '');
        if (!keyword) return ok(ROOMS);
        asked[keyword] = later<unknown>();
        return asked[keyword].reply;
      },
    });
    const page = openProbe('staff');
    await waitFor('the rooms', () => has(page, '.room'));
    const inst = page.instance as unknown as { search(k: string): Promise<void> };

    void inst.search('1501');
    void inst.search('302');
    await waitFor('both asks', () => Boolean(asked['1501'] && asked['302']));
    expect(has(page, '.list-loading')).toBe(true);
    asked['302']!.answer(ok({ ...ROOMS, items: [{ roomId: 'r_2_1_302', label: '2栋1单元302' }] }));
    await waitFor('the latest answer', () => textOf(page).includes('2栋1单元302'));
    asked['1501']!.answer(
      ok({ ...ROOMS, items: [{ roomId: 'r_1_1_1501', label: '1栋1单元1501' }] }),
    );
    await settle();
    expect(textOf(page)).not.toContain('1栋1单元1501');
    expect(has(page, '.list-loading')).toBe(false);

    void inst.search('9999');
    await waitFor('the ask', () => Boolean(asked['9999']));
    asked['9999']!.answer(fail('INTERNAL'));
    await waitFor('the list error', () => has(page, '.list-error'));
    expect(textOf(query(page, '.list-error'))).toBe('抱歉，系统暂时繁忙，请稍后再试');
    expect(has(page, '.room')).toBe(true);
    expect(stub.wx.showModal).not.toHaveBeenCalled();
  });
});

describe('pageState: owner pages', () => {
  test('opened without what it shows: explained, nothing asked', async () => {
    const stub = stubWx({});
    const page = openProbe('owner');
    await waitFor('the error state', () => has(page, '.retry'));
    expect(textOf(page)).toContain('抱歉，没有找到这套房屋，请返回后重试');
    expect(stub.calls).toHaveLength(0);
  });

  test('a reload of a shown page keeps it on screen until the answer', async () => {
    const bills = (titles: string[]) =>
      ok({ unpaid: titles.map((title, i) => ({ billId: `b${i}`, title })), paid: [] });
    let second: ReturnType<typeof later<unknown>> | null = null;
    stubWx({ 'owner.bills': () => (second ? second.reply : bills(['2026年11月物业费'])) });
    const page = openProbe('owner', { roomId: 'r_1_1_1501' });
    await waitFor('the bills', () => has(page, '.bill'));

    second = later<unknown>();
    (page.instance as unknown as { onShow(): void }).onShow();
    await settle();
    expect(has(page, '.state')).toBe(false);
    expect(textOf(page)).toContain('2026年11月物业费');

    second.answer(bills(['2026年12月物业费']));
    await waitFor('the new bills', () => textOf(page).includes('2026年12月物业费'));
  });

  test('load may show another state instead (nothing to pay)', async () => {
    stubWx({ 'owner.bills': ok({ unpaid: [], paid: [] }) });
    const page = openProbe('owner', { roomId: 'r_1_1_1501' });
    await waitFor('the empty state', () => textOf(page).includes('暂无待缴账单'));
  });
});

describe('state-view: a page’s states in one element', () => {
  const view = (props: Record<string, string>) => mount('components/state-view/index', props);

  test('forbidden: a lock, the page’s words, no 重新加载 unless an action is given', () => {
    const locked = view({
      status: 'forbidden',
      forbiddenTitle: '抱歉，您暂无对账权限',
      forbiddenText: '对账向财务和管理员开放',
      message: 'not shown',
    });
    expect(textOf(locked)).toBe('抱歉，您暂无对账权限对账向财务和管理员开放');
    expect(has(locked, '.action-btn')).toBe(false);
    const home = view({ status: 'forbidden', actionText: '返回首页' });
    expect(textOf(home)).toBe('抱歉，您暂无权限返回首页');
  });

  test('error: the page’s sentence and 重新加载; empty keeps its own title and description', () => {
    const failed = view({ status: 'error', message: '抱歉，系统暂时繁忙，请稍后再试' });
    expect(textOf(failed)).toBe('抱歉，页面加载失败抱歉，系统暂时繁忙，请稍后再试重新加载');
    const empty = view({ status: 'empty', title: '暂无调价方案', message: 'not shown' });
    expect(textOf(empty)).toBe('暂无调价方案');
  });
});

/**
 * Every page of the admin subpackage, opened by someone without the roles it needs: its own
 * forbidden words, and not one call beyond asking who the caller is.
 */
const PEOPLE: Record<string, WhoAmI> = {
  'an owner': OWNER,
  'a cashier': CASHIER,
  'customer service': SERVICE,
  finance: FINANCE,
};
const FORBIDDEN: [route: string, who: string, title: string, query?: Record<string, string>][] = [
  ['admin/index/index', 'an owner', '抱歉，您暂无管理权限'],
  ['admin/collect/index', 'an owner', '抱歉，您暂无收款权限'],
  ['admin/collect/index', 'customer service', '抱歉，您暂无收款权限'],
  ['admin/bindings/index', 'a cashier', '抱歉，您暂无审核权限'],
  ['admin/import/index', 'a cashier', '抱歉，您暂无权限'],
  ['admin/staff/index', 'customer service', '抱歉，仅管理员可以管理人员'],
  ['admin/audit/index', 'finance', '抱歉，仅管理员可以查看操作日志'],
  ['admin/refunds/index', 'a cashier', '抱歉，您暂无退款权限'],
  ['admin/invoices/index', 'customer service', '抱歉，您暂无开票权限'],
  ['admin/exceptions/index', 'a cashier', '抱歉，您暂无处理支付异常的权限'],
  ['admin/settings/index', 'finance', '抱歉，您暂无设置权限'],
  ['admin/fees/index', 'a cashier', '抱歉，您暂无管理收费标准的权限'],
  ['admin/billing/index', 'a cashier', '抱歉，您暂无出账权限', { period: '2026-12' }],
  ['admin/reconcile/index', 'a cashier', '抱歉，您暂无对账权限'],
  ['admin/reports/index', 'a cashier', '抱歉，您暂无查看报表的权限'],
  ['admin/tickets/index', 'an owner', '抱歉，您暂无工单权限'],
  ['admin/tickets/detail', 'a cashier', '抱歉，您暂无工单权限', { ticketId: 't_1' }],
  ['admin/calls/index', 'finance', '抱歉，您暂无来电登记权限'],
  ['admin/service/index', 'a cashier', '抱歉，您暂无查看权限'],
  ['admin/receipts/index', 'customer service', '抱歉，您暂无收据管理权限'],
  ['admin/readings/index', 'a cashier', '抱歉，您暂无抄表权限'],
  ['admin/vacancies/index', 'customer service', '抱歉，您暂无空置管理权限'],
  ['admin/opening/index', 'a cashier', '抱歉，您暂无期初导入权限'],
  ['admin/disclosure/index', 'a cashier', '抱歉，您暂无收支公示权限'],
  ['admin/adjustments/index', 'customer service', '抱歉，您暂无调价权限'],
  ['admin/collection/index', 'an owner', '抱歉，您暂无催缴权限'],
  ['admin/collection/case', 'a cashier', '抱歉，您暂无催缴权限', { roomId: 'r_1_1_1501' }],
  ['admin/collection/letter', 'finance', '抱歉，您暂无权限', { roomId: 'r_1_1_1501' }],
  ['admin/notices/index', 'an owner', '抱歉，您暂无权限'],
];

describe('every staff page turns away who lacks its roles', () => {
  test.each(FORBIDDEN)('%s, opened by %s', async (route, who, title, q = {}) => {
    const stub = stubWx({ 'account.whoami': ok(PEOPLE[who]) });
    const page = openPage(route, q);
    await waitFor(title, () => textOf(page).includes(title));
    expect(calledActions(stub).filter((a) => a !== 'account.whoami')).toEqual([]);
  });
});
