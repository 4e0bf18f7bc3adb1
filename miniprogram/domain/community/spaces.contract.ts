/**
 * The `community` function's actions on parking spaces and storerooms (车位、储藏室): the list
 * (holders and plates masked), add or change one, end a holding (prorated to the day by the next
 * billing run), and the spreadsheet import (whole-file refusal with a per-row report) and export.
 * See docs/spaces.md.
 */
import {
  areaCentiM2,
  communityId,
  contract,
  date,
  docId,
  fileId,
  pageCursor,
  pageLimit,
  reasonText,
  text,
  z,
  type Page,
} from '../kernel/contract';
import type { SpaceRowError } from './space-sheet';
import {
  SPACE_KINDS,
  SPACE_NUMBER_PATTERN,
  type SpaceKind,
  type SpaceStatus,
  holdingProblem,
  isPlate,
  normalisePlate,
} from './spaces';

export interface SpaceListItem {
  spaceId: string;
  number: string;
  zone: string;
  kind: SpaceKind;
  kindLabel: string;
  /** "车位 B2-017" */
  label: string;
  areaCentiM2: number | null;
  /** "12.50", or '' without an area. */
  area: string;
  holderRoomId: string | null;
  /** "1栋1单元1501", or '' when nobody holds it. */
  holderRoomLabel: string;
  holderOwnerId: string | null;
  /** Masked: "王**". */
  holderName: string;
  /** Masked: "粤B***45". */
  plates: string[];
  startDate: string | null;
  endDate: string | null;
  status: SpaceStatus;
  statusLabel: string;
}

/** The spaces workbook: a half-hour link (as the roster export's `ExportedFile`). */
export interface SpacesFile {
  tempFileURL: string;
  fileName: string;
  rowCount: number;
  masked: boolean;
}

export interface SpaceImportReport {
  status: 'invalid' | 'ready' | 'applied';
  dataRows: number;
  fileErrors: string[];
  /** First 500 problems, by row; any of them refuses the whole file. */
  errors: SpaceRowError[];
  errorCount: number;
  counts: { added: number; changed: number; unchanged: number };
}

/** A licence plate as typed ("粤b·12345" is "粤B12345"). */
const plate = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(16)),
    z.transform((s: string) => normalisePlate(s)),
  ),
  z.string().check(z.maxLength(16), z.refine(isPlate, '车牌格式不正确（如 粤B12345）')),
);

const spaceNumber = z
  .pipe(
    z.string().check(z.trim(), z.maxLength(20)),
    z.transform((s: string) => s.toUpperCase()),
  )
  .check(z.regex(SPACE_NUMBER_PATTERN, '编号只能含字母、数字和 -（如 B2-017）'));

export const spaceContracts = {
  /** Any staff role: spaces, filtered by kind or a keyword (number, zone); holders masked. */
  spaces: contract<Page<SpaceListItem>>()(
    z.strictObject({
      communityId,
      kind: z.optional(z.enum(SPACE_KINDS)),
      keyword: z.optional(text(20)),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /**
   * Admin: add (no spaceId) or change a space (audited). The holder is a room and a person on
   * record for it (the room's owner when `holderOwnerId` is left out); `plates` left out keeps
   * the plates on record (lists only ever show them masked).
   */
  saveSpace: contract<SpaceListItem>()(
    z
      .strictObject({
        communityId,
        spaceId: z.optional(docId),
        number: spaceNumber,
        zone: z._default(z.string().check(z.trim(), z.maxLength(30)), ''),
        kind: z.enum(SPACE_KINDS),
        areaCentiM2: z.optional(z.nullable(areaCentiM2)),
        holderRoomId: z.optional(z.nullable(docId)),
        holderOwnerId: z.optional(z.nullable(docId)),
        plates: z.optional(z.array(plate).check(z.maxLength(5, '一个车位最多登记 5 个车牌'))),
        startDate: z.optional(z.nullable(date)),
        endDate: z.optional(z.nullable(date)),
      })
      .check(
        z.superRefine((v, ctx) => {
          const problem = holdingProblem({
            holderRoomId: v.holderRoomId ?? null,
            startDate: v.startDate ?? null,
            endDate: v.endDate ?? null,
          });
          if (problem) {
            ctx.addIssue({
              code: 'custom',
              path: [problem.field],
              message: problem.message,
              input: v,
            });
          }
        }),
      ),
  ),
  /**
   * Admin: end a holding on `endDate` (the last day charged; the next billing run prorates the
   * month by days). Audited with the reason.
   */
  endSpace: contract<SpaceListItem>()(
    z.strictObject({
      communityId,
      spaceId: docId,
      endDate: date,
      reason: reasonText(100, '请填写结束原因'),
    }),
  ),
  /**
   * Admin: check an uploaded .xlsx/.csv of spaces (`apply: false`, writes nothing) or apply it
   * (`apply: true`: checks again; any problem refuses the whole file and nothing is written).
   */
  importSpaces: contract<SpaceImportReport>()(
    z.strictObject({ communityId, fileID: fileId, apply: z._default(z.boolean(), false) }),
  ),
  /**
   * Admin, finance, service: every space as .xlsx in the import's columns, holders and plates
   * masked; `unmasked: true` (admin only) writes them in full, so the file imports back unchanged.
   * Audited.
   */
  exportSpaces: contract<SpacesFile>()(
    z.strictObject({ communityId, unmasked: z._default(z.boolean(), false) }),
  ),
};
