/** Small UI helpers shared by pages. */

export type TabKey = 'home' | 'bills' | 'me' | 'admin';

/** Tell the page's custom tab bar which tab is current (WeChat gives each tab page its own bar). */
export function syncTabBar(page: WechatMiniprogram.Component.TrivialInstance, key: TabKey): void {
  const getTabBar = (
    page as { getTabBar?: () => WechatMiniprogram.Component.TrivialInstance | undefined }
  ).getTabBar;
  if (typeof getTabBar !== 'function') return;
  const bar = getTabBar.call(page);
  if (bar) bar.setData({ current: key });
}

export function toast(title: string): void {
  wx.showToast({ title, icon: 'none', duration: 2500 });
}

/**
 * `switchTab` cannot carry a query string, so a page that opens the bills tab for one room
 * leaves the room here and the bills page takes it when it shows.
 */
let billsRoomFilter: string | null = null;

export function openBillsForRoom(roomId: string): void {
  billsRoomFilter = roomId;
  wx.switchTab({ url: '/pages/bills/index' });
}

export function takeBillsRoomFilter(): string | null {
  const roomId = billsRoomFilter;
  billsRoomFilter = null;
  return roomId;
}

/** A two-button modal as a promise: true when the person confirms. */
export function confirmModal(o: {
  title: string;
  content: string;
  confirmText?: string;
  cancelText?: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: o.title,
      content: o.content,
      confirmText: o.confirmText ?? '确定',
      cancelText: o.cancelText ?? '取消',
      confirmColor: '#0e8f7e',
      success: (r) => resolve(Boolean(r.confirm)),
      fail: () => resolve(false),
    });
  });
}

/** A one-button notice (errors a person must read before going on). */
export function notice(title: string, content: string): void {
  wx.showModal({
    title,
    content,
    showCancel: false,
    confirmText: '我知道了',
    confirmColor: '#0e8f7e',
  });
}
