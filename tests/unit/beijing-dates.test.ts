/**
 * Every date shown to a person or printed is a Beijing date, made by one kernel function
 * (miniprogram/domain/kernel/time.ts), whatever the time zone of the process that makes it: cloud
 * functions run in UTC. The suite runs in Asia/Shanghai, so the view code is run in a child
 * process with TZ=UTC, formatting an instant just after midnight in Beijing (the evening before
 * in UTC).
 * Issue 18: a disclosure published at 01:05 Beijing on 12月7日 read "2026年12月6日发布".
 * The wording checks at the end keep the pages honest: no page says a feature is coming, and
 * special-care owners have one name.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatDate, formatMonths } from '../../miniprogram/domain/kernel/time';

/** 01:05 on 7 December 2026 in Beijing: 17:05 on the 6th in UTC. */
const AT = '2026-12-06T17:05:00.000Z';

/** What the view code prints for `at` in a process whose time zone is `tz`. */
function formattedIn(tz: string, at: string): Record<string, string | number> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../fixtures/dates/format-in-process-tz.ts'), at],
    { env: { ...process.env, TZ: tz }, encoding: 'utf8' },
  );
  return JSON.parse(out) as Record<string, string | number>;
}

test('with the process in UTC, an instant is dated in Beijing everywhere people read it', () => {
  const f = formattedIn('UTC', AT);
  // the process really ran in UTC
  expect(f.offset).toBe(0);
  expect(f).toMatchObject({
    beijingDay: '2026-12-07',
    beijingDayOfDate: '2026-12-07',
    formatDate: '2026年12月7日',
    formatDateOfDate: '2026年12月7日',
    formatShortDate: '12月7日',
    formatDateTime: '2026年12月7日 01:05',
    timeKeyword: '2026年12月7日 01:05',
    // issue 18: a disclosure published at 01:05 on 12月7日 read "2026年12月6日发布"
    disclosure: '2026年12月7日发布',
    notice: '12月7日',
    receipt: '2026年12月7日 01:05',
  });
  expect(f.printed).toContain('2026年12月7日 01:05');
  // an online payment prints no 收款人 line; its channel is its own field
  expect(f.printed).not.toContain('收款人：');
  expect(f.printed).toContain('微信支付');
  // the same text in Beijing's own zone
  expect(formattedIn('Asia/Shanghai', AT)).toEqual({ ...f, offset: -480 });
});

test('calendar dates are calendar dates in any zone; never zero-padded', () => {
  expect(formatDate('2026-07-05')).toBe('2026年7月5日');
  expect(formatMonths('2026-07', '2026-09')).toBe('2026年7月–9月');
  expect(formatMonths('2026-11', '2027-01')).toBe('2026年11月–2027年1月');
});

// ---------------------------------------------------------------- what the pages say

const MINIPROGRAM = path.join(__dirname, '../../miniprogram');

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'miniprogram_npm') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|wxml)$/.test(e.name)) out.push(p);
  }
  return out;
}

const files = sources(MINIPROGRAM).map((p) => ({
  file: path.relative(MINIPROGRAM, p),
  text: fs.readFileSync(p, 'utf8'),
}));

test('no page says a feature is coming: every entry works', () => {
  const found = files.filter((f) => /即将上线|敬请期待|即将开放/.test(f.text)).map((f) => f.file);
  expect(found).toEqual([]);
});

test('special-care owners have one name: 特殊关怀', () => {
  expect(files.filter((f) => f.text.includes('特别关照')).map((f) => f.file)).toEqual([]);
});

test('pages make no date text of their own: only the kernel turns instants into dates', () => {
  const views = files.filter((f) => !f.file.startsWith('domain/') && f.file.endsWith('.ts'));
  const handmade =
    /toISOString\(\)\s*\.(slice|substring|split)|\.get(UTC)?(FullYear|Month|Date|Hours|Minutes)\(|toLocale(Date|Time)?String|\w+At\.slice\(|年\$\{/;
  expect(views.filter((f) => handmade.test(f.text)).map((f) => f.file)).toEqual([]);
});
