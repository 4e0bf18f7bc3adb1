// Jest 30, one project per test kind. TypeScript is transpiled by @swc/jest (no type-checking
// here: `npm run typecheck` covers tests/ too). Run one project: `npx jest --selectProjects unit`.
// To add a project, append to `projects` with `project(name, environment, extra)`.

// Every test sees Beijing time, like the WeChat cloud. Set here (the jest parent process, before
// any worker starts) so workers inherit it; tests/setup/env.ts checks it took effect.
process.env.TZ = 'Asia/Shanghai';

/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

/**
 * @param {string} name folder under tests/ and the project's display name
 * @param {'node' | 'jsdom'} testEnvironment
 * @param {import('jest').Config} [extra]
 * @returns {import('jest').Config}
 */
function project(name, testEnvironment, extra = {}) {
  return {
    displayName: name,
    rootDir: __dirname,
    roots: ['<rootDir>/tests'],
    testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
    testEnvironment,
    transform,
    setupFiles: ['<rootDir>/tests/setup/env.ts'],
    // built artefacts never hold tests, and haste must not see duplicate package.json names
    modulePathIgnorePatterns: [
      '<rootDir>/cloudfunctions/[^/]+/node_modules/',
      '<rootDir>/tools/dist/',
      '<rootDir>/.cloud-data',
    ],
    ...extra,
  };
}

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout from the top level only (a per-project value is ignored). Function,
  // conformance and browser tests start processes; on 2 busy cores they need more than 5 s.
  testTimeout: 60_000,
  // Builds cloudfunctions/*/index.js and miniprogram/miniprogram_npm when stale (SKIP_BUILD=1 skips).
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  projects: [
    project('unit', 'node'),
    project('conformance', 'node'),
    project('functions', 'node'),
    project('ui', 'jsdom'),
    project('e2e', 'node'),
  ],
};
