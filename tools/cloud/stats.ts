/**
 * Request counts, the number that decides whether daily work fits CloudBase's limits: every
 * database request costs ~20–50 ms there, so benches and budgets count requests, not local
 * milliseconds. `GET /dev/stats` shows them, `POST /dev/stats/reset` zeroes them.
 */
export interface StatsView {
  /** Every SDK request, by action (`database.getDocument`, `wx.openApi`, …). */
  total: number;
  byAction: Record<string, number>;
  /** Database requests only, by the function that made them (`(outside)`: a script or test). */
  db: { requests: number; byFunction: Record<string, number> };
}

export const OUTSIDE = '(outside)';

export class RequestStats implements StatsView {
  total = 0;
  byAction: Record<string, number> = {};
  db = { requests: 0, byFunction: {} as Record<string, number> };

  record(action: string, fn: string | undefined): void {
    this.total++;
    this.byAction[action] = (this.byAction[action] ?? 0) + 1;
    if (!action.startsWith('database.')) return;
    const who = fn ?? OUTSIDE;
    this.db.requests++;
    this.db.byFunction[who] = (this.db.byFunction[who] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.byAction = {};
    this.db = { requests: 0, byFunction: {} };
  }

  view(): StatsView {
    return {
      total: this.total,
      byAction: { ...this.byAction },
      db: { requests: this.db.requests, byFunction: { ...this.db.byFunction } },
    };
  }
}
