/**
 * Import planning (community/src/repo/roster-plan.ts): what a file changes, that applying the plan and
 * planning again gives nothing (idempotence), and what happens to owners on record.
 */
import fc from 'fast-check';
import type { RosterRow } from '../../miniprogram/domain/community/roster';
import type { OwnerDoc, RelationDoc, RoomDoc } from '../../cloudfunctions/_shared/records';
import {
  planImport,
  planSize,
  type ImportPlan,
  type Snapshot,
} from '../../cloudfunctions/community/src/repo/roster-plan';

const C = 'c_test';
const TODAY = '2026-11-26';

function row(n: number, over: Partial<RosterRow> = {}): RosterRow {
  return {
    row: n + 1,
    building: '1',
    unit: '1',
    number: String(100 + n),
    floor: 1,
    buildingAreaCentiM2: 8947,
    innerAreaCentiM2: null,
    useType: null,
    occupancy: null,
    moveInDate: null,
    owner: {
      name: `业主${n}`,
      mobile: `1390000${String(n).padStart(4, '0')}`,
      idNumber: null,
      specialCare: null,
      careNote: null,
    },
    coOwner: null,
    ...over,
  };
}

/** Applies a plan to an in-memory snapshot the way apply.ts does to the database. */
function apply(snap: Snapshot, plan: ImportPlan): Snapshot {
  const rooms = new Map(snap.rooms.map((r) => [r._id, { ...r }]));
  const owners = new Map(snap.owners.map((o) => [o._id, { ...o }]));
  const rels = new Map(snap.relations.map((r) => [r._id, { ...r }]));
  for (const o of plan.ownerInserts) owners.set(o._id, { ...o });
  for (const r of plan.roomInserts) rooms.set(r._id, { ...r });
  for (const r of plan.relationInserts) rels.set(r._id, { ...r });
  for (const u of plan.roomUpdates) Object.assign(rooms.get(u.id)!, u.set);
  for (const u of plan.ownerUpdates) Object.assign(owners.get(u.id)!, u.set);
  for (const u of plan.relationUpdates) Object.assign(rels.get(u.id)!, u.set);
  return {
    rooms: [...rooms.values()],
    owners: [...owners.values()],
    relations: [...rels.values()],
  };
}

const EMPTY: Snapshot = { rooms: [], owners: [], relations: [] };

test('a new community: every room, person and relation is added', () => {
  const rows = [row(1), row(2, { coOwner: { name: '共有人', mobile: '13911112222' } })];
  const plan = planImport(C, rows, EMPTY, TODAY);
  expect(plan.counts).toMatchObject({
    added: 2,
    changed: 0,
    unchanged: 0,
    ownersAdded: 3,
    relationsAdded: 3,
  });
  expect(plan.roomInserts[0]).toMatchObject({
    communityId: C,
    useType: 'residential',
    occupancy: 'occupied',
  });
  expect(plan.changes[1]!.fields.map((f) => f.field)).toEqual(['建筑面积(㎡)', '业主', '共有人']);
  // personal values in the report are masked
  expect(JSON.stringify(plan.changes)).not.toMatch(/1390000000/);
});

test('one person owning several rooms is one record', () => {
  const same = {
    name: '陈国平',
    mobile: '13900000201',
    idNumber: null,
    specialCare: null,
    careNote: null,
  };
  const plan = planImport(C, [row(1, { owner: same }), row(2, { owner: same })], EMPTY, TODAY);
  expect(plan.ownerInserts).toHaveLength(1);
  expect(plan.relationInserts).toHaveLength(2);
});

test('re-planning after applying gives an empty plan: every row unchanged', () => {
  const rows = [row(1), row(2, { coOwner: { name: '共有人', mobile: '13911112222' } })];
  const after = apply(EMPTY, planImport(C, rows, EMPTY, TODAY));
  const again = planImport(C, rows, after, TODAY);
  expect(planSize(again)).toBe(0);
  expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
});

test('a changed file applies only the differences; blank cells keep what is on record', () => {
  const first = apply(
    EMPTY,
    planImport(C, [row(1, { moveInDate: '2021-05-01' }), row(2)], EMPTY, TODAY),
  );
  const plan = planImport(
    C,
    [row(1, { buildingAreaCentiM2: 9000, moveInDate: null }), row(2), row(3)],
    first,
    TODAY,
  );
  expect(plan.counts).toMatchObject({ added: 1, changed: 1, unchanged: 1 });
  expect(plan.roomUpdates).toEqual([
    { id: expect.any(String), set: { buildingAreaCentiM2: 9000 } },
  ]);
  expect(plan.changes[0]).toMatchObject({
    status: 'changed',
    fields: [{ field: '建筑面积(㎡)', before: '89.47', after: '90.00' }],
  });
});

test('a new owner (a sale) ends the previous owner and co-owner, keeps family and tenants', () => {
  const base = apply(
    EMPTY,
    planImport(C, [row(1, { coOwner: { name: '共有人', mobile: '13911112222' } })], EMPTY, TODAY),
  );
  const room = base.rooms[0]!;
  const tenant: OwnerDoc = {
    _id: 'p_t',
    communityId: C,
    name: '租客',
    mobile: '13700000000',
    idNumber: null,
    specialCare: false,
    careNote: null,
  };
  const tenantRel: RelationDoc = {
    _id: 'ro_t',
    communityId: C,
    roomId: room._id,
    ownerId: 'p_t',
    relation: 'tenant',
    since: '2026-01-01',
    until: null,
  };
  const snap = {
    ...base,
    owners: [...base.owners, tenant],
    relations: [...base.relations, tenantRel],
  };
  const buyer = {
    name: '新业主',
    mobile: '13600000000',
    idNumber: null,
    specialCare: null,
    careNote: null,
  };
  const plan = planImport(C, [row(1, { owner: buyer })], snap, TODAY);
  expect(plan.relationUpdates.map((u) => u.set)).toEqual([{ until: TODAY }, { until: TODAY }]);
  expect(plan.ended).toHaveLength(2);
  expect(plan.relationInserts).toHaveLength(1);
  expect(plan.counts).toMatchObject({
    changed: 1,
    ownersAdded: 1,
    relationsAdded: 1,
    relationsEnded: 2,
  });
  const after = apply(snap, plan);
  expect(after.relations.find((r) => r._id === 'ro_t')!.until).toBeNull();
  expect(planSize(planImport(C, [row(1, { owner: buyer })], after, TODAY))).toBe(0);
});

test('the same owner with a co-owner column left blank keeps the co-owner', () => {
  const base = apply(
    EMPTY,
    planImport(C, [row(1, { coOwner: { name: '共有人', mobile: '13911112222' } })], EMPTY, TODAY),
  );
  expect(planSize(planImport(C, [row(1)], base, TODAY))).toBe(0);
});

test('property: any file, applied, then planned again, is a no-op', () => {
  const arbRow = fc.record({
    n: fc.integer({ min: 1, max: 8 }),
    area: fc.integer({ min: 1, max: 50_000 }),
    who: fc.integer({ min: 0, max: 4 }),
    co: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
    occupancy: fc.constantFrom(null, 'vacant', 'occupied', 'decorating' as const),
  });
  fc.assert(
    fc.property(fc.array(arbRow, { maxLength: 8 }), fc.array(arbRow, { maxLength: 8 }), (a, b) => {
      const toRows = (list: typeof a) => {
        const seen = new Set<number>();
        return list
          .filter((r) => !seen.has(r.n) && seen.add(r.n))
          .map((r) =>
            row(r.n, {
              buildingAreaCentiM2: r.area,
              occupancy: r.occupancy,
              owner: {
                name: `人${r.who}`,
                mobile: `1380000000${r.who}`,
                idNumber: null,
                specialCare: null,
                careNote: null,
              },
              coOwner:
                r.co !== null && r.co !== r.who
                  ? { name: `人${r.co}`, mobile: `1380000000${r.co}` }
                  : null,
            }),
          );
      };
      const s1 = apply(EMPTY, planImport(C, toRows(a), EMPTY, TODAY));
      const s2 = apply(s1, planImport(C, toRows(b), s1, TODAY));
      expect(planSize(planImport(C, toRows(b), s2, TODAY))).toBe(0);
      // unique (room, person) pairs, as the database's unique index requires
      const pairs = s2.relations.map((r) => `${r.roomId}|${r.ownerId}`);
      expect(new Set(pairs).size).toBe(pairs.length);
    }),
  );
});

export type { RoomDoc };
