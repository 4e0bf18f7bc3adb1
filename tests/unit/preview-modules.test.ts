/**
 * The preview's CommonJS loader: relative paths, directories with index.js, npm packages whose
 * names end in ".js" (big.js is `miniprogram_npm/big.js/index.js`) and packages' sub-paths
 * (zod/mini is `miniprogram_npm/zod/mini/index.js`), each run once.
 */
import { requireModule } from '../../tools/preview/client/modules';

const g = globalThis as unknown as { window: { __FILE_MAP__: Record<string, string> } };

beforeAll(() => {
  g.window = {
    __FILE_MAP__: {
      'miniprogram_npm/big.js/index.js':
        'module.exports = { name: "big", runs: (globalThis.__bigRuns = (globalThis.__bigRuns || 0) + 1) };',
      'miniprogram_npm/dayjs/index.js': 'module.exports = "dayjs";',
      'miniprogram_npm/zod/mini/index.js': 'exports.string = "zod/mini string";',
      'domain/kernel/zod.js': 'module.exports = require("zod/mini");',
      'domain/money.js': 'const Big = require("big.js"); module.exports = { big: Big.name };',
      'domain/fee/index.js': 'module.exports = { money: require("../money").big };',
      'pages/home/index.js':
        'module.exports = [require("../../domain/fee").money, require("dayjs")];',
    },
  };
});

test('a package named like a file (big.js) resolves to its index.js', () => {
  expect(requireModule('big.js')).toMatchObject({ name: 'big' });
});

test('relative requires, folders with index.js and packages chain, each module once', () => {
  expect(requireModule('/pages/home/index')).toEqual(['big', 'dayjs']);
  requireModule('/domain/money.js');
  expect((globalThis as unknown as { __bigRuns: number }).__bigRuns).toBe(1);
});

test('a package’s sub-path (zod/mini) resolves to its folder’s index.js, as WeChat does', () => {
  expect(requireModule('/domain/kernel/zod')).toEqual({ string: 'zod/mini string' });
});

test('a missing module names what was asked and from where', () => {
  expect(() => requireModule('./nope', 'pages/home/index')).toThrow(
    'module not found: ./nope (from pages/home/index)',
  );
});
