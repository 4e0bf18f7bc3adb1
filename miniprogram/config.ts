/**
 * Deployment settings of the mini-program. Subscribe-message template ids are issued per
 * mini-program in the WeChat admin console (订阅消息 → 我的模板); replace these with yours.
 */
export interface SubscribeTemplate {
  id: string;
  title: string;
  description: string;
}

/** At most 3 per request (WeChat's limit for one consent sheet). */
export const SUBSCRIBE_TEMPLATES: SubscribeTemplate[] = [
  {
    id: 'TMPL_BILL_ISSUED',
    title: '物业费缴费通知',
    description: '新账单生成时提醒您缴费金额和截止日期',
  },
  {
    id: 'TMPL_BILL_OVERDUE',
    title: '缴费到期提醒',
    description: '账单临近或超过截止日期时温馨提醒',
  },
  {
    id: 'TMPL_TICKET_PROGRESS',
    title: '工单处理进度通知',
    description: '您的报事、投诉有新进展时通知您',
  },
];

export const APP_VERSION = '0.1.0';

/** The template asked for when an owner files a complaint (工单处理进度通知). */
export const COMPLAINT_PROGRESS_TEMPLATE = 'TMPL_TICKET_PROGRESS';
