/** A PDF the cloud made and stored (posters, letters), as the pages receive it. */
export interface PrintedFile {
  fileID: string;
  /** Temporary link (a few hours), for printing from a computer's browser. */
  tempFileURL: string;
  pages: number;
  bytes: number;
  /** Characters the shipped font lacks, printed as "?" (absent when every one printed). */
  unprintable?: string;
}
