/**
 * The dev clock: real time plus an offset that `/dev/clock` sets. Functions, `serverDate` and
 * timers all read it, so a test can move the whole cloud to any day.
 */
export class DevClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  set(at: number): void {
    this.offsetMs = at - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
