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

/** zod has one door: miniprogram/domain/kernel/zod.ts re-exports what the contracts use. */
const ZOD_MESSAGE =
  'zod comes through the contract kit: `import { z } from …/domain/kernel/contract` (only domain/kernel/zod.ts imports zod/mini).';
const zodPatterns = [{ group: ['zod/*'], message: ZOD_MESSAGE }];

/**
 * The mini-program: contracts and the kit run here (forms check their input with them), but
 * nothing server-side, and zod only through the kit (its tree-shaken zod/mini bundle ships).
 */
const miniprogramImportRules = {
  paths: [
    { name: 'wx-server-sdk', message: 'wx-server-sdk is server-only (cloudfunctions/).' },
    { name: 'zod', message: ZOD_MESSAGE },
  ],
  patterns: zodPatterns,
};

/** Functions, tools and tests: zod's types may be named, its code comes through the kit. */
const serverImportRules = {
  paths: [{ name: 'zod', allowTypeImports: true, message: ZOD_MESSAGE }],
  patterns: zodPatterns,
};

const PRINT_MESSAGE =
  'PDFs are rendered by the print function only: hand it a PrintDoc with printToCloud (_shared/print-file.ts).';
const EXCEL_MESSAGE =
  'exceljs loads on first use: newWorkbook() from _shared/excel.ts (import type for its types).';

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
    ignores: ['miniprogram/domain/kernel/zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', miniprogramImportRules],
    },
  },
  {
    files: ['cloudfunctions/**/*.ts', 'tools/**/*.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', serverImportRules],
    },
  },
  {
    // Cold starts: the PDF renderer lives in the print function only, and exceljs is loaded on
    // first use through _shared/excel.ts (its types may be named anywhere).
    files: ['cloudfunctions/**/*.ts'],
    ignores: ['cloudfunctions/print/**', 'cloudfunctions/_shared/excel.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...serverImportRules.paths,
            { name: 'pdf-lib', message: PRINT_MESSAGE },
            { name: '@pdf-lib/fontkit', message: PRINT_MESSAGE },
            { name: 'exceljs', allowTypeImports: true, message: EXCEL_MESSAGE },
          ],
          patterns: zodPatterns,
        },
      ],
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
