/**
 * One payment notice of a generated community and the SMS it sent: `count` texts over the bench
 * rooms (those WeChat could not reach), most sent, some failed, some still waiting for the next
 * day's cap. Used by the bench (`notice.smsList` among the staff lists) and the paging tests. The
 * rooms themselves are not inserted: the caller's community has them.
 */
import type { Store } from '../cloud/store';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { COMMUNITY, benchRoom } from './rooms';

export const BENCH_NOTICE = 'n_bench_2026_11';
const SENT_AT = new Date('2026-11-02T08:05:00+08:00');
const STATUSES = ['sent', 'sent', 'sent', 'sent', 'failed', 'queued'] as const;

/** Inserts the notice and its `count` SMS over the first `rooms` bench rooms; smsId → status. */
export function seedNoticeSms(store: Store, rooms: number, count: number): Map<string, string> {
  store.insert('notices', [
    {
      _id: BENCH_NOTICE,
      communityId: COMMUNITY,
      kind: 'payment',
      title: '2026年11月物业费缴费通知',
      body: '请于 11 月 30 日前缴纳本月物业费。',
      period: '2026-11',
      deadline: '2026-11-30',
      status: 'published',
      publishedAt: SENT_AT,
    },
  ]);
  const out = new Map<string, string>();
  const docs = Array.from({ length: count }, (_, k) => {
    const room = benchRoom((k * 7) % rooms);
    const status = STATUSES[k % STATUSES.length]!;
    const _id = `sms_bench${String(k).padStart(6, '0')}`;
    out.set(_id, status);
    return {
      _id,
      channel: 'sms',
      communityId: COMMUNITY,
      roomId: room._id,
      roomLabel: roomLabel(room),
      refId: BENCH_NOTICE,
      stage: 'notice',
      phones: [`+86138${String(k).padStart(8, '0')}`],
      custom: `${room.building}-${room.unit}-${room.number} 11月物业费¥632.76`,
      path: 'pages/bills/index',
      query: '',
      status,
      reason: status === 'failed' ? '号码无效' : status === 'queued' ? '今日短信已达上限' : '',
      attempts: status === 'queued' ? 0 : 1,
      results: [],
      createdAt: SENT_AT,
      sentAt: status === 'sent' ? SENT_AT : null,
      day: status === 'queued' ? null : '2026-11-02',
      sentCount: status === 'sent' ? 1 : 0,
    };
  });
  store.insert('sms_outbox', docs);
  return out;
}
