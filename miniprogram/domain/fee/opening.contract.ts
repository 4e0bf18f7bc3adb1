/**
 * Contract for previewing an opening-balance file (期初欠费 / 期初预存) before `importOpening`:
 * the fee function reads the uploaded file, resolves every room and says what importing would do.
 * Spread into `feeContracts`.
 */
import { communityId, contract, fileId, period, z } from '../kernel/contract';

export interface OpeningPreviewRow {
  /** Line in the file. */
  line: number;
  roomId: string | null;
  roomLabel: string;
  amountFen: number;
  note: string | null;
  /** new: will be imported; unchanged: already imported with this amount; error: see message. */
  status: 'new' | 'unchanged' | 'error';
  message: string | null;
}

export interface OpeningPreview {
  kind: 'arrears' | 'prepaid';
  period: string | null;
  format: 'xlsx' | 'csv';
  rows: OpeningPreviewRow[];
  /** Problems of the file as a whole or of lines that are not rooms (line 0: the file). */
  errors: { line: number; message: string }[];
  counts: { rows: number; new: number; unchanged: number; errors: number };
  /** Sum of the rows that would be imported now. */
  newFen: number;
  totalFen: number;
  /** True when nothing is wrong: importOpening with these rows will be accepted. */
  ready: boolean;
}

/** Arrears are recorded under a period: an arrears import names it. */
export const openingPeriodRequired = z.refine<{ kind: 'arrears' | 'prepaid'; period?: string }>(
  (v) => v.kind !== 'arrears' || v.period !== undefined,
  { message: '导入期初欠费时请填写账期', path: ['period'] },
);

export const openingPreviewContracts = {
  /** Finance: read an uploaded opening-balance file and check every row; writes nothing. */
  previewOpening: contract<OpeningPreview>()(
    z
      .strictObject({
        communityId,
        kind: z.enum(['arrears', 'prepaid']),
        period: z.optional(period),
        fileID: fileId,
      })
      .check(openingPeriodRequired),
  ),
};
