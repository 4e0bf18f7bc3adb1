/**
 * The overdue lists at scale (issue 16): on a generated community of 3,000 rooms with 750
 * overdue accounts, `overdue.cases` and `overdue.tasks` answer a page at a time in at most 10
 * database requests, every reply under 256 KB, and the pages together are exactly the accounts
 * and amounts the database holds (totals from aggregation).
 */
import { benchRoom, COMMUNITY } from '../../tools/bench/rooms';
import { ensureSchema, useTestCloud } from '../helpers/cloud';
import { countedCall } from '../helpers/stats';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { CaseItem, TaskView } from '../../miniprogram/domain/overdue/contract';

const cloud = useTestCloud({ per: 'file' });
const ROOMS = 3_000;
const SERVICE = 'o_lists_service';
const BUDGET = 10;
const MAX_BYTES = 256 * 1024;

/** Room i owes two overdue bills when i % 4 === 0; one room in 40 has a call task though paid. */
function seed(): { arrears: Map<string, number>; openTasks: number } {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [{ _id: COMMUNITY, name: '基准小区', servicePhone: '0571-1' }]);
  store.insert('staff_roles', [
    {
      _id: `${COMMUNITY}:${SERVICE}`,
      communityId: COMMUNITY,
      openid: SERVICE,
      roles: ['service'],
      name: '小王',
    },
  ]);
  const rooms = [];
  const bills = [];
  const tasks = [];
  const people = [];
  const relations = [];
  const bindings = [];
  const arrears = new Map<string, number>();
  let openTasks = 0;
  for (let i = 0; i < ROOMS; i++) {
    const room = benchRoom(i);
    rooms.push(room);
    const overdue = i % 4 === 0;
    for (const [n, period] of ['2026-08', '2026-09'].entries()) {
      const due = 30_000 + ((i * 7919 + n) % 20_000);
      const paid = overdue ? (n === 0 ? 10_000 : 0) : due;
      bills.push({
        _id: `b_${room._id}_${period}`,
        communityId: COMMUNITY,
        roomId: room._id,
        period,
        key: 'property',
        title: '物业服务费',
        amountDueFen: due,
        lateFeeFen: overdue ? 120 : 0,
        paidFen: paid,
        dueDate: `${period}-15`,
        status: overdue ? (paid > 0 ? 'partial' : 'unpaid') : 'paid',
      });
      if (overdue) arrears.set(room._id, (arrears.get(room._id) ?? 0) + due + 120 - paid);
    }
    // every room has an owner on record; one in eight is a special-care owner
    people.push({
      _id: `ow_${i}`,
      communityId: COMMUNITY,
      name: `业主${i}`,
      mobile: `139${String(i).padStart(8, '0')}`,
      specialCare: i % 8 === 0,
    });
    relations.push({
      _id: `ro_${i}`,
      communityId: COMMUNITY,
      roomId: room._id,
      ownerId: `ow_${i}`,
      relation: 'owner',
    });
    if (overdue || i % 40 === 1) {
      tasks.push({
        _id: `t_${room._id}`,
        communityId: COMMUNITY,
        roomId: room._id,
        kind: i % 8 === 0 ? 'visit' : 'call',
        source: 'not-bound',
        status: 'open',
        assignedTo: i % 3 === 0 ? SERVICE : null,
        assignedName: i % 3 === 0 ? '小王' : '',
        outcome: '',
        createdAt: new Date('2026-10-01T00:00:00Z'),
      });
      if (overdue) openTasks++;
    }
    // a done task is history, not an open contact
    if (overdue && i % 3 === 1) {
      tasks.push({
        _id: `t_${room._id}_done`,
        communityId: COMMUNITY,
        roomId: room._id,
        kind: 'call',
        source: 'not-bound',
        status: 'done',
        assignedTo: SERVICE,
        assignedName: '小王',
        outcome: '已联系',
        createdAt: new Date('2026-09-01T00:00:00Z'),
      });
    }
    // one room in five bound to WeChat; one in five with a binding still waiting for review
    if (i % 5 < 2) {
      bindings.push({
        _id: `${room._id}:o_${i}`,
        communityId: COMMUNITY,
        roomId: room._id,
        openid: `o_${i}`,
        relation: 'owner',
        status: i % 5 === 0 ? 'verified' : 'pending',
      });
    }
  }
  store.insert('rooms', rooms);
  store.insert('bills', bills);
  store.insert('collection_tasks', tasks);
  store.insert('owners', people);
  store.insert('room_owners', relations);
  store.insert('room_bindings', bindings);
  return { arrears, openTasks };
}

let expected: ReturnType<typeof seed>;
beforeAll(() => {
  expected = seed();
});

type CasesPage = {
  items: CaseItem[];
  total: number;
  totalArrearsFen: number;
  nextCursor: string | null;
};
type TasksPage = { items: TaskView[]; total: number; nextCursor: string | null };

async function pageOf<T>(
  event: Record<string, unknown>,
): Promise<{ page: T; requests: number; bytes: number }> {
  const { reply, requests, bytes } = await countedCall(cloud, 'overdue', event, SERVICE);
  const r = reply as Reply<T>;
  if (!r.ok) throw new Error(r.message);
  return { page: r.data, requests, bytes };
}

test('overdue.cases: every page within 10 requests and 256 KB; the pages add up to the database', async () => {
  const seen = new Map<string, number>();
  let cursor: string | null | undefined;
  let last = '';
  let pages = 0;
  do {
    const { page, requests, bytes } = await pageOf<CasesPage>({
      action: 'cases',
      communityId: COMMUNITY,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    expect(requests).toBeLessThanOrEqual(BUDGET);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(page.total).toBe(expected.arrears.size);
    expect(page.totalArrearsFen).toBe([...expected.arrears.values()].reduce((a, b) => a + b, 0));
    for (const item of page.items) {
      // most overdue first, across pages
      expect(item.oldestDueDate >= last).toBe(true);
      last = item.oldestDueDate;
      expect(seen.has(item.roomId)).toBe(false);
      seen.set(item.roomId, item.arrearsFen);
      expect(item).toMatchObject({ billCount: 2, lateFeeFen: 240, openTasks: 1 });
      expect(item.specialCare).toBe(Number(item.roomId.slice(-6)) % 8 === 0);
      expect(item.bound).toBe(Number(item.roomId.slice(-6)) % 5 === 0);
    }
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  expect(pages).toBe(Math.ceil(expected.arrears.size / 200));
  expect(seen).toEqual(expected.arrears);
});

test('overdue.cases default page (50) stays within the budget', async () => {
  const { page, requests } = await pageOf<CasesPage>({ action: 'cases', communityId: COMMUNITY });
  expect(requests).toBeLessThanOrEqual(BUDGET);
  expect(page.items).toHaveLength(50);
  expect(page.items[0]!.roomLabel).toMatch(/栋/);
});

test('overdue.tasks: paged, only rooms that still owe, visits first, totals over every page', async () => {
  const ids = new Set<string>();
  let cursor: string | null | undefined;
  let kinds = '';
  do {
    const { page, requests, bytes } = await pageOf<TasksPage>({
      action: 'tasks',
      communityId: COMMUNITY,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    expect(requests).toBeLessThanOrEqual(BUDGET);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(page.total).toBe(expected.openTasks);
    for (const t of page.items) {
      ids.add(t.taskId);
      expect(t.arrearsFen).toBe(expected.arrears.get(t.roomId));
      kinds += t.kind === 'visit' ? 'v' : 'c';
    }
    cursor = page.nextCursor;
  } while (cursor);
  expect(ids.size).toBe(expected.openTasks);
  expect(kinds).toMatch(/^v+c+$/);
  const mine = await pageOf<TasksPage>({ action: 'tasks', communityId: COMMUNITY, mine: true });
  expect(mine.page.items.every((t) => t.assignedTo === SERVICE)).toBe(true);
  expect(mine.page.total).toBeLessThan(expected.openTasks);
});
