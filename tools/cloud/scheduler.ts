/**
 * Timers and the dev clock's walks: each function's timer trigger (config.json, 7-field cron in
 * UTC+8) fires on schedule, and moving the clock forward fires, in time order, every timer and
 * payment notification due on the way, as the real cloud would have over that time.
 */
import type { DevClock } from './clock';
import { parseCron7, type ParsedCron } from './cron';
import type { FunctionRunner } from './functions';
import type { PaySandbox } from './pay';

export interface TimerState {
  fn: string;
  name: string;
  cron: ParsedCron;
  nextAt: number | null;
}

export interface SchedulerOptions {
  clock: DevClock;
  functions: FunctionRunner;
  pay: PaySandbox;
  /** Fire timers on schedule (false in tests); payment notifications always flow. */
  timers: boolean;
  log: (m: string) => void;
  warn: (m: string) => void;
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  private timers: TimerState[] = [];
  private dueRun: Promise<void> | null = null;
  /**
   * Bumped by every clock change (set, advance, reset): a timer walk or periodic run started under
   * an older generation stops before its next timer, so a clock moved back (or forward again, or
   * reset) mid-walk never has the old walk fire timers in the background.
   */
  private generation = 0;
  /** The time the clock is walking to (the latest change still firing timers). */
  private walking: { at: number; generation: number } | null = null;
  private readonly tick: NodeJS.Timeout;

  constructor(o: SchedulerOptions) {
    this.o = o;
    this.load();
    // Timers tick once a second (unless disabled, as tests do); payment notifications always flow.
    this.tick = setInterval(
      () => void this.runDue(o.clock.now(), false, o.timers, this.generation),
      250,
    );
    this.tick.unref();
  }

  private load(): void {
    const { functions, clock, warn } = this.o;
    this.timers = [];
    for (const fn of functions.list()) {
      const triggers = (functions.config(fn).triggers ?? []).filter((t) => t.type === 'timer');
      if (triggers.length > 1) {
        warn(
          `[local-cloud] ${fn}: CloudBase allows one timer trigger per function; using the first`,
        );
      }
      const t = triggers[0];
      if (!t) continue;
      try {
        const cron = parseCron7(t.config);
        this.timers.push({ fn, name: t.name, cron, nextAt: cron.next(clock.now()) });
      } catch (e) {
        warn(`[local-cloud] ${fn}: ${(e as Error).message}`);
      }
    }
  }

  /** Every timer with its next occurrence. */
  list(): readonly TimerState[] {
    return this.timers;
  }

  /** The timer trigger of function `fn`, if it has one. */
  timerOf(fn: string): TimerState | undefined {
    return this.timers.find((x) => x.fn === fn);
  }

  /** Where a clock change is still walking to (for GET /dev/clock), or null. */
  get walkingTo(): number | null {
    return this.walking?.at ?? null;
  }

  fire(fn: string, name: string): Promise<unknown> {
    const { functions, clock } = this.o;
    return functions.invoke(
      fn,
      { Type: 'Timer', TriggerName: name, Time: new Date(clock.now()).toISOString(), Message: '' },
      { source: 'wx_trigger', trigger: true },
    );
  }

  /**
   * Fires every timer occurrence and delivers every payment notification due up to `until`, in
   * time order; when walking, the dev clock is set to each occurrence first. Gives up (false) as
   * soon as the clock has been changed since `generation` was taken.
   */
  private async runDue(
    until: number,
    walk: boolean,
    includeTimers: boolean,
    generation: number,
  ): Promise<boolean> {
    // One run at a time: a clock move waits for the periodic tick in flight, then walks.
    while (this.dueRun) await this.dueRun;
    if (generation !== this.generation) return false;
    let completed = false;
    this.dueRun = this.walkDue(until, walk, includeTimers, generation).then((done) => {
      completed = done;
    });
    try {
      await this.dueRun;
    } finally {
      this.dueRun = null;
    }
    return completed;
  }

  private async walkDue(
    until: number,
    walk: boolean,
    includeTimers: boolean,
    generation: number,
  ): Promise<boolean> {
    const { clock, pay, log, warn } = this.o;
    for (let step = 0; step < 5000; step++) {
      if (generation !== this.generation) return false;
      const timer = includeTimers
        ? this.timers
            .filter((t) => t.nextAt !== null && t.nextAt <= until)
            .sort((a, b) => a.nextAt! - b.nextAt!)[0]
        : undefined;
      const payAt = pay.nextDueAt();
      const payDue = payAt !== null && payAt <= until;
      if (!timer && !payDue) break;
      if (payDue && (!timer || payAt <= timer.nextAt!)) {
        if (walk && payAt > clock.now()) clock.set(payAt);
        await pay.deliverDue();
        continue;
      }
      const at = timer!.nextAt!;
      if (walk) clock.set(at);
      timer!.nextAt = timer!.cron.next(at);
      try {
        await this.fire(timer!.fn, timer!.name);
        log(
          `[local-cloud] timer ${timer!.fn}/${timer!.name} fired for ${new Date(at).toISOString()}`,
        );
      } catch (e) {
        warn(`[local-cloud] timer ${timer!.fn}/${timer!.name} failed: ${(e as Error).message}`);
      }
    }
    return true;
  }

  /**
   * Moves the dev clock. Any walk in flight is cancelled (it finishes the timer it is running and
   * fires nothing more). Moving forward fires, in order, every timer and payment notification due
   * between where the clock is and `at`; moving backward (or `fireTimers: false`) fires nothing.
   * `cancelled`: a later clock change took over while this one was walking; the clock is then
   * where that change put it.
   */
  async moveClock(
    at: number,
    o: { fireTimers?: boolean } = {},
  ): Promise<{ now: number; cancelled: boolean }> {
    const { clock } = this.o;
    const generation = ++this.generation;
    this.walking = null;
    if ((o.fireTimers ?? true) && at > clock.now()) {
      this.walking = { at, generation };
      const done = await this.runDue(at, true, true, generation).finally(() => {
        if (this.walking?.generation === generation) this.walking = null;
      });
      if (!done || generation !== this.generation) return { now: clock.now(), cancelled: true };
    }
    clock.set(at);
    this.reschedule();
    return { now: clock.now(), cancelled: false };
  }

  /** Stops any walk in flight (a reset: its timers belong to the data being wiped). */
  cancelWalk(): void {
    this.generation++;
    this.walking = null;
  }

  /** Every timer's next occurrence counted again from the clock's time. */
  reschedule(): void {
    for (const t of this.timers) t.nextAt = t.cron.next(this.o.clock.now());
  }

  stop(): void {
    clearInterval(this.tick);
  }
}
