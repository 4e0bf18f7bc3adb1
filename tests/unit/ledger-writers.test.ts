/**
 * One writer per record (DESIGN.md, Ledger; STYLE.md): a bill's money fields and status — and the
 * `bills` collection at all — are written only by `cloudfunctions/_shared/ledger/`. This scans
 * every cloud-function source file with the TypeScript parser and fails on:
 * - a `collection('bills')` chain outside the ledger that ends in a write (update/set/add/remove);
 * - the `'bills'` collection name handed to anything but a known read helper (e.g. `insertNew`);
 * - a write anywhere outside the ledger whose data names a bill money field (`paidFen`,
 *   `lateFeeFen`, `amountDueFen`, `prepaidAppliedFen`, `lateFee`), whatever the collection.
 * The checker is tried on small snippets first, so a regression of the guard itself shows too.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { sourceFiles } from '../helpers/source-files';

const ROOT = path.resolve(__dirname, '..', '..');
const FUNCTIONS = path.join(ROOT, 'cloudfunctions');
const LEDGER = path.join(FUNCTIONS, '_shared', 'ledger') + path.sep;
/** Where every collection is declared with its indexes (names only, no writes). */
const DECLARATIONS = path.join('_shared', 'collections.ts');

/** Calls that only read, which may be handed the `bills` collection name. */
const READ_HELPERS = new Set([
  'fetchWhere',
  'fetchByIds',
  'findById',
  'fetchIn',
  'getDoc',
  'getInCommunity',
]);
const WRITE_METHODS = new Set(['update', 'set', 'add', 'remove']);
/** The bill document's money state (see `BILL_MONEY_FIELDS` in `_shared/ledger/state.ts`). */
const MONEY_FIELDS = new Set([
  'paidFen',
  'lateFeeFen',
  'amountDueFen',
  'prepaidAppliedFen',
  'lateFee',
]);

interface Finding {
  file: string;
  line: number;
  what: string;
}

function isBillsName(node: ts.Node): boolean {
  return (
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text === 'bills'
  );
}

function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return '';
}

/** The methods called on the result of `call`, in order: `.where(…).update(…)` → where, update. */
function chainAfter(call: ts.CallExpression): string[] {
  const names: string[] = [];
  let node: ts.Node = call;
  for (;;) {
    const access = node.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== node) break;
    const next = access.parent;
    if (!next || !ts.isCallExpression(next) || next.expression !== access) break;
    names.push(access.name.text);
    node = next;
  }
  return names;
}

/** Property names of the object literal given as `{ data: … }` (or directly) to a write call. */
function writtenKeys(call: ts.CallExpression): string[] {
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return [];
  const data = arg.properties.find(
    (p): p is ts.PropertyAssignment =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'data',
  );
  const target = data?.initializer ?? arg;
  if (!ts.isObjectLiteralExpression(target)) return [];
  const keys: string[] = [];
  for (const p of target.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name) {
      if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) {
        // `'lateFee.waivedFen'` (a dotted path) names the `lateFee` field.
        keys.push(p.name.text.split('.')[0]!);
      }
    }
  }
  return keys;
}

/** `.lookup({ from: 'bills', … })`: an aggregation joining bills to read them. */
function isLookupSource(node: ts.Node): boolean {
  const prop = node.parent;
  if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name) || prop.name.text !== 'from')
    return false;
  const call = prop.parent.parent;
  return ts.isCallExpression(call) && calleeName(call) === 'lookup';
}

function billWriters(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (isBillsName(node)) {
      const parent = node.parent;
      if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
        const name = calleeName(parent);
        if (name === 'collection') {
          const writes = chainAfter(parent).filter((m) => WRITE_METHODS.has(m));
          if (writes.length > 0) at(node, `collection('bills') … .${writes[0]}()`);
        } else if (!READ_HELPERS.has(name)) {
          at(node, `'bills' handed to ${name || 'a call'}()`);
        }
      } else if (
        !ts.isLiteralTypeNode(parent) &&
        !file.endsWith(DECLARATIONS) &&
        !isLookupSource(node)
      ) {
        at(node, `'bills' kept in a ${ts.SyntaxKind[parent.kind]}`);
      }
    }
    if (ts.isCallExpression(node) && WRITE_METHODS.has(calleeName(node))) {
      const money = writtenKeys(node).filter((k) => MONEY_FIELDS.has(k));
      if (money.length > 0) at(node, `.${calleeName(node)}() writes ${money.join(', ')}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the guard finds bill writes', () => {
  const check = (src: string) => billWriters('snippet.ts', src).map((f) => f.what);

  test('writes through a collection chain, in or out of a transaction', () => {
    expect(check(`await db.collection('bills').doc(id).update({ data: { note: 'x' } });`)).toEqual([
      "collection('bills') … .update()",
    ]);
    expect(
      check(`await t.collection('bills')
        .where({ _id: id })
        .update({ data: { status: 'paid' } });`),
    ).toEqual(["collection('bills') … .update()"]);
    expect(check('await ctx.db.collection(`bills`).add({ data: doc });')).toHaveLength(1);
    expect(check(`await db.collection('bills').doc(id).remove();`)).toHaveLength(1);
  });

  test('the name handed to a writing helper or kept for later', () => {
    expect(check(`await insertNew(ctx, 'bills', docs);`)).toEqual([
      "'bills' handed to insertNew()",
    ]);
    expect(check(`const BILLS = 'bills';`)).toHaveLength(1);
    expect(check(`const from = { from: 'bills' };`)).toHaveLength(1);
  });

  test('money fields written to any collection', () => {
    expect(
      check(`await db.collection(name).where(q).update({ data: { paidFen: _.inc(5) } });`),
    ).toEqual(['.update() writes paidFen']);
    expect(check(`await ref.update({ data: { 'lateFee.waivedFen': 3 } });`)).toEqual([
      '.update() writes lateFee',
    ]);
  });

  test('reads pass', () => {
    expect(
      check(`
        const a = await db.collection('bills').where({ roomId }).orderBy('_id', 'asc').get();
        const b = await db.collection('bills').aggregate().match(m).group(g).end();
        const n = await db.collection('bills').where(q).count();
        const c = await fetchWhere(ctx, 'bills', where, fields);
        const d = await fetchByIds(ctx, 'bills', ids);
        type Name = 'bills' | 'payments';
        const t = await db.collection('tasks').aggregate().lookup({ from: 'bills', localField: 'roomId', foreignField: 'roomId', as: 'b' }).end();
        await db.collection('payments').doc(id).update({ data: { status: 'paid' } });
      `),
    ).toEqual([]);
  });
});

test('no cloud-function source outside _shared/ledger/ writes bills or bill money fields', () => {
  const files = sourceFiles(FUNCTIONS).filter((f) => !f.startsWith(LEDGER));
  expect(files.length).toBeGreaterThan(50);
  const findings = files.flatMap((f) =>
    billWriters(path.relative(ROOT, f), fs.readFileSync(f, 'utf8')),
  );
  expect(findings.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
});

test('the ledger does write bills (the scan sees its writes)', () => {
  const ledger = sourceFiles(LEDGER).flatMap((f) =>
    billWriters(path.relative(ROOT, f), fs.readFileSync(f, 'utf8')),
  );
  expect(ledger.length).toBeGreaterThan(3);
});
