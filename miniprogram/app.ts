/**
 * The mini-program entry. Pages are written with Component() (testable with
 * miniprogram-simulate); everything they need comes from services/.
 */
App({
  onLaunch() {
    if (!wx.cloud) {
      console.error('wx.cloud is unavailable: base library 2.2.3 or later is required');
      return;
    }
    // No `env`: the cloud environment the mini-program is bound to in the WeChat console.
    wx.cloud.init({ traceUser: true });
  },
});
