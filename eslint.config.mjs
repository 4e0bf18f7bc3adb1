// ESLint 9 flat config: typescript-eslint "recommended" (syntax-only, no type information, so it
// stays fast; `npm run typecheck` does the type checking). Formatting is Prettier's job: no
// stylistic rules are enabled here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  process: 'readonly',
  console: 'readonly',
  __dirname: 'readonly',
  __filename: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  URL: 'readonly',
};

/** Imports that would drag server code or zod into the mini-program package. */
const miniprogramImportRules = {
  paths: [
    { name: 'wx-server-sdk', message: 'wx-server-sdk is server-only (cloudfunctions/).' },
    {
      name: 'zod',
      allowTypeImports: true,
      message: 'zod is not shipped in the mini-program: use `import type`.',
    },
  ],
  patterns: [
    {
      regex: '(^|/)domain/(api|[\\w-]+/([\\w-]+\\.)?contract)$',
      allowTypeImports: true,
      message:
        'contracts (domain/api.ts, domain/<capability>/*contract.ts) import zod at run time: the mini-program may only `import type` from them.',
    },
  ],
};

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      'miniprogram/miniprogram_npm/',
      'cloudfunctions/*/index.js',
      'tools/dist/',
      '.cloud-data/',
      '.cloud-data*/',
      'screenshots/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Mini-program code: wx APIs only, and nothing server-side.
    files: ['miniprogram/**/*.ts'],
    ignores: ['miniprogram/domain/api.ts', 'miniprogram/domain/**/*contract.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', miniprogramImportRules],
    },
  },
  {
    // Shared domain code runs in the mini-program AND in cloud functions: pure, no clock reads.
    files: ['miniprogram/domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'wx', message: 'domain/ is pure: no wx APIs (pass data in).' },
        { name: 'getApp', message: 'domain/ is pure: no app state.' },
        { name: 'process', message: 'domain/ is pure: no process/env access.' },
        { name: 'Buffer', message: 'domain/ also runs in the mini-program: no Buffer.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'domain/ reads no clock: take `now` as a parameter.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'domain/ is deterministic: no Math.random.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain/ reads no clock: take `now` as a parameter.',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: 'domain/ reads no clock: take `now` as a parameter.',
        },
        {
          selector: "CallExpression[callee.name='dayjs'][arguments.length=0]",
          message: 'domain/ reads no clock: dayjs(now), not dayjs().',
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // test doubles and fixtures often need loose shapes
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
