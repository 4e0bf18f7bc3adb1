/**
 * Device settings kept in wx storage. 长辈模式 (large-text mode) lives here: pages subscribe and
 * update at once when it is switched, so the whole app follows without a restart.
 */
export const ELDER_MODE_KEY = 'settings.elderMode';

type Listener = (elder: boolean) => void;
const listeners = new Set<Listener>();

export function isElderMode(): boolean {
  try {
    return wx.getStorageSync(ELDER_MODE_KEY) === true;
  } catch {
    return false;
  }
}

export function setElderMode(on: boolean): void {
  wx.setStorageSync(ELDER_MODE_KEY, on);
  listeners.forEach((fn) => fn(on));
}

/** Subscribe to changes; returns the unsubscribe function. */
export function onElderModeChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
