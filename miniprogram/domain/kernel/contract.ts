/**
 * The contract kit: what every capability's contract is made of, written once.
 *
 * A contract is an input schema (zod/mini, through ./zod) plus a phantom output type the typed
 * client reads, and a mark for reads that are safe to repeat. The same contract checks the input
 * twice: in the page's form, before anything is sent (`check`, every problem at once, each with
 * its field), and in the cloud function's router (the same `check`, its problems becoming the
 * INVALID_INPUT reply). So a rule and its Chinese message are written once, here or in the
 * capability's contract, never again in a form.
 */
import * as z from './zod';
import { isDate, isPeriod } from './time';
import type { Schema } from './check';

export { z };
export * from './check';

// Objects are checked by walking them, never by generated code: WeChat's JavaScript engine
// refuses `new Function`, and one path everywhere keeps the client and the function alike.
z.config({ jitless: true });

export interface ContractOptions {
  /**
   * A read, safe to repeat: the client sends it again once after a network failure. Leave it
   * off for anything that writes (a repeated write could be applied twice) and for reads that
   * must not be doubled.
   */
  idempotent?: boolean;
}

/** A contract: the input schema, its idempotent mark and a phantom output type. */
export interface Contract<I extends Schema, O> {
  input: I;
  /** True for reads the client may repeat after a network failure. */
  idempotent: boolean;
  /** Never read at run time; carries the output type. */
  output?: O;
}

export function contract<O>() {
  return <I extends Schema>(input: I, options: ContractOptions = {}): Contract<I, O> => ({
    input,
    idempotent: options.idempotent === true,
  });
}

/**
 * For a rule across fields (`.check(z.superRefine(fn, acrossFields))`): asked even when another
 * field is already wrong, so a form shows every problem at once. The rule must cope with fields
 * that failed their own rules (missing, or of another type).
 */
export const acrossFields = {
  when: (payload: { value: unknown }): boolean =>
    typeof payload.value === 'object' && payload.value !== null,
};

// ---------------------------------------------------------------- shared field rules
// One definition each; capabilities build their own rules from these.

/** A trimmed text of at most `max` characters, at least `min` (default 1). */
export function text(max: number, min = 1, message?: string) {
  return z
    .string()
    .check(
      z.trim(),
      z.minLength(min, message ?? (min <= 1 ? '请填写内容' : `至少 ${min} 个字`)),
      z.maxLength(max),
    );
}

/** A trimmed text that may be empty. */
export function freeText(max: number) {
  return z.string().check(z.trim(), z.maxLength(max));
}

/** Why something is undone, refused or voided (audited): 2 to `max` characters. */
export function reasonText(max = 200, message = '请填写原因（至少 2 个字）') {
  return text(max, 2, message);
}

/** A record id (room, bill, payment …). */
export const id = z.string().check(z.minLength(1), z.maxLength(64));
/** A database document id (may be longer: derived ids). */
export const docId = z.string().check(z.minLength(1), z.maxLength(128));
export const communityId = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9_-]{1,64}$/, '小区编号只能包含字母、数字、_ 和 -（最多 64 位）'),
    z.maxLength(64),
  );
/** Money in fen: more than 0, up to ¥1 亿. */
export const fen = z.int().check(z.positive('金额应大于 0'), z.maximum(100_000_000_00));
/** A real calendar date. */
export const date = z
  .string()
  .check(z.refine(isDate, '日期应为 YYYY-MM-DD 格式的有效日期'), z.maxLength(10));
/** A billing period. */
export const period = z
  .string()
  .check(z.refine(isPeriod, '账期应为 YYYY-MM（如 2026-12）'), z.maxLength(7));
/** A time of day. */
export const hhmm = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm'), z.maxLength(5));
/** A key the client makes once per form: the same request sent twice is recorded once. */
export const requestId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 应为 8–64 位字母数字'), z.maxLength(64));
/** A file in cloud storage. */
export const fileId = z
  .string()
  .check(z.maxLength(512), z.regex(/^cloud:\/\/\S+$/, '应为云存储文件（cloud://…）'));
export const mobile = z
  .string()
  .check(z.regex(/^1[3-9]\d{9}$/, '应为 11 位中国大陆手机号'), z.maxLength(11));
export const personName = text(50, 1, '不能为空');
export const pageLimit = z._default(z.int().check(z.minimum(1), z.maximum(100)), 20);
export const pageCursor = z.optional(z.string().check(z.maxLength(200)));
export const openidField = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 格式不正确'), z.maxLength(64));
export const buildingCode = z
  .string()
  .check(
    z.trim(),
    z.regex(/^[A-Za-z0-9]{1,20}$/, '楼栋编号只能是字母或数字（如 1、A）'),
    z.maxLength(20),
  );
export const unitCode = z
  .string()
  .check(
    z.trim(),
    z.regex(/^[A-Za-z0-9]{1,20}$/, '单元编号只能是字母或数字（如 1）'),
    z.maxLength(20),
  );
export const roomNumber = z
  .string()
  .check(z.trim(), z.regex(/^[0-9A-Za-z_-]{1,20}$/, '房号只能含数字、字母和 -'), z.maxLength(20));
export const areaCentiM2 = z.int().check(z.positive(), z.maximum(10_000_000));
export const idNumber = z
  .string()
  .check(z.trim(), z.regex(/^\d{17}[\dXx]$/, '身份证号应为 18 位'), z.maxLength(18));

/** An invite code as typed: spaces and dashes dropped, letters upper-cased. */
export const inviteCode = z.pipe(
  z.pipe(
    z.string().check(z.trim(), z.maxLength(32, '邀请码为 8 位字母或数字')),
    z.transform((s: string) => s.toUpperCase().replace(/[\s-]/g, '')),
  ),
  z.string().check(z.regex(/^[A-Z0-9]{8}$/, '邀请码为 8 位字母或数字'), z.maxLength(8)),
);

/** A page of a list; pass `nextCursor` back as `cursor` for the next page (null: no more). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Matching items over all pages. */
  total: number;
}
