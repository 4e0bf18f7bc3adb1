/**
 * payNotify: the WeChat Pay notification callback (SOURCE=wx_paycallback), kept apart from
 * `payment` so that only WeChat Pay reaches it. It has no actions: every event is a notification,
 * checked against our own order and applied exactly once through the shared ledger.
 */
import { handleNotification } from './actions/notification';

export const main = handleNotification;
