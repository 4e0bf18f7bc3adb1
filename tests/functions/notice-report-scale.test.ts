/**
 * The 通知触达 report at a few thousand rooms (issue 16): `notice.report` works its counts out in
 * the database — a fixed number of requests, not one read per thousand deliveries, reminders,
 * reads, SMS and bills — and they equal a hand count of how each room was built; the rooms not
 * reached come a page at a time by room label, each once, with their total. The notice's own
 * reminders, SMS, reads and bills are told apart from another notice's for the same rooms.
 */
import { COMMUNITY, benchRoom } from '../../tools/bench/rooms';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { ensureSchema, useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { DeliveryReport } from '../../miniprogram/domain/notice/contract';

const cloud = useTestCloud({ per: 'file' });
const STAFF = 'o_reach_service';
const ROOMS = 3_000;
const NOTICE = 'n_reach_2026_11';
const OTHER = 'n_reach_2026_10';
const AT = new Date('2026-11-02T08:05:00+08:00');

type Counts = DeliveryReport['counts'];
/**
 * Room `i` is built as kind `i % 12`: what the push recorded, what happened since, and where
 * the hand count puts it (`unreached`: listed for staff to follow up).
 */
const KINDS: { count: (keyof Counts)[]; unreached?: boolean }[] = [
  { count: ['wechat', 'read'] }, // 0 pushed, read
  { count: ['pending'] }, // 1 waiting for the quiet hours
  { count: ['wechat'] }, // 2 was waiting, has gone out since
  { count: ['noSubscription', 'sms'], unreached: true }, // 3 reminder failed, texted
  { count: ['notBound', 'smsQueued'], unreached: true }, // 4 text waiting for the cap
  { count: ['notBound', 'printed'], unreached: true }, // 5 printed notice signed for
  { count: ['notBound', 'callList'], unreached: true }, // 6 text failed
  { count: ['notBound', 'callList'], unreached: true }, // 7 an owner's mobile on record
  { count: ['notBound', 'unreachable'], unreached: true }, // 8 no owner at all
  { count: ['notBound', 'settled'] }, // 9 paid since
  { count: ['paid'] }, // 10 paid before the push
  { count: ['noSubscription', 'unreachable', 'read'], unreached: true }, // 11 opted-out mobile
];

function seed(): { counts: Counts; unreached: string[] } {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [
    { _id: COMMUNITY, name: '基准小区', servicePhone: '0571-1', smsDailyCap: 5 },
  ]);
  store.insert('staff_roles', [
    {
      _id: `${COMMUNITY}:${STAFF}`,
      communityId: COMMUNITY,
      openid: STAFF,
      roles: ['service'],
      name: '小周',
    },
  ]);
  store.insert('notices', [
    {
      _id: NOTICE,
      communityId: COMMUNITY,
      kind: 'payment',
      title: '2026年11月物业费缴费通知',
      body: '请于 11 月 30 日前缴纳本月物业费。',
      period: '2026-11',
      deadline: '2026-11-30',
      status: 'published',
      publishedAt: AT,
    },
  ]);
  const counts = Object.fromEntries(
    ['rooms', ...new Set(KINDS.flatMap((k) => k.count))].map((k) => [k, 0]),
  ) as unknown as Counts;
  const unreached: { label: string; id: string }[] = [];
  const docs: Record<string, Record<string, unknown>[]> = {};
  const add = (collection: string, doc: Record<string, unknown>) =>
    (docs[collection] ??= []).push(doc);
  for (let i = 0; i < ROOMS; i++) {
    const room = benchRoom(i);
    const label = roomLabel(room);
    const kind = i % KINDS.length;
    const openid = `o_reach_${i}`;
    counts.rooms++;
    for (const c of KINDS[kind]!.count) counts[c]++;
    if (KINDS[kind]!.unreached) unreached.push({ label, id: room._id });
    const outcome = ['wechat', 'quiet-pending', 'quiet-pending', 'wechat'][kind];
    add('notice_deliveries', {
      _id: `${NOTICE}:${room._id}`,
      noticeId: NOTICE,
      communityId: COMMUNITY,
      roomId: room._id,
      roomLabel: label,
      amountFen: 63_276,
      openids: kind <= 3 || kind === 11 ? [openid] : [],
      outcome: outcome ?? (kind === 10 ? 'paid' : kind === 11 ? 'no-subscription' : 'not-bound'),
      specialCare: false,
      at: AT,
      printedAt: kind === 5 ? AT : null,
    });
    const reminder = (refId: string, status: string) =>
      add('reminders', {
        _id: `rm_${refId}_${i}`,
        communityId: COMMUNITY,
        refId,
        roomId: room._id,
        openid,
        stage: 'notice',
        status,
      });
    const status = ['sent', 'pending', 'sent', 'failed'][kind];
    if (status) reminder(NOTICE, status);
    // Another notice's reminder, read, SMS and open bill for the same room count for nothing.
    reminder(OTHER, i % 2 ? 'sent' : 'pending');
    add('notice_reads', { _id: `${OTHER}:${openid}`, noticeId: OTHER, openid, at: AT });
    if (kind === 0 || kind === 11)
      add('notice_reads', { _id: `${NOTICE}:${openid}`, noticeId: NOTICE, openid, at: AT });
    const sms = (refId: string, status: string) =>
      add('sms_outbox', {
        _id: `sms_${refId}_${i}`,
        communityId: COMMUNITY,
        roomId: room._id,
        roomLabel: label,
        refId,
        stage: 'notice',
        phones: ['+8613800000000'],
        status,
        reason: status === 'failed' ? '号码无效' : '',
        custom: `${label} 11月物业费`,
        path: 'pages/bind/index',
        query: '',
        attempts: status === 'queued' ? 0 : 1,
        results: [],
        createdAt: AT,
        sentAt: status === 'sent' ? AT : null,
        day: status === 'queued' ? null : '2026-11-02',
        sentCount: status === 'sent' ? 1 : 0,
      });
    const text = { 3: 'sent', 4: 'queued', 6: 'failed' }[kind];
    if (text) sms(NOTICE, text);
    sms(OTHER, 'sent');
    const bill = (period: string, status: string, key = 'property', paidFen = 0) =>
      add('bills', {
        _id: `b_${period}_${key}_${i}`,
        communityId: COMMUNITY,
        roomId: room._id,
        period,
        key,
        status,
        amountDueFen: 63_276,
        lateFeeFen: key === 'property' ? 1_500 : 0,
        paidFen: status === 'paid' ? 63_276 : paidFen,
      });
    bill('2026-11', kind === 9 || kind === 10 ? 'paid' : 'unpaid');
    bill('2026-10', 'unpaid');
    // Kind 7 also owes the rest of a part-paid parking bill: ¥647.76 (with its late fee) + ¥132.76.
    if (kind === 7) bill('2026-11', 'partial', 'parking', 50_000);
    if (kind === 7 || kind === 11) {
      const mobile = `139${String(i).padStart(8, '0')}`;
      add('owners', { _id: `ow_${i}`, communityId: COMMUNITY, name: '业主', mobile });
      add('room_owners', {
        _id: `ro_${i}`,
        communityId: COMMUNITY,
        roomId: room._id,
        ownerId: `ow_${i}`,
        relation: 'owner',
        since: null,
        until: null,
      });
      if (kind === 11) add('sms_optouts', { _id: `+86${mobile}`, communityId: COMMUNITY, at: AT });
    }
  }
  for (const [collection, list] of Object.entries(docs)) store.insert(collection, list);
  unreached.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : 1));
  return { counts, unreached: unreached.map((u) => u.id) };
}

async function report(input: Record<string, unknown>) {
  const { reply, requests } = await countedCall(
    cloud,
    'notice',
    { action: 'report', communityId: COMMUNITY, noticeId: NOTICE, ...input },
    STAFF,
  );
  const r = reply as Reply<DeliveryReport>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return { page: r.data, requests };
}

let expected: ReturnType<typeof seed>;
beforeAll(() => {
  expected = seed();
});

test('3,000 rooms: the counts equal a hand count, in a fixed number of requests; the unreached a page at a time', async () => {
  const first = await report({ limit: 100 });
  expect(first.page.counts).toEqual(expected.counts);
  expect(first.page.total).toBe(expected.unreached.length);
  // The requests: the role, the notice, the counts, the page, and the owners' numbers of the
  // rooms nothing reached (one page of ids, its owners and opt-outs) — not per 1,000 documents.
  expect(first.requests).toBeLessThanOrEqual(10);
  console.log(`notice.report, ${ROOMS} rooms: ${first.requests} database requests`);
  const seen = [...first.page.unreached.map((u) => u.roomId)];
  let cursor = first.page.nextCursor;
  while (cursor) {
    const next = await report({ limit: 100, cursor });
    expect(next.requests).toBeLessThanOrEqual(first.requests);
    seen.push(...next.page.unreached.map((u) => u.roomId));
    cursor = next.page.nextCursor;
  }
  expect(seen).toEqual(expected.unreached);
  const byRoom = new Map(first.page.unreached.map((u) => [u.roomId, u]));
  const room = (i: number) => byRoom.get(benchRoom(i)._id);
  // The first rooms of each kind are on the first page (400 rooms a building, labels 1栋…).
  expect(room(3)).toMatchObject({ outcome: 'no-subscription', channel: '短信已送达' });
  expect(room(4)).toMatchObject({ outcome: 'not-bound', channel: '短信待发' });
  expect(room(5)).toMatchObject({ channel: '通知单已签收' });
  expect(room(6)).toMatchObject({ channel: '短信未送达：号码无效' });
  expect(room(7)).toMatchObject({ channel: '待电话联系', read: false });
  expect(room(11)).toMatchObject({ channel: '待电话联系', read: true });
}, 180_000);

test('texting the rooms not reached: only those still owing, each for what it owes, a page of rooms at a time', async () => {
  const { reply, requests } = await countedCall(
    cloud,
    'notice',
    { action: 'smsUnreached', communityId: COMMUNITY, noticeId: NOTICE },
    STAFF,
  );
  const r = reply as Reply<{ queued: number }>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  // Of the owing rooms the push did not reach, only kind 7 has a number that may be texted.
  const kind7 = Array.from({ length: ROOMS }, (_, i) => i).filter((i) => i % 12 === 7);
  expect(r.data.queued).toBe(kind7.length);
  const queued = cloud.store.find('sms_outbox', { refId: NOTICE, stage: 'notice' }) as {
    roomId: string;
    custom: string;
    _id: string;
  }[];
  const mine = queued.filter((d) => !d._id.startsWith('sms_'));
  expect(mine.map((d) => d.roomId).sort()).toEqual(kind7.map((i) => benchRoom(i)._id).sort());
  for (const d of mine) expect(d.custom).toContain('780.52');
  console.log(`notice.smsUnreached, ${ROOMS} rooms: ${requests} database requests`);
}, 180_000);
