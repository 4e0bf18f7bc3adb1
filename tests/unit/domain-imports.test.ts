/**
 * The domain has no import circle (issue 14): a capability can be read, tested and bundled on its
 * own only if following its imports never leads back to it. This walks every relative import
 * (type-only ones included, since they tie the modules together for a reader just the same) of
 * every file under `miniprogram/domain` and reports each strongly connected group of files.
 */
import fs from 'node:fs';
import path from 'node:path';

const DOMAIN = path.resolve(__dirname, '..', '..', 'miniprogram', 'domain');

function domainFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return domainFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:import|export)[^;]*?from\s+'(\.[^']+)'/g)].map(
      (m) => m[1]!,
    );
    const deps = specs.map((s) => resolveImport(file, s)).filter((d): d is string => d !== null);
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Groups of two or more files that import each other, directly or round about (Tarjan). */
export function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) found.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the circle finder finds a circle and passes a chain', () => {
  const chain = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', []],
  ]);
  expect(circles(chain)).toEqual([]);
  const loop = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  expect(circles(loop).map((g) => [...g].sort())).toEqual([['a', 'b', 'c']]);
});

test('miniprogram/domain has no import circle', () => {
  const files = domainFiles(DOMAIN);
  expect(files.length).toBeGreaterThan(50);
  const graph = importGraph(files);
  const edges = [...graph.values()].reduce((n, d) => n + d.length, 0);
  expect(edges).toBeGreaterThan(100);
  const found = circles(graph).map((g) => g.map((f) => path.relative(DOMAIN, f)).sort());
  expect(found).toEqual([]);
});
