/** 设置: 长辈模式, privacy notice, joining as staff with an invite code, clearing the local cache, version. */
import { elderBehavior } from '../../behaviors/elder';
import { APP_VERSION } from '../../config';
import { resetSession } from '../../services/session';
import { ELDER_MODE_KEY, isElderMode, setElderMode } from '../../services/settings';

Component({
  behaviors: [elderBehavior],
  data: {
    version: APP_VERSION,
  },
  methods: {
    onElderChange(e: { detail: boolean }) {
      setElderMode(e.detail);
    },
    onPrivacy() {
      wx.navigateTo({ url: '/pages/privacy/index' });
    },
    /** A colleague invited by the property's admin redeems the staff code here. */
    onStaffJoin() {
      wx.navigateTo({ url: '/pages/bind/join?kind=staff' });
    },
    onClearCache() {
      wx.showModal({
        title: '清除缓存',
        content: '清除后将重新获取您的信息，长辈模式等设置会保留。',
        confirmText: '清除',
        confirmColor: '#0e8f7e',
        success: (res) => {
          if (!res.confirm) return;
          const elder = isElderMode();
          wx.clearStorageSync();
          if (elder) wx.setStorageSync(ELDER_MODE_KEY, true);
          resetSession();
          wx.showToast({ title: '已清除', icon: 'success' });
        },
      });
    },
  },
});
