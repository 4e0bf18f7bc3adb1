/**
 * The package budget (tools/size.ts): only what pages reach counts, staff pages ship in the
 * admin subpackage, and the main package stays under the 1 MB target (2 MB is WeChat's limit).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectMiniprogramFiles, packageOf } from '../../tools/miniprogram-files';
import { MAIN_TARGET, PACKAGE_LIMIT, measure } from '../../tools/size';

const MP = path.resolve(__dirname, '..', '..', 'miniprogram');
const hasVant = fs.existsSync(
  path.join(MP, 'miniprogram_npm', '@vant', 'weapp', 'button', 'index.js'),
);

(hasVant ? describe : describe.skip)('package budget', () => {
  const reached = collectMiniprogramFiles(MP);

  test('every component and script the pages use resolves', () => {
    expect(reached.problems).toEqual([]);
  });

  test('only the vant components pages reach are counted, with what they require', () => {
    const vant = [...reached.files].filter((f) => f.startsWith('miniprogram_npm/@vant/weapp/'));
    expect(vant).toContain('miniprogram_npm/@vant/weapp/button/index.js');
    expect(vant).toContain('miniprogram_npm/@vant/weapp/common/component.js'); // required by button
    expect(vant).toContain('miniprogram_npm/@vant/weapp/wxs/utils.wxs'); // <wxs src> in wxml
    expect(vant).toContain('miniprogram_npm/@vant/weapp/common/index.wxss'); // @import
    expect(vant.some((f) => f.includes('/calendar/'))).toBe(false);
    expect([...reached.files].some((f) => f.startsWith('miniprogram_npm/dayjs'))).toBe(false);
  });

  test('zod ships once, as the kit’s tree-shaken zod/mini bundle; contracts ship for the forms', () => {
    const zod = [...reached.files].filter((f) => f.includes('zod'));
    expect(zod.sort()).toEqual(['domain/kernel/zod.ts', 'miniprogram_npm/zod/mini/index.js']);
    const bundle = fs.statSync(path.join(MP, 'miniprogram_npm', 'zod', 'mini', 'index.js')).size;
    expect(bundle).toBeLessThan(60 * 1024);
    expect(reached.files).toContain('domain/payment/contract.ts');
    expect(packageOf('domain/payment/contract.ts', reached.subpackageRoots)).toBe('main');
  });

  test('staff pages ship in the admin subpackage, not in the main package', () => {
    expect(packageOf('admin/index/index.js', reached.subpackageRoots)).toBe('admin');
    const report = measure(MP);
    const main = report.packages.find((p) => p.name === 'main')!;
    const admin = report.packages.find((p) => p.name === 'admin')!;
    expect(main.list.some((f) => f.file.startsWith('admin/'))).toBe(false);
    expect(admin.list.map((f) => f.file)).toContain('admin/index/index.js');
    expect(main.bytes).toBeLessThan(MAIN_TARGET);
    expect(report.over).toEqual([]);
    for (const p of report.packages) expect(p.bytes).toBeLessThan(PACKAGE_LIMIT);
  });
});
