/**
 * The README tells the truth about what the commands print: every dev endpoint the local cloud
 * answers (and every pay-sandbox fault switch) is documented, and the package and function bundle
 * sizes it quotes are within 10% of what `npm run size` measures today (update them from
 * `npm run size` when not).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { functionNames } from '../../tools/function-size';
import { measure } from '../../tools/size';

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** The local cloud's router and the endpoint modules it wires (tools/cloud/server.ts). */
const SERVER = ['server.ts', 'dev.ts', 'gateway.ts']
  .map((f) => fs.readFileSync(path.join(ROOT, 'tools', 'cloud', f), 'utf8'))
  .join('\n');
const MP = path.join(ROOT, 'miniprogram');
const hasVant = fs.existsSync(
  path.join(MP, 'miniprogram_npm', '@vant', 'weapp', 'button', 'index.js'),
);

test('every /dev and /gateway route of the local cloud is in the README', () => {
  const exact = [...SERVER.matchAll(/(?:p|url\.pathname) === '(\/(?:dev|gateway)\/[^']*)'/g)].map(
    (m) => m[1]!,
  );
  // routes with a parameter, e.g. /^\/dev\/call\/([A-Za-z0-9_-]+)$/ → /dev/call/
  const prefixed = [...SERVER.matchAll(/\/\^((?:\\\/[a-z]+)+)\\\/\(/g)].map(
    (m) => `${m[1]!.replace(/\\\//g, '/')}/`,
  );
  const routes = [...new Set([...exact, ...prefixed])].filter(
    (r) => r.startsWith('/dev/') || r.startsWith('/gateway/'),
  );
  expect(routes).toEqual(
    expect.arrayContaining(['/dev/clock', '/dev/pay/faults', '/dev/call/', '/dev/pay/']),
  );
  const undocumented = routes.filter(
    (r) => !README.includes(`\`${r}`) && !README.includes(` ${r}`),
  );
  expect(undocumented).toEqual([]);
});

test('every pay-sandbox fault switch is in the README', () => {
  const known = /const known = new Set\(\[([^\]]+)\]\)/.exec(SERVER)![1]!;
  const switches = [...known.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
  expect(switches.length).toBeGreaterThanOrEqual(5);
  expect(switches.filter((s) => !README.includes(`"${s}"`))).toEqual([]);
});

(hasVant ? test : test.skip)(
  'the README’s package sizes are what `npm run size` measures (±10%)',
  () => {
    const report = measure(MP);
    const kb = (name: string) => report.packages.find((p) => p.name === name)!.bytes / 1024;
    const quoted = (label: string) => {
      const m = new RegExp(`${label} (\\d+(?:\\.\\d+)?) KB`).exec(README);
      if (!m) throw new Error(`README quotes no "${label} … KB"`);
      return Number(m[1]);
    };
    const admin = report.packages.find((p) => p.name !== 'main')!;
    for (const [label, actual] of [
      ['main', kb('main')],
      ['admin subpackage', admin.bytes / 1024],
    ] as const) {
      const readme = quoted(label);
      expect({ label, off: Math.abs(readme - actual) / actual <= 0.1 }).toEqual({
        label,
        off: true,
      });
    }
  },
);

test('the README’s function bundle sizes are what `npm run size` measures (±10%)', () => {
  const fns = path.join(ROOT, 'cloudfunctions');
  const built = functionNames(fns).filter((n) => fs.existsSync(path.join(fns, n, 'index.js')));
  const row = README.split('\n').find((l) => l.startsWith('| cloud function bundles'));
  expect(row).toBeDefined();
  const quoted = [...row!.matchAll(/(\w+) (\d+(?:\.\d+)?) KB/g)].map((m) => ({
    name: m[1]!,
    kb: Number(m[2]),
  }));
  expect(quoted.map((q) => q.name)).toEqual(
    expect.arrayContaining(['owner', 'account', 'payment', 'print']),
  );
  for (const q of quoted) {
    expect(built).toContain(q.name);
    const actual = fs.statSync(path.join(fns, q.name, 'index.js')).size / 1024;
    expect({ name: q.name, off: Math.abs(q.kb - actual) / actual <= 0.1 }).toEqual({
      name: q.name,
      off: true,
    });
  }
  // the cold-start table under "Cold starts" lists every function
  const table = README.slice(README.indexOf('### Cold starts'));
  for (const n of built) expect(table).toMatch(new RegExp(`\\n${n} +\\d`));
});
