/**
 * The phone's clock follows the local cloud's dev clock, as a real phone's follows network time:
 * pages compute "today" (default deadlines, reading periods, 已逾期) with `new Date()`, and a test
 * that pins or moves the dev clock must see the same day on the phone as in the functions.
 * The offset is read once at boot and refreshed from every gateway reply.
 */
const RealDate = Date;
let offsetMs = 0;

class PhoneDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}

/** Sets the offset from a gateway reply's `x-dev-clock-offset` header (absent: unchanged). */
export function followDevClock(header: string | null): void {
  const n = Number(header);
  if (header !== null && header !== '' && Number.isFinite(n)) offsetMs = n;
}

/** Replaces the page's Date with one on the dev clock; `gateway` is the local cloud's origin. */
export function installDevClock(gateway: string): void {
  try {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', `${gateway}/dev/clock`, false); // synchronous: before any page code runs
    xhr.send();
    if (xhr.status === 200) {
      const body = JSON.parse(xhr.responseText) as { offsetMs?: unknown };
      if (typeof body.offsetMs === 'number') offsetMs = body.offsetMs;
    }
  } catch {
    // no dev clock (a static preview): real time
  }
  (globalThis as { Date: DateConstructor }).Date = PhoneDate as unknown as DateConstructor;
}
