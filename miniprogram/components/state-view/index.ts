/**
 * Loading, empty and error states, the same on every page. Error text is always a friendly
 * sentence from services/cloud (never a code); the retry button emits `action`.
 */
Component({
  options: { virtualHost: false },
  properties: {
    /** 'loading' | 'empty' | 'error' */
    status: { type: String, value: 'loading' },
    title: { type: String, value: '' },
    description: { type: String, value: '' },
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
