/**
 * WeChat's built-in components for the browser. miniprogram-simulate registers every built-in
 * as an empty `<slot/>` (enough for jsdom tests); a preview needs the ones with their own
 * rendering or input: image, input, textarea, scroll-view, switch, rich-text, navigator, canvas.
 * Each works on its host element (`<wx-image>`, ...) directly.
 */
import type { ComponentDefinition, PageInstance } from './types';
import { resolveTempUrl } from './files';

function host(self: PageInstance): HTMLElement {
  return self._exparserNode.$$;
}

const str = (value = '') => ({ type: String, value });
const bool = (value = false) => ({ type: Boolean, value });
const num = (value = 0) => ({ type: Number, value });

function define(
  simulateLoad: (def: ComponentDefinition) => string,
  def: ComponentDefinition,
): void {
  simulateLoad({ template: '<slot/>', ...def, tagName: `wx-${def.id}` });
}

const IMAGE_SIZE: Record<string, string> = {
  scaleToFill: '100% 100%',
  aspectFit: 'contain',
  aspectFill: 'cover',
  widthFix: '100% 100%',
  heightFix: '100% 100%',
};

function renderImage(self: PageInstance): void {
  const el = host(self);
  const src = String(self.data.src || '');
  const mode = String(self.data.mode || 'scaleToFill');
  const url = resolveTempUrl(src);
  el.style.backgroundImage = url ? `url("${url}")` : '';
  el.style.backgroundSize = IMAGE_SIZE[mode] ?? 'auto';
  el.style.backgroundPosition = mode.includes(' ') ? mode : 'center';
  el.style.backgroundRepeat = 'no-repeat';
  if (!url) return;
  const img = new Image();
  img.onload = () => {
    if (mode === 'widthFix' && img.naturalWidth > 0) {
      el.style.height = `${(el.clientWidth * img.naturalHeight) / img.naturalWidth}px`;
    } else if (mode === 'heightFix' && img.naturalHeight > 0) {
      el.style.width = `${(el.clientHeight * img.naturalWidth) / img.naturalHeight}px`;
    }
    self.triggerEvent('load', { width: img.naturalWidth, height: img.naturalHeight });
  };
  img.onerror = () => self.triggerEvent('error', { errMsg: 'GET image error' });
  img.src = url;
}

/**
 * `<canvas type="2d">`: a real browser canvas inside the host element. WeChat hands it to the page
 * as the `node` of `createSelectorQuery().select(...).fields({ node: true })`, which
 * miniprogram-simulate's selector query does not do — `patchSelectorQuery` adds it.
 */
const CANVAS_KEY = '__wxCanvas';

type HostWithCanvas = HTMLElement & { [CANVAS_KEY]?: HTMLCanvasElement };

function mountCanvas(self: PageInstance): void {
  const el = host(self) as HostWithCanvas;
  if (el[CANVAS_KEY]) return;
  const canvas = document.createElement('canvas');
  canvas.className = 'wx-canvas-2d';
  // WeChat's default drawing buffer until the page sizes it.
  canvas.width = 300;
  canvas.height = 150;
  el.appendChild(canvas);
  el[CANVAS_KEY] = Object.assign(canvas, {
    createImage: () => new Image(),
    requestAnimationFrame: (cb: FrameRequestCallback) => window.requestAnimationFrame(cb),
    cancelAnimationFrame: (id: number) => window.cancelAnimationFrame(id),
  });
}

interface QueueItem {
  selector: string;
  exparserNode:
    | 0
    | {
        shadowRoot: {
          querySelector(s: string): { $$: HTMLElement } | null;
          querySelectorAll(s: string): { $$: HTMLElement }[];
        };
      };
  isSelectSingle: boolean;
  fields: { node?: boolean };
}

interface SelectorQueryLike {
  _queue: QueueItem[];
  exec(cb?: (res: unknown[]) => void): unknown;
}

let selectorQueryPatched = false;

/** Adds `node` (the canvas) to selector-query results that ask for it. */
function patchSelectorQuery(self: PageInstance): void {
  if (selectorQueryPatched) return;
  const make = (self as unknown as { createSelectorQuery?: () => SelectorQueryLike })
    .createSelectorQuery;
  if (typeof make !== 'function') return;
  const proto = Object.getPrototypeOf(make.call(self)) as SelectorQueryLike;
  const exec = proto.exec;
  proto.exec = function (this: SelectorQueryLike, cb?: (res: unknown[]) => void) {
    const queue = [...this._queue];
    return exec.call(this, (res: unknown[]) => {
      queue.forEach((item, i) => {
        if (!item.fields?.node || item.exparserNode === 0) return;
        const root = item.exparserNode.shadowRoot;
        const nodeOf = (n: { $$: HTMLElement } | null) =>
          n ? ((n.$$ as HostWithCanvas)[CANVAS_KEY] ?? null) : null;
        const r = res[i];
        if (item.isSelectSingle) {
          if (r && typeof r === 'object')
            (r as { node?: unknown }).node = nodeOf(root.querySelector(item.selector));
        } else if (Array.isArray(r)) {
          const nodes = root.querySelectorAll(item.selector);
          r.forEach((x, k) => {
            if (x && typeof x === 'object')
              (x as { node?: unknown }).node = nodeOf(nodes[k] ?? null);
          });
        }
      });
      cb?.(res);
    });
  };
  selectorQueryPatched = true;
}

type Field = HTMLInputElement | HTMLTextAreaElement;
const fields = new WeakMap<PageInstance, Field>();

function syncField(self: PageInstance): void {
  const field = fields.get(self);
  if (!field) return;
  const d = self.data;
  const value = d.value === undefined || d.value === null ? '' : String(d.value);
  if (field.value !== value) field.value = value;
  field.placeholder = String(d.placeholder || '');
  field.disabled = Boolean(d.disabled);
  const max = Number(d.maxlength);
  if (max >= 0) field.maxLength = max;
  else field.removeAttribute('maxlength');
  if (field instanceof HTMLInputElement) {
    const type = String(d.type || 'text');
    field.type = d.password ? 'password' : 'text';
    field.inputMode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
  }
  if (d.focus && document.activeElement !== field) setTimeout(() => field.focus(), 0);
}

function mountField(self: PageInstance, kind: 'input' | 'textarea'): void {
  if (fields.has(self)) return;
  const field = document.createElement(kind);
  field.className = 'wx-native-field';
  const detail = () => ({ value: field.value, cursor: field.selectionStart ?? field.value.length });
  field.addEventListener('input', () => {
    self.data.value = field.value;
    self.triggerEvent('input', { ...detail(), keyCode: 0 });
  });
  field.addEventListener('focus', () =>
    self.triggerEvent('focus', { value: field.value, height: 0 }),
  );
  field.addEventListener('blur', () => self.triggerEvent('blur', detail()));
  field.addEventListener('keydown', (e) => {
    const ev = e as KeyboardEvent;
    if (ev.key === 'Enter' && kind === 'input')
      self.triggerEvent('confirm', { value: field.value });
    if (kind === 'textarea')
      self.triggerEvent('linechange', { lineCount: field.value.split('\n').length });
  });
  // keep taps inside the field from turning into page taps that blur it
  field.addEventListener('touchstart', (e) => e.stopPropagation());
  host(self).appendChild(field);
  fields.set(self, field);
  syncField(self);
}

const fieldProps = {
  value: str(),
  placeholder: str(),
  placeholderClass: str(),
  placeholderStyle: str(),
  disabled: bool(),
  maxlength: num(140),
  focus: bool(),
  autoFocus: bool(),
  confirmType: str('done'),
  cursorSpacing: num(0),
};

function renderScrollView(self: PageInstance): void {
  const el = host(self);
  el.style.overflowX = self.data.scrollX ? 'auto' : 'hidden';
  el.style.overflowY = self.data.scrollY ? 'auto' : 'hidden';
  const top = Number(self.data.scrollTop);
  const left = Number(self.data.scrollLeft);
  if (Number.isFinite(top) && top > 0) el.scrollTop = top;
  if (Number.isFinite(left) && left > 0) el.scrollLeft = left;
}

function renderSwitch(self: PageInstance): void {
  const el = host(self);
  el.classList.toggle('wx-switch-checked', Boolean(self.data.checked));
  el.classList.toggle('wx-switch-disabled', Boolean(self.data.disabled));
  el.style.setProperty('--wx-switch-color', String(self.data.color || '#04BE02'));
}

export function installBuiltins(): void {
  const load = (def: ComponentDefinition) => window.simulate.load(def);

  define(load, {
    id: 'image',
    properties: {
      src: str(),
      mode: str('scaleToFill'),
      lazyLoad: bool(),
      webp: bool(),
      showMenuByLongpress: bool(),
    },
    observers: {
      'src, mode'(this: PageInstance) {
        renderImage(this);
      },
    },
    lifetimes: {
      attached(this: PageInstance) {
        renderImage(this);
      },
    },
  });

  define(load, {
    id: 'input',
    properties: { ...fieldProps, type: str('text'), password: bool() },
    observers: {
      'value, placeholder, disabled, maxlength, focus, type, password'(this: PageInstance) {
        syncField(this);
      },
    },
    lifetimes: {
      attached(this: PageInstance) {
        mountField(this, 'input');
      },
    },
  });

  define(load, {
    id: 'textarea',
    properties: { ...fieldProps, autoHeight: bool(), fixed: bool(), showConfirmBar: bool(true) },
    observers: {
      'value, placeholder, disabled, maxlength, focus'(this: PageInstance) {
        syncField(this);
      },
    },
    lifetimes: {
      attached(this: PageInstance) {
        mountField(this, 'textarea');
      },
    },
  });

  define(load, {
    id: 'scroll-view',
    properties: {
      scrollX: bool(),
      scrollY: bool(),
      scrollTop: num(0),
      scrollLeft: num(0),
      scrollIntoView: str(),
      enhanced: bool(),
      showScrollbar: bool(true),
      lowerThreshold: num(50),
    },
    observers: {
      'scrollX, scrollY, scrollTop, scrollLeft'(this: PageInstance) {
        renderScrollView(this);
      },
    },
    lifetimes: {
      attached(this: PageInstance) {
        renderScrollView(this);
        const el = host(this);
        el.addEventListener('scroll', () => {
          this.triggerEvent('scroll', {
            scrollLeft: el.scrollLeft,
            scrollTop: el.scrollTop,
            scrollHeight: el.scrollHeight,
            scrollWidth: el.scrollWidth,
          });
          const lower = Number(this.data.lowerThreshold) || 50;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < lower)
            this.triggerEvent('scrolltolower', {});
        });
      },
    },
  });

  define(load, {
    id: 'switch',
    properties: { checked: bool(), disabled: bool(), type: str('switch'), color: str('#04BE02') },
    observers: {
      'checked, disabled, color'(this: PageInstance) {
        renderSwitch(this);
      },
    },
    lifetimes: {
      attached(this: PageInstance) {
        renderSwitch(this);
        host(this).addEventListener('touchend', () => {
          if (this.data.disabled) return;
          const checked = !this.data.checked;
          this.setData({ checked });
          this.triggerEvent('change', { value: checked });
        });
      },
    },
  });

  define(load, {
    id: 'rich-text',
    properties: { nodes: { type: null }, space: str() },
    observers: {
      nodes(this: PageInstance) {
        const nodes = this.data.nodes;
        host(this).innerHTML = typeof nodes === 'string' ? nodes : '';
      },
    },
  });

  define(load, {
    id: 'navigator',
    properties: { url: str(), openType: str('navigate'), delta: num(1) },
    lifetimes: {
      attached(this: PageInstance) {
        host(this).addEventListener('touchend', () => {
          const wx = window.wx as Record<string, (o: unknown) => void>;
          const url = String(this.data.url);
          const type = String(this.data.openType);
          if (type === 'navigateBack') wx.navigateBack!({ delta: this.data.delta });
          else if (type === 'switchTab') wx.switchTab!({ url });
          else if (type === 'redirect') wx.redirectTo!({ url });
          else if (type === 'reLaunch') wx.reLaunch!({ url });
          else wx.navigateTo!({ url });
        });
      },
    },
  });

  define(load, {
    id: 'canvas',
    properties: { type: str('2d'), canvasId: str(), disableScroll: bool() },
    lifetimes: {
      attached(this: PageInstance) {
        patchSelectorQuery(this);
        if (String(this.data.type) === '2d') mountCanvas(this);
      },
    },
  });
}
