/**
 * disclosure: 收支公示. Finance records expenses (with vouchers) and common-area income (with
 * its use); a disclosure of a quarter or half-year is prepared from those and the ledger's fee
 * income, reviewed by a second person and published as an immutable snapshot that every bound
 * owner of the community reads (with a poster to print). Corrections are new versions; the old
 * one stays visible, marked superseded. See docs/disclosure.md.
 */
import { disclosureContracts } from '../../../miniprogram/domain/disclosure/contract';
import { createRouter } from '../../_shared/router';
import { discard, list, prepare, publish, review } from './actions/disclosures';
import { addEntry, entries, voidEntry } from './actions/entries';
import { poster, posterPdf, published, view } from './actions/owner';

export const main = createRouter('disclosure', disclosureContracts, {
  addEntry,
  voidEntry,
  entries,
  prepare,
  review,
  publish,
  discard,
  list,
  published,
  view,
  poster,
  posterPdf,
});
