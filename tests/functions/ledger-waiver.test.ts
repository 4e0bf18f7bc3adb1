/**
 * The ledger through the local cloud: a late-fee waiver that leaves nothing owing marks the bill
 * paid in the same single write that lowers the late fee (it used to be a second write, so a
 * crash in between left a settled bill open), and the ledger invariants hold afterwards.
 * The journal (one record per committed write) shows how many writes the bill took.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud, tempDir } from '../helpers/cloud';
import { enableLateFees } from './money-helpers';
import { ledgerViolations } from '../helpers/ledger';
import type { Reply } from '../../miniprogram/domain/kernel/reply';

const C = 'c_cuihu';
const ROOM = 'r_4_2_1801';
const BILL = `b_${ROOM}_2026-10_waiver`;

let cloud: LocalCloud;
let dataDir: string;
beforeEach(async () => {
  dataDir = tempDir('ledger');
  cloud = await startTestCloud({ seed: 'demo', dataDir });
});
afterEach(async () => {
  await cloud.close();
});

async function call<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await cloud.call(fn, event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.code} ${r.message}`);
  return r.data;
}

const bill = () => cloud.store.find('bills', { _id: BILL })[0]!;

/** Journal records (one per committed write) that put the bill document. */
function billWrites(): number {
  const journal = fs.readFileSync(path.join(dataDir, 'journal.ndjson'), 'utf8');
  return journal
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) =>
      (JSON.parse(line) as { t: string; c?: string; d?: { _id?: unknown } }[]).some(
        (op) => op.t === 'put' && op.c === 'bills' && op.d?._id === BILL,
      ),
    ).length;
}

function assertLedger(): void {
  expect(ledgerViolations(cloud)).toEqual([]);
}

/** A bill of 500.00 with a 10.00 late fee, its amount due paid at the desk: 10.00 still owed. */
async function billOwingOnlyItsLateFee(): Promise<void> {
  cloud.store.insert('bills', [
    {
      _id: BILL,
      communityId: C,
      roomId: ROOM,
      period: '2026-10',
      key: 'waiver',
      title: '2026年10月 物业服务费',
      items: [{ itemId: 'property', name: '物业服务费', basis: '…', amountFen: 50_000 }],
      amountDueFen: 50_000,
      lateFeeFen: 1_000,
      paidFen: 0,
      dueDate: '2026-10-15',
      status: 'unpaid',
      lateFee: { accruedFen: 1_000, accruedThrough: '2026-11-20', waivedFen: 0 },
    },
  ]);
  await call(
    'payment',
    {
      action: 'recordOffline',
      roomId: ROOM,
      channel: 'cash',
      amountFen: 50_000,
      billIds: [BILL],
      idempotencyKey: 'waiver-test-cash',
    },
    DEMO_USERS.cashier,
  );
  expect(bill()).toMatchObject({ paidFen: 50_000, lateFeeFen: 1_000, status: 'partial' });
}

test('waiving the whole remaining late fee settles the bill in one write', async () => {
  await billOwingOnlyItsLateFee();
  const before = billWrites();
  const result = await call<{ lateFeeFen: number; lateFeeWaivedFen: number }>(
    'overdue',
    {
      action: 'waive',
      communityId: C,
      billId: BILL,
      amountFen: 1_000,
      reason: '业主反映服务问题，经理批准减免',
    },
    DEMO_USERS.finance,
  );
  expect(result).toEqual({ billId: BILL, lateFeeFen: 0, lateFeeWaivedFen: 1_000 });
  expect(bill()).toMatchObject({
    paidFen: 50_000,
    lateFeeFen: 0,
    status: 'paid',
    lateFee: { accruedFen: 1_000, accruedThrough: '2026-11-20', waivedFen: 1_000 },
  });
  expect(billWrites() - before).toBe(1);
  assertLedger();
  // A settled bill takes no second waiver.
  const again = (await cloud.call(
    'overdue',
    { action: 'waive', communityId: C, billId: BILL, amountFen: 1, reason: '重复减免' },
    DEMO_USERS.finance,
  )) as Reply<unknown>;
  expect(again).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
});

test('waiving part of the late fee leaves the bill partly paid, in one write', async () => {
  await billOwingOnlyItsLateFee();
  const before = billWrites();
  await call(
    'overdue',
    { action: 'waive', communityId: C, billId: BILL, amountFen: 400, reason: '困难减免' },
    DEMO_USERS.finance,
  );
  expect(bill()).toMatchObject({ lateFeeFen: 600, status: 'partial' });
  expect(billWrites() - before).toBe(1);
  assertLedger();
});

test('npm run ledger:check holds on the demo and fails on a late fee that disagrees with its record or its cap', async () => {
  const run = () =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'tools/ledger-check.ts', '--url', cloud.url],
        { cwd: path.resolve(__dirname, '..', '..') },
        (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout }),
      );
    });
  const clean = await run();
  expect(clean.out).toContain('late fees match their accrual records and stay within the cap');
  expect(clean.code).toBe(0);
  // One bill charged the same day twice (the amount moved, its record did not), and another
  // whose record says it accrued beyond 5% of what it is due.
  enableLateFees(cloud);
  const [a, b] = cloud.store.find('bills', { status: 'unpaid' }) as {
    _id: string;
    amountDueFen: number;
  }[];
  const set = (id: string, fields: Record<string, unknown>) =>
    cloud.store.update(
      'bills',
      { _id: id },
      { $set: fields },
      { multi: false, replace: false, upsert: false },
    );
  set(a!._id, {
    lateFeeFen: 300,
    lateFee: { accruedFen: 150, accruedThrough: '2026-11-21', waivedFen: 0 },
  });
  const over = b!.amountDueFen; // far above 5%
  set(b!._id, {
    lateFeeFen: over,
    lateFee: { accruedFen: over, accruedThrough: '2027-11-21', waivedFen: 0 },
  });
  const broken = await run();
  expect(broken.code).toBe(1);
  expect(broken.out).toContain(`[late-fee-mismatch] ${a!._id}`);
  expect(broken.out).toContain(`[late-fee-over-cap] ${b!._id}`);
});
