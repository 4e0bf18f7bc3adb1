/**
 * What every page that shows fetched data shares, so no page writes it again:
 *
 * - `status` loading → ready | error (with the friendly sentence from services/cloud in
 *   `errorMessage`); `<state-view status="{{status}}" …>` draws every state but ready.
 * - `reload()` runs the page's own `load()` inside those states; 重新加载 (`onRetry`) and
 *   pull-down refresh call it.
 * - `submit()`, the one way a page sends a change (below).
 * - 长辈模式 (elderBehavior).
 *
 * A page implements `load()`: fetch and setData what it shows, throw when it cannot (the page
 * then shows the error state). It may return another status ('empty') to show instead of ready.
 * It reads its query in `prepare(query)` and does not define onLoad (the behaviour's loads it).
 * Staff pages use staffPage() (admin/staff-page.ts), which adds the scope and 'forbidden'.
 */
import { check, type Checkable, type Schema } from '../domain/kernel/check';
import { CloudError, messageOf } from '../services/cloud';
import { notice } from '../services/ui';
import { elderBehavior } from './elder';

/** 'empty': nothing to show yet; 'unbound': the owner has no room yet (业主认证 first). */
export type PageStatus = 'loading' | 'ready' | 'error' | 'forbidden' | 'empty' | 'unbound';

/**
 * A form checked on the phone: the input to send, or a message per field (any object of
 * strings by field name: the forms' own error interfaces have no index signature).
 */
export type Checked<I> = { ok: true; input: I } | { ok: false; errors: object };

export interface Submission<I, R> {
  /** Data key that is true while the change is sent; a second tap meanwhile does nothing. */
  busy?: string;
  /** What the busy key holds meanwhile instead of true (which button spins); '' after. */
  busyAs?: string;
  /** Checks the form; its messages are shown (see errors/error) and nothing is sent. */
  check?: () => Checked<I>;
  /** A first message of a failed check as a toast too (long forms, the field may be off screen). */
  toastFirstError?: boolean;
  /** Asked after the check passes (a modal): false sends nothing. */
  confirm?: (input: I) => Promise<boolean>;
  send: (input: I) => Promise<R>;
  /** Data path of the page's object of messages by field: `errors` → errors.amount. */
  errors?: string;
  /** Data key of the page's one message line (a small form or an inline editor). */
  error?: string;
  /** The page's field for a field the server names ('' when the page has no such field). */
  fieldOf?: (serverField: string) => string;
  /** Which refusals are shown at the form rather than as a notice; default: those naming a field. */
  atField?: (err: unknown) => boolean;
  /** A page's own placement of a refusal (instead of errors/error): true when it showed it. */
  showError?: (err: unknown) => boolean;
  /** Title of the notice for a refusal not shown at the form. */
  failTitle: string;
  /** Show the notice even when the form shows the message (payments: the person must read it). */
  alwaysNotice?: boolean;
  /** Toast when the change went through. */
  toast?: string | ((result: R) => string);
  toastIcon?: 'success' | 'none';
  /** Runs after the change went through, before the reload (close an editor, show the result). */
  then?: (result: R, input: I) => unknown;
  /** Reload the page afterwards (default true). */
  reload?: boolean;
}

interface PageHooks {
  load?: () => Promise<PageStatus | void>;
  prepare?: (query: Record<string, string | undefined>) => void;
}

type Data = Record<string, unknown>;

/** The latest list asked for, per page: an earlier answer arriving late is dropped. */
const listAsks = new WeakMap<object, number>();

/** What load() throws when the page was opened without what it shows (a stale link). */
export function notFound(message: string): CloudError {
  return new CloudError('NOT_FOUND', message);
}

/**
 * fieldOf for a page whose fields have other names than the server's; a field not listed is not
 * shown at the form.
 */
export const fieldsNamed =
  (names: Record<string, string>) =>
  (serverField: string): string =>
    names[serverField] ?? '';

const firstField = (serverField: string) => serverField.split('.')[0] ?? '';

/**
 * A form checked with the function's own contract (its rules and messages, written once): every
 * problem at the page's field for it (`fieldOf`, default the first segment of the server's field).
 */
export function checkedWith<I>(
  c: Checkable<Schema>,
  input: I,
  fieldOf: (serverField: string) => string = firstField,
): Checked<I> {
  const r = check(c, input);
  if (r.ok) return { ok: true, input };
  const errors: Record<string, string> = {};
  for (const e of r.errors) {
    const key = fieldOf(e.field) || 'form';
    errors[key] ??= e.message;
  }
  return { ok: false, errors };
}

/** A check that names problems by field (an empty object when there are none). */
export function checkedBy<I>(errors: Record<string, string>, input: I): Checked<I> {
  return Object.values(errors).some(Boolean) ? { ok: false, errors } : { ok: true, input };
}

/** The page's messages object with every message emptied (its fields kept). */
function blank(messages: unknown): Record<string, string> {
  const fields = typeof messages === 'object' && messages ? Object.keys(messages) : [];
  return Object.fromEntries(fields.map((f) => [f, '']));
}

const namesField = (err: unknown) => err instanceof CloudError && err.field !== '';

/**
 * With pageState (or staffPage), for a page that opens what changes it (a ticket, a case, a
 * notice, 业主认证): coming back to it shows it as it is now. The first show is onLoad's.
 */
export const reloadOnShow = Behavior({
  methods: {
    onShow() {
      const page = this as unknown as { data: { status: PageStatus }; reload(): Promise<boolean> };
      if (page.data.status === 'ready') void page.reload();
    },
  },
});

export const pageState = Behavior({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as PageStatus,
    errorMessage: '',
  },
  methods: {
    /** A page opens: its query (`prepare`, if the page has one), then the first load. */
    onLoad(query: Record<string, string | undefined> = {}) {
      (this as unknown as PageHooks).prepare?.(query);
      void this.reload();
    },
    /**
     * Runs the page's load(). The loading state shows only while nothing is on screen yet: a
     * reload of a shown page (pull-down, a filter, after a change) keeps it until the answer.
     */
    async reload(): Promise<boolean> {
      const page = this as unknown as PageHooks;
      if (this.data.status !== 'ready') this.setData({ status: 'loading' });
      try {
        const status = (await page.load?.()) ?? 'ready';
        this.setData({ status, errorMessage: '' });
        return true;
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
        return false;
      }
    },
    onRetry() {
      void this.reload();
    },
    onPullDownRefresh() {
      void this.reload().finally(() => wx.stopPullDownRefresh());
    },

    /**
     * A list under a shown page (a tab, a filter, the next page): `listLoading` while it is asked
     * for, `listError` when that fails, while the rest of the page stays usable. Only the latest
     * ask is shown: the answer to an earlier tap that arrives late is dropped.
     */
    async fillList<T>(ask: () => Promise<T>, show: (answer: T) => void): Promise<void> {
      const n = (listAsks.get(this) ?? 0) + 1;
      listAsks.set(this, n);
      const latest = () => listAsks.get(this) === n;
      this.setData({ listLoading: true, listError: '' });
      try {
        const answer = await ask();
        if (latest()) show(answer);
      } catch (err) {
        if (latest()) this.setData({ listError: messageOf(err) });
      } finally {
        if (latest()) this.setData({ listLoading: false });
      }
    },

    /**
     * Check → (confirm) → send → toast → then → reload. A refusal lands next to the field it
     * names (errors.<field> or the one error line), otherwise in a notice titled `failTitle`.
     * True when the change went through.
     */
    async submit<I, R>(s: Submission<I, R>): Promise<boolean> {
      const busy = s.busy ?? 'busy';
      if ((this.data as Data)[busy]) return false;
      let input = undefined as I;
      if (s.check) {
        const checked = s.check();
        if (!checked.ok) {
          const first =
            Object.values(checked.errors).find((m): m is string => typeof m === 'string' && !!m) ??
            '请检查填写的内容';
          if (s.errors) this.setData({ [s.errors]: checked.errors });
          if (s.error) this.setData({ [s.error]: first });
          if (s.toastFirstError) wx.showToast({ title: first, icon: 'none', duration: 2500 });
          return false;
        }
        input = checked.input;
        // messages of an earlier attempt go once the form passes
        if (s.errors) this.setData({ [s.errors]: blank((this.data as Data)[s.errors]) });
        if (s.error) this.setData({ [s.error]: '' });
      }
      if (s.confirm && !(await s.confirm(input))) return false;
      this.setData({ [busy]: s.busyAs ?? true });
      try {
        const result = await s.send(input);
        await s.then?.(result, input);
        const toast = typeof s.toast === 'function' ? s.toast(result) : s.toast;
        if (toast) wx.showToast({ title: toast, icon: s.toastIcon ?? 'success' });
        if (s.reload ?? true) await this.reload();
        return true;
      } catch (err) {
        const shown = s.showError
          ? s.showError(err)
          : (s.atField ?? namesField)(err) && this.showAtField(s, err);
        if (!shown || s.alwaysNotice) notice(s.failTitle, messageOf(err));
        return false;
      } finally {
        this.setData({ [busy]: s.busyAs === undefined ? false : '' });
      }
    },
    /** The refusal next to its field; false when the page has nowhere to show it. */
    showAtField<I, R>(s: Submission<I, R>, err: unknown): boolean {
      const message = messageOf(err);
      if (s.error) {
        this.setData({ [s.error]: message });
        return true;
      }
      if (!s.errors) return false;
      // Every field the reply names (the contract's check lists them all), each under its input.
      const named = err instanceof CloudError ? err.fields : [];
      const patch: Record<string, string> = {};
      for (const f of named.length > 0 ? named : [{ field: '', message }]) {
        const field = (s.fieldOf ?? firstField)(f.field);
        if (field && !(`${s.errors}.${field}` in patch)) patch[`${s.errors}.${field}`] = f.message;
      }
      if (Object.keys(patch).length === 0) return false;
      this.setData(patch);
      return true;
    },
  },
});
