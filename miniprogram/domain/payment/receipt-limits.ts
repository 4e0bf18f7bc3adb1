/** Bounds of staff receipt search and batch printing (no imports: pages load it as is). */

/** At most this many receipts go into one PDF (about 100 A4 pages, a few seconds to render). */
export const MAX_PRINT_RECEIPTS = 200;
/** A search or print by dates covers at most this many days. */
export const MAX_RECEIPT_RANGE_DAYS = 366;
