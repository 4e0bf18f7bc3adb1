/**
 * The CloudBase security-rule expression language, parsed and evaluated without `eval`: the
 * strings in `database.rules.json` ("doc.status == 'published'") and `storage.rules.json`
 * ("resource.openid == auth.openid && /^complaints\/.../.test(resource.path) == true").
 *
 * What is supported is what CloudBase documents for these files: literals (numbers, quoted
 * strings, true/false/null/undefined, arrays), regular-expression literals with `.test(x)`,
 * member access on the preset variables, `!`, `== != === !== < <= > >=`, `in` (membership in an
 * array), `&&`, `||` and parentheses. `get()` (reading another document) and template strings are
 * refused with a clear message: the local cloud cannot prove a rule it cannot evaluate.
 *
 * Evaluation is three-valued for database reads and writes: CloudBase checks a query against the
 * rule ("the query must be a subset of the rule"), so `doc.x` is only known when the query pins
 * `x`; anything else is UNKNOWN and a rule that is not definitely true refuses the request.
 */

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Value = unknown;

export class RuleSyntaxError extends Error {}
/** A run-time error inside a rule (a property of null, a non-regex `.test`): the rule refuses. */
export class RuleEvalError extends Error {}

export const MAX_EXPRESSION_LENGTH = 1024;

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'regex'; re: RegExp }
  | { t: 'id'; name: string }
  | { t: 'member'; obj: Node; prop: Node }
  | { t: 'test'; re: Node; arg: Node }
  | { t: 'not'; arg: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'and' | 'or'; l: Node; r: Node }
  | { t: 'array'; items: Node[] };

type Tok =
  | { k: 'num'; v: number; at: number }
  | { k: 'str'; v: string; at: number }
  | { k: 'id'; v: string; at: number }
  | { k: 'op'; v: string; at: number }
  | { k: 'regex'; v: RegExp; at: number }
  | { k: 'end'; at: number };

const OPS = [
  '===',
  '!==',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
];
const FORBIDDEN_PROPS = new Set(['__proto__', 'constructor', 'prototype']);

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  // A `/` starts a regex literal where an operand is expected, as in JavaScript.
  const operandExpected = () => {
    const last = out[out.length - 1];
    if (!last) return true;
    if (last.k === 'op') return !(last.v === ')' || last.v === ']');
    return last.k === 'id' && last.v === 'in';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '`' || c === '$') {
      throw new RuleSyntaxError(
        `template strings and get() are not supported by the local cloud (at ${i})`,
      );
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ k: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === '\\') {
          const n = src[++j];
          if (n === undefined) break;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        } else s += src[j];
      }
      if (j >= src.length) throw new RuleSyntaxError(`unterminated string at ${i}`);
      out.push({ k: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === '.') {
      out.push({ k: 'op', v: '.', at: i });
      i++;
      continue;
    }
    if (c === '/' && operandExpected()) {
      let j = i + 1;
      let inClass = false;
      for (; j < src.length; j++) {
        const d = src[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
      }
      if (j >= src.length) throw new RuleSyntaxError(`unterminated regular expression at ${i}`);
      const body = src.slice(i + 1, j);
      const flags = /^[gimsuy]*/.exec(src.slice(j + 1))![0];
      let re: RegExp;
      try {
        re = new RegExp(body, flags.replace('g', ''));
      } catch (e) {
        throw new RuleSyntaxError(`invalid regular expression at ${i}: ${(e as Error).message}`);
      }
      out.push({ k: 'regex', v: re, at: i });
      i = j + 1 + flags.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new RuleSyntaxError(`unexpected character '${c}' at ${i}`);
    out.push({ k: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ k: 'end', at: src.length });
  return out;
}

/** Binding powers, loosest first (JavaScript's precedence for these operators). */
const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '===': 3,
  '!==': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
};

export interface ParsedRule {
  source: string;
  ast: Node;
  /** the preset variables it reads (auth, doc, request, now, resource) */
  variables: Set<string>;
}

export function parseRule(source: string, allowedVariables: readonly string[]): ParsedRule {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new RuleSyntaxError(
      `expression is ${source.length} characters; CloudBase allows ${MAX_EXPRESSION_LENGTH}`,
    );
  }
  const toks = tokenize(source);
  let p = 0;
  const variables = new Set<string>();
  const peek = () => toks[p]!;
  const isOp = (v: string) => {
    const t = peek();
    return t.k === 'op' && t.v === v;
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new RuleSyntaxError(`expected '${v}' at ${peek().at}`);
    p++;
  };

  const primary = (): Node => {
    const t = toks[p++]!;
    switch (t.k) {
      case 'num':
        return { t: 'lit', v: t.v };
      case 'str':
        return { t: 'lit', v: t.v };
      case 'regex':
        return { t: 'regex', re: t.v };
      case 'id': {
        if (t.v === 'true') return { t: 'lit', v: true };
        if (t.v === 'false') return { t: 'lit', v: false };
        if (t.v === 'null') return { t: 'lit', v: null };
        if (t.v === 'undefined') return { t: 'lit', v: undefined };
        if (!allowedVariables.includes(t.v)) {
          throw new RuleSyntaxError(
            `unknown name '${t.v}' at ${t.at} (available: ${allowedVariables.join(', ')})`,
          );
        }
        variables.add(t.v);
        return { t: 'id', name: t.v };
      }
      case 'op':
        if (t.v === '(') {
          const e = expr(0);
          expect(')');
          return e;
        }
        if (t.v === '[') {
          const items: Node[] = [];
          if (!isOp(']')) {
            items.push(expr(0));
            while (isOp(',')) {
              p++;
              items.push(expr(0));
            }
          }
          expect(']');
          return { t: 'array', items };
        }
        if (t.v === '!') return { t: 'not', arg: postfix(primary()) };
        break;
      default:
        break;
    }
    throw new RuleSyntaxError(
      `unexpected ${t.k === 'end' ? 'end of expression' : `token at ${t.at}`}`,
    );
  };

  const postfix = (node: Node): Node => {
    for (;;) {
      if (isOp('.')) {
        p++;
        const name = toks[p++]!;
        if (name.k !== 'id') throw new RuleSyntaxError(`expected a property name at ${name.at}`);
        if (FORBIDDEN_PROPS.has(name.v))
          throw new RuleSyntaxError(`property '${name.v}' is not allowed`);
        if (name.v === 'test' && isOp('(')) {
          p++;
          const arg = expr(0);
          expect(')');
          node = { t: 'test', re: node, arg };
          continue;
        }
        if (isOp('('))
          throw new RuleSyntaxError(`only /regex/.test(x) may be called (at ${name.at})`);
        node = { t: 'member', obj: node, prop: { t: 'lit', v: name.v } };
      } else if (isOp('[')) {
        p++;
        const prop = expr(0);
        expect(']');
        if (prop.t === 'lit' && FORBIDDEN_PROPS.has(String(prop.v)))
          throw new RuleSyntaxError(`property '${String(prop.v)}' is not allowed`);
        node = { t: 'member', obj: node, prop };
      } else if (isOp('(')) {
        throw new RuleSyntaxError(`function calls are not supported (at ${peek().at})`);
      } else return node;
    }
  };

  const expr = (minPower: number): Node => {
    let left = postfix(primary());
    for (;;) {
      const t = peek();
      const op = t.k === 'op' || (t.k === 'id' && t.v === 'in') ? String(t.v) : '';
      const power = BINARY[op];
      if (power === undefined || power <= minPower) return left;
      p++;
      const right = expr(power);
      left =
        op === '&&' || op === '||'
          ? { t: op === '&&' ? 'and' : 'or', l: left, r: right }
          : { t: 'bin', op, l: left, r: right };
    }
  };

  const ast = expr(0);
  if (peek().k !== 'end') throw new RuleSyntaxError(`unexpected token at ${peek().at}`);
  return { source, ast, variables };
}

/**
 * A value whose properties are looked up lazily: the database rules' `doc` when it stands for a
 * query (only the fields the query pins are known).
 */
export interface LazyObject {
  lookup(path: string[]): Value;
}

function isLazy(v: unknown): v is { lazy: LazyObject; path: string[] } {
  return typeof v === 'object' && v !== null && (v as { lazy?: unknown }).lazy !== undefined;
}

export function lazy(obj: LazyObject): unknown {
  return { lazy: obj, path: [] as string[] };
}

function same(a: Value, b: Value): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

function member(obj: Value, prop: Value): Value {
  if (obj === UNKNOWN || prop === UNKNOWN) return UNKNOWN;
  const key = String(prop);
  if (FORBIDDEN_PROPS.has(key)) throw new RuleEvalError(`property '${key}' is not allowed`);
  if (isLazy(obj)) {
    const path = [...obj.path, key];
    const v = obj.lazy.lookup(path);
    return v === LAZY_DEEPER ? { lazy: obj.lazy, path } : v;
  }
  if (obj === null || obj === undefined) {
    throw new RuleEvalError(`cannot read '${key}' of ${obj === null ? 'null' : 'undefined'}`);
  }
  if (typeof obj !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key)
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/** What a LazyObject answers for a path that is the prefix of known deeper fields. */
export const LAZY_DEEPER: unique symbol = Symbol('deeper');

function known(v: Value): Value {
  // An object standing for a partly known query is itself not a known value.
  return isLazy(v) ? UNKNOWN : v;
}

function evaluateNode(n: Node, vars: Record<string, Value>): Value {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'regex':
      return n.re;
    case 'id':
      return vars[n.name];
    case 'array':
      return n.items.map((i) => known(evaluateNode(i, vars)));
    case 'member':
      return member(evaluateNode(n.obj, vars), known(evaluateNode(n.prop, vars)));
    case 'test': {
      const re = evaluateNode(n.re, vars);
      if (!(re instanceof RegExp)) throw new RuleEvalError('.test() needs a regular expression');
      const arg = known(evaluateNode(n.arg, vars));
      if (arg === UNKNOWN) return UNKNOWN;
      return typeof arg === 'string' ? re.test(arg) : false;
    }
    case 'not': {
      const v = known(evaluateNode(n.arg, vars));
      return v === UNKNOWN ? UNKNOWN : !v;
    }
    case 'and':
    case 'or': {
      // Three-valued: one side that settles it (false for &&, true for ||) settles it even when
      // the other is unknown; otherwise unknown unless both sides are known.
      const settles = n.t === 'or';
      const l = truth(evaluateNode(n.l, vars));
      if (l === settles) return settles;
      const r = truth(evaluateNode(n.r, vars));
      if (r === settles) return settles;
      return l === !settles && r === !settles ? !settles : UNKNOWN;
    }
    case 'bin': {
      const l = known(evaluateNode(n.l, vars));
      const r = known(evaluateNode(n.r, vars));
      if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
      switch (n.op) {
        case '==':
        case '===':
          return same(l, r);
        case '!=':
        case '!==':
          return !same(l, r);
        case 'in':
          return Array.isArray(r) ? r.some((x) => same(x, l)) : false;
        default:
          return compare(n.op, l, r);
      }
    }
  }
}

function compare(op: string, l: Value, r: Value): boolean {
  const a = l instanceof Date ? l.getTime() : l;
  const b = r instanceof Date ? r.getTime() : r;
  if (!(
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
  ))
    return false;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

function truth(v: Value): boolean | typeof UNKNOWN {
  const k = known(v);
  return k === UNKNOWN ? UNKNOWN : Boolean(k);
}

/**
 * Evaluates a rule: `true`, `false` or UNKNOWN (the answer depends on data the request does not
 * pin). A run-time error (reading a property of null, e.g. `auth.openid` for an anonymous caller)
 * is `false`, as a rule that cannot be evaluated grants nothing.
 */
export function evaluateRule(
  rule: ParsedRule,
  vars: Record<string, Value>,
): boolean | typeof UNKNOWN {
  try {
    return truth(evaluateNode(rule.ast, vars));
  } catch (e) {
    if (e instanceof RuleEvalError) return false;
    throw e;
  }
}
