/**
 * The staff desk at scale (issue 16): on the demo community with 130 more tickets, `complaint.desk`
 * answers a page at a time — open tickets soonest deadline first, then finished ones most recently
 * updated first — and the pages together are exactly the tickets the caller may see, in that
 * order; the counts and totals match a hand count from the stored tickets; the keyword and the
 * deadline filters are answered by the database; one call makes a fixed number of requests
 * whatever page it asks for, and a full page of the longest descriptions stays under 256 KB.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { deskOrder } from '../../miniprogram/domain/complaint/desk-order';
import { deadlineState } from '../../miniprogram/domain/complaint/rules';
import type { DeskView, StaffTicketSummary } from '../../miniprogram/domain/complaint/contract';
import { caller } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const { call } = caller(cloud, 'complaint');
const C = DEMO_COMMUNITY_ID;
const { service, admin } = DEMO_USERS;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Wednesday 6 March 2030, 10:00 in Shanghai: every demo ticket's deadline is long past. */
const NOW = Date.parse('2030-03-06T10:00:00+08:00');
const LONG = '楼'.repeat(1000);

type Stored = Record<string, unknown> & {
  _id: string;
  status: string;
  handler: string | null;
  updatedAt: Date;
  clockStartAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
};

/**
 * 100 open tickets — a quarter past their deadline, a quarter near it, half well within it; half
 * not yet answered (due their first response), half answered (due their resolution) — and 30
 * finished ones; unassigned, with 周客服 or with the manager in turn.
 */
function seedTickets(): void {
  const docs = Array.from({ length: 130 }, (_, i) => {
    const open = i < 100;
    const group = i % 4;
    const start = new Date(NOW - (group === 1 ? 10 * HOUR : HOUR) - i * MINUTE);
    const due = new Date(
      group === 0
        ? NOW - 2 * HOUR - i * MINUTE
        : group === 1
          ? NOW + HOUR + i
          : NOW + 72 * HOUR + i * MINUTE,
    );
    const answered = i % 2 === 1;
    const t = {
      status: open
        ? (['registered', 'accepted', 'in-progress'] as const)[i % 3]!
        : i % 2
          ? 'resolved'
          : 'closed',
      clockStartAt: start,
      firstResponseAt: answered ? new Date(start.getTime() + 10 * MINUTE) : null,
      firstResponseDueAt: answered ? new Date(start.getTime() + 30 * MINUTE) : due,
      resolutionDueAt: answered ? due : new Date(due.getTime() + 72 * HOUR),
    } as const;
    const handler = [null, service, admin][i % 3]!;
    return {
      _id: `cp_page_${i}`,
      ticketNo: `TS20300306${String(1000 + i)}`,
      communityId: C,
      roomId: `r_page_${i}`,
      roomLabel: `${1 + (i % 9)}栋2单元${100 + i}`,
      openid: `o_page_${i}`,
      ownerName: '',
      kind: 'complaint',
      category: 'service',
      description: i % 2 ? LONG : `第 ${i} 号：楼道灯不亮`,
      photos: [],
      billIds: [],
      bills: [],
      handler,
      handlerName: handler ? '经办人' : '',
      createdAt: start,
      updatedAt: new Date(NOW - (open ? i : 200 + i) * MINUTE),
      firstResponseMinutes: null,
      resolvedAt: open ? null : start,
      resolutionMinutes: null,
      closedAt: null,
      reopenCount: 0,
      breachKeys: [],
      nearKeys: [],
      sweepAt: null,
      holdRefId: null,
      events: [],
      rating: null,
      returnVisit: null,
      ...t,
      ...deskOrder(t),
    };
  });
  cloud.store.insert('complaints', docs);
}

/** The deadline state of a stored ticket, worked out here from its fields (not its desk order). */
function stateOf(t: Stored, now: Date): 'near' | 'breached' | 'ok' | 'met' {
  if (t.status === 'resolved' || t.status === 'closed') return 'met';
  const start = new Date(t.clockStartAt);
  const answered = t.firstResponseAt && new Date(t.firstResponseAt) >= start;
  const due = new Date(answered ? t.resolutionDueAt : t.firstResponseDueAt);
  return deadlineState(start, due, null, now) as 'near' | 'breached' | 'ok';
}

function stored(visible: (t: Stored) => boolean): Stored[] {
  return (cloud.store.find('complaints', { communityId: C }) as unknown as Stored[]).filter(
    visible,
  );
}

/** Every page of a desk query, following the cursors. */
async function allPages(
  input: Record<string, unknown>,
  openid: string,
): Promise<{ items: StaffTicketSummary[]; pages: DeskView[] }> {
  const pages: DeskView[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await call<DeskView>(
      { action: 'desk', communityId: C, limit: 50, ...input, ...(cursor ? { cursor } : {}) },
      openid,
    );
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return { items: pages.flatMap((p) => p.items), pages };
}

/** The desk's order worked out here: open by deadline, then finished, latest update first. */
function deskSorted(tickets: Stored[], now: Date): string[] {
  const key = (t: Stored) => {
    const open = stateOf(t, now) !== 'met';
    const start = new Date(t.clockStartAt);
    const answered = t.firstResponseAt && new Date(t.firstResponseAt) >= start;
    const due = new Date(answered ? t.resolutionDueAt : t.firstResponseDueAt).getTime();
    return { open, due, updated: new Date(t.updatedAt).getTime() };
  };
  return [...tickets]
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x.open !== y.open) return x.open ? -1 : 1;
      if (x.open && x.due !== y.due) return x.due - y.due;
      return y.updated - x.updated;
    })
    .map((t) => t._id);
}

beforeAll(async () => {
  seedTickets();
  await cloud.setClock(NOW, { fireTimers: false });
});

test('an admin pages through every ticket in desk order; counts and total match a hand count', async () => {
  const now = new Date(NOW);
  const { items, pages } = await allPages({ scope: 'all' }, admin);
  const all = stored(() => true);
  expect(pages.length).toBe(Math.ceil(all.length / 50));
  expect(pages.every((p) => p.total === all.length)).toBe(true);
  expect(pages.slice(0, -1).every((p) => p.items.length === 50)).toBe(true);
  expect(items.map((i) => i.ticketId)).toEqual(deskSorted(all, now));
  const open = all.filter((t) => stateOf(t, now) !== 'met');
  expect(pages[0]!.counts).toEqual({
    open: open.length,
    near: open.filter((t) => stateOf(t, now) === 'near').length,
    breached: open.filter((t) => stateOf(t, now) === 'breached').length,
    unassigned: open.filter((t) => t.handler === null).length,
  });
  // the 130 added: 25 near, 25 past (plus the demo's open ones, all past by 2030)
  expect(pages[0]!.counts.near).toBe(25);
  expect(pages[0]!.counts.breached).toBeGreaterThanOrEqual(25);
  // each summary's deadline state is the one its stored fields give
  for (const i of items)
    expect(i.deadlineState).toBe(
      stateOf(
        all.find((t) => t._id === i.ticketId)!,
        now,
      ),
    );
});

test('service staff page through their own and unassigned open tickets; the deadline filter is a range', async () => {
  const now = new Date(NOW);
  const mine = (t: Stored) =>
    (t.handler === null || t.handler === service) && stateOf(t, now) !== 'met';
  const { items, pages } = await allPages({}, service);
  expect(pages.length).toBeGreaterThan(1);
  expect(pages[0]!.total).toBe(stored(mine).length);
  expect(items.map((i) => i.ticketId)).toEqual(deskSorted(stored(mine), now));
  expect(pages[0]!.counts.open).toBe(stored(mine).length);

  const breached = await allPages({ deadline: 'breached' }, service);
  const want = stored((t) => mine(t) && stateOf(t, now) === 'breached');
  expect(breached.pages[0]!.total).toBe(want.length);
  expect(breached.pages[0]!.total).toBe(pages[0]!.counts.breached);
  expect(breached.items.map((i) => i.ticketId)).toEqual(deskSorted(want, now));
  const near = await allPages({ deadline: 'near', handler: 'unassigned' }, service);
  expect(near.items.map((i) => i.ticketId).sort()).toEqual(
    stored((t) => mine(t) && t.handler === null && stateOf(t, now) === 'near')
      .map((t) => t._id)
      .sort(),
  );
  // finished tickets have no open count; the total is theirs
  const closed = await call<DeskView>({ action: 'desk', communityId: C, scope: 'closed' }, admin);
  expect(closed.counts).toEqual({ open: 0, near: 0, breached: 0, unassigned: 0 });
  expect(closed.total).toBe(stored((t) => t.status === 'closed').length);
});

test('the keyword is looked for in the number, room and description by the database', async () => {
  const byRoom = await allPages({ scope: 'all', keyword: '7栋2单元' }, admin);
  expect(byRoom.items.map((i) => i.ticketId).sort()).toEqual(
    stored((t) => String(t.roomLabel).includes('7栋2单元'))
      .map((t) => t._id)
      .sort(),
  );
  expect(byRoom.pages[0]!.total).toBe(byRoom.items.length);
  const byNo = await call<DeskView>(
    { action: 'desk', communityId: C, scope: 'all', keyword: 'ts203003061042' },
    admin,
  );
  expect(byNo.items.map((i) => i.ticketId)).toEqual(['cp_page_42']);
  const byText = await call<DeskView>(
    { action: 'desk', communityId: C, scope: 'all', keyword: '第 64 号' },
    admin,
  );
  expect(byText.items.map((i) => i.ticketId)).toEqual(['cp_page_64']);
  // characters that mean something in a regular expression are plain text
  const odd = await call<DeskView>(
    { action: 'desk', communityId: C, scope: 'all', keyword: '1501(.*' },
    admin,
  );
  expect(odd).toMatchObject({ items: [], total: 0, nextCursor: null });
});

test('one desk call makes the same few requests on any page; a full page of long descriptions stays under 256 KB', async () => {
  const first = await countedCall(
    cloud,
    'complaint',
    { action: 'desk', communityId: C, scope: 'all', limit: 50 },
    admin,
  );
  const cursor = (first.reply as { data: DeskView }).data.nextCursor;
  const later = await countedCall(
    cloud,
    'complaint',
    { action: 'desk', communityId: C, scope: 'all', limit: 50, cursor },
    admin,
  );
  // the caller's role, the page, four counts and the total, the handlers
  expect(first.requests).toBeLessThanOrEqual(8);
  expect(later.requests).toBe(first.requests);
  const open = await countedCall(cloud, 'complaint', { action: 'desk', communityId: C }, service);
  expect(open.requests).toBeLessThanOrEqual(7);
  console.log(
    `complaint.desk: ${first.requests} requests (all), ${open.requests} (open); a page of 50: ${first.bytes} bytes`,
  );
  // half of the page carries a 1,000-character description
  expect(first.bytes).toBeGreaterThan(50 * 1024);
  expect(first.bytes).toBeLessThan(256 * 1024);
  const tooMany = await cloud.call(
    'complaint',
    { action: 'desk', communityId: C, limit: 51 },
    admin,
  );
  expect(tooMany).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
});

test('every change of status, clock or first response moves the ticket on the desk; a note does not', async () => {
  const { owner } = DEMO_USERS;
  const order = (id: string) => {
    const d = cloud.store.find('complaints', { _id: id })[0] as unknown as Stored;
    // what is stored is what the ticket's own fields give
    expect({ deskRank: d.deskRank, deadlineAt: d.deadlineAt, nearAt: d.nearAt }).toEqual(
      deskOrder(d as unknown as Parameters<typeof deskOrder>[0]),
    );
    return d;
  };
  const first = await call<{ ticketId: string }>(
    {
      action: 'file',
      requestId: 'req-desk-order-1',
      roomId: 'r_1_1_1501',
      kind: 'complaint',
      category: 'service',
      description: '电梯按钮失灵好几天了',
    },
    owner,
  );
  const id = first.ticketId;
  const filed = order(id);
  expect(filed.deadlineAt).toEqual(filed.firstResponseDueAt);
  const act = (action: string, extra: Record<string, unknown>, who = admin) =>
    call({ action, communityId: C, ticketId: id, ...extra }, who);
  await act('reply', { text: '已转交维修', internal: true });
  expect(order(id).deadlineAt).toEqual(filed.firstResponseDueAt);
  await act('reply', { text: '您好，已安排维修' });
  expect(order(id).deadlineAt).toEqual(filed.resolutionDueAt);
  await act('setStatus', { status: 'resolved', note: '已修好' });
  expect(order(id).deskRank).toBe(1);
  await cloud.setClock(NOW + 3 * HOUR, { fireTimers: false });
  await call({ action: 'reopen', ticketId: id, reason: '又坏了' }, owner);
  const reopened = order(id);
  expect(reopened.deskRank).toBe(0);
  // a new episode: its first response is due again, from the reopening
  expect(reopened.deadlineAt).toEqual(reopened.firstResponseDueAt);
  expect(new Date(reopened.clockStartAt).getTime()).toBeGreaterThan(
    new Date(filed.clockStartAt).getTime(),
  );
  await act('setStatus', { status: 'resolved', note: '已更换按钮' });
  await call({ action: 'confirm', ticketId: id }, owner);
  expect(order(id)).toMatchObject({ status: 'closed', deskRank: 1, deadlineAt: null });
});
