/**
 * 长辈模式 for a page or component: `data.elder` follows the stored setting, live. Put
 * `class="page {{elder ? 'elder' : ''}}"` on the page root; styles/theme.wxss does the rest.
 */
import { isElderMode, onElderModeChange } from '../services/settings';

const unsubscribers = new WeakMap<object, () => void>();

export const elderBehavior = Behavior({
  data: { elder: false },
  lifetimes: {
    attached() {
      this.setData({ elder: isElderMode() });
      unsubscribers.set(
        this,
        onElderModeChange((elder) => {
          if (elder !== this.data.elder) this.setData({ elder });
        }),
      );
    },
    detached() {
      unsubscribers.get(this)?.();
      unsubscribers.delete(this);
    },
  },
});
