/**
 * CloudBase timer triggers: a 7-field cron (second minute hour day month weekday year),
 * evaluated in UTC+8. cron-parser understands the first six; the year field is checked here.
 */
import { CronExpressionParser } from 'cron-parser';

export interface ParsedCron {
  next(afterMs: number): number | null;
}

export function parseCron7(expr: string): ParsedCron {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 7) {
    throw new Error(
      `timer cron "${expr}" must have 7 fields (second minute hour day month weekday year), found ${fields.length}`,
    );
  }
  const year = fields[6]!;
  const years = parseYearField(year, expr);
  const six = fields.slice(0, 6).join(' ');
  // Validate now so a bad expression fails at load, not at the first tick.
  CronExpressionParser.parse(six, { tz: 'Asia/Shanghai' });
  return {
    next(afterMs: number): number | null {
      const it = CronExpressionParser.parse(six, {
        tz: 'Asia/Shanghai',
        currentDate: new Date(afterMs),
      });
      for (let i = 0; i < 10_000; i++) {
        const d = it.next().toDate();
        const y = Number(
          new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(d),
        );
        if (!years || years(y)) return d.getTime();
        if (years && !years(y) && y > 2199) return null;
      }
      return null;
    },
  };
}

function parseYearField(field: string, expr: string): ((y: number) => boolean) | null {
  if (field === '*') return null;
  const parts = field.split(',');
  const tests = parts.map((p) => {
    const range = /^(\d{4})(?:-(\d{4}))?$/.exec(p);
    if (!range) throw new Error(`timer cron "${expr}": bad year field "${field}"`);
    const from = Number(range[1]);
    const to = range[2] ? Number(range[2]) : from;
    return (y: number) => y >= from && y <= to;
  });
  return (y) => tests.some((t) => t(y));
}
