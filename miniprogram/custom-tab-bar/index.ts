/**
 * The role-aware tab bar. Owners see 首页 / 账单 / 我的; staff also see 管理.
 *
 * WeChat requires tab pages in the main package, but staff pages live in the `admin/`
 * subpackage so owners never download them. So app.json's `tabBar.list` holds the three owner
 * tabs, and the 管理 item here opens the subpackage's 工作台 with `reLaunch` (a fresh stack, as a
 * tab switch feels); the 工作台 renders this same bar with `current="admin"`.
 */
import { elderBehavior } from '../behaviors/elder';
import { isStaff } from '../services/session';
import type { TabKey } from '../services/ui';

interface TabItem {
  key: TabKey;
  text: string;
  icon: string;
  url: string;
}

export const OWNER_TABS: TabItem[] = [
  { key: 'home', text: '首页', icon: 'wap-home-o', url: '/pages/home/index' },
  { key: 'bills', text: '账单', icon: 'balance-list-o', url: '/pages/bills/index' },
  { key: 'me', text: '我的', icon: 'user-o', url: '/pages/me/index' },
];
export const ADMIN_TAB: TabItem = {
  key: 'admin',
  text: '管理',
  icon: 'apps-o',
  url: '/admin/index/index',
};

Component({
  behaviors: [elderBehavior],
  properties: {
    current: { type: String, value: 'home' },
  },
  data: {
    tabs: OWNER_TABS,
  },
  lifetimes: {
    attached() {
      isStaff().then((staff) => {
        if (staff) this.setData({ tabs: [...OWNER_TABS, ADMIN_TAB] });
      });
    },
  },
  methods: {
    onChange(e: { detail: string }) {
      const key = e.detail;
      if (key === this.data.current) return;
      const tab = (this.data.tabs as TabItem[]).find((t) => t.key === key);
      if (!tab) return;
      this.setData({ current: key });
      if (tab.key === 'admin') wx.reLaunch({ url: tab.url });
      else wx.switchTab({ url: tab.url });
    },
  },
});
