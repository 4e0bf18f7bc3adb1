/**
 * Every string a contract accepts has a maximum length (issue 20): a client can never make a
 * function store, search or regex-match an unbounded text. The walk covers every contract file
 * (`miniprogram/domain/<capability>/contract.ts` and `*.contract.ts`): each exported contract,
 * group of contracts and field rule, through objects, arrays, unions, records, pipes, defaults and
 * optionals. A schema kind the walk does not know fails the test, so a new wrapper cannot hide a
 * string from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { api } from '../../miniprogram/domain/api';
import { check, contract, z } from '../../miniprogram/domain/kernel/contract';

interface Node {
  _zod: { def: Record<string, unknown> & { type: string; checks?: Node[]; check?: string } };
}

const LEAVES = new Set([
  'enum',
  'literal',
  'number',
  'int',
  'boolean',
  'transform',
  'null',
  'undefined',
]);
const WRAPPERS = ['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly'];

/** A schema (a check such as an exported refine also has `_zod`, with `def.check`). */
function isSchema(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && '_zod' in v && !('check' in (v as Node)._zod.def);
}

/** Paths of the strings under `schema` with no maximum length, and of kinds the walk does not know. */
export function unbounded(schema: Node, at: string, seen = new Set<Node>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def;
  const sub = (s: unknown, p: string) => unbounded(s as Node, p, seen);
  switch (def.type) {
    case 'string': {
      const max = (def.checks ?? []).some((c) => c._zod.def.check === 'max_length');
      return max ? [] : [at];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, Node>).flatMap(([k, v]) =>
        sub(v, `${at}.${k}`),
      );
    case 'array':
      return sub(def.element, `${at}[]`);
    case 'pipe':
      return [...sub(def.in, at), ...sub(def.out, at)];
    case 'union':
      return (def.options as Node[]).flatMap((o) => sub(o, at));
    case 'record':
      return [...sub(def.keyType, `${at}{key}`), ...sub(def.valueType, `${at}{}`)];
    default:
      if (WRAPPERS.includes(def.type)) return sub(def.innerType, at);
      if (LEAVES.has(def.type)) return [];
      return [`${at} (a ${def.type} schema the walk does not know)`];
  }
}

/** Every schema a contract file exports: contracts, groups of contracts, field rules. */
function schemasOf(exported: Record<string, unknown>, file: string): [string, Node][] {
  const out: [string, Node][] = [];
  for (const [name, v] of Object.entries(exported)) {
    if (isSchema(v)) out.push([`${file} ${name}`, v]);
    else if (v && typeof v === 'object' && 'input' in v && isSchema(v.input))
      out.push([`${file} ${name}`, v.input]);
    else if (v && typeof v === 'object')
      for (const [action, c] of Object.entries(v)) {
        if (c && typeof c === 'object' && 'input' in c && isSchema(c.input))
          out.push([`${file} ${name}.${action}`, c.input]);
      }
  }
  return out;
}

const DOMAIN = path.join(__dirname, '../../miniprogram/domain');
const contractFiles = fs
  .readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' })
  .filter((f) => /(^|[/.])contract\.ts$/.test(f) && !f.startsWith('kernel/'))
  .sort();

test('the contract files are found, and the walk reaches every action of the registry', () => {
  expect(contractFiles.length).toBeGreaterThanOrEqual(15);
  const walked = new Set<Node>();
  for (const f of contractFiles) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const [, s] of schemasOf(require(path.join(DOMAIN, f)) as Record<string, unknown>, f))
      walked.add(s);
  }
  const actions = Object.entries(api).flatMap(([fn, cs]) =>
    Object.entries(cs).map(([a, c]) => [`${fn}.${a}`, (c as { input: Node }).input] as const),
  );
  expect(actions.length).toBeGreaterThan(150);
  expect(actions.filter(([, s]) => !walked.has(s)).map(([n]) => n)).toEqual([]);
});

test.each(contractFiles)('%s: every string has a maximum length', (f) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schemas = schemasOf(require(path.join(DOMAIN, f)) as Record<string, unknown>, f);
  expect(schemas.length).toBeGreaterThan(0);
  expect(schemas.flatMap(([name, s]) => unbounded(s, name))).toEqual([]);
});

describe('the walk itself', () => {
  test('finds an unbounded string wherever it hides, and passes bounded ones', () => {
    const loose = () => z.string();
    const c = contract<void>()(
      z.strictObject({
        a: z.string().check(z.maxLength(5)),
        b: z.optional(loose()),
        c: z.array(z.strictObject({ d: z._default(loose(), '') })),
        e: z.union([z.int(), loose()]),
        f: z.record(z.enum(['x']), z.nullable(loose())),
        g: z.pipe(
          z.string().check(z.maxLength(3)),
          z.transform((s: string) => s + s),
        ),
        h: z.pipe(
          z.pipe(
            loose(),
            z.transform((s: string) => s),
          ),
          z.string().check(z.maxLength(2)),
        ),
        i: z.iso.datetime(),
      }),
    );
    expect(unbounded(c.input as unknown as Node, 'x')).toEqual([
      'x.b',
      'x.c[].d',
      'x.e',
      'x.f{}',
      'x.h',
      'x.i',
    ]);
  });
});

describe('the two inputs the issue found', () => {
  test('staff.auditLog: a 100,000-character operation is refused by the contract', () => {
    const res = check(api.staff.auditLog, {
      communityId: 'c_demo',
      operation: 'a'.repeat(100_000),
    });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.errors[0]).toEqual({ field: 'operation', message: '最多 64 个字' });
  });

  test.each(['address', 'serviceHours', 'frontDesk'])(
    'community.update: a blank %s is refused, a filled one passes',
    (field) => {
      for (const blank of ['', '   ']) {
        const res = check(api.community.update, { communityId: 'c_demo', [field]: blank });
        expect(res.ok).toBe(false);
        expect(!res.ok && res.errors.map((e) => e.field)).toEqual([field]);
      }
      expect(check(api.community.update, { communityId: 'c_demo', [field]: '3 栋' }).ok).toBe(true);
    },
  );
});
