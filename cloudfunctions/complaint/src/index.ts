/**
 * complaint: 投诉与建议 and the service desk — owners file, follow, reply, confirm or reopen and
 * rate tickets; service staff (admins see all) assign, reply, add internal notes, move the status
 * and record the return visit; the call log and the service dashboard; a timer that warns before
 * deadlines, counts every breach and escalates it to admins. A ticket about a fee holds overdue
 * escalation and late fees on its bills until resolved. See docs/complaints.md.
 */
import cloud from 'wx-server-sdk';
import { complaintContracts } from '../../../miniprogram/domain/complaint/contract';
import { createRouter } from '../../_shared/router';
import { listCalls, logCall } from './actions/calls';
import { dashboard } from './actions/dashboard';
import { assign, desk, reply, returnVisit, setStatus, staffDetail } from './actions/desk';
import { file, formOptions } from './actions/file';
import { confirm, detail, mine, ownerReply, rate, reopen } from './actions/my-tickets';
import { getSettings, updateSettings } from './actions/settings';
import { sweep } from './actions/sweep';

const router = createRouter('complaint', complaintContracts, {
  formOptions,
  file,
  mine,
  detail,
  ownerReply,
  confirm,
  reopen,
  rate,
  desk,
  staffDetail,
  assign,
  reply,
  setStatus,
  returnVisit,
  logCall,
  calls: listCalls,
  dashboard,
  settings: getSettings,
  updateSettings,
});

export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger') {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    const db = cloud.database();
    return sweep({ openid: '', appid: '', source: 'wx_trigger', db, now: () => new Date() });
  }
  return router(event, context);
}
