/**
 * The demo community's records beyond rooms and bills: buildings, people on record with their
 * relations to rooms (owners, co-owners, family, tenants), special-care owners, and the local
 * bootstrap code. All data is fake: names are common surnames with 先生/女士, ID numbers use the
 * non-existent region prefix 99, and everything is deterministic (hash of the room id).
 */
import { roomSortKey } from '../../miniprogram/domain/community/vocabulary';
import { idNumberCheckChar } from '../../miniprogram/domain/community/roster';
import type { Store } from '../cloud/store';

const COMMUNITY_ID = 'c_cuihu';

/** The local cloud's bootstrap code (staff.bootstrap); a real deployment sets its own. */
export const LOCAL_BOOTSTRAP_CODE = 'LOCAL-DEV-BOOTSTRAP-2026';

/**
 * Fixed people the demo users and docs name. 王建国 owns two rooms (one person, two relations);
 * 林晓梅's room is unbound, for trying 业主认证 in the preview (name + 13900001001).
 */
const FIXED: Record<string, { id: string; name: string; mobile: string; care?: string }> = {
  r_1_1_1501: { id: 'p_1_1_1501', name: '王建国', mobile: '13800001501' },
  r_2_1_302: { id: 'p_1_1_1501', name: '王建国', mobile: '13800001501' },
  r_3_2_801: { id: 'p_3_2_801', name: '李秀英', mobile: '13800000801' },
  r_1_2_201: {
    id: 'p_1_2_201',
    name: '张桂兰',
    mobile: '13800000201',
    care: '独居老人，行动不便，请电话或上门联系',
  },
  r_4_1_1001: { id: 'p_4_1_1001', name: '林晓梅', mobile: '13900001001' },
};

const CARE_NOTES = [
  '独居老人，请电话联系',
  '行动不便，需上门服务',
  '听力不便，请上门或短信联系',
  '高龄老人，家属代为缴费',
];
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕'.split('');

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A small deterministic generator per key. */
function rng(key: string): () => number {
  let s = hash(key) || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fakeMobile(r: () => number): string {
  const prefix = ['135', '136', '137', '138', '139', '150', '151', '158', '186', '187', '189'];
  return `${prefix[Math.floor(r() * prefix.length)]}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
}

/** An ID number that passes the check-character test but belongs to no one (region 99xxxx). */
function fakeIdNumber(r: () => number): string {
  const year = 1950 + Math.floor(r() * 50);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const first17 = `99${String(Math.floor(r() * 1e4)).padStart(4, '0')}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(Math.floor(r() * 1e3)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

function person(r: () => number): string {
  return `${SURNAMES[Math.floor(r() * SURNAMES.length)]}${r() < 0.5 ? '先生' : '女士'}`;
}

function addDaysTo(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export const seedCommunityRecords = {
  bootstrap(store: Store, now: Date): void {
    store.insert('app_config', [
      {
        _id: 'bootstrap',
        code: LOCAL_BOOTSTRAP_CODE,
        note: '本地开发用初始化口令；正式环境请在云开发控制台设置自己的口令（见 docs/community.md）',
        createdAt: now,
      },
    ]);
  },

  buildings(store: Store, now: Date): void {
    this.bootstrap(store, now);
    store.insert(
      'buildings',
      [1, 2, 3, 4].map((b) => ({
        _id: `${COMMUNITY_ID}:b:${b}`,
        communityId: COMMUNITY_ID,
        code: String(b),
        name: `${b}栋`,
        units: ['1', '2'],
        floors: 18,
        createdAt: now,
        updatedAt: now,
      })),
    );
  },

  /** Fields every demo room gets besides what demo.ts sets. */
  roomExtras(
    building: string,
    unit: string,
    number: string,
    today: string,
    now: Date,
  ): Record<string, unknown> {
    const r = rng(`room:${building}:${unit}:${number}`);
    const moveInDate = addDaysTo(today, -(200 + Math.floor(r() * 3000)));
    const extras: Record<string, unknown> = {
      sortKey: roomSortKey({ building, unit, number }),
      moveInDate,
      createdAt: now,
      updatedAt: now,
    };
    if (r() < 0.03) extras.occupancy = 'decorating';
    return extras;
  },

  ownerOfRoom(roomId: string): string {
    return FIXED[roomId]?.id ?? `p_${roomId.slice(2)}`;
  },

  nameOfRoomOwner(roomId: string): string {
    return FIXED[roomId]?.name ?? '';
  },

  /**
   * Turns demo.ts's one generated owner per room into people on record: fixed people for the
   * demo users, ID numbers for some, care notes, co-owners, family members and tenants.
   */
  people(
    store: Store,
    rooms: Record<string, unknown>[],
    generated: Record<string, unknown>[],
    today: string,
    now: Date,
  ): void {
    const people = new Map<string, Record<string, unknown>>();
    const relations: Record<string, unknown>[] = [];
    const relate = (roomId: string, ownerId: string, relation: string, since: string | null) =>
      relations.push({
        _id: `ro_${roomId.slice(2)}_${ownerId.slice(2)}`,
        communityId: COMMUNITY_ID,
        roomId,
        ownerId,
        relation,
        since,
        until: null,
        createdAt: now,
        updatedAt: now,
      });
    const add = (p: Record<string, unknown>) => {
      if (!people.has(p._id as string)) people.set(p._id as string, p);
    };
    /** A co-owner, family member or tenant of a room: no ID number on record, no special care. */
    const otherPerson = (r: () => number, roomId: string, suffix: string, name: string) => ({
      _id: `p_${roomId.slice(2)}_${suffix}`,
      communityId: COMMUNITY_ID,
      name,
      mobile: fakeMobile(r),
      idNumber: null,
      specialCare: false,
      careNote: null,
      createdAt: now,
      updatedAt: now,
    });
    for (const [i, room] of rooms.entries()) {
      const roomId = room._id as string;
      const g = generated[i]!;
      const r = rng(`people:${roomId}`);
      const fixed = FIXED[roomId];
      const since = (room.moveInDate as string | undefined) ?? null;
      const careNote = fixed?.care ?? CARE_NOTES[Math.floor(r() * CARE_NOTES.length)]!;
      const specialCare = fixed ? Boolean(fixed.care) : g.specialCare === true;
      const owner = {
        _id: fixed?.id ?? (g._id as string),
        communityId: COMMUNITY_ID,
        name: fixed?.name ?? (g.name as string),
        mobile: fixed?.mobile ?? (g.mobile as string),
        idNumber: r() < 0.3 ? fakeIdNumber(r) : null,
        specialCare,
        careNote: specialCare ? careNote : null,
        createdAt: now,
        updatedAt: now,
      };
      add(owner);
      relate(roomId, owner._id, 'owner', since);
      if (fixed) continue;
      const extra = r();
      if (extra < 0.2) {
        const co = otherPerson(r, roomId, 'co', person(r));
        add(co);
        relate(roomId, co._id, 'co-owner', since);
      } else if (extra < 0.28) {
        const fam = otherPerson(r, roomId, 'fam', `${owner.name[0]}${r() < 0.5 ? '先生' : '女士'}`);
        add(fam);
        relate(roomId, fam._id, 'family', since);
      } else if (extra < 0.34) {
        const tenant = otherPerson(r, roomId, 'ten', person(r));
        add(tenant);
        relate(roomId, tenant._id, 'tenant', addDaysTo(today, -Math.floor(r() * 300)));
      }
    }
    store.insert('owners', [...people.values()]);
    store.insert('room_owners', relations);
    // A vacant room has nobody living there yet.
    store.update(
      'rooms',
      { communityId: COMMUNITY_ID, occupancy: 'vacant' },
      { $set: { moveInDate: null } },
      { multi: true, replace: false, upsert: false },
    );
  },
};
