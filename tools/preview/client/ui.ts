/**
 * The native UI WeChat draws over a page: toast, loading, modal, action sheet, and the sheets
 * for subscribe-message consent and (sandbox) payment. Plain DOM under #wx-overlay.
 */

function root(): HTMLElement {
  let el = document.getElementById('wx-overlay');
  if (!el) {
    el = document.createElement('div');
    el.id = 'wx-overlay';
    document.body.appendChild(el);
  }
  return el;
}

function h(tag: string, cls: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Buttons in overlays react to clicks and taps alike. */
function onPress(el: HTMLElement, fn: () => void): void {
  let done = false;
  const fire = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    if (done) return;
    done = true;
    setTimeout(() => (done = false), 300);
    fn();
  };
  el.addEventListener('click', fire);
  el.addEventListener('touchend', fire);
}

// ------------------------------------------------------------------ toast & loading
let toastEl: HTMLElement | null = null;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

export interface ToastOptions {
  title: string;
  icon?: 'success' | 'error' | 'loading' | 'none';
  duration?: number;
  mask?: boolean;
}

export function showToast(o: ToastOptions): void {
  hideToast();
  const icon = o.icon ?? 'success';
  const wrap = h('div', `wx-toast-wrap${o.mask ? ' wx-mask-clear' : ''}`);
  const box = h('div', `wx-toast ${icon === 'none' ? 'wx-toast-text' : ''}`);
  box.setAttribute('role', 'status');
  if (icon !== 'none') {
    const i = h('div', `wx-toast-icon wx-toast-icon-${icon}`);
    if (icon === 'success') i.textContent = '✓';
    if (icon === 'error') i.textContent = '✕';
    box.appendChild(i);
  }
  box.appendChild(h('div', 'wx-toast-title', o.title));
  wrap.appendChild(box);
  root().appendChild(wrap);
  toastEl = wrap;
  if (icon !== 'loading') toastTimer = setTimeout(hideToast, o.duration ?? 1500);
}

export function hideToast(): void {
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = undefined;
  toastEl?.remove();
  toastEl = null;
}

// ------------------------------------------------------------------ modal
export interface ModalOptions {
  title?: string;
  content?: string;
  showCancel?: boolean;
  cancelText?: string;
  cancelColor?: string;
  confirmText?: string;
  confirmColor?: string;
}

export function showModal(o: ModalOptions): Promise<{ confirm: boolean; cancel: boolean }> {
  return new Promise((resolve) => {
    const mask = h('div', 'wx-mask');
    const dialog = h('div', 'wx-modal');
    dialog.setAttribute('role', 'dialog');
    if (o.title) dialog.appendChild(h('div', 'wx-modal-title', o.title));
    if (o.content)
      dialog.appendChild(
        h('div', `wx-modal-content${o.title ? '' : ' wx-modal-content-only'}`, o.content),
      );
    const actions = h('div', 'wx-modal-actions');
    const close = (confirm: boolean) => {
      mask.remove();
      resolve({ confirm, cancel: !confirm });
    };
    if (o.showCancel !== false) {
      const cancel = h('div', 'wx-modal-btn wx-modal-cancel', o.cancelText || '取消');
      cancel.style.color = o.cancelColor || '#000000';
      onPress(cancel, () => close(false));
      actions.appendChild(cancel);
    }
    const ok = h('div', 'wx-modal-btn wx-modal-confirm', o.confirmText || '确定');
    ok.style.color = o.confirmColor || '#576B95';
    onPress(ok, () => close(true));
    actions.appendChild(ok);
    dialog.appendChild(actions);
    mask.appendChild(dialog);
    root().appendChild(mask);
  });
}

// ------------------------------------------------------------------ bottom sheets
function sheet(
  build: (panel: HTMLElement, close: () => void) => void,
  onMaskTap?: () => void,
): () => void {
  const mask = h('div', 'wx-mask wx-mask-bottom');
  const panel = h('div', 'wx-sheet');
  const close = () => mask.remove();
  mask.addEventListener('click', (e) => {
    if (e.target === mask && onMaskTap) {
      close();
      onMaskTap();
    }
  });
  build(panel, close);
  mask.appendChild(panel);
  root().appendChild(mask);
  return close;
}

export function showActionSheet(
  items: string[],
  alertText?: string,
  itemColor?: string,
): Promise<number | null> {
  return new Promise((resolve) => {
    sheet(
      (panel, close) => {
        if (alertText) panel.appendChild(h('div', 'wx-sheet-alert', alertText));
        items.forEach((text, i) => {
          const item = h('div', 'wx-sheet-item', text);
          if (itemColor) item.style.color = itemColor;
          onPress(item, () => {
            close();
            resolve(i);
          });
          panel.appendChild(item);
        });
        panel.appendChild(h('div', 'wx-sheet-gap'));
        const cancel = h('div', 'wx-sheet-item', '取消');
        onPress(cancel, () => {
          close();
          resolve(null);
        });
        panel.appendChild(cancel);
      },
      () => resolve(null),
    );
  });
}

export interface SubscribeChoice {
  id: string;
  title: string;
}

/** WeChat's consent sheet: one switch per template, 取消 / 允许, "always keep" option. */
export function showSubscribeSheet(
  appName: string,
  templates: SubscribeChoice[],
): Promise<{ results: Record<string, 'accept' | 'reject'>; remember: boolean }> {
  return new Promise((resolve) => {
    const checked = new Map(templates.map((t) => [t.id, true]));
    let remember = false;
    const finish = (allow: boolean, close: () => void) => {
      close();
      const results: Record<string, 'accept' | 'reject'> = {};
      for (const t of templates) results[t.id] = allow && checked.get(t.id) ? 'accept' : 'reject';
      resolve({ results, remember: allow && remember });
    };
    sheet((panel, close) => {
      panel.classList.add('wx-consent');
      panel.setAttribute('data-sheet', 'subscribe');
      const head = h('div', 'wx-consent-head');
      head.appendChild(h('div', 'wx-consent-logo', appName.slice(0, 1)));
      head.appendChild(h('div', 'wx-consent-app', `${appName} 申请`));
      panel.appendChild(head);
      panel.appendChild(h('div', 'wx-consent-title', '向你发送下列消息'));
      for (const t of templates) {
        const row = h('div', 'wx-consent-row');
        row.setAttribute('data-template', t.id);
        row.appendChild(h('div', 'wx-consent-name', t.title));
        const sw = h('div', 'wx-consent-switch on');
        onPress(row, () => {
          const on = !checked.get(t.id);
          checked.set(t.id, on);
          sw.classList.toggle('on', on);
        });
        row.appendChild(sw);
        panel.appendChild(row);
      }
      const keep = h('div', 'wx-consent-keep');
      const box = h('span', 'wx-consent-box');
      keep.appendChild(box);
      keep.appendChild(document.createTextNode('总是保持以上选择，不再询问'));
      onPress(keep, () => {
        remember = !remember;
        box.classList.toggle('on', remember);
      });
      panel.appendChild(keep);
      const actions = h('div', 'wx-consent-actions');
      const cancel = h('div', 'wx-btn wx-btn-default', '取消');
      cancel.setAttribute('data-action', 'reject');
      const allow = h('div', 'wx-btn wx-btn-primary', '允许');
      allow.setAttribute('data-action', 'accept');
      onPress(cancel, () => finish(false, close));
      onPress(allow, () => finish(true, close));
      actions.appendChild(cancel);
      actions.appendChild(allow);
      panel.appendChild(actions);
    });
  });
}

export type PayOutcome = 'pay' | 'cancel' | 'fail';

/** The sandbox pay sheet: pay, cancel, or make the payment fail. */
export function showPaySheet(info: {
  merchant: string;
  amountText: string;
  body: string;
}): Promise<PayOutcome> {
  return new Promise((resolve) => {
    sheet(
      (panel, close) => {
        panel.classList.add('wx-pay');
        panel.setAttribute('data-sheet', 'pay');
        const top = h('div', 'wx-pay-top');
        const x = h('div', 'wx-pay-close', '✕');
        x.setAttribute('data-action', 'cancel');
        onPress(x, () => {
          close();
          resolve('cancel');
        });
        top.appendChild(x);
        top.appendChild(h('div', 'wx-pay-sandbox', '沙箱环境 · 不会真实扣款'));
        panel.appendChild(top);
        panel.appendChild(h('div', 'wx-pay-merchant', info.merchant));
        panel.appendChild(h('div', 'wx-pay-amount', info.amountText));
        if (info.body) panel.appendChild(h('div', 'wx-pay-body', info.body));
        const method = h('div', 'wx-pay-method');
        method.appendChild(h('span', '', '支付方式'));
        method.appendChild(h('span', 'wx-pay-method-value', '零钱（模拟）'));
        panel.appendChild(method);
        const pay = h('div', 'wx-btn wx-btn-primary wx-pay-btn', '确认支付');
        pay.setAttribute('data-action', 'pay');
        onPress(pay, () => {
          close();
          resolve('pay');
        });
        panel.appendChild(pay);
        const fail = h('div', 'wx-pay-fail', '模拟支付失败');
        fail.setAttribute('data-action', 'fail');
        onPress(fail, () => {
          close();
          resolve('fail');
        });
        panel.appendChild(fail);
      },
      () => resolve('cancel'),
    );
  });
}

/** A native file picker for chooseImage / chooseMedia. Resolves with no files on cancel. */
export function pickFiles(accept: string, multiple: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = multiple;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(Array.from(input.files ?? []));
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  });
}

export function previewImage(url: string): void {
  const mask = h('div', 'wx-mask wx-image-preview');
  const img = document.createElement('img');
  img.src = url;
  mask.appendChild(img);
  onPress(mask, () => mask.remove());
  root().appendChild(mask);
}
