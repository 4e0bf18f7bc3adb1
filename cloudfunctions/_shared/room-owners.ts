/**
 * The people on record who own each room today (owner and co-owner relations in force), with the
 * name and mobile they registered: for the household notices' names and the SMS numbers.
 */
import { fetchAll, type Database } from './db';

export interface RoomOwner {
  ownerId: string;
  name: string;
  mobile: string;
}

export async function currentOwners(
  db: Database,
  communityId: string,
  roomIds: readonly string[],
  day: string,
): Promise<Map<string, RoomOwner[]>> {
  const _ = db.command;
  const out = new Map<string, RoomOwner[]>();
  const rel: { roomId: string; ownerId: string; since: string | null; until: string | null }[] = [];
  for (let i = 0; i < roomIds.length; i += 500) {
    rel.push(
      ...(await fetchAll<(typeof rel)[number]>(
        db.collection('room_owners').where({
          communityId,
          roomId: _.in(roomIds.slice(i, i + 500)),
          relation: _.in(['owner', 'co-owner']),
        }),
      )),
    );
  }
  const current = rel.filter(
    (r) => (r.since === null || r.since <= day) && (r.until === null || r.until > day),
  );
  const ownerIds = [...new Set(current.map((r) => r.ownerId))];
  const people = new Map<string, RoomOwner>();
  for (let i = 0; i < ownerIds.length; i += 500) {
    const docs = await fetchAll<{ _id: string; name?: string; mobile?: string }>(
      db
        .collection('owners')
        .where({ _id: _.in(ownerIds.slice(i, i + 500)) })
        .field({ _id: true, name: true, mobile: true }),
    );
    for (const d of docs)
      people.set(d._id, { ownerId: d._id, name: d.name ?? '', mobile: d.mobile ?? '' });
  }
  for (const r of current) {
    const p = people.get(r.ownerId);
    if (!p) continue;
    const list = out.get(r.roomId) ?? [];
    if (!list.some((x) => x.ownerId === p.ownerId)) list.push(p);
    out.set(r.roomId, list);
  }
  return out;
}
