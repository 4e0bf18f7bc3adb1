/** 设置: 长辈模式, privacy notice, clearing the local cache, version. */
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
      wx.showModal({
        title: '个人信息保护',
        content:
          '我们仅为办理物业服务收集必要信息（房号、联系方式、缴费记录），用于账单通知、缴费和服务工单，不会用于其他用途。如需查询、更正或删除您的信息，请联系物业服务中心。',
        showCancel: false,
        confirmText: '我知道了',
        confirmColor: '#0e8f7e',
      });
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
