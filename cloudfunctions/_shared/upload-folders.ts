/**
 * The folders clients upload to, each with the path its page builds, the types and the size it
 * takes: one declaration for the storage rule (`tools/security-rules.ts` makes
 * `storage.rules.json` from it), the local cloud (which enforces the size at upload) and the
 * functions, which accept a client's file id only inside the folder their action takes
 * (`uploads.ts`). Generated files live elsewhere (GENERATED_FOLDERS) and no rule opens them.
 * See docs/security.md.
 */
export type UploadFolderName =
  'complaints' | 'readings' | 'invoices' | 'imports' | 'adjustments' | 'disclosure' | 'recon';

/** A folder clients upload to, as the pages name their files (see docs/security.md). */
export interface UploadFolder {
  /** the first path segment */
  folder: UploadFolderName;
  /** who uploads there, from which page */
  who: string;
  /** the whole path after the bucket, as a regular expression source (no flags) */
  pattern: string;
  extensions: string[];
  /**
   * Largest file accepted. CloudBase's storage rules cannot see a file's size: the local cloud
   * enforces this at upload; in production the function that takes the file must check it.
   */
  maxBytes: number;
  /** a path exactly as the page builds it */
  example: string;
}

const IMAGE = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic'];
const ID = '[A-Za-z0-9_-]{1,64}';
const MB = 1024 * 1024;

export const UPLOAD_FOLDERS: UploadFolder[] = [
  {
    folder: 'complaints',
    who: 'owners: photos for a complaint (pages/complaints/new), in their own openid folder',
    pattern: `^complaints/${ID}/[A-Za-z0-9_-]{1,64}\\.(${IMAGE.join('|')})$`,
    extensions: IMAGE,
    maxBytes: 10 * MB,
    example: 'complaints/o_demo_owner/lq3k2j0a0.png',
  },
  {
    folder: 'readings',
    who: 'owners: a photo of their meter with its reading (pages/meter), in their own openid folder',
    pattern: `^readings/${ID}/[A-Za-z0-9_-]{1,64}\\.(${IMAGE.join('|')})$`,
    extensions: IMAGE,
    maxBytes: 10 * MB,
    example: 'readings/o_demo_owner/mj3k2j0a0.jpg',
  },
  {
    folder: 'invoices',
    who: 'finance: an issued invoice document (admin/invoices)',
    pattern: `^invoices/${ID}-[0-9]{10,16}\\.(pdf|ofd|png|jpg|jpeg)$`,
    extensions: ['pdf', 'ofd', 'png', 'jpg', 'jpeg'],
    maxBytes: 10 * MB,
    example: 'invoices/inv_3f2a9c-1767225600000.pdf',
  },
  {
    folder: 'imports',
    who: 'admins: roster and opening-balance spreadsheets (admin/import, admin/opening)',
    pattern: `^imports/${ID}/(opening-)?[0-9]{10,16}\\.(xlsx|csv)$`,
    extensions: ['xlsx', 'csv'],
    maxBytes: 20 * MB,
    example: 'imports/c_cuihu/opening-1767225600000.xlsx',
  },
  {
    folder: 'adjustments',
    who: 'admins: documents for a price adjustment (admin/adjustments)',
    pattern: `^adjustments/${ID}/${ID}-[0-9]{1,2}\\.(${IMAGE.join('|')})$`,
    extensions: IMAGE,
    maxBytes: 10 * MB,
    example: 'adjustments/c_cuihu/dmjx1c2k3abcdefgh-0.jpg',
  },
  {
    folder: 'disclosure',
    who: 'finance: expense vouchers (admin/disclosure)',
    pattern: `^disclosure/${ID}/${ID}-[0-9]{1,2}\\.(${IMAGE.join('|')})$`,
    extensions: IMAGE,
    maxBytes: 10 * MB,
    example: 'disclosure/c_cuihu/dmjx1c2k3abcdefgh-2.png',
  },
  {
    folder: 'recon',
    who: 'finance: WeChat Pay and bank statements (admin/reconcile)',
    pattern: `^recon/${ID}/(wechat-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{10,16}\\.csv|bank-[0-9]{10,16}\\.(csv|xlsx))$`,
    extensions: ['csv', 'xlsx'],
    maxBytes: 20 * MB,
    example: 'recon/c_cuihu/bank-1767225600000.xlsx',
  },
];

/**
 * Folders only functions write (never readable or writable by a client): generated files, and
 * the daily backups (docs/backup.md).
 */
export const GENERATED_FOLDERS = ['exports', 'backups'] as const;

/** The upload folder a client path belongs to, or undefined. */
export function uploadFolderOf(cloudPath: string): UploadFolder | undefined {
  return UPLOAD_FOLDERS.find((f) => new RegExp(f.pattern).test(cloudPath));
}
