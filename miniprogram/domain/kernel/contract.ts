/**
 * The contract kit: what every capability's contract is made of, written once.
 * A contract is an input schema (validated by the function's router, and by forms) plus a
 * phantom output type the typed client reads.
 */
import { z } from 'zod';

/** A contract: the input schema plus a phantom output type. */
export interface Contract<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
}

export function contract<O>() {
  return <I extends z.ZodType>(input: I): Contract<I, O> => ({ input });
}

// ---------------------------------------------------------------- shared field rules

export const id = z.string().min(1).max(64);
export const fen = z.number().int().positive().max(100_000_000_00);
export const communityId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '小区编号只能包含字母、数字、_ 和 -（最多 64 位）');
export const docId = z.string().min(1).max(128);
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const mobile = z.string().regex(/^1[3-9]\d{9}$/, '应为 11 位中国大陆手机号');
export const personName = z.string().trim().min(1, '不能为空').max(50);
export const pageLimit = z.number().int().min(1).max(100).default(20);
export const pageCursor = z.string().max(200).optional();
export const openidField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 格式不正确');
export const buildingCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, '楼栋编号只能是字母或数字（如 1、A）');
export const unitCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,20}$/, '单元编号只能是字母或数字（如 1）');
export const roomNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,20}$/, '房号只能含数字、字母和 -');
export const areaCentiM2 = z.number().int().positive().max(10_000_000);

export const inviteCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{8}$/, '邀请码为 8 位字母或数字'));

/** A page of a list; pass `nextCursor` back as `cursor` for the next page (null: no more). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Matching items over all pages. */
  total: number;
}
