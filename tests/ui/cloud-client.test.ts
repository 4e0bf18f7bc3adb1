/** services/cloud.ts: typed calls, loading state, friendly messages, retries only for reads. */
import { HOME_PAID, OWNER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { IDEMPOTENT_READS } from '../helpers/reads';

type CloudModule = typeof import('../../miniprogram/services/cloud');

/** A fresh copy of the module for each test (no shared state between tests). */
async function loadClient(): Promise<CloudModule> {
  jest.resetModules();
  return import('../../miniprogram/services/cloud');
}

describe('cloud client', () => {
  test('sends { action, ...input } to the named function and returns data', async () => {
    const stub = stubWx({ 'owner.bills': ok({ unpaid: [], paid: [] }) });
    const { call } = await loadClient();
    await expect(call('owner', 'bills', { roomId: 'r1' })).resolves.toEqual({
      unpaid: [],
      paid: [],
    });
    expect(stub.calls).toEqual([{ name: 'owner', data: { roomId: 'r1', action: 'bills' } }]);
  });

  test('shows a loading toast by default, none when told, and always hides it', async () => {
    const stub = stubWx({ 'account.whoami': ok(OWNER), 'owner.home': fail('INTERNAL') });
    const { call } = await loadClient();
    await call('account', 'whoami', {});
    expect(stub.wx.showLoading).toHaveBeenCalledWith({ title: '加载中', mask: true });
    expect(stub.wx.hideLoading).toHaveBeenCalledTimes(1);
    await expect(call('owner', 'home', {}, { loading: '正在查询' })).rejects.toThrow();
    expect(stub.wx.showLoading).toHaveBeenLastCalledWith({ title: '正在查询', mask: true });
    expect(stub.wx.hideLoading).toHaveBeenCalledTimes(2);
    await call('account', 'whoami', {}, { loading: false });
    expect(stub.wx.showLoading).toHaveBeenCalledTimes(2);
  });

  test.each([
    ['INVALID_INPUT', 'roomId: too long', '抱歉，您填写的信息有误，请检查后再试'],
    ['FORBIDDEN', 'caller lacks role cashier', '抱歉，您暂无权限进行此操作'],
    ['NOT_FOUND', 'bill b_x', '抱歉，没有找到相关信息，请刷新后再试'],
    [
      'INTERNAL',
      'TypeError: cannot read properties of undefined',
      '抱歉，系统暂时繁忙，请稍后再试',
    ],
    ['PRECONDITION_FAILED', '该账单已缴清，无需重复缴费', '该账单已缴清，无需重复缴费'],
    ['PRECONDITION_FAILED', 'BILL_ALREADY_PAID', '抱歉，当前状态暂不能办理此项，请刷新后查看'],
  ] as const)('%s (%s) reads as “%s”', async (code, message, shown) => {
    stubWx({ 'owner.home': fail(code, message) });
    const { call, CloudError } = await loadClient();
    const err = await call('owner', 'home', {}, { loading: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as Error).message).toBe(shown);
    expect((err as InstanceType<typeof CloudError>).code).toBe(code);
  });

  test('an unknown error code is treated as INTERNAL', async () => {
    stubWx({ 'owner.home': { ok: false, code: 'WEIRD', message: 'x' } });
    const { call } = await loadClient();
    await expect(call('owner', 'home', {}, { loading: false })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: '抱歉，系统暂时繁忙，请稍后再试',
    });
  });

  test('a read is retried once after a network failure', async () => {
    let n = 0;
    const stub = stubWx({
      'owner.home': () => (++n === 1 ? new Error('ECONNRESET') : ok(HOME_PAID)),
    });
    const { call } = await loadClient();
    await expect(call('owner', 'home', {}, { loading: false })).resolves.toEqual(HOME_PAID);
    expect(stub.calls).toHaveLength(2);
  });

  test('anything not known to be idempotent is never retried', async () => {
    const stub = stubWx({ 'payment.create': () => new Error('timeout') });
    const { call, isIdempotent } = await loadClient();
    expect(isIdempotent('payment', 'create')).toBe(false);
    const err = await (
      call as unknown as (f: string, a: string, i: object, o: object) => Promise<unknown>
    )('payment', 'create', { billIds: ['b1'] }, { loading: false }).catch((e: unknown) => e);
    expect(stub.calls).toHaveLength(1);
    expect((err as Error).message).toBe('抱歉，网络连接不太稳定，请检查网络后重试');
  });

  test('an error reply is not retried even for a read', async () => {
    const stub = stubWx({ 'owner.home': fail('INTERNAL') });
    const { call } = await loadClient();
    await expect(call('owner', 'home', {}, { loading: false })).rejects.toThrow();
    expect(stub.calls).toHaveLength(1);
  });

  test('payment reads are retried; creating an order and recording a payment never are', async () => {
    const { isIdempotent } = await loadClient();
    for (const a of ['orderStatus', 'myReceipts', 'receipt'])
      expect(isIdempotent('payment', a)).toBe(true);
    for (const a of ['createOrder', 'recordOffline'])
      expect(isIdempotent('payment', a)).toBe(false);
  });

  test('recordOffline after a network failure is sent once', async () => {
    const stub = stubWx({ 'payment.recordOffline': () => new Error('timeout') });
    const { call } = await loadClient();
    await expect(
      call(
        'payment',
        'recordOffline',
        { roomId: 'r1', channel: 'cash', amountFen: 100, idempotencyKey: 'k1234567' },
        { loading: false },
      ),
    ).rejects.toMatchObject({ code: 'NETWORK' });
    expect(stub.calls).toHaveLength(1);
  });

  test("a function that timed out is the service being busy, not the owner's network", async () => {
    // what WeChat reports when a function runs past its timeout
    const timedOut = () =>
      new Error(
        'Error: errCode: -504003 functions execute fail | errMsg: Invoking task timed out after 3 seconds',
      );
    const stub = stubWx({ 'owner.home': timedOut, 'payment.recordOffline': timedOut });
    const { call } = await loadClient();
    const err = await call('owner', 'home', {}, { loading: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUSY', message: '抱歉，服务暂时繁忙，请稍后重试' });
    expect((err as Error).message).not.toMatch(/网络/);
    // a read is asked again once before the page says so; a payment is never repeated
    expect(stub.calls.filter((c) => c.name === 'owner')).toHaveLength(2);
    await expect(
      call(
        'payment',
        'recordOffline',
        { roomId: 'r1', channel: 'cash', amountFen: 100, idempotencyKey: 'k1234567' },
        { loading: false },
      ),
    ).rejects.toMatchObject({ code: 'BUSY' });
    expect(stub.calls.filter((c) => c.name === 'payment')).toHaveLength(1);
  });

  test('a reply naming a field shows its sentence; the field is kept for the form', async () => {
    stubWx({
      'payment.recordOffline': {
        ok: false,
        code: 'CONFLICT',
        message: 'reference: 该交易参考号已登记过，请勿重复收款',
        fields: [{ field: 'reference', message: '该交易参考号已登记过，请勿重复收款' }],
      },
    });
    const { call } = await loadClient();
    const err = await call(
      'payment',
      'recordOffline',
      { roomId: 'r1', channel: 'card', amountFen: 100, idempotencyKey: 'k1234567' },
      { loading: false },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CONFLICT',
      field: 'reference',
      fields: [{ field: 'reference', message: '该交易参考号已登记过，请勿重复收款' }],
      message: '该交易参考号已登记过，请勿重复收款',
    });
  });

  test('an INVALID_INPUT reply hands the form every field the contract refused', async () => {
    const fields = [
      { field: 'taxId', message: '单位抬头请填写税号' },
      { field: 'email', message: '邮箱格式不正确' },
    ];
    stubWx({
      'payment.requestInvoice': {
        ok: false,
        code: 'INVALID_INPUT',
        message: 'taxId: 单位抬头请填写税号; email: 邮箱格式不正确',
        fields,
      },
    });
    const { call } = await loadClient();
    const err = await call(
      'payment',
      'requestInvoice',
      { paymentId: 'p1', titleType: 'company', title: '翠湖科技' },
      { loading: false },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', field: 'taxId', fields });
    expect((err as Error).message).toBe('单位抬头请填写税号');
  });

  test('the field comes from the reply’s fields, not from reading the message', async () => {
    stubWx({ 'owner.home': { ok: false, code: 'CONFLICT', message: 'roomId: 已变更' } });
    const { call } = await loadClient();
    const err = await call('owner', 'home', {}, { loading: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT', field: '', fields: [] });
  });
});

describe('retries follow the contracts’ idempotent marks', () => {
  /** Every action of the registry, as `function.action`. */
  async function allActions(): Promise<string[]> {
    const { api } = await import('../../miniprogram/domain/api');
    return Object.entries(api).flatMap(([fn, contracts]) =>
      Object.keys(contracts).map((a) => `${fn}.${a}`),
    );
  }

  test('the same reads as before retry; nothing else does', async () => {
    const { isIdempotent } = await loadClient();
    const retried = (await allActions()).filter((k) => {
      const [fn, action] = k.split('.') as [string, string];
      return isIdempotent(fn, action);
    });
    expect(retried.sort()).toEqual([...IDEMPOTENT_READS].sort());
    expect(isIdempotent('payment', 'toString')).toBe(false);
    expect(isIdempotent('constructor', 'name')).toBe(false);
  });

  test.each([
    ['fee', 'run', 2],
    ['report', 'aging', 2],
    ['fee', 'issue', 1],
    ['payment', 'requestRefund', 1],
  ] as const)('%s.%s after a network failure is sent %i time(s)', async (fn, action, times) => {
    const stub = stubWx({ [`${fn}.${action}`]: () => new Error('ECONNRESET') });
    const { call } = await loadClient();
    const send = call as unknown as (
      f: string,
      a: string,
      i: object,
      o: object,
    ) => Promise<unknown>;
    await expect(send(fn, action, {}, { loading: false })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(stub.calls).toHaveLength(times);
  });
});
