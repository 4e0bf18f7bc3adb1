/**
 * A PDF the cloud made (posters, letters, receipts), as the pages receive it: a temporary link
 * (half an hour), never a file id — generated files are not readable by id from the mini-program.
 */
export interface PrintedFile {
  /** Temporary link, for opening in WeChat or printing from a computer's browser. */
  tempFileURL: string;
  pages: number;
  bytes: number;
  /** Characters the shipped font lacks, printed as "?" (absent when every one printed). */
  unprintable?: string;
}

/** What the `print` function answers the function that asked: the file id is for its audit log. */
export interface StoredPdf extends PrintedFile {
  fileID: string;
}
