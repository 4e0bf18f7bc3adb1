/** Records → what staff lists show: personal data masked. */
import { formatAreaCentiM2 } from '../../../../miniprogram/domain/community/area';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { maskIdNumber, maskMobile, maskName } from '../../../../miniprogram/domain/community/mask';
import {
  isActive,
  type CommunityDoc,
  type OwnerDoc,
  type RelationDoc,
  type RoomDoc,
} from '../../../_shared/records';
import type {
  CommunityInfo,
  OwnerListItem,
  RoomListItem,
  RoomPerson,
} from '../../../../miniprogram/domain/community/contract';

export function communityInfo(c: CommunityDoc): CommunityInfo {
  return {
    communityId: c._id,
    name: c.name,
    address: c.address ?? '',
    servicePhone: c.servicePhone ?? '',
    serviceHours: c.serviceHours ?? '',
    frontDesk: c.frontDesk ?? '',
    paymentMethods: c.paymentMethods ?? ['wechat'],
  };
}

const RELATION_ORDER = { owner: 0, 'co-owner': 1, family: 2, tenant: 3 } as const;

export function sortRelations(rels: RelationDoc[]): RelationDoc[] {
  return [...rels].sort(
    (a, b) =>
      RELATION_ORDER[a.relation] - RELATION_ORDER[b.relation] ||
      (a.since ?? '').localeCompare(b.since ?? ''),
  );
}

export function roomListItem(
  room: RoomDoc,
  relations: RelationDoc[],
  owners: Map<string, OwnerDoc>,
  day: string,
  verifiedBindings: number,
): RoomListItem {
  const active = sortRelations(relations.filter((r) => isActive(r, day)));
  const primary = active.find((r) => r.relation === 'owner');
  const ownerDoc = primary ? owners.get(primary.ownerId) : undefined;
  return {
    roomId: room._id,
    communityId: room.communityId,
    building: room.building,
    unit: room.unit,
    number: room.number,
    label: roomLabel(room),
    floor: room.floor ?? null,
    buildingAreaCentiM2: room.buildingAreaCentiM2,
    buildingArea: formatAreaCentiM2(room.buildingAreaCentiM2),
    innerAreaCentiM2: room.innerAreaCentiM2 ?? null,
    innerArea:
      room.innerAreaCentiM2 === null || room.innerAreaCentiM2 === undefined
        ? null
        : formatAreaCentiM2(room.innerAreaCentiM2),
    useType: room.useType ?? 'residential',
    occupancy: room.occupancy ?? 'occupied',
    moveInDate: room.moveInDate ?? null,
    owner: ownerDoc
      ? {
          ownerId: ownerDoc._id,
          name: maskName(ownerDoc.name),
          mobile: maskMobile(ownerDoc.mobile),
          specialCare: ownerDoc.specialCare,
        }
      : null,
    specialCare: active.some((r) => owners.get(r.ownerId)?.specialCare === true),
    verifiedBindings,
  };
}

export function roomPerson(rel: RelationDoc, owner: OwnerDoc | undefined, day: string): RoomPerson {
  return {
    relationId: rel._id,
    ownerId: rel.ownerId,
    relation: rel.relation,
    name: owner?.name ?? '',
    mobile: maskMobile(owner?.mobile),
    idNumber: maskIdNumber(owner?.idNumber),
    hasIdNumber: Boolean(owner?.idNumber),
    specialCare: owner?.specialCare ?? false,
    careNote: owner?.careNote ?? null,
    since: rel.since,
    until: rel.until,
    active: isActive(rel, day),
  };
}

export function ownerListItem(owner: OwnerDoc, rooms: OwnerListItem['rooms']): OwnerListItem {
  return {
    ownerId: owner._id,
    communityId: owner.communityId,
    name: maskName(owner.name),
    mobile: maskMobile(owner.mobile),
    idNumber: maskIdNumber(owner.idNumber),
    hasIdNumber: Boolean(owner.idNumber),
    specialCare: owner.specialCare,
    careNote: owner.careNote,
    rooms,
  };
}

/** Masked summary of a person for the audit log. */
export function personAudit(o: OwnerDoc | Partial<OwnerDoc>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.name !== undefined) out.name = maskName(o.name);
  if (o.mobile !== undefined) out.mobile = maskMobile(o.mobile);
  if (o.idNumber !== undefined) out.idNumber = o.idNumber ? maskIdNumber(o.idNumber) : null;
  if (o.specialCare !== undefined) out.specialCare = o.specialCare;
  if (o.careNote !== undefined) out.careNote = o.careNote;
  return out;
}
