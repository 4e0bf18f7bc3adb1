/**
 * Cold-start budgets (tools/function-size.ts, `npm run size`): every built function keeps its
 * bundle bytes, the font lives once in print, only print bundles pdf-lib, and the functions on an
 * owner's first screen load within 1.3× of wx-server-sdk alone (CPU time in fresh processes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDF_FONT } from '../../cloudfunctions/print/src/repo/font';
import {
  budgetOf,
  budgetProblems,
  bundleContents,
  bundleInputs,
  fontProblems,
  functionNames,
  rendererProblems,
  sampleLoad,
  timeoutOf,
  type FunctionSize,
} from '../../tools/function-size';

const FNS = path.resolve(__dirname, '..', '..', 'cloudfunctions');
const names = functionNames(FNS);

test('every function is within its bundle budget; only print is over 1 MB', () => {
  expect(names).toEqual(expect.arrayContaining(['owner', 'account', 'payment', 'print']));
  const over = names.filter(
    (n) => fs.statSync(path.join(FNS, n, 'index.js')).size > budgetOf(n).bytes,
  );
  expect(over).toEqual([]);
  expect(budgetOf('owner').bytes).toBe(300 * 1024);
  expect(names.filter((n) => budgetOf(n).bytes > 1024 * 1024)).toEqual(['print']);
});

test('the font has one home and the renderer one bundle', () => {
  expect(fontProblems(FNS)).toEqual([]);
  expect(rendererProblems(FNS, names)).toEqual([]);
});

test('a font anywhere but print, a missing one, or a bundle with pdf-lib elsewhere is refused', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-size-'));
  const fn = (name: string, bundle: string, font?: number) => {
    fs.mkdirSync(path.join(root, name, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, name, 'src', 'index.ts'), '');
    fs.writeFileSync(path.join(root, name, 'index.js'), bundle);
    if (font !== undefined) {
      fs.mkdirSync(path.join(root, name, PDF_FONT.dir), { recursive: true });
      fs.writeFileSync(path.join(root, name, PDF_FONT.dir, PDF_FONT.file), Buffer.alloc(font));
    }
  };
  try {
    fn('print', 'x="pdf-lib (https://github.com/Hopding/pdf-lib)"');
    fn('payment', 'x="pdf-lib (https://github.com/Hopding/pdf-lib)"', 10);
    expect(fontProblems(root)).toEqual([
      expect.stringMatching(/print\/fonts\/.* is missing/),
      expect.stringMatching(/payment\/fonts\/.*: fonts ship with print only/),
    ]);
    expect(rendererProblems(root, ['payment', 'print'])).toEqual([
      expect.stringMatching(/payment\/index\.js bundles pdf-lib/),
    ]);
    fn('print', '', PDF_FONT.maxBytes + 1);
    expect(fontProblems(root)).toContainEqual(expect.stringMatching(/budget 4 MB/));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('budgets are enforced: bytes, cold load and timeout headroom', () => {
  const f: FunctionSize = {
    name: 'owner',
    bytes: 400 * 1024,
    fontBytes: 0,
    bundleMs: 200,
    loadRatio: 1.4,
    wallMs: 900,
    timeoutS: 2,
    budget: budgetOf('owner'),
  };
  const problems = budgetProblems(f, 500);
  expect(problems).toHaveLength(3);
  expect(problems[0]).toMatch(/owner: bundle 400\.0 KB over its 300\.0 KB budget/);
  expect(problems[1]).toMatch(/cold load 1\.40× the SDK's, over its 1\.3× budget/);
  expect(problems[2]).toMatch(/timeout 2 s is under 4× its cold load \(0\.70 s\)/);
  expect(budgetProblems({ ...f, bytes: 40_000, loadRatio: 1.02, timeoutS: 10 }, 500)).toEqual([]);
});

test('every timeout is stated in config.json', () => {
  const unstated = names.filter(
    (n) =>
      JSON.parse(fs.readFileSync(path.join(FNS, n, 'config.json'), 'utf8')).timeout === undefined,
  );
  expect(unstated).toEqual([]);
  expect(timeoutOf(FNS, 'owner')).toBeGreaterThanOrEqual(10);
  expect(timeoutOf(FNS, 'print')).toBeLessThan(timeoutOf(FNS, 'payment'));
});

test('owner, account and payment load within their budgets on a cold process', async () => {
  for (const name of ['owner', 'account', 'payment']) {
    const samples = [];
    for (let i = 0; i < 3; i++) samples.push(await sampleLoad(FNS, name));
    const sdk = samples.map((s) => s.sdkMs).sort((a, b) => a - b)[1]!;
    const bundle = samples.map((s) => s.bundleMs).sort((a, b) => a - b)[1]!;
    expect({ name, within: (sdk + bundle) / sdk <= budgetOf(name).load! }).toEqual({
      name,
      within: true,
    });
  }
}, 120_000);

test('each bundle carries its own contracts only, zod/mini without locales, exceljs where it is used', () => {
  const SPREADSHEETS = ['community', 'fee', 'reconcile', 'report'];
  for (const name of names) {
    const inputs = Object.keys(bundleInputs(FNS, name));
    const contracts = inputs.filter((f) => /^miniprogram\/domain\/.*contract\.ts$/.test(f));
    const foreign = contracts.filter(
      (f) =>
        !f.startsWith(`miniprogram/domain/${name}/`) &&
        f !== 'miniprogram/domain/kernel/contract.ts',
    );
    expect({ name, foreign }).toEqual({ name, foreign: [] });
    expect({ name, locales: inputs.filter((f) => /zod\/.*locales/.test(f)) }).toEqual({
      name,
      locales: [],
    });
    const parts = bundleContents(FNS, name).map((p) => p.part);
    expect({ name, excel: parts.includes('exceljs') }).toEqual({
      name,
      excel: SPREADSHEETS.includes(name),
    });
    expect({ name, pdf: parts.includes('pdf-lib') }).toEqual({ name, pdf: name === 'print' });
    // only exceljs's Workbook and its .xlsx reader and writer: no streaming archiver or unzipper
    expect(parts.filter((p) => ['archiver', 'unzipper', 'bluebird'].includes(p))).toEqual([]);
  }
});
