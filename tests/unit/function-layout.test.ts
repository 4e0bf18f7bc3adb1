/**
 * Every cloud function has the same shape (DESIGN.md, Layout): `src/index.ts` only wires the
 * router (or the callback) to `src/actions/`, shared code of the function lives in `src/repo/`,
 * and a function imports its own capability's contract, the kernel, pure domain rules and
 * `cloudfunctions/_shared` — never another function's `src/`, nor another capability's contract.
 * (The 800-line limit on every source file, functions included: tests/unit/source-size.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { sourceFiles } from '../helpers/source-files';

const ROOT = path.resolve(__dirname, '..', '..');
const FUNCTIONS = path.join(ROOT, 'cloudfunctions');
const DOMAIN = path.join(ROOT, 'miniprogram', 'domain');
/** A function whose contract lives under another capability's name. */
const CAPABILITY: Record<string, string> = { payNotify: 'payment' };

const functions = fs
  .readdirSync(FUNCTIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(FUNCTIONS, d.name, 'src', 'index.ts')))
  .map((d) => d.name);

/** Relative module specifiers a file imports (import and export … from). */
function imports(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  return sf.statements
    .filter((s) => ts.isImportDeclaration(s) || (ts.isExportDeclaration(s) && s.moduleSpecifier))
    .map((s) => ((s as ts.ImportDeclaration).moduleSpecifier as ts.StringLiteral).text)
    .filter((m) => m.startsWith('.'));
}

/** Who owns a path: a function's name, '_shared', or null outside cloudfunctions/. */
function ownerOf(target: string): string | null {
  const rel = path.relative(FUNCTIONS, target);
  if (rel.startsWith('..')) return null;
  return rel.split(path.sep)[0]!;
}

test('there are functions to check', () => {
  expect(functions.length).toBeGreaterThanOrEqual(16);
});

test.each(functions)('%s: src holds index.ts, actions/ and repo/ only', (fn) => {
  const src = path.join(FUNCTIONS, fn, 'src');
  const entries = fs.readdirSync(src).sort();
  expect(entries.filter((e) => !['actions', 'index.ts', 'repo'].includes(e))).toEqual([]);
  expect(entries).toContain('actions');
  // index.ts wires; it reads and writes nothing itself.
  const index = fs.readFileSync(path.join(src, 'index.ts'), 'utf8');
  expect(index).not.toMatch(/\.collection\(/);
});

test('no function imports another function, and _shared imports none', () => {
  const found: string[] = [];
  for (const file of sourceFiles(FUNCTIONS)) {
    const from = ownerOf(file)!;
    for (const m of imports(file)) {
      const to = ownerOf(path.resolve(path.dirname(file), m));
      if (to !== null && to !== from && to !== '_shared') {
        found.push(`${path.relative(ROOT, file)} → ${m}`);
      }
    }
  }
  expect(found).toEqual([]);
});

test('a function imports only its own capability contract', () => {
  const found: string[] = [];
  for (const fn of functions) {
    const own = CAPABILITY[fn] ?? fn;
    for (const file of sourceFiles(path.join(FUNCTIONS, fn))) {
      for (const m of imports(file)) {
        const target = path.resolve(path.dirname(file), m);
        const rel = path.relative(DOMAIN, target);
        if (rel.startsWith('..')) continue;
        const [capability, name] = rel.split(path.sep);
        const isContract = name !== undefined && /(^|\.)contract$/.test(name);
        if (isContract && capability !== own && capability !== 'kernel') {
          found.push(`${path.relative(ROOT, file)} → ${m}`);
        }
      }
    }
  }
  expect(found).toEqual([]);
});
