/**
 * j-component recognises taps from touch events only (touchstart → touchend without moving), as
 * on a phone. On a desktop browser the mouse stands in: its presses become touch events. Real
 * touches (a touch screen, or playwright's `tap()`) pass through untouched.
 */
let lastRealTouch = -Infinity;
let pressed: { target: EventTarget; id: number } | null = null;
let nextId = 1;

function touchEvent(type: string, target: EventTarget, e: MouseEvent, ended: boolean): TouchEvent {
  const touch = new Touch({
    identifier: pressed?.id ?? nextId,
    target,
    clientX: e.clientX,
    clientY: e.clientY,
    pageX: e.pageX,
    pageY: e.pageY,
    screenX: e.screenX,
    screenY: e.screenY,
  });
  return new TouchEvent(type, {
    bubbles: true,
    cancelable: true,
    composed: true,
    touches: ended ? [] : [touch],
    targetTouches: ended ? [] : [touch],
    changedTouches: [touch],
  });
}

export function installMouseAsTouch(onTap: () => void): void {
  document.addEventListener(
    'touchstart',
    (e) => {
      if (e.isTrusted) lastRealTouch = performance.now();
    },
    { capture: true },
  );
  document.addEventListener('touchend', () => onTap(), { capture: true });
  /** A mouse event that a touch produced (compatibility events) is not a press of its own. */
  const fromTouch = (e: MouseEvent) =>
    (e as MouseEvent & { sourceCapabilities?: { firesTouchEvents?: boolean } }).sourceCapabilities
      ?.firesTouchEvents === true || performance.now() - lastRealTouch < 400;
  const synthetic = () => performance.now() - lastRealTouch >= 400;
  document.addEventListener(
    'mousedown',
    (e) => {
      if (e.button !== 0 || fromTouch(e) || !e.target) return;
      if ((e.target as HTMLElement).closest?.('#wx-overlay, input, textarea')) return;
      pressed = { target: e.target, id: nextId++ };
      e.target.dispatchEvent(touchEvent('touchstart', e.target, e, false));
    },
    { capture: true },
  );
  document.addEventListener(
    'mousemove',
    (e) => {
      if (!pressed || !synthetic()) return;
      pressed.target.dispatchEvent(touchEvent('touchmove', pressed.target, e, false));
    },
    { capture: true },
  );
  document.addEventListener(
    'mouseup',
    (e) => {
      if (!pressed || !synthetic()) return;
      const target = pressed.target;
      target.dispatchEvent(touchEvent('touchend', target, e, true));
      pressed = null;
    },
    { capture: true },
  );
}
