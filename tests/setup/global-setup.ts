/**
 * jest globalSetup: make sure cloudfunctions/<name>/index.js bundles and miniprogram/miniprogram_npm
 * exist and are fresh before any test runs. The build runs in a child process (tsx) so that
 * esbuild and miniprogram-ci leave nothing behind in jest's own process; then it names the Chromium
 * the browser tests will use (tools/chromium.ts). SKIP_BUILD=1 skips both.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export default function globalSetup(): void {
  process.env.TZ = 'Asia/Shanghai';
  if (process.env.SKIP_BUILD === '1') return;
  const root = path.resolve(__dirname, '..', '..');
  // createRequire: the tests tsconfig also sees the mini-program's global `require` typing.
  const tsx = createRequire(__filename).resolve('tsx/cli', { paths: [root] });
  const result = spawnSync(process.execPath, [tsx, path.join(root, 'tools', 'build.ts')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(
      `jest globalSetup: \`npm run build\` failed (exit ${result.status ?? result.signal ?? result.error}); see the output above`,
    );
  }
  // Unpack the npm-shipped Chromium once, before the e2e workers start, and say in one line which
  // Chromium the browser tests use, or what to install when there is none (tools/chromium.ts).
  spawnSync(process.execPath, [tsx, path.join(root, 'tools', 'chromium.ts'), '--postinstall'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
