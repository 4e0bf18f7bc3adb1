/**
 * Reaching every owner (issue 19) through the local cloud and the real SDK: a late notice needs a
 * reason; publishing texts the owners WeChat cannot reach (never in quiet hours, within the day's
 * cap, once per room), a busy platform is retried and then falls back to the call list, an empty
 * package and an unsubscribed number (回T退订) fall back with their reason; the household PDF has
 * one page per billed room with a code that scans to binding with the room filled in, and its
 * token binds once; staff are reminded of issued periods without a notice.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  DeliveryReport,
  MissingNotices,
  NoticeView,
  SmsView,
} from '../../miniprogram/domain/notice/contract';
import type { MyBinding, ScannedRoom } from '../../miniprogram/domain/binding/contract';
import type { TaskView } from '../../miniprogram/domain/overdue/contract';
import type { OutboxMessage } from '../../tools/cloud/server';
import { SMS_LIMITS } from '../../miniprogram/domain/notice/reach';
import { template } from '../helpers/templates';

const C = 'c_cuihu';
const A = 'r_1_1_1501'; // o_demo_owner: bound, with a subscription credit → WeChat
const B = 'r_3_2_801'; // o_demo_paid: bound, no credit → SMS
const E = 'r_1_2_201'; // o_demo_elder: bound, no credit → SMS
const D = 'r_4_2_1801'; // nobody bound → SMS with a binding link
const F = 'r_4_2_1802'; // nobody bound, no mobile on record → call list
const BILL_TMPL = 'TMPL_BILL_ISSUED';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

async function call<T>(fn: string, event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await cloud.call(fn, event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.code} ${r.message}`);
  return r.data;
}
const raw = (fn: string, event: Record<string, unknown>, openid: string) =>
  cloud.call(fn, event, openid) as Promise<Reply<unknown>>;
async function at(day: string, hhmm = '10:00'): Promise<void> {
  await cloud.setClock(Date.parse(`${day}T${hhmm}:00+08:00`), { fireTimers: false });
}
async function runDay(day: string, hhmm = '10:00'): Promise<void> {
  await at(day, hhmm);
  await cloud.fireTimer('overdue');
}
const dev = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${cloud.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
/** Stored documents of a collection, as the test reads them. */
const docs = <T>(collection: string, query: Record<string, unknown>): T[] =>
  cloud.store.find(collection, query) as unknown as T[];
const smsOut = (): OutboxMessage[] => cloud.outbox.filter((m) => m.channel === 'sms');
/** The notice's SMS, every page (the list comes a page at a time, its total on each). */
async function sms(): Promise<SmsView[]> {
  const out: SmsView[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await call<{ sms: SmsView[]; nextCursor: string | null; total: number }>(
      'notice',
      { action: 'smsList', communityId: C, noticeId, limit: 2, ...(cursor ? { cursor } : {}) },
      DEMO_USERS.service,
    );
    out.push(...page.sms);
    if (!page.nextCursor) {
      expect(page.total).toBe(out.length);
      return out;
    }
    cursor = page.nextCursor;
  }
}
const report = () =>
  call<DeliveryReport>(
    'notice',
    { action: 'report', communityId: C, noticeId },
    DEMO_USERS.service,
  );
/** The room's owner on record. */
const ownerOf = (roomId: string): { _id: string; name: string; mobile: string } => {
  const rel = docs<{ ownerId: string }>('room_owners', { roomId, relation: 'owner' })[0]!;
  return docs<{ _id: string; name: string; mobile: string }>('owners', { _id: rel.ownerId })[0]!;
};
const mobileOf = (roomId: string): string => ownerOf(roomId).mobile;
const ownerName = (roomId: string): string => ownerOf(roomId).name;
let noticeId = '';

beforeAll(async () => {
  await at('2026-12-01');
  cloud.store.remove('bills', {}, { multi: true });
  for (const coll of ['collection_tasks', 'reminders', 'room_bindings'])
    cloud.store.remove(coll, { roomId: { $in: [A, B, E, D, F] } }, { multi: true });
  // Bound owners as the demo has them: A's owner consents, B and E have no credit.
  cloud.store.insert(
    'room_bindings',
    [
      [A, DEMO_USERS.owner],
      [B, 'o_demo_paid'],
      [E, 'o_demo_elder'],
    ].map(([roomId, openid]) => ({
      _id: `${roomId}_${openid}`,
      communityId: C,
      roomId,
      openid,
      relation: 'owner',
      status: 'verified',
    })),
  );
  // F's owner left no usable mobile.
  cloud.store.update(
    'owners',
    { _id: ownerOf(F)._id },
    { $set: { mobile: '' } },
    { multi: false, replace: false, upsert: false },
  );
  cloud.store.insert(
    'bills',
    [A, B, E, D, F].map((roomId, i) => ({
      _id: `b_${roomId}_2026-12`,
      communityId: C,
      roomId,
      period: '2026-12',
      key: 'property',
      title: '2026年12月起 物业服务费（季度）',
      items: [
        {
          itemId: 'property',
          name: '物业服务费',
          basis: '建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月',
          amountFen: 63_076 + i * 100,
          from: '2026-12-01',
          to: '2027-02-28',
        },
      ],
      amountDueFen: 63_076 + i * 100,
      lateFeeFen: 0,
      paidFen: 0,
      dueDate: '2026-12-10',
      status: 'unpaid',
    })),
  );
  await call(
    'settings',
    {
      action: 'update',
      communityId: C,
      templates: { billReminder: template(BILL_TMPL, 'thing1', 'amount2', 'date3', 'thing4') },
      smsDailyCap: 2,
    },
    DEMO_USERS.admin,
  );
  await dev('/dev/subscriptions', { openid: DEMO_USERS.owner, results: { [BILL_TMPL]: 'accept' } });
  await call(
    'notice',
    { action: 'consent', results: { [BILL_TMPL]: 'accept' }, trigger: 'bill' },
    DEMO_USERS.owner,
  );
});

const publish = (fields: Record<string, unknown>) =>
  raw(
    'notice',
    {
      action: 'publish',
      communityId: C,
      period: '2026-12',
      deadline: '2026-12-10',
      amountBasis: '建筑面积 × 2.35 元/m²/月 × 3 个月',
      methods: ['wechat', 'cash'],
      body: '本季度物业服务费已出账，感谢您的支持。',
      lateFeePolicy: null,
      ...fields,
    },
    DEMO_USERS.service,
  );

test('a notice published less than 15 days before its deadline needs a reason, kept on it', async () => {
  await at('2026-12-01', '22:30');
  const refused = await publish({});
  expect(refused).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((refused as { message: string }).message).toMatch(/^lateReason: 距缴费截止仅 9 天/);
  const ok = (await publish({ lateReason: '账单核对延误，已延长缴费期' })) as Reply<NoticeView>;
  if (!ok.ok) throw new Error(ok.message);
  noticeId = ok.data.noticeId;
  expect(ok.data.late).toEqual({
    leadDays: 15,
    daysBefore: 9,
    reason: '账单核对延误，已延长缴费期',
  });
  expect((await report()).late).toMatchObject({ daysBefore: 9 });
});

test('nothing is sent in quiet hours; at 08:00 WeChat reaches who it can and SMS the rest, within the cap', async () => {
  expect(smsOut()).toHaveLength(0);
  await runDay('2026-12-02', '07:30');
  expect(smsOut()).toHaveLength(0);
  await runDay('2026-12-02', '08:05');
  const sent = smsOut();
  // Cap 2 a day: two of B, E, D went; A had WeChat; F has no number.
  expect(sent).toHaveLength(2);
  for (const m of sent) {
    expect(m.phone).toMatch(/^\+861\d{10}$/);
    expect(m.content).toMatch(
      /^【物业费收缴】.+，跳转小程序 https:\/\/wxaurl\.cn\/\w{11} 回T退订$/,
    );
    expect(Array.from(m.content!).length).toBeLessThanOrEqual(SMS_LIMITS.whole);
    const hour = Number(new Date(Date.parse(m.at) + 8 * 3600_000).toISOString().slice(11, 13));
    expect(hour).toBeGreaterThanOrEqual(8);
  }
  const texted = new Set(sent.map((m) => m.phone));
  expect(texted.has(`+86${mobileOf(A)}`)).toBe(false);
  const list = await sms();
  expect(list.map((s) => s.roomId).sort()).toEqual([B, D, E].sort());
  const waiting = list.filter((s) => s.status === 'queued');
  expect(waiting).toHaveLength(1);
  expect(waiting[0]!.reason).toBe('今日短信已达上限，明日发送');
  // The unbound room's link opens binding with the room; a bound room's opens its bills.
  const links = await dev<{ urlLink: string; path: string; query: string }[]>('/dev/urllinks');
  const opened = links.map((l) => `${l.path}?${l.query}`);
  if (texted.has(`+86${mobileOf(D)}`))
    expect(opened).toContain(`pages/bind/index?roomId=${D}&from=sms`);
  const r = await report();
  expect(r.counts).toMatchObject({ wechat: 1, sms: 2, smsQueued: 1, callList: 0, unreachable: 1 });

  // The next day the one over the cap goes out; publishing again or asking again adds none.
  await runDay('2026-12-03', '09:00');
  expect(smsOut()).toHaveLength(3);
  await call('notice', { action: 'smsUnreached', communityId: C, noticeId }, DEMO_USERS.service);
  await runDay('2026-12-03', '10:00');
  expect(smsOut()).toHaveLength(3);
  expect((await report()).counts).toMatchObject({ sms: 3, smsQueued: 0 });
  // F (no number) is on the call list.
  const tasks = await call<{ items: TaskView[] }>(
    'overdue',
    { action: 'tasks', communityId: C },
    DEMO_USERS.service,
  );
  expect(tasks.items.filter((t) => t.roomId === F).map((t) => t.source)).toEqual(['not-bound']);
});

test('a busy platform is retried, then the room goes to the call list with the reason', async () => {
  // Stage 1 of the overdue run (after the deadline) texts the rooms WeChat cannot reach.
  await call('settings', { action: 'update', communityId: C, smsDailyCap: 50 }, DEMO_USERS.admin);
  await dev('/dev/sms/faults', { busy: 100 });
  const before = smsOut().length;
  await runDay('2026-12-11', '09:00');
  await runDay('2026-12-11', '10:00');
  await runDay('2026-12-11', '11:00');
  expect(smsOut().length).toBe(before);
  const first = docs<{ roomId: string; status: string; attempts: number; reason: string }>(
    'sms_outbox',
    { stage: 'friendly-reminder' },
  );
  expect(first.length).toBeGreaterThan(0);
  for (const d of first) {
    expect(d).toMatchObject({ status: 'failed', attempts: 3 });
    expect(d.reason).toMatch(/短信平台繁忙.*已重试 3 次/);
  }
  const tasks = await call<{ items: TaskView[] }>(
    'overdue',
    { action: 'tasks', communityId: C },
    DEMO_USERS.service,
  );
  for (const d of first) expect(tasks.items.some((t) => t.roomId === d.roomId)).toBe(true);
  await dev('/dev/sms/faults', { busy: 0 });
});

test('an empty package and a number that replied T fall back with their reason; T is honoured after', async () => {
  // Stage 2 at day 15 (after grace): E's owner has unsubscribed, the package then runs dry.
  await dev('/dev/sms/reply', { phone: `+86${mobileOf(E)}`, text: 'T' });
  await dev('/dev/sms/faults', { quota: 0 });
  await runDay('2026-12-25', '09:00');
  const second = docs<{ roomId: string; status: string; reason: string }>('sms_outbox', {
    stage: 'second-reminder',
  });
  expect(second.length).toBeGreaterThan(0);
  expect(second.every((d) => d.status === 'failed')).toBe(true);
  expect(second.map((d) => d.reason)).toContain('短信资源包余量不足');
  const e = second.find((d) => d.roomId === E)!;
  expect(e.reason).toBe('业主已回T退订');
  expect(cloud.store.find('sms_optouts', { _id: `+86${mobileOf(E)}` })).toHaveLength(1);
  // With the package refilled, E's number is never texted again: E goes to the call list.
  await dev('/dev/sms/faults', { quota: null });
  cloud.store.remove('sms_outbox', { roomId: E }, { multi: true });
  await call('notice', { action: 'smsUnreached', communityId: C, noticeId }, DEMO_USERS.service);
  expect(cloud.store.find('sms_outbox', { roomId: E })).toHaveLength(0);
  expect(
    smsOut().some(
      (m) =>
        m.phone === `+86${mobileOf(E)}` &&
        m.code === 'Ok' &&
        Date.parse(m.at) > Date.parse('2026-12-20T00:00:00+08:00'),
    ),
  ).toBe(false);
});

test('the household PDF: one page per billed room, a code that scans to binding with the room, its token binds once', async () => {
  const pdf = await call<{ rooms: number; pages: number; tempFileURL: string }>(
    'notice',
    { action: 'householdPdf', communityId: C, noticeId, building: '4' },
    DEMO_USERS.service,
  );
  expect(pdf).toMatchObject({ rooms: 2, pages: 2 });
  const codes = await dev<{ id: string; scene: string; page: string }[]>('/dev/wxacodes');
  expect(codes).toHaveLength(2);
  const token = docs<{ token: string }>('household_codes', { roomId: D })[0]!.token;
  const code = codes.find((c) => c.scene === `h=${token}`)!;
  expect(code.page).toBe('pages/bind/index');
  // The preview's scan reads the PNG itself.
  const scanned = await dev<{ page: string; query: string }>('/dev/scan', { id: code.id });
  expect(scanned.page).toBe('pages/bind/index');
  const scene = new URLSearchParams(scanned.query).get('scene')!;
  const newcomer = 'o_newcomer_19';
  const room = await call<ScannedRoom>('binding', { action: 'scan', scene }, newcomer);
  expect(room).toMatchObject({ roomId: D, token, bound: false, building: '4', unit: '2' });
  // A wrong name does not bind and keeps the code.
  expect(
    await raw('binding', { action: 'request', roomId: D, name: '不是业主', token }, newcomer),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  const b = await call<MyBinding>(
    'binding',
    { action: 'request', roomId: D, name: ownerName(D), token },
    newcomer,
  );
  expect(b.status).toBe('verified');
  expect((await call<ScannedRoom>('binding', { action: 'scan', roomId: D }, newcomer)).bound).toBe(
    true,
  );
  // One use: the code no longer opens or binds.
  expect(await raw('binding', { action: 'scan', scene }, 'o_other_19')).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
  });
  expect(
    await raw('binding', { action: 'request', roomId: D, name: ownerName(D), token }, 'o_other_19'),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  // Printing again gives D a fresh code (the old page no longer binds) and F the same one.
  const fToken = docs<{ token: string }>('household_codes', { roomId: F })[0]!.token;
  await call(
    'notice',
    { action: 'householdPdf', communityId: C, noticeId, building: '4' },
    DEMO_USERS.service,
  );
  expect(docs<{ token: string }>('household_codes', { roomId: F })[0]!.token).toBe(fToken);
  expect(docs<{ token: string }>('household_codes', { roomId: D })[0]!.token).not.toBe(token);
  // 送达签收 counts in the report.
  const rec = await call<{ recorded: number }>(
    'notice',
    { action: 'recordDelivery', communityId: C, noticeId, roomIds: [F, F] },
    DEMO_USERS.service,
  );
  expect(rec.recorded).toBe(1);
  // F signed for its notice; E (unsubscribed, no SMS) is the one left with no channel.
  expect((await report()).counts).toMatchObject({ printed: 1, unreachable: 1 });
});

test('staff are reminded of periods issued without a notice', async () => {
  await at('2027-03-01', '09:00');
  cloud.store.insert('billing_runs', [
    {
      _id: `run_${C}_2027-03`,
      communityId: C,
      period: '2027-03',
      status: 'issued',
      issuedAt: new Date(Date.parse('2027-03-01T09:00:00+08:00')),
    },
  ]);
  const m = await call<MissingNotices>(
    'notice',
    { action: 'missing', communityId: C },
    DEMO_USERS.service,
  );
  expect(m.periods.map((p) => p.period)).toEqual(['2027-03']);
  expect(m.remindedAt).toBeNull();
  await runDay('2027-03-01', '10:00');
  const after = await call<MissingNotices>(
    'notice',
    { action: 'missing', communityId: C },
    DEMO_USERS.service,
  );
  expect(after.remindedAt).not.toBeNull();
});

test('an owner chooses in the mini-program whether SMS may reach them', async () => {
  const mine = `+86${mobileOf(A)}`;
  expect(await call('notice', { action: 'smsChoice' }, DEMO_USERS.owner)).toEqual({
    sms: true,
    available: true,
  });
  expect(await call('notice', { action: 'smsChoice', sms: false }, DEMO_USERS.owner)).toEqual({
    sms: false,
    available: true,
  });
  expect(docs('sms_optouts', { _id: mine })).toHaveLength(1);
  // Off: a room of theirs WeChat did not reach gets no SMS; on again, it does.
  cloud.store.update(
    'notice_deliveries',
    { noticeId, roomId: A },
    { $set: { outcome: 'no-subscription' } },
    { multi: false, replace: false, upsert: false },
  );
  cloud.store.remove('sms_outbox', { roomId: A }, { multi: true });
  await call('notice', { action: 'smsUnreached', communityId: C, noticeId }, DEMO_USERS.service);
  expect(docs('sms_outbox', { roomId: A })).toHaveLength(0);
  expect(await call('notice', { action: 'smsChoice', sms: true }, DEMO_USERS.owner)).toEqual({
    sms: true,
    available: true,
  });
  expect(docs('sms_optouts', { _id: mine })).toHaveLength(0);
  await call('notice', { action: 'smsUnreached', communityId: C, noticeId }, DEMO_USERS.service);
  expect(docs('sms_outbox', { roomId: A })).toHaveLength(1);
  // Someone with no room on record has nothing to choose.
  expect(await call('notice', { action: 'smsChoice' }, 'o_nobody_19')).toEqual({
    sms: false,
    available: false,
  });
});
