/**
 * Asking owners for reminder consent (one-time subscriptions): always from a tap, at most 3
 * templates per sheet, and every answer recorded with the `notice` function as one-time credits
 * per template, which the reminder sends consume (docs/overdue.md). Recording is best effort: the
 * sheet's answer is what counts for the owner, and a failed record never bothers them.
 */
import { SUBSCRIBE_TEMPLATES } from '../config';
import { callQuiet } from './cloud';

export type ConsentTrigger = 'bill' | 'pay' | 'complaint' | 'notice' | 'settings';
export type ConsentOutcome = 'accept' | 'reject' | 'ban' | 'filter';

export interface ConsentAnswer {
  /** Per template id; templates the sheet did not answer are left out. */
  results: Record<string, ConsentOutcome>;
  accepted: number;
  /** False when the sheet could not be shown (e.g. not from a tap, or switched off). */
  shown: boolean;
}

const OUTCOMES: readonly string[] = ['accept', 'reject', 'ban', 'filter'];

/** Must be called synchronously from a tap handler (WeChat refuses otherwise). */
export function requestReminders(
  trigger: ConsentTrigger,
  tmplIds: string[] = SUBSCRIBE_TEMPLATES.map((t) => t.id),
): Promise<ConsentAnswer> {
  const ids = tmplIds.slice(0, 3);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => {
        const r = res as unknown as Record<string, string>;
        const results: Record<string, ConsentOutcome> = {};
        for (const id of ids)
          if (OUTCOMES.includes(r[id] ?? '')) results[id] = r[id] as ConsentOutcome;
        if (Object.keys(results).length > 0) {
          void callQuiet('notice', 'consent', { results, trigger }).catch(() => undefined);
        }
        resolve({
          results,
          accepted: Object.values(results).filter((v) => v === 'accept').length,
          shown: true,
        });
      },
      fail: () => resolve({ results: {}, accepted: 0, shown: false }),
    });
  });
}
