/**
 * Community records through the community function: settings, buildings, the room and people
 * lists staff work from (reading order, filters, masking), and single-record edits with their
 * validation.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { callsTo } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { ID_NUMBER, MOBILE, counts, ok } from './community-helpers';
import type {
  BuildingInfo,
  CommunityInfo,
  OwnerListItem,
  RoomDetail,
  RoomListItem,
} from '../../miniprogram/domain/community/contract';
import type { Page } from '../../miniprogram/domain/kernel/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);

const C = 'c_cuihu';
const admin = DEMO_USERS.admin;
const rooms = (filters: Record<string, unknown>, openid: string = DEMO_USERS.cashier) =>
  call.community<Page<RoomListItem>>({ action: 'rooms', communityId: C, ...filters }, openid);

test('settings: any staff reads them; only an admin changes them, field by field', async () => {
  const info = ok(
    await call.community<CommunityInfo>({ action: 'get', communityId: C }, DEMO_USERS.finance),
  );
  expect(info).toMatchObject({
    name: '翠湖花园',
    servicePhone: '0571-8888 6666',
  });
  expect(
    await call.community({ action: 'update', communityId: C, servicePhone: 'call us' }, admin),
  ).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
    message: expect.stringMatching(/^servicePhone: /),
  });
  expect(await call.community({ action: 'update', communityId: C }, admin)).toMatchObject({
    code: 'INVALID_INPUT',
  });
  // Issue 20: a blank (or all-space) address, service hours or front desk never wipes what owners
  // read to find the office; the refusal names every field and changes nothing.
  const before = cloud.store.find('communities', { _id: C })[0];
  const audits = cloud.store.count('audit_log', { action: 'community.update' });
  const blank = await call.community(
    { action: 'update', communityId: C, address: '', serviceHours: '  ', frontDesk: '' },
    admin,
  );
  expect(blank).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(!blank.ok && blank.fields?.map((f) => f.field).sort()).toEqual([
    'address',
    'frontDesk',
    'serviceHours',
  ]);
  expect(cloud.store.find('communities', { _id: C })[0]).toEqual(before);
  expect(cloud.store.count('audit_log', { action: 'community.update' })).toBe(audits);
  const updated = ok(
    await call.community<CommunityInfo>(
      { action: 'update', communityId: C, frontDesk: '2 栋一楼' },
      admin,
    ),
  );
  expect(updated.frontDesk).toBe('2 栋一楼');
  expect(cloud.store.find('audit_log', { action: 'community.update' })[0]).toMatchObject({
    before: { frontDesk: '3 栋一楼物业服务中心' },
    after: { frontDesk: '2 栋一楼' },
  });
});

test('buildings list their units and room counts', async () => {
  const { buildings } = ok(
    await call.community<{ buildings: BuildingInfo[] }>(
      { action: 'buildings', communityId: C },
      DEMO_USERS.service,
    ),
  );
  expect(buildings.map((b) => [b.code, b.name, b.units, b.roomCount])).toEqual([
    ['1', '1栋', ['1', '2'], 72],
    ['2', '2栋', ['1', '2'], 72],
    ['3', '3栋', ['1', '2'], 72],
    ['4', '4栋', ['1', '2'], 72],
  ]);
  expect(
    await call.community(
      { action: 'saveBuilding', communityId: C, code: '1', units: ['1'] },
      admin,
    ),
  ).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
    message: expect.stringMatching(/1栋2单元下还有 36 套/),
  });
});

describe('the room list', () => {
  test('pages through rooms in reading order with owners masked', async () => {
    const first = ok(await rooms({ limit: 3 }));
    expect(first.total).toBe(288);
    expect(first.items.map((r) => r.label)).toEqual(['1栋1单元101', '1栋1单元102', '1栋1单元201']);
    expect(first.items[0]!.owner).toEqual({
      ownerId: 'p_1_1_101',
      name: expect.stringMatching(/^.\*+$/),
      mobile: expect.stringMatching(/^1\d\d\*{4}\d{4}$/),
      specialCare: expect.any(Boolean),
    });
    const second = ok(await rooms({ limit: 3, cursor: first.nextCursor }));
    expect(second.items.map((r) => r.label)).toEqual(['1栋1单元202', '1栋1单元301', '1栋1单元302']);
  });

  test('finds rooms by number, by surname and by the last digits of a mobile', async () => {
    const byNumber = ok(await rooms({ keyword: '1501', limit: 100 }));
    // eight rooms numbered 1501, and 2栋1单元302 whose owner 王建国's mobile ends in 1501
    expect(byNumber.items.map((r) => r.label)).toHaveLength(9);
    expect(byNumber.items.map((r) => r.label)).toContain('2栋1单元302');
    const bySurname = ok(await rooms({ keyword: '张桂', limit: 100 }));
    expect(bySurname.items.map((r) => r.label)).toEqual(['1栋2单元201']);
  });

  test('filters by building, unit, occupancy and special care', async () => {
    const unit = ok(await rooms({ building: '3', unit: '2', limit: 100 }));
    expect(unit.total).toBe(36);
    const vacant = ok(await rooms({ occupancy: 'vacant', limit: 100 }));
    expect(vacant.items.every((r) => r.occupancy === 'vacant' && r.moveInDate === null)).toBe(true);
    const care = ok(await rooms({ specialCare: true, limit: 100 }));
    expect(care.items.every((r) => r.specialCare)).toBe(true);
    expect(care.items.map((r) => r.label)).toContain('1栋2单元201');
    const notCare = ok(await rooms({ specialCare: false, limit: 100 }));
    expect(notCare.total + care.total).toBe(288);
  });
});

test('the people list is masked and finds a person by mobile digits', async () => {
  const page = ok(
    await call.community<Page<OwnerListItem>>(
      { action: 'owners', communityId: C, keyword: '1501' },
      DEMO_USERS.cashier,
    ),
  );
  expect(page.items).toEqual([
    expect.objectContaining({
      name: '王**',
      mobile: '138****1501',
      rooms: [
        expect.objectContaining({ label: '1栋1单元1501', relation: 'owner', active: true }),
        expect.objectContaining({ label: '2栋1单元302', relation: 'owner', active: true }),
      ],
    }),
  ]);
  const care = ok(
    await call.community<Page<OwnerListItem>>(
      { action: 'owners', communityId: C, specialCare: true, limit: 100 },
      DEMO_USERS.service,
    ),
  );
  expect(care.items.length).toBeGreaterThan(3);
  expect(care.items.every((o) => o.specialCare && o.careNote)).toBe(true);
  expect(JSON.stringify(care)).not.toMatch(MOBILE);
  expect(JSON.stringify(care)).not.toMatch(ID_NUMBER);
});

describe('single-record edits', () => {
  test('a new room needs a known building and unit, and cannot duplicate another', async () => {
    const base = {
      action: 'saveRoom',
      communityId: C,
      building: '1',
      unit: '1',
      buildingAreaCentiM2: 8800,
    };
    expect(await call.community({ ...base, number: '1901', building: '9' }, admin)).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^building: /),
    });
    expect(await call.community({ ...base, number: '1901', unit: '3' }, admin)).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^unit: /),
    });
    expect(await call.community({ ...base, number: '1501' }, admin)).toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await call.community({ ...base, number: '1901', innerAreaCentiM2: 9000 }, admin),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^innerAreaCentiM2: /),
    });
    const created = ok(
      await call.community<RoomListItem>({ ...base, number: '1901', floor: 19 }, admin),
    );
    expect(created).toMatchObject({
      label: '1栋1单元1901',
      buildingArea: '88.00',
      floor: 19,
      owner: null,
    });
    expect(
      cloud.store.find('audit_log', { action: 'room.create', targetId: created.roomId }),
    ).toHaveLength(1);
  });

  test('a person is linked to a room, corrected, and their relation ended', async () => {
    const detail = ok(
      await call.community<RoomDetail>(
        {
          action: 'linkPerson',
          communityId: C,
          roomId: 'r_4_2_1801',
          relation: 'tenant',
          person: { name: '赵租客', mobile: '13711112222' },
          since: '2026-01-01',
        },
        admin,
      ),
    );
    const tenant = detail.people.find((p) => p.relation === 'tenant' && p.name === '赵租客')!;
    expect(tenant).toMatchObject({
      mobile: '137****2222',
      active: true,
      since: '2026-01-01',
      hasIdNumber: false,
    });
    expect(
      await call.community(
        {
          action: 'saveOwner',
          communityId: C,
          ownerId: tenant.ownerId,
          idNumber: '110105194912310021',
        },
        admin,
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^idNumber: /) });
    const fixed = ok(
      await call.community<OwnerListItem>(
        {
          action: 'saveOwner',
          communityId: C,
          ownerId: tenant.ownerId,
          idNumber: '11010519491231002x',
          specialCare: true,
          careNote: '行动不便',
        },
        admin,
      ),
    );
    expect(fixed).toMatchObject({
      idNumber: '1101**********002X',
      hasIdNumber: true,
      specialCare: true,
    });
    const audit = cloud.store.find('audit_log', {
      action: 'owner.update',
      targetId: tenant.ownerId,
    })[0]!;
    expect(audit.after).toEqual({
      idNumber: '1101**********002X',
      specialCare: true,
      careNote: '行动不便',
    });
    const ended = ok(
      await call.community<RoomDetail>(
        { action: 'endRelation', communityId: C, relationId: tenant.relationId },
        admin,
      ),
    );
    expect(ended.people.find((p) => p.relationId === tenant.relationId)).toMatchObject({
      active: false,
    });
    // Ending again changes nothing.
    const before = counts(cloud);
    ok(
      await call.community(
        { action: 'endRelation', communityId: C, relationId: tenant.relationId },
        admin,
      ),
    );
    expect(counts(cloud)).toEqual(before);
  });

  test('revealing a full number needs a reason and is recorded', async () => {
    expect(
      await call.community(
        {
          action: 'revealContact',
          communityId: C,
          ownerId: 'p_1_2_201',
          field: 'mobile',
          reason: '',
        },
        DEMO_USERS.service,
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^reason: /) });
    const r = ok(
      await call.community<{ value: string }>(
        {
          action: 'revealContact',
          communityId: C,
          ownerId: 'p_1_2_201',
          field: 'mobile',
          reason: '上门回访前电话预约',
        },
        DEMO_USERS.service,
      ),
    );
    expect(r.value).toBe('13800000201');
    expect(
      cloud.store.find('audit_log', { action: 'contact.reveal', actor: DEMO_USERS.service }),
    ).toHaveLength(1);
  });
});
