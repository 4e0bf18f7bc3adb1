/**
 * A PDF the cloud made (posters, letters, receipts), as the pages receive it: a temporary link
 * (half an hour), never a file id — generated files are not readable by id from the mini-program.
 */
export interface PrintedFile {
  /** Temporary link, for opening in WeChat or printing from a computer's browser. */
  tempFileURL: string;
  pages: number;
  bytes: number;
}
