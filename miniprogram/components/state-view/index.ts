/**
 * Loading, empty, error and forbidden states, the same on every page. Error text is always a
 * friendly sentence from services/cloud (never a code); the button emits `action` (重新加载 in the
 * error state).
 *
 * A page passes its own status: everything but ready in one line, with the texts of its
 * forbidden state —
 *   <state-view wx:if="{{status !== 'ready'}}" class="state" status="{{status}}"
 *     message="{{errorMessage}}" forbidden-title="抱歉，您暂无…权限" forbidden-text="…"
 *     bind:action="onRetry" />
 */
Component({
  options: { virtualHost: false },
  properties: {
    /** 'loading' | 'empty' | 'error' | 'forbidden' */
    status: { type: String, value: 'loading' },
    title: { type: String, value: '' },
    description: { type: String, value: '' },
    /** The error state's sentence (a page's errorMessage). */
    message: { type: String, value: '' },
    forbiddenTitle: { type: String, value: '' },
    forbiddenText: { type: String, value: '' },
    actionText: { type: String, value: '' },
    /** vant icon name for the empty state */
    icon: { type: String, value: 'description' },
  },
  methods: {
    onAction() {
      this.triggerEvent('action');
    },
  },
});
