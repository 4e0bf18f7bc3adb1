/**
 * `npm run bench -- --rooms N [--json FILE]` (issue 16): the daily work of one environment of N
 * rooms (default 20,000) against the round-trip budgets CloudBase sets (every database request
 * ~20–50 ms, a firing at most 60 s). Database requests are the local cloud's counts
 * (`cloud.stats.db`, what `GET /dev/stats` shows). Measured, each on its own generated data:
 *
 * - billing issue: `fee.issue` of a quarterly period (1% of rooms with a prepaid balance);
 * - overdue stage day: a quarter of the rooms overdue, every one reaching the 催缴函 stage, a
 *   late fee on the standard — the worst day; then the next (ordinary) day;
 * - collection report: `report.collection` over 24 monthly periods of bills;
 * - staff lists: the first page of every staff list on the overdue environment after its stage
 *   day (letters, tasks, cases), with a payment exceptions desk of one exception for every ten
 *   rooms (tools/bench/exceptions.ts) and a year's complaint tickets (one per two rooms; the
 *   desk's page as 投诉工单 asks for it), years of one-off charges, deposits and cashiers' shifts
 *   and a notice's SMS (./charges.ts, ./shifts.ts, ./sms.ts), the largest reply in bytes; and
 *   the database requests of `overdue.cases` there (late fees on: its sums add today's growth,
 *   docs/reports.md).
 *
 * Exits non-zero naming each broken budget.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startCloud, type LocalCloud } from '../cloud/server';
import * as billing from './billing';
import { insertTickets } from './complaints';
import * as overdue from './overdue';
import * as reports from './reports';
import { seedExceptions } from './exceptions';
import { seedChargeLists } from './charges';
import { BENCH_NOTICE, seedNoticeSms } from './sms';
import { seedShifts } from './shifts';
import { ADMIN, COMMUNITY } from './rooms';

export interface BudgetFigures {
  rooms: number;
  billingIssue: { rooms: number; dbRequests: number; ms: number };
  overdueStageDay: { rooms: number; dbRequests: number; firings: number; maxFiringMs: number };
  overdueOrdinaryDay: { rooms: number; dbRequests: number };
  collectionReport: { bills: number; dbRequests: number; ms: number };
  /** `overdue.cases`' first page after the stage day, late fees on (today's growth summed). */
  overdueCases: { rooms: number; dbRequests: number };
  largestListReplyBytes: number;
  largestListReply: string;
}

/** The budgets of issue 16's table. */
export const BUDGETS = {
  stageDayPer1000: 10,
  ordinaryDayPer1000: 2,
  billingIssuePer1000: 10,
  collectionReportMs: 2_000,
  overdueCasesRequests: 10,
  listReplyBytes: 256 * 1024,
};

/** Every paged staff list, first page as staff open it (`fn.action` → input). */
const STAFF_LISTS: [string, string, Record<string, unknown>][] = [
  ['overdue', 'tasks', {}],
  ['overdue', 'cases', {}],
  ['community', 'rooms', {}],
  ['community', 'owners', {}],
  ['binding', 'list', {}],
  ['fee', 'vacancies', {}],
  ['staff', 'auditLog', {}],
  ['complaint', 'calls', {}],
  ['complaint', 'desk', { scope: 'all', limit: 50 }],
  ['notice', 'staffList', {}],
  ['payment', 'exceptions', { status: 'open' }],
  ['payment', 'exceptions', { status: 'resolved' }],
  ['charge', 'charges', {}],
  ['charge', 'deposits', {}],
  ['notice', 'smsList', { noticeId: BENCH_NOTICE }],
  ['payment', 'shifts', {}],
];

async function withCloud<T>(work: (cloud: LocalCloud) => Promise<T>): Promise<T> {
  const cloud = await startCloud({ port: 0, quiet: true, timers: false });
  try {
    return await work(cloud);
  } finally {
    await cloud.close();
  }
}

/** Database requests `work` makes, and its wall time. */
async function counted<T>(
  cloud: LocalCloud,
  work: () => Promise<T>,
): Promise<{ result: T; dbRequests: number; ms: number }> {
  const before = cloud.stats.db.requests;
  const t0 = performance.now();
  const result = await work();
  return {
    result,
    dbRequests: cloud.stats.db.requests - before,
    ms: Math.round(performance.now() - t0),
  };
}

async function billingIssue(rooms: number): Promise<BudgetFigures['billingIssue']> {
  return withCloud(async (cloud) => {
    billing.seed(cloud, rooms);
    await cloud.call('fee', { action: 'standards', communityId: COMMUNITY }, billing.FINANCE);
    await billing.runPass(cloud, 'preview');
    const m = await counted(cloud, () => billing.runPass(cloud, 'issue'));
    if (m.result.bills === 0) throw new Error('billing issue wrote no bills');
    return { rooms, dbRequests: m.dbRequests, ms: m.ms };
  });
}

interface DayRun {
  dbRequests: number;
  firings: number;
  maxFiringMs: number;
}

/** Fires the overdue timer on `day` as CloudBase would until the day's work is done. */
async function overdueDay(cloud: LocalCloud, day: string): Promise<DayRun> {
  await cloud.setClock(Date.parse(`${day}T08:00:00+08:00`), { fireTimers: false });
  const run: DayRun = { dbRequests: 0, firings: 0, maxFiringMs: 0 };
  for (;;) {
    const m = await counted(cloud, () => cloud.fireTimer('overdue') as Promise<{ done: boolean }>);
    run.firings++;
    run.dbRequests += m.dbRequests;
    run.maxFiringMs = Math.max(run.maxFiringMs, m.ms);
    if (m.result.done) return run;
    if (run.firings >= 20) throw new Error(`overdue ${day}: not done after 20 firings`);
  }
}

async function overdueAndLists(rooms: number): Promise<{
  stage: BudgetFigures['overdueStageDay'];
  ordinary: BudgetFigures['overdueOrdinaryDay'];
  largest: { bytes: number; name: string };
  cases: BudgetFigures['overdueCases'];
}> {
  return withCloud(async (cloud) => {
    overdue.seed(cloud, rooms);
    cloud.store.insert('staff_roles', [
      {
        _id: `${COMMUNITY}:${ADMIN}`,
        communityId: COMMUNITY,
        openid: ADMIN,
        roles: ['admin', 'finance', 'service', 'cashier'],
        name: '基准管理员',
      },
    ]);
    await cloud.call('overdue', { action: 'myPlans' }, 'o_warm');
    const stage = await overdueDay(cloud, overdue.DAY);
    const letters = cloud.store.count('collection_letters', { communityId: COMMUNITY });
    if (letters !== rooms / 4) throw new Error(`expected ${rooms / 4} letters, got ${letters}`);
    const ordinary = await overdueDay(cloud, overdue.NEXT_DAY);
    // 支付异常's desk after years of use: one exception for every ten rooms, most resolved.
    seedExceptions(cloud.store, rooms, rooms / 10);
    insertTickets(cloud.store, rooms / 2, cloud.clock.now());
    // Years of one-off charges (one for every ten rooms) and deposits (one for every twenty).
    seedChargeLists(cloud.store, rooms, rooms / 10, rooms / 20);
    // A payment notice that texted one room in ten (those WeChat could not reach).
    seedNoticeSms(cloud.store, rooms, rooms / 10);
    // Three cashiers' shifts over about three years (not a function of the rooms).
    seedShifts(cloud.store, 3_000);
    const largest = { bytes: 0, name: '' };
    const cases = { rooms, dbRequests: 0 };
    for (const [fn, action, input] of STAFF_LISTS) {
      const m = await counted(
        cloud,
        () =>
          cloud.call(fn, { action, communityId: COMMUNITY, ...input }, ADMIN) as Promise<{
            ok: boolean;
            message?: string;
          }>,
      );
      const reply = m.result;
      if (!reply.ok) throw new Error(`${fn}.${action}: ${reply.message}`);
      if (fn === 'overdue' && action === 'cases') cases.dbRequests = m.dbRequests;
      const bytes = Buffer.byteLength(JSON.stringify(reply));
      if (bytes > largest.bytes) Object.assign(largest, { bytes, name: `${fn}.${action}` });
    }
    return {
      stage: { rooms, ...stage },
      ordinary: { rooms, dbRequests: ordinary.dbRequests },
      largest,
      cases,
    };
  });
}

async function collectionReport(rooms: number): Promise<BudgetFigures['collectionReport']> {
  return withCloud(async (cloud) => {
    const periods = reports.periodsBack('2026-10', 24);
    const bills = reports.seed(cloud, rooms, periods);
    await cloud.setClock(Date.parse('2026-11-20T10:00:00+08:00'), { fireTimers: false });
    await cloud.call('report', { action: 'arrears', communityId: 'none' }, reports.FINANCE);
    const m = await counted(
      cloud,
      () =>
        cloud.call(
          'report',
          { action: 'collection', communityId: reports.COMMUNITY, period: '2026-10' },
          reports.FINANCE,
        ) as Promise<{ ok: boolean; message?: string }>,
    );
    if (!m.result.ok) throw new Error(`report.collection: ${m.result.message}`);
    return { bills, dbRequests: m.dbRequests, ms: m.ms };
  });
}

export async function measureBudgets(rooms: number): Promise<BudgetFigures> {
  const billingFigures = await billingIssue(rooms);
  const o = await overdueAndLists(rooms);
  const report = await collectionReport(rooms);
  return {
    rooms,
    billingIssue: billingFigures,
    overdueStageDay: o.stage,
    overdueOrdinaryDay: o.ordinary,
    collectionReport: report,
    overdueCases: o.cases,
    largestListReplyBytes: o.largest.bytes,
    largestListReply: o.largest.name,
  };
}

/**
 * Each budget the figures break, in words. The per-1,000-room budgets are the issue's figures at
 * 20,000 rooms; a smaller run is held to the 20,000-room allowance (its fixed per-firing work —
 * communities, the run record, marks, plans, waiting reminders — is not per-room work), a larger
 * one to its own size.
 */
export function brokenBudgets(f: BudgetFigures): string[] {
  const k = Math.max(f.rooms, 20_000) / 1000;
  const broken: string[] = [];
  const per1000 = (n: number) => Math.round((n / (f.rooms / 1000)) * 10) / 10;
  if (f.overdueStageDay.dbRequests > BUDGETS.stageDayPer1000 * k)
    broken.push(
      `overdue stage day: ${f.overdueStageDay.dbRequests} requests, ${per1000(f.overdueStageDay.dbRequests)} / 1,000 rooms (budget ${BUDGETS.stageDayPer1000} / 1,000 at 20,000 rooms)`,
    );
  if (f.overdueStageDay.firings > 1)
    broken.push(`overdue stage day: ${f.overdueStageDay.firings} firings (budget 1)`);
  if (f.overdueOrdinaryDay.dbRequests > BUDGETS.ordinaryDayPer1000 * k)
    broken.push(
      `overdue ordinary day: ${f.overdueOrdinaryDay.dbRequests} requests, ${per1000(f.overdueOrdinaryDay.dbRequests)} / 1,000 rooms (budget ${BUDGETS.ordinaryDayPer1000} / 1,000 at 20,000 rooms)`,
    );
  if (f.billingIssue.dbRequests > BUDGETS.billingIssuePer1000 * k)
    broken.push(
      `billing issue: ${f.billingIssue.dbRequests} requests, ${per1000(f.billingIssue.dbRequests)} / 1,000 rooms (budget ${BUDGETS.billingIssuePer1000} / 1,000 at 20,000 rooms)`,
    );
  if (f.collectionReport.ms > BUDGETS.collectionReportMs)
    broken.push(
      `collection report: ${f.collectionReport.ms} ms (budget ${BUDGETS.collectionReportMs} ms)`,
    );
  if (f.overdueCases.dbRequests > BUDGETS.overdueCasesRequests)
    broken.push(
      `overdue.cases: ${f.overdueCases.dbRequests} requests (budget ${BUDGETS.overdueCasesRequests})`,
    );
  if (f.largestListReplyBytes > BUDGETS.listReplyBytes)
    broken.push(
      `staff list ${f.largestListReply}: ${f.largestListReplyBytes} bytes (budget ${BUDGETS.listReplyBytes})`,
    );
  return broken;
}

function printFigures(f: BudgetFigures): void {
  const k = f.rooms / 1000;
  const per1000 = (n: number) => (n / k).toFixed(1);
  const rows: [string, string][] = [
    [
      'billing issue',
      `${f.billingIssue.dbRequests} requests (${per1000(f.billingIssue.dbRequests)} / 1,000 rooms), ${f.billingIssue.ms} ms`,
    ],
    [
      'overdue stage day',
      `${f.overdueStageDay.dbRequests} requests (${per1000(f.overdueStageDay.dbRequests)} / 1,000 rooms), ${f.overdueStageDay.firings} firing(s), longest ${f.overdueStageDay.maxFiringMs} ms`,
    ],
    [
      'overdue ordinary day',
      `${f.overdueOrdinaryDay.dbRequests} requests (${per1000(f.overdueOrdinaryDay.dbRequests)} / 1,000 rooms)`,
    ],
    [
      'collection report',
      `${f.collectionReport.bills} bills, ${f.collectionReport.dbRequests} requests, ${f.collectionReport.ms} ms`,
    ],
    ['overdue.cases, late fees', `${f.overdueCases.dbRequests} requests`],
    ['largest staff list reply', `${f.largestListReply}: ${f.largestListReplyBytes} bytes`],
  ];
  console.log(`\n== daily work at ${f.rooms.toLocaleString('en-US')} rooms (issue 16 budgets)`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(26)} ${value}`);
}

/** Parses `--rooms N --json FILE`; N a positive multiple of 4 (a quarter of the rooms are overdue). */
export function budgetArgs(argv: readonly string[]): { rooms: number; json?: string } {
  const out: { rooms: number; json?: string } = { rooms: 20_000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--rooms' && value !== undefined) {
      out.rooms = Number(value);
      i++;
    } else if (flag === '--json' && value !== undefined) {
      out.json = value;
      i++;
    } else throw new Error(`unknown argument ${flag}; usage: --rooms N --json FILE`);
  }
  if (!Number.isSafeInteger(out.rooms) || out.rooms <= 0 || out.rooms % 4 !== 0)
    throw new Error(`--rooms must be a positive multiple of 4, got ${out.rooms}`);
  return out;
}

/** Runs the budget bench; resolves to the process exit code (1 when a budget is broken). */
export async function runBudgets(argv: readonly string[]): Promise<number> {
  const args = budgetArgs(argv);
  const figures = await measureBudgets(args.rooms);
  printFigures(figures);
  if (args.json) fs.writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
  const broken = brokenBudgets(figures);
  for (const b of broken) console.error(`  BUDGET BROKEN: ${b}`);
  return broken.length > 0 ? 1 : 0;
}
