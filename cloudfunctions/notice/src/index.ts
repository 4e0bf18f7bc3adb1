/**
 * notice: payment notices (缴费通知) — staff publish one per period from the template fields
 * (period, amount basis, payment methods and where, deadline, the contract's late-fee policy,
 * contact phone); it shows in the mini-program with read receipts, prints as a poster, and is
 * pushed to each owner with their own amount (the push runs in chunks and the `overdue` timer
 * finishes it). Owners record their subscribe consent here as one-time credits. docs/overdue.md.
 */
import { noticeContracts } from '../../../miniprogram/domain/notice/contract';
import { createRouter } from '../../_shared/router';
import { consent, credits } from './actions/consent';
import { householdPdf, recordDelivery } from './actions/household';
import { detail, mine } from './actions/owner-notices';
import { poster, posterPdf } from './actions/poster';
import { publish } from './actions/publish';
import { smsChoice, smsList, smsUnreached } from './actions/sms';
import { missing, report, staffList } from './actions/staff-notices';

export const main = createRouter('notice', noticeContracts, {
  publish,
  staffList,
  report,
  poster,
  posterPdf,
  householdPdf,
  recordDelivery,
  smsList,
  smsUnreached,
  missing,
  mine,
  detail,
  consent,
  credits,
  smsChoice,
});
