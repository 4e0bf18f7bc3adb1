/**
 * Plans a roster import: compares validated rows with what the community holds and produces the
 * writes that make the records match the file, plus the added/changed/unchanged report. Pure
 * apart from hashing ids: the same rows over the same records always give the same plan, and a
 * plan computed after it was applied is empty (that is what makes imports idempotent and
 * resumable).
 *
 * Semantics (docs/community.md): rooms are matched by building + unit + number; a blank optional
 * cell keeps what is on record; people are matched by name + mobile within the community. The
 * row's 业主 becomes the room's only current owner (other current owners are ended today); its
 * 共有人, when given, becomes the only current co-owner. Family members and tenants on record
 * are left alone. Rooms missing from the file are not touched.
 */
import { formatAreaCentiM2 } from '../../../../miniprogram/domain/community/area';
import {
  OCCUPANCY_LABELS,
  ROOM_USE_LABELS,
  roomLabel,
  roomSortKey,
  type Relation,
} from '../../../../miniprogram/domain/community/vocabulary';
import { maskIdNumber, maskMobile, maskName } from '../../../../miniprogram/domain/community/mask';
import type { RosterRow } from '../../../../miniprogram/domain/community/roster';
import { stableId } from '../../../_shared/ids';
import { isActive, type OwnerDoc, type RelationDoc, type RoomDoc } from '../../../_shared/records';
import type {
  ImportCounts,
  ImportFieldChange,
  ImportRowChange,
} from '../../../../miniprogram/domain/community/contract';

export interface Snapshot {
  rooms: RoomDoc[];
  owners: OwnerDoc[];
  relations: RelationDoc[];
}

export interface DocUpdate<T> {
  id: string;
  set: Partial<T>;
}

export interface ImportPlan {
  ownerInserts: OwnerDoc[];
  roomInserts: RoomDoc[];
  relationInserts: RelationDoc[];
  roomUpdates: DocUpdate<RoomDoc>[];
  ownerUpdates: DocUpdate<OwnerDoc>[];
  relationUpdates: DocUpdate<RelationDoc>[];
  /** Room/person pairs whose relation ends: their bindings to the room are revoked. */
  ended: { roomId: string; ownerId: string }[];
  counts: ImportCounts;
  changes: ImportRowChange[];
}

/** An import's counts before anything is counted. */
export function emptyCounts(): ImportCounts {
  return {
    added: 0,
    changed: 0,
    unchanged: 0,
    ownersAdded: 0,
    ownersChanged: 0,
    relationsAdded: 0,
    relationsEnded: 0,
  };
}

export function planSize(p: ImportPlan): number {
  return (
    p.ownerInserts.length +
    p.roomInserts.length +
    p.relationInserts.length +
    p.roomUpdates.length +
    p.ownerUpdates.length +
    p.relationUpdates.length +
    p.ended.length
  );
}

export function roomIdFor(communityId: string, b: string, u: string, n: string): string {
  return stableId('r_', communityId, b, u, n);
}

export function ownerIdFor(communityId: string, name: string, mobile: string): string {
  return stableId('p_', communityId, name, mobile);
}

export function relationIdFor(roomId: string, ownerId: string): string {
  return stableId('ro_', roomId, ownerId);
}

const personText = (o: Pick<OwnerDoc, 'name' | 'mobile'>) =>
  `${maskName(o.name)} ${maskMobile(o.mobile)}`;

export function planImport(
  communityId: string,
  rows: RosterRow[],
  snap: Snapshot,
  today: string,
): ImportPlan {
  const plan: ImportPlan = {
    ownerInserts: [],
    roomInserts: [],
    relationInserts: [],
    roomUpdates: [],
    ownerUpdates: [],
    relationUpdates: [],
    ended: [],
    counts: emptyCounts(),
    changes: [],
  };
  const roomsByKey = new Map(snap.rooms.map((r) => [`${r.building}|${r.unit}|${r.number}`, r]));
  const ownersByKey = new Map(snap.owners.map((o) => [`${o.name}|${o.mobile}`, o]));
  const ownersById = new Map(snap.owners.map((o) => [o._id, o]));
  const relsByRoom = new Map<string, RelationDoc[]>();
  for (const rel of snap.relations) {
    const list = relsByRoom.get(rel.roomId) ?? [];
    list.push(rel);
    relsByRoom.set(rel.roomId, list);
  }
  const ownerUpdates = new Map<string, Partial<OwnerDoc>>();
  const plannedNew = new Set<string>();

  /** The person for name + mobile: on record, planned in this import, or new. */
  const personFor = (name: string, mobile: string): { owner: OwnerDoc; isNew: boolean } => {
    const key = `${name}|${mobile}`;
    const existing = ownersByKey.get(key);
    if (existing) return { owner: existing, isNew: plannedNew.has(existing._id) };
    const owner: OwnerDoc = {
      _id: ownerIdFor(communityId, name, mobile),
      communityId,
      name,
      mobile,
      idNumber: null,
      specialCare: false,
      careNote: null,
    };
    ownersByKey.set(key, owner);
    ownersById.set(owner._id, owner);
    plannedNew.add(owner._id);
    plan.ownerInserts.push(owner);
    plan.counts.ownersAdded++;
    return { owner, isNew: true };
  };

  for (const row of rows) {
    const key = `${row.building}|${row.unit}|${row.number}`;
    const label = roomLabel(row);
    const fields: ImportFieldChange[] = [];
    let room = roomsByKey.get(key);
    const isNewRoom = !room;
    if (!room) {
      room = {
        _id: roomIdFor(communityId, row.building, row.unit, row.number),
        communityId,
        building: row.building,
        unit: row.unit,
        number: row.number,
        floor: row.floor,
        sortKey: roomSortKey(row),
        buildingAreaCentiM2: row.buildingAreaCentiM2,
        innerAreaCentiM2: row.innerAreaCentiM2,
        useType: row.useType ?? 'residential',
        occupancy: row.occupancy ?? 'occupied',
        moveInDate: row.moveInDate,
      };
      roomsByKey.set(key, room);
      plan.roomInserts.push(room);
      fields.push({
        field: '建筑面积(㎡)',
        before: '',
        after: formatAreaCentiM2(row.buildingAreaCentiM2),
      });
    } else {
      const set: Partial<RoomDoc> = {};
      const diff = <K extends keyof RoomDoc>(
        k: K,
        next: RoomDoc[K] | null,
        label: string,
        show: (v: RoomDoc[K] | null) => string,
      ) => {
        if (next === null || next === undefined) return;
        const cur = room![k] ?? null;
        if (cur === next) return;
        set[k] = next as RoomDoc[K];
        fields.push({ field: label, before: show(cur as RoomDoc[K] | null), after: show(next) });
      };
      const area = (v: unknown) => (typeof v === 'number' ? formatAreaCentiM2(v) : '');
      diff('buildingAreaCentiM2', row.buildingAreaCentiM2, '建筑面积(㎡)', area);
      diff('innerAreaCentiM2', row.innerAreaCentiM2, '套内面积(㎡)', area);
      diff('floor', row.floor, '楼层', (v) => (v === null ? '' : String(v)));
      diff('useType', row.useType, '用途', (v) => (v ? ROOM_USE_LABELS[v] : ''));
      diff('occupancy', row.occupancy, '状态', (v) => (v ? OCCUPANCY_LABELS[v] : ''));
      diff('moveInDate', row.moveInDate, '入住日期', (v) => v ?? '');
      if (Object.keys(set).length) plan.roomUpdates.push({ id: room._id, set });
    }

    // ---- people on record
    const rels = relsByRoom.get(room._id) ?? [];
    const active = rels.filter((r) => isActive(r, today));
    const activeOf = (relation: Relation) => active.filter((r) => r.relation === relation);
    const want = new Map<string, Relation>();
    if (row.owner) {
      const o = row.owner;
      const { owner, isNew } = personFor(o.name, o.mobile);
      want.set(owner._id, 'owner');
      if (isNew) {
        // Planned for insertion (by this or an earlier row): fill in what the row gives.
        if (o.idNumber !== null) owner.idNumber = o.idNumber;
        if (o.specialCare !== null) {
          owner.specialCare = o.specialCare;
          owner.careNote = o.specialCare ? o.careNote : null;
        }
      } else {
        const set = ownerUpdates.get(owner._id) ?? {};
        const ch: ImportFieldChange[] = [];
        if (o.idNumber !== null && o.idNumber !== owner.idNumber && set.idNumber === undefined) {
          set.idNumber = o.idNumber;
          ch.push({
            field: '身份证号',
            before: maskIdNumber(owner.idNumber),
            after: maskIdNumber(o.idNumber),
          });
        }
        if (o.specialCare !== null) {
          const note = o.specialCare ? (o.careNote ?? owner.careNote) : null;
          if (o.specialCare !== owner.specialCare && set.specialCare === undefined) {
            set.specialCare = o.specialCare;
            ch.push({
              field: '特殊关怀',
              before: owner.specialCare ? '是' : '否',
              after: o.specialCare ? '是' : '否',
            });
          }
          if (note !== owner.careNote && set.careNote === undefined) {
            set.careNote = note;
            ch.push({ field: '关怀说明', before: owner.careNote ?? '', after: note ?? '' });
          }
        }
        if (Object.keys(set).length) ownerUpdates.set(owner._id, set);
        fields.push(...ch.map((c) => ({ ...c, field: `业主${c.field}` })));
      }
    }
    if (row.coOwner) {
      const { owner } = personFor(row.coOwner.name, row.coOwner.mobile);
      if (!want.has(owner._id)) want.set(owner._id, 'co-owner');
    }

    const ownerNow = activeOf('owner');
    const wantedOwner = [...want].find(([, r]) => r === 'owner')?.[0];
    // A new owner (a sale): the previous owners' co-owners go with them.
    const ownerChanged =
      wantedOwner !== undefined && !ownerNow.some((r) => r.ownerId === wantedOwner);
    const coOwnerGiven = [...want.values()].includes('co-owner');

    for (const rel of active) {
      if (want.has(rel.ownerId)) continue;
      const endIt =
        (rel.relation === 'owner' && wantedOwner !== undefined) ||
        (rel.relation === 'co-owner' && (coOwnerGiven || ownerChanged));
      if (!endIt) continue;
      plan.relationUpdates.push({ id: rel._id, set: { until: today } });
      plan.ended.push({ roomId: room._id, ownerId: rel.ownerId });
      plan.counts.relationsEnded++;
      const who = ownersById.get(rel.ownerId);
      fields.push({
        field: rel.relation === 'owner' ? '原业主' : '原共有人',
        before: who ? personText(who) : '',
        after: '（已结束）',
      });
    }
    for (const [ownerId, relation] of want) {
      const who = ownersById.get(ownerId)!;
      const existing = rels.find((r) => r.ownerId === ownerId);
      const label = relation === 'owner' ? '业主' : '共有人';
      if (!existing) {
        plan.relationInserts.push({
          _id: relationIdFor(room._id, ownerId),
          communityId,
          roomId: room._id,
          ownerId,
          relation,
          since: row.moveInDate && row.moveInDate <= today ? row.moveInDate : today,
          until: null,
        });
        plan.counts.relationsAdded++;
        fields.push({ field: label, before: '', after: personText(who) });
      } else if (!isActive(existing, today)) {
        plan.relationUpdates.push({
          id: existing._id,
          set: { relation, since: today, until: null },
        });
        plan.counts.relationsAdded++;
        fields.push({ field: label, before: '', after: personText(who) });
      } else if (existing.relation !== relation) {
        plan.relationUpdates.push({ id: existing._id, set: { relation } });
        fields.push({
          field: `${personText(who)} 身份`,
          before: existing.relation,
          after: relation,
        });
      }
    }

    if (isNewRoom) {
      plan.counts.added++;
      plan.changes.push({ row: row.row, roomLabel: label, status: 'added', fields });
    } else if (fields.length) {
      plan.counts.changed++;
      plan.changes.push({ row: row.row, roomLabel: label, status: 'changed', fields });
    } else {
      plan.counts.unchanged++;
    }
  }
  for (const [id, set] of ownerUpdates) plan.ownerUpdates.push({ id, set });
  plan.counts.ownersChanged = plan.ownerUpdates.length;
  return plan;
}
