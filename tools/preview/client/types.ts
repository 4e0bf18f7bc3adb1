/// <reference lib="dom" />
/**
 * Shapes of what the preview page gets from miniprogram-simulate's browser build and from the
 * bundle the server generates (tools/preview/bundle.ts).
 */
import type { PreviewUser } from '../users';

export interface JComponent {
  readonly dom: HTMLElement;
  readonly data: Record<string, unknown>;
  readonly instance: PageInstance;
  attach(parent: Element): void;
  detach(): void;
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
  querySelector(selector: string): JComponent | undefined;
}

/** A component instance as user code sees `this`. */
export interface PageInstance {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>, cb?: () => void): void;
  triggerEvent(name: string, detail?: unknown, options?: Record<string, unknown>): void;
  _exparserNode: { $$: HTMLElement };
  [method: string]: unknown;
}

export interface ComponentDefinition {
  id?: string;
  tagName?: string;
  template?: string;
  properties?: Record<string, { type: unknown; value?: unknown; observer?: string }>;
  data?: Record<string, unknown>;
  methods?: Record<string, (this: PageInstance, ...args: never[]) => unknown>;
  lifetimes?: Record<string, (this: PageInstance) => void>;
  observers?: Record<string, (this: PageInstance, ...values: never[]) => void>;
  options?: Record<string, unknown>;
}

export interface Simulate {
  load(
    path: string | ComponentDefinition,
    tagName?: string | Record<string, unknown>,
    options?: Record<string, unknown>,
  ): string;
  render(id: string, properties?: Record<string, unknown>): JComponent;
}

export interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  subpackages?: { root: string; pages: string[] }[];
  window?: Record<string, string>;
  tabBar?: { custom?: boolean; list: { pagePath: string; text: string }[] };
}

// The switcher's users, as the server lists them (a type only: nothing of users.ts is bundled).
export type { PreviewUser };

export interface PreviewConfig {
  user: PreviewUser;
  /** page to open, e.g. 'pages/bills/index' */
  path: string;
  query: string;
  /** how to open a non-tab start page: on top of the home tab, or alone */
  via: 'navigate' | 'relaunch';
  /** base URL of the local cloud's client gateway ('' = same origin) */
  gateway: string;
}

export type Callbacks<T> = {
  success?: (res: T) => void;
  fail?: (err: { errMsg: string; errCode?: number }) => void;
  complete?: (res: unknown) => void;
};

declare global {
  interface Window {
    simulate: Simulate;
    __FILE_MAP__: Record<string, unknown>;
    __APP_JSON__: AppJson;
    __WXML_FILES__: string[];
    __GWX__: (file: string) => unknown;
    __PREVIEW__: PreviewConfig;
    wx: Record<string, unknown>;
    App: (options: Record<string, unknown>) => void;
    getApp: () => Record<string, unknown>;
    getCurrentPages: () => PageInstance[];
  }
}
