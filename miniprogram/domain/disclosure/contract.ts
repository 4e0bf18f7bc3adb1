/**
 * Contracts of 收支公示 (the `disclosure` function) and of the fee-standard adjustment workflow
 * (调价公示, actions of the `fee` function). Kept apart from api.ts to limit merge conflicts; this
 * file imports only types from api.ts, so there is no import cycle at run time.
 */
import { z } from 'zod';
import {
  EXPENSE_CATEGORIES,
  INCOME_KINDS,
  isDisclosurePeriod,
  type DisclosureSnapshot,
  type DisclosureTotals,
  type ExpenseCategory,
  type IncomeKind,
} from './rules';
import type { PrintDoc } from '../print/document';
import type { PrintedFile } from '../print/file';
import { contract } from '../kernel/contract';

const communityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, '小区编号格式不正确');
const docId = z.string().min(1).max(128);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    '不是有效日期',
  );
const period = z
  .string()
  .refine(isDisclosurePeriod, '公示期间应为 2026Q3（季度）或 2026H2（半年）');
/** A client-generated key: the same request sent twice records once. */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 应为 8–64 位字母数字');
const fileId = z
  .string()
  .min(1)
  .max(512)
  .regex(/^cloud:\/\//, '请上传凭证图片（cloud:// 文件）');
/** Up to ¥1 亿 per entry. */
const amountFen = z.number().int().positive('金额应大于 0').max(100_000_000_00);

// ---------------------------------------------------------------- views

export type EntryType = 'expense' | 'income';

export interface DisclosureEntryView {
  entryId: string;
  communityId: string;
  type: EntryType;
  category: ExpenseCategory | IncomeKind;
  categoryLabel: string;
  date: string;
  amountFen: number;
  description: string;
  /** Income only: how it was used. */
  use: string;
  vouchers: string[];
  status: 'active' | 'void';
  voidReason: string | null;
  createdByName: string;
  createdAt: string;
}

export type DisclosureStatus = 'draft' | 'reviewed' | 'published' | 'discarded';

export interface DisclosureSummary {
  disclosureId: string;
  communityId: string;
  period: string;
  periodLabel: string;
  version: number;
  status: DisclosureStatus;
  /** Published and replaced by a later correction (still visible, marked 已更正). */
  superseded: boolean;
  supersededBy: string | null;
  totals: DisclosureTotals;
  publishedAt: string | null;
  correctionReason: string | null;
}

export interface DisclosureView extends DisclosureSummary {
  snapshot: DisclosureSnapshot;
  /** Staff only (empty for owners): who prepared, reviewed and published. */
  preparedByName: string;
  preparedAt: string | null;
  reviewedByName: string;
  reviewedAt: string | null;
  reviewComment: string;
  publishedByName: string;
  /** Staff only: records changed since the draft was prepared (prepare again). */
  stale: boolean;
}

export interface OwnerDisclosures {
  communityId: string;
  communityName: string;
  /** Newest period first; within a period the newest version first. */
  disclosures: DisclosureSummary[];
}

// ---------------------------------------------------------------- disclosure function

const projects = z
  .array(
    z
      .object({
        title: z.string().trim().min(1, '请填写项目名称').max(40),
        detail: z.string().trim().max(200).default(''),
      })
      .strict(),
  )
  .max(20);

export const disclosureContracts = {
  /**
   * Finance, admin: record an expense (with at least one voucher image) or a common-area income
   * (with how it was used). Idempotent by `requestId`. Audited.
   */
  addEntry: contract<DisclosureEntryView>()(
    z
      .object({
        communityId,
        requestId,
        type: z.enum(['expense', 'income']),
        category: z.string().min(1).max(20),
        date: isoDate,
        amountFen,
        description: z.string().trim().min(2, '请填写摘要（如：10 月保洁外包服务费）').max(100),
        use: z.string().trim().max(200).optional(),
        vouchers: z.array(fileId).max(9).default([]),
      })
      .strict()
      .superRefine((v, ctx) => {
        const cats: readonly string[] = v.type === 'expense' ? EXPENSE_CATEGORIES : INCOME_KINDS;
        if (!cats.includes(v.category)) {
          ctx.addIssue({
            code: 'custom',
            path: ['category'],
            message: `类别应为 ${cats.join('、')} 之一`,
          });
        }
        if (v.type === 'expense' && v.vouchers.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['vouchers'], message: '支出请上传至少一张凭证' });
        }
        if (v.type === 'income' && !v.use) {
          ctx.addIssue({ code: 'custom', path: ['use'], message: '请填写公共收益的使用情况' });
        }
      }),
  ),
  /** Finance, admin: void a wrong entry with the reason (never deleted). Audited. */
  voidEntry: contract<DisclosureEntryView>()(
    z
      .object({
        communityId,
        entryId: docId,
        reason: z.string().trim().min(2, '请填写作废原因').max(100),
      })
      .strict(),
  ),
  /** Finance, admin: entries of a period (or all), newest first. */
  entries: contract<{ entries: DisclosureEntryView[] }>()(
    z
      .object({
        communityId,
        period: period.optional(),
        type: z.enum(['expense', 'income']).optional(),
        includeVoid: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Finance, admin: prepare (or refresh) the draft of a period: fee income from the ledger,
   * expenses and income from the entries, with the service projects and a note. A period already
   * published needs `correctionReason` (the draft becomes the next version). Audited.
   */
  prepare: contract<DisclosureView>()(
    z
      .object({
        communityId,
        period,
        projects: projects.default([]),
        note: z.string().trim().max(300).default(''),
        correctionReason: z.string().trim().min(4, '请写明更正原因').max(200).optional(),
      })
      .strict(),
  ),
  /** Finance, admin other than the preparer: approve the draft, or return it with a comment. */
  review: contract<DisclosureView>()(
    z
      .object({
        communityId,
        disclosureId: docId,
        decision: z.enum(['approve', 'return']),
        comment: z.string().trim().max(200).default(''),
      })
      .strict()
      .refine((v) => v.decision === 'approve' || v.comment.length >= 2, {
        path: ['comment'],
        message: '退回时请写明原因',
      }),
  ),
  /** Finance, admin: publish a reviewed draft; it becomes an immutable snapshot. Audited. */
  publish: contract<DisclosureView>()(z.object({ communityId, disclosureId: docId }).strict()),
  /** Finance, admin: discard a draft that will not be published. Audited. */
  discard: contract<DisclosureView>()(
    z
      .object({
        communityId,
        disclosureId: docId,
        reason: z.string().trim().min(2, '请填写原因').max(100),
      })
      .strict(),
  ),
  /** Any staff role: every disclosure of the community (drafts too), newest period first. */
  list: contract<{ disclosures: DisclosureSummary[] }>()(z.object({ communityId }).strict()),
  /**
   * Bound owners: the published disclosures of a community they are bound in (default: the
   * community of their first room). Superseded versions are listed and marked.
   */
  published: contract<OwnerDisclosures>()(
    z.object({ communityId: communityId.optional() }).strict(),
  ),
  /** Bound owners (published only) and staff of the community (any state): one disclosure. */
  view: contract<DisclosureView>()(z.object({ disclosureId: docId }).strict()),
  /** Same access as `view`, published only: the poster as a PrintDoc (rendered to PDF elsewhere). */
  poster: contract<PrintDoc>()(z.object({ disclosureId: docId }).strict()),
  /** The poster rendered to an A4 PDF in cloud storage, for the bulletin board. */
  posterPdf: contract<PrintedFile>()(z.object({ disclosureId: docId }).strict()),
};
