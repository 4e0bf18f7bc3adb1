/**
 * Contracts of 收支公示 (the `disclosure` function) and of the fee-standard adjustment workflow
 * (调价公示, actions of the `fee` function). Kept apart from api.ts to limit merge conflicts; this
 * file imports only types from api.ts, so there is no import cycle at run time.
 */
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
import {
  acrossFields,
  communityId,
  contract,
  date,
  docId,
  fen,
  fileId,
  freeText,
  reasonText,
  requestId,
  text,
  z,
} from '../kernel/contract';

/** A disclosure period: a quarter or a half-year. */
const period = z
  .string()
  .check(
    z.refine(isDisclosurePeriod, '公示期间应为 2026Q3（季度）或 2026H2（半年）'),
    z.maxLength(6),
  );

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
  /** Temporary links to the voucher pictures (2 hours): another member's uploads. */
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
    z.strictObject({
      title: text(40, 1, '请填写项目名称'),
      detail: z._default(freeText(200), ''),
    }),
  )
  .check(z.maxLength(20));

export const disclosureContracts = {
  /**
   * Finance, admin: record an expense (with at least one voucher image) or a common-area income
   * (with how it was used). Idempotent by `requestId`. Audited.
   */
  addEntry: contract<DisclosureEntryView>()(
    z
      .strictObject({
        communityId,
        requestId,
        type: z.enum(['expense', 'income']),
        category: z.string().check(z.minLength(1, '请选择类别'), z.maxLength(20)),
        date,
        amountFen: fen,
        description: text(100, 2, '请填写摘要（如：10 月保洁外包服务费）'),
        use: z.optional(freeText(200)),
        vouchers: z._default(z.array(fileId).check(z.maxLength(9)), []),
      })
      .check(
        z.superRefine((v, ctx) => {
          const cats: readonly string[] = v.type === 'expense' ? EXPENSE_CATEGORIES : INCOME_KINDS;
          if (v.category && !cats.includes(v.category)) {
            ctx.addIssue({
              code: 'custom',
              path: ['category'],
              message: `类别应为 ${cats.join('、')} 之一`,
              input: v.category,
            });
          }
          if (v.type === 'expense' && Array.isArray(v.vouchers) && v.vouchers.length === 0) {
            ctx.addIssue({
              code: 'custom',
              path: ['vouchers'],
              message: '支出请上传至少一张凭证照片',
              input: v.vouchers,
            });
          }
          if (v.type === 'income' && !v.use) {
            ctx.addIssue({
              code: 'custom',
              path: ['use'],
              message: '请填写公共收益的使用情况',
              input: v.use,
            });
          }
        }, acrossFields),
      ),
  ),
  /** Finance, admin: void a wrong entry with the reason (never deleted). Audited. */
  voidEntry: contract<DisclosureEntryView>()(
    z.strictObject({ communityId, entryId: docId, reason: reasonText(100, '请填写作废原因') }),
  ),
  /** Finance, admin: entries of a period (or all), newest first. */
  entries: contract<{ entries: DisclosureEntryView[] }>()(
    z.strictObject({
      communityId,
      period: z.optional(period),
      type: z.optional(z.enum(['expense', 'income'])),
      includeVoid: z._default(z.boolean(), false),
    }),
  ),
  /**
   * Finance, admin: prepare (or refresh) the draft of a period: fee income from the ledger,
   * expenses and income from the entries, with the service projects and a note. A period already
   * published needs `correctionReason` (the draft becomes the next version). Audited.
   */
  prepare: contract<DisclosureView>()(
    z.strictObject({
      communityId,
      period,
      projects: z._default(projects, []),
      note: z._default(freeText(300), ''),
      correctionReason: z.optional(text(200, 4, '请写明更正原因')),
    }),
  ),
  /** Finance, admin other than the preparer: approve the draft, or return it with a comment. */
  review: contract<DisclosureView>()(
    z
      .strictObject({
        communityId,
        disclosureId: docId,
        decision: z.enum(['approve', 'return']),
        comment: z._default(freeText(200), ''),
      })
      .check(
        z.refine((v) => v.decision === 'approve' || v.comment.length >= 2, {
          path: ['comment'],
          message: '退回时请写明原因',
        }),
      ),
  ),
  /** Finance, admin: publish a reviewed draft; it becomes an immutable snapshot. Audited. */
  publish: contract<DisclosureView>()(z.strictObject({ communityId, disclosureId: docId })),
  /** Finance, admin: discard a draft that will not be published. Audited. */
  discard: contract<DisclosureView>()(
    z.strictObject({ communityId, disclosureId: docId, reason: reasonText(100) }),
  ),
  /** Any staff role: every disclosure of the community (drafts too), newest period first. */
  list: contract<{ disclosures: DisclosureSummary[] }>()(z.strictObject({ communityId })),
  /**
   * Bound owners: the published disclosures of a community they are bound in (default: the
   * community of their first room). Superseded versions are listed and marked.
   */
  published: contract<OwnerDisclosures>()(z.strictObject({ communityId: z.optional(communityId) })),
  /** Bound owners (published only) and staff of the community (any state): one disclosure. */
  view: contract<DisclosureView>()(z.strictObject({ disclosureId: docId })),
  /** Same access as `view`, published only: the poster as a PrintDoc (rendered to PDF elsewhere). */
  poster: contract<PrintDoc>()(z.strictObject({ disclosureId: docId })),
  /** The poster rendered to an A4 PDF in cloud storage, for the bulletin board. */
  posterPdf: contract<PrintedFile>()(z.strictObject({ disclosureId: docId })),
};
