/**
 * fee: fee standards (收费标准) and the billing run (账单生成). Staff actions name their community
 * and check the caller's role there (finance/admin manage, every staff role reads); owners read
 * their own bills explained and the published standards, and report their own meter readings
 * with a photo (自助抄表). See docs/billing.md.
 */
import { createRouter } from '../../_shared/router';
import {
  announceAdjustment,
  listAdjustments,
  proposeAdjustment,
  withdrawAdjustment,
} from './actions/adjustments';
import { importOpening } from './actions/opening';
import { previewOpening } from './actions/opening-preview';
import { billDetail, publicStandards } from './actions/owner';
import { confirmReadings, listReadings, saveReadings } from './actions/readings';
import { myMeters, submitReading } from './actions/owner-readings';
import { reviewOwnerReading } from './actions/review-owner';
import { getRun, issue, listRuns, preview } from './actions/runs';
import { meterItems, readingSheet } from './actions/sheet';
import { addVersion, listStandards, saveStandard } from './actions/standards';
import { listVacancies, recordVacancy, revokeVacancy } from './actions/vacancies';
import { feeContracts } from '../../../miniprogram/domain/fee/contract';

export const main = createRouter('fee', feeContracts, {
  standards: listStandards,
  saveStandard,
  addVersion,
  saveReadings,
  confirmReadings,
  readings: listReadings,
  meterItems,
  readingSheet,
  myMeters,
  submitReading,
  reviewOwnerReading,
  recordVacancy,
  revokeVacancy,
  vacancies: listVacancies,
  preview,
  issue,
  run: getRun,
  runs: listRuns,
  importOpening,
  previewOpening,
  billDetail,
  publicStandards,
  proposeAdjustment,
  announceAdjustment,
  withdrawAdjustment,
  adjustments: listAdjustments,
});
