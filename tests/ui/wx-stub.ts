/**
 * The stubbed `wx` of a UI test: the cloud replies the test chooses (`ok`, `fail`, one that comes
 * later), the calls the page made, and the platform APIs (toasts, modals, navigation, storage)
 * as jest mocks.
 */
import type { ErrReply, OkReply } from '../../miniprogram/domain/kernel/reply';
import { fieldsOfMessage } from '../../miniprogram/domain/kernel/check';

type Handler = (input: Record<string, unknown>) => unknown;

export const ok = <T>(data: T): OkReply<T> => ({ ok: true, data });
/**
 * An error reply as the functions' router sends it: the fields a message names come as `fields`
 * too — every `field: sentence` of an INVALID_INPUT line (the contract's problems), or the one a
 * function's own refusal (AppError) starts with.
 */
export const fail = (code: ErrReply['code'], message = 'technical detail'): ErrReply => {
  const parts = code === 'INVALID_INPUT' ? message.split('; ') : [message];
  const fields = parts.flatMap((p) => fieldsOfMessage(p));
  return fields.length > 0 ? { ok: false, code, message, fields } : { ok: false, code, message };
};

export interface WxStub {
  /** every callFunction: `{ name, data }` */
  calls: { name: string; data: Record<string, unknown> }[];
  storage: Map<string, unknown>;
  wx: Record<string, jest.Mock | unknown>;
}

/**
 * Replace the parts of `wx` the app uses. `replies` maps 'fn.action' to a reply (or a function
 * of the input, or an Error to make the call itself fail as on a network error).
 */
export function stubWx(replies: Record<string, unknown | Handler>): WxStub {
  const calls: WxStub['calls'] = [];
  const storage = new Map<string, unknown>();
  const g = globalThis as unknown as {
    wx: Record<string, unknown>;
    __pristineWx?: Record<string, unknown>;
  };
  // simulate's own wx, not the previous test's stub (overrides must not leak between tests)
  g.__pristineWx ??= g.wx;
  const callFunction = jest.fn(
    async ({ name, data }: { name: string; data: Record<string, unknown> }) => {
      calls.push({ name, data });
      const key = `${name}.${String(data.action)}`;
      const reply = replies[key];
      if (reply === undefined)
        throw { errCode: -404011, errMsg: `cloud.callFunction:fail no stub for ${key}` };
      // a handler may answer later (a promise): the page meanwhile shows what it shows while waiting
      const value = typeof reply === 'function' ? await (reply as Handler)(data) : reply;
      if (value instanceof Error)
        throw { errCode: -1, errMsg: `cloud.callFunction:fail ${value.message}` };
      return { errMsg: 'cloud.callFunction:ok', result: value };
    },
  );
  const wx: Record<string, unknown> = {
    ...g.__pristineWx,
    cloud: { init: jest.fn(), callFunction },
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    switchTab: jest.fn(),
    reLaunch: jest.fn(),
    navigateBack: jest.fn(),
    makePhoneCall: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    requestSubscribeMessage: jest.fn(),
    requestPayment: jest.fn(),
    openSetting: jest.fn(),
    pageScrollTo: jest.fn(),
    getStorageSync: jest.fn((k: string) => (storage.has(k) ? storage.get(k) : '')),
    setStorageSync: jest.fn((k: string, v: unknown) => void storage.set(k, v)),
    removeStorageSync: jest.fn((k: string) => void storage.delete(k)),
    clearStorageSync: jest.fn(() => storage.clear()),
  };
  g.wx = wx;
  return { calls, storage, wx };
}

/** A reply the test lets go of when it chooses (to see a page while it waits). */
export function later<T>(): { reply: Promise<T>; answer: (value: T) => void } {
  let answer!: (value: T) => void;
  const reply = new Promise<T>((resolve) => (answer = resolve));
  return { reply, answer };
}

/** Every modal is answered 确定, as if the person confirmed. */
export function confirmAll(stub: WxStub): void {
  stub.wx.showModal = jest.fn((o: { success?: (r: object) => void }) =>
    o.success?.({ confirm: true, cancel: false }),
  );
}

/** The calls of one action, oldest first. */
export function callsOf(stub: WxStub, action: string): WxStub['calls'] {
  return stub.calls.filter((c) => c.data.action === action);
}
