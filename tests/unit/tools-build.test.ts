import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ensureFunctionManifests,
  FUNCTION_CONFIG_DEFAULT,
  isStale,
  listFunctions,
} from '../../tools/build';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(rel: string, content = '', mtimeSec?: number): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  if (mtimeSec !== undefined) fs.utimesSync(p, mtimeSec, mtimeSec);
  return p;
}

describe('isStale', () => {
  it('is stale when an output is missing', () => {
    const input = file('src/a.ts', '', 1000);
    expect(isStale([path.join(dir, 'out.js')], [input])).toBe(true);
    expect(isStale([], [input])).toBe(true);
  });

  it('is fresh when every input is older than the oldest output', () => {
    const a = file('src/a.ts', '', 1000);
    const b = file('src/b.ts', '', 1500);
    const out1 = file('out1.js', '', 2000);
    const out2 = file('out2.js', '', 3000);
    expect(isStale([out1, out2], [a, b])).toBe(false);
  });

  it('is stale when any input is newer than the oldest output', () => {
    const a = file('src/a.ts', '', 2500);
    const out1 = file('out1.js', '', 2000);
    const out2 = file('out2.js', '', 3000);
    expect(isStale([out1, out2], [a])).toBe(true);
  });

  it('is stale when a recorded input disappeared', () => {
    const out = file('out.js', '', 2000);
    expect(isStale([out], [path.join(dir, 'src/gone.ts')])).toBe(true);
  });
});

describe('listFunctions', () => {
  it('lists folders holding src/index.ts, skipping _shared and the like', () => {
    file('cloudfunctions/bill/src/index.ts');
    file('cloudfunctions/account/src/index.ts');
    file('cloudfunctions/_shared/router.ts');
    file('cloudfunctions/empty/README.md');
    file('cloudfunctions/tsconfig.json', '{}');
    expect(listFunctions(dir)).toEqual(['account', 'bill']);
  });

  it('returns nothing without a cloudfunctions folder', () => {
    expect(listFunctions(dir)).toEqual([]);
  });
});

describe('ensureFunctionManifests', () => {
  it('creates package.json (wx-server-sdk only) and a default config.json', () => {
    file('cloudfunctions/bill/src/index.ts');
    const notes = ensureFunctionManifests(dir, 'bill', '^4.0.2');
    const pkg = JSON.parse(
      fs.readFileSync(path.join(dir, 'cloudfunctions/bill/package.json'), 'utf8'),
    );
    const config = JSON.parse(
      fs.readFileSync(path.join(dir, 'cloudfunctions/bill/config.json'), 'utf8'),
    );
    expect(pkg.dependencies).toEqual({ 'wx-server-sdk': '^4.0.2' });
    expect(pkg.main).toBe('index.js');
    expect(config).toEqual(FUNCTION_CONFIG_DEFAULT);
    expect(notes).toEqual(['package.json created', 'config.json created']);
    expect(ensureFunctionManifests(dir, 'bill', '^4.0.2')).toEqual([]);
  });

  it('keeps config.json and other package.json fields, fixing the dependencies', () => {
    file(
      'cloudfunctions/pay/package.json',
      JSON.stringify({ name: 'pay', dependencies: { 'wx-server-sdk': '~2.0.0', dayjs: '1' } }),
    );
    const config = { permissions: { openapi: ['subscribeMessage.send'] } };
    file('cloudfunctions/pay/config.json', JSON.stringify(config));
    const notes = ensureFunctionManifests(dir, 'pay', '^4.0.2');
    const pkg = JSON.parse(
      fs.readFileSync(path.join(dir, 'cloudfunctions/pay/package.json'), 'utf8'),
    );
    expect(pkg).toEqual({ name: 'pay', dependencies: { 'wx-server-sdk': '^4.0.2' } });
    expect(notes).toEqual([
      'package.json: removed dayjs (bundled instead)',
      'package.json updated',
    ]);
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'cloudfunctions/pay/config.json'), 'utf8')),
    ).toEqual(config);
  });

  it('rejects an invalid config.json', () => {
    file('cloudfunctions/bad/config.json', '{ permissions: ');
    expect(() => ensureFunctionManifests(dir, 'bad', '^4.0.2')).toThrow(
      /config\.json: invalid JSON/,
    );
  });
});

describe('the zod/mini bundle for the mini-program', () => {
  const bundle = path.resolve(
    __dirname,
    '..',
    '..',
    'miniprogram',
    'miniprogram_npm',
    'zod',
    'mini',
  );
  const built = fs.existsSync(path.join(bundle, 'index.js'));

  (built ? it : it.skip)('exports exactly what the kit re-exports, and they work', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const z = require(
      path.join(bundle, 'index.js'),
    ) as typeof import('../../miniprogram/domain/kernel/zod');
    const kit = jest.requireActual<Record<string, unknown>>('../../miniprogram/domain/kernel/zod');
    expect(Object.keys(z).sort()).toEqual(Object.keys(kit).sort());
    const schema = z.strictObject({ name: z.string().check(z.trim(), z.minLength(2, '太短')) });
    expect(schema.safeParse({ name: ' 张三 ' })).toMatchObject({
      success: true,
      data: { name: '张三' },
    });
    expect(schema.safeParse({ name: '张' }).error?.issues[0]?.message).toBe('太短');
  });
});
