/**
 * A printable document (receipts, 催缴函 letters, notice posters, disclosure posters) as plain
 * data: what to print, not how. Domain code builds a `PrintDoc`; the cloud renders it to PDF
 * (`cloudfunctions/_shared/pdf.ts`, A4 portrait, a CJK font embedded as a subset) and the
 * mini-program can show the same blocks on screen. Money inside is already formatted text.
 */
export type PrintBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'paragraph'; text: string; align?: 'left' | 'center' | 'right'; bold?: boolean }
  /** Label–value rows, e.g. 房号 / 2栋1单元302. */
  | { kind: 'fields'; rows: { label: string; value: string }[] }
  /** A table; `widths` are relative column widths; `align` per column. */
  | {
      kind: 'table';
      columns: string[];
      rows: string[][];
      widths?: number[];
      align?: ('left' | 'center' | 'right')[];
      /** A last row in bold, e.g. 合计. */
      footer?: string[];
    }
  /** Signature/seal area: the issuer on the right, a date under it. */
  | { kind: 'signature'; lines: string[] }
  | { kind: 'spacer'; height?: number }
  /**
   * A PNG (base64), `widthMm` wide, with an optional caption under it: the personal mini-program
   * code of a household notice.
   */
  | {
      kind: 'image';
      png: string;
      widthMm: number;
      caption?: string;
      align?: 'left' | 'center' | 'right';
    }
  /** Starts a new page (batch printing: one receipt or letter per page). */
  | { kind: 'pageBreak' };

export interface PrintDoc {
  /** Used as the PDF title and default file name. */
  title: string;
  blocks: PrintBlock[];
  /** Small print at the bottom of every page, e.g. the community and service phone. */
  footer?: string;
  size?: 'A4' | 'A5';
}
