/**
 * settings: what each deployment configures instead of hard-coding — the community's WeChat Pay
 * sub-merchant id, its subscribe-message templates and keyword mapping (checked against WeChat's
 * keyword rules), the refund approval threshold, quiet hours and the binding review mode.
 * Admin only; every change is audited. The community profile itself (name, phone, hours, front
 * desk, payment methods) is `community.update`.
 */
import { settingsContracts } from '../../../miniprogram/domain/settings/contract';
import { createRouter } from '../../_shared/router';
import { get, update } from './actions/settings';

export const main = createRouter('settings', settingsContracts, {
  get,
  update,
});
