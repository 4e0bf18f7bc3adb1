/**
 * The security-rule expression language the local cloud evaluates (tools/cloud/rules-expr.ts):
 * what CloudBase documents parses and evaluates as JavaScript would, nothing reaches `eval` or
 * object prototypes, and a query that does not pin what a rule reads is UNKNOWN (refused).
 */
import {
  evaluateRule,
  lazy,
  LAZY_DEEPER,
  parseRule,
  RuleSyntaxError,
  UNKNOWN,
} from '../../tools/cloud/rules-expr';

const DB = ['auth', 'doc', 'request', 'now'] as const;
const ST = ['auth', 'resource'] as const;
const run = (src: string, vars: Record<string, unknown>, names: readonly string[] = DB) =>
  evaluateRule(parseRule(src, names), vars);

test('the documented operators, with JavaScript precedence', () => {
  const auth = { openid: 'o_a' };
  expect(run('doc._openid == auth.openid', { auth, doc: { _openid: 'o_a' } })).toBe(true);
  expect(run('doc._openid == auth.openid', { auth, doc: { _openid: 'o_b' } })).toBe(false);
  expect(run("doc.status != 'draft'", { doc: { status: 'published' } })).toBe(true);
  expect(run('doc.n > 2 && doc.n <= 3', { doc: { n: 3 } })).toBe(true);
  expect(run('doc.n >= 4 || doc.n < 3', { doc: { n: 3 } })).toBe(false);
  expect(run("auth.openid in ['o_a', 'o_b']", { auth })).toBe(true);
  expect(run('!(auth.openid in doc.team)', { auth, doc: { team: ['o_c'] } })).toBe(true);
  expect(run('true || false && false', {})).toBe(true); // && binds tighter
  expect(run('(true || false) && false', {})).toBe(false);
  expect(run('!false == true', {})).toBe(true);
  expect(run("doc['a-b'] === 1", { doc: { 'a-b': 1 } })).toBe(true);
  expect(
    run('request.data.amount == doc.amount', {
      request: { data: { amount: 5 } },
      doc: { amount: 5 },
    }),
  ).toBe(true);
  expect(run('now > 10', { now: 11 })).toBe(true);
});

test('storage rules: regex literals with .test() and the resource variable', () => {
  const rule =
    'auth != null && resource.openid == auth.openid && /^complaints\\/[a-z_]+\\/[^/]+\\.png$/.test(resource.path) == true';
  const vars = (openid: string | null, owner: string, p: string) => ({
    auth: openid ? { openid } : null,
    resource: { openid: owner, path: p },
  });
  expect(run(rule, vars('o_a', 'o_a', 'complaints/o_a/x.png'), ST)).toBe(true);
  expect(run(rule, vars('o_a', 'o_a', 'exports/c/letter.pdf'), ST)).toBe(false);
  expect(run(rule, vars('o_b', 'o_a', 'complaints/o_a/x.png'), ST)).toBe(false);
  expect(run(rule, vars(null, '', 'complaints/o_a/x.png'), ST)).toBe(false);
  // a division sign is not a regex where an operand was just read
  expect(() => parseRule('resource.path / 2', ST)).toThrow(RuleSyntaxError);
});

test('reading a property of null refuses instead of matching undefined to undefined', () => {
  // An anonymous caller (auth null) must not pass `doc.owner == auth.openid` on documents
  // without an owner field.
  expect(run('doc.owner == auth.openid', { auth: null, doc: {} })).toBe(false);
  expect(run('auth == null || doc.x == auth.openid', { auth: null, doc: {} })).toBe(true);
});

test('a query that does not pin a field the rule reads is UNKNOWN, not true', () => {
  const pins = new Map<string, unknown>([
    ['status', 'published'],
    ['meta.owner', 'o_a'],
  ]);
  const doc = lazy({
    lookup(path) {
      const key = path.join('.');
      if (pins.has(key)) return pins.get(key);
      return [...pins.keys()].some((k) => k.startsWith(`${key}.`)) ? LAZY_DEEPER : UNKNOWN;
    },
  });
  const auth = { openid: 'o_a' };
  expect(run("doc.status == 'published'", { doc })).toBe(true);
  expect(run("doc.status == 'draft'", { doc })).toBe(false);
  expect(run("doc.kind == 'x'", { doc })).toBe(UNKNOWN);
  expect(run("doc.kind == 'x' || doc.status == 'published'", { doc })).toBe(true);
  expect(run("doc.kind == 'x' && doc.status == 'published'", { doc })).toBe(UNKNOWN);
  expect(run("doc.kind == 'x' && doc.status == 'draft'", { doc })).toBe(false);
  expect(run('doc.meta.owner == auth.openid', { doc, auth })).toBe(true);
  expect(run('!(doc.kind == 1)', { doc })).toBe(UNKNOWN);
  expect(run('doc.meta == null', { doc })).toBe(UNKNOWN);
});

test('no eval, no prototypes, no functions: such rules do not parse', () => {
  for (const bad of [
    "doc.constructor.constructor('return process')()",
    'doc.__proto__ == null',
    "doc['constructor'] == null",
    'process.exit(1)',
    'get(`database.roles.${auth.openid}`).role == 1',
    'doc.name.toString() == 1',
    'auth.openid = 1',
    "doc.a == 'unterminated",
    '',
  ]) {
    expect(() => parseRule(bad, DB)).toThrow(RuleSyntaxError);
  }
  // a computed key that spells a prototype property is refused at run time (and so grants nothing)
  expect(
    run('doc[request.data.k] == null', { doc: {}, request: { data: { k: '__proto__' } } }),
  ).toBe(false);
});

test('an expression longer than CloudBase accepts (1024 characters) is refused', () => {
  const long = Array.from({ length: 80 }, (_, i) => `doc.f${i} == 1`).join(' && ');
  expect(long.length).toBeGreaterThan(1024);
  expect(() => parseRule(long, DB)).toThrow(/1024/);
});
