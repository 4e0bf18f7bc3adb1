/**
 * The one door to zod: `zod/mini` (tree-shakable functions, no locales), re-exporting exactly what
 * the contracts use. Nothing else imports zod (eslint enforces it), so this list is also what the
 * mini-program ships: tools/build.ts bundles this file into miniprogram_npm/zod/mini/index.js, and
 * the cloud functions' bundles keep only these functions and what they need.
 *
 * Add a function here when a contract needs it; the bundle follows on the next build.
 */
export {
  // schemas
  array,
  boolean,
  discriminatedUnion,
  email,
  enum,
  int,
  iso,
  literal,
  nullable,
  number,
  optional,
  partialRecord,
  pipe,
  record,
  strictObject,
  string,
  transform,
  union,
  _default,
  // checks
  maxLength,
  maximum,
  minLength,
  minimum,
  positive,
  refine,
  regex,
  superRefine,
  trim,
  // settings
  config,
} from 'zod/mini';

export type { ZodMiniType, ZodMiniObject, input, output, infer, core } from 'zod/mini';
