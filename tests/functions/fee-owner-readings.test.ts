/**
 * Owners' own meter readings (自助抄表) through the local cloud, on the demo's tap water (building
 * 1), with the dev clock at DEMO_NOW (26 November: November's window, 24 Nov – 7 Dec, is open):
 * owners see the meters of their own verified rooms; a report needs a photo the caller uploaded
 * to their own folder, inside the window, not lower than the last accepted reading; it waits as
 * `submitted` (never billed) until staff accept or correct it on the reading sheet, where they see
 * the photo as a link; the anomaly rules apply as to any reading; everything staff do is audited.
 */
import type { OwnerMeterView } from '../../miniprogram/domain/fee/owner-readings.contract';
import type {
  MeterItem,
  MeterReadingView,
  ReadingSheet,
} from '../../miniprogram/domain/fee/readings.contract';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_METER_ITEM } from '../../tools/seed/fees';
import { DEMO_NOW, startTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterAll(async () => {
  await cloud.close();
});

const C = DEMO_COMMUNITY_ID;
const OWNER_ROOM = 'r_1_1_1501';
const ELDER_ROOM = 'r_1_2_201';
const PERIOD = '2026-11';
const NEWCOMER = 'o_demo_newcomer';

const raw = (event: Record<string, unknown>, openid: string) =>
  caller(cloud, 'fee').raw(event, openid);
const fee = <T>(event: Record<string, unknown>, openid: string) =>
  caller(cloud, 'fee').call<T>(event, openid);

/** An upload as the mini-program makes it (the preview's gateway, under storage.rules.json). */
async function upload(
  cloudPath: string,
  openid?: string,
): Promise<{ status: number; fileID: string }> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  if (openid) form.append('openid', openid);
  form.append('file', new Blob([new Uint8Array(Buffer.from(`photo ${cloudPath}`))]), 'p.jpg');
  const res = await fetch(`${cloud.url}/gateway/upload`, { method: 'POST', body: form });
  const body = (await res.json()) as { fileID?: string };
  return { status: res.status, fileID: body.fileID ?? '' };
}

async function ownPhoto(openid: string, name: string): Promise<string> {
  const up = await upload(`readings/${openid}/${name}.jpg`, openid);
  expect(up.status).toBe(200);
  return up.fileID;
}

/** The last accepted reading of a room (what the owner's report is compared with). */
function lastReading(roomId: string): { period: string; current: string } {
  const docs = cloud.store.find(
    'meter_readings',
    { roomId, itemId: DEMO_METER_ITEM, status: { $in: ['ok', 'confirmed'] } },
    { sort: { period: -1 } },
  );
  return docs[0] as unknown as { period: string; current: string };
}

const readingOf = (roomId: string) =>
  cloud.store.find('meter_readings', { _id: `mr_${roomId}_${DEMO_METER_ITEM}_${PERIOD}` })[0];

function sheet(filter: string): Promise<ReadingSheet> {
  return fee<ReadingSheet>(
    { action: 'readingSheet', communityId: C, itemId: DEMO_METER_ITEM, period: PERIOD, filter },
    DEMO_USERS.service,
  );
}

test('owners see the meters of their own verified rooms, with the month-end window', async () => {
  expect(new Date(cloud.clock.now()).toISOString().slice(0, 10)).toBe('2026-11-26');
  const { meters } = await fee<{ meters: OwnerMeterView[] }>(
    { action: 'myMeters' },
    DEMO_USERS.owner,
  );
  // 王建国 has rooms in buildings 1 and 2; the tap water is building 1's only.
  expect(meters).toEqual([
    {
      roomId: OWNER_ROOM,
      roomLabel: '1栋1单元1501',
      itemId: DEMO_METER_ITEM,
      name: '自来水费（1栋代收）',
      unit: 'm³',
      period: PERIOD,
      windowFrom: '2026-11-24',
      windowTo: '2026-12-07',
      open: true,
      previous: lastReading(OWNER_ROOM).current,
      previousPeriod: '2026-10',
      reading: null,
      blocked: null,
    },
  ]);
  for (const who of [DEMO_USERS.paid, NEWCOMER]) {
    expect(await fee({ action: 'myMeters' }, who)).toEqual({ meters: [] });
  }
  // Someone else's room is not found, never a hint that it exists.
  expect(await raw({ action: 'myMeters', roomId: ELDER_ROOM }, DEMO_USERS.owner)).toMatchObject({
    ok: false,
    code: 'NOT_FOUND',
  });
  // Staff learn which month to read now: the owners' open window's.
  const items = await fee<{ items: MeterItem[]; readingPeriod: string }>(
    { action: 'meterItems', communityId: C },
    DEMO_USERS.service,
  );
  expect(items.readingPeriod).toBe(PERIOD);
});

test('a report needs the caller’s own photo; another’s, a complaint photo or a missing file is refused and nothing is written', async () => {
  const current = String(Number(lastReading(OWNER_ROOM).current) + 9);
  const report = (photo: string, who: string = DEMO_USERS.owner) =>
    raw(
      { action: 'submitReading', roomId: OWNER_ROOM, itemId: DEMO_METER_ITEM, current, photo },
      who,
    );
  const theirs = await ownPhoto(DEMO_USERS.paid, 'paidmeter1');
  const complaint = await upload(`complaints/${DEMO_USERS.owner}/c1.jpg`, DEMO_USERS.owner);
  const missing = theirs.replace(
    `readings/${DEMO_USERS.paid}/paidmeter1`,
    `readings/${DEMO_USERS.owner}/none`,
  );
  for (const [photo, message] of [
    [theirs, /photo: 请在本页给表拍照上传后再提交/],
    [complaint.fileID, /photo: 请在本页给表拍照上传后再提交/],
    [missing, /photo: 找不到上传的文件/],
  ] as const) {
    const r = await report(photo);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((r as { message: string }).message).toMatch(message);
  }
  // Not a verified owner of the room: not found, whatever the photo.
  expect(await report(theirs, DEMO_USERS.paid)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  expect(readingOf(OWNER_ROOM)).toBeUndefined();

  // The storage rule: another owner's photo is neither readable nor replaceable by a client.
  const get = await fetch(
    `${cloud.url}/gateway/file?${new URLSearchParams({ fileID: theirs, openid: DEMO_USERS.owner })}`,
  );
  expect(get.status).not.toBe(200);
  expect(
    (await upload(`readings/${DEMO_USERS.paid}/paidmeter1.jpg`, DEMO_USERS.owner)).status,
  ).not.toBe(200);
  expect((await upload(`readings/${DEMO_USERS.owner}/anon.jpg`)).status).not.toBe(200);
  expect((await upload(`readings/${DEMO_USERS.owner}/x.pdf`, DEMO_USERS.owner)).status).not.toBe(
    200,
  );
});

test('outside the window, with owner readings off, or below the last reading: a clear refusal', async () => {
  const photo = await ownPhoto(DEMO_USERS.owner, 'early1');
  const event = (current: string) => ({
    action: 'submitReading',
    roomId: OWNER_ROOM,
    itemId: DEMO_METER_ITEM,
    current,
    photo,
  });
  const last = lastReading(OWNER_ROOM);
  const low = await raw(event(String(Number(last.current) - 1)), DEMO_USERS.owner);
  expect(low).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((low as { message: string }).message).toBe(
    `current: 读数低于上次读数 ${last.current}（2026年10月），请核对表盘上的数字；如已换表请联系物业`,
  );

  await cloud.setClock(Date.parse('2026-11-20T10:00:00+08:00'), { fireTimers: false });
  try {
    const early = await raw(event(String(Number(last.current) + 5)), DEMO_USERS.owner);
    expect(early).toMatchObject({
      ok: false,
      code: 'PRECONDITION_FAILED',
      message: '下次自助抄表时间为 11月24日至12月7日，请到时再拍照上报',
    });
  } finally {
    await cloud.setClock(Date.parse(DEMO_NOW), { fireTimers: false });
  }
  const settings = await cloud.call(
    'settings',
    { action: 'update', communityId: C, readingWindowDays: 0 },
    DEMO_USERS.admin,
  );
  expect(settings).toMatchObject({ ok: true, data: { readingWindowDays: 0 } });
  try {
    expect(await raw(event(String(Number(last.current) + 5)), DEMO_USERS.owner)).toMatchObject({
      ok: false,
      code: 'PRECONDITION_FAILED',
      message: '本小区暂未开通业主自助抄表，请联系物业',
    });
    expect(await fee({ action: 'myMeters' }, DEMO_USERS.owner)).toEqual({ meters: [] });
  } finally {
    await cloud.call(
      'settings',
      { action: 'update', communityId: C, readingWindowDays: 7 },
      DEMO_USERS.admin,
    );
  }
  expect(readingOf(OWNER_ROOM)).toBeUndefined();
});

test('a report waits as submitted, never billed; staff see it on the sheet with the photo; the owner may replace it', async () => {
  const last = lastReading(OWNER_ROOM);
  const first = await ownPhoto(DEMO_USERS.owner, 'nov1');
  const mine = await fee<OwnerMeterView>(
    {
      action: 'submitReading',
      roomId: OWNER_ROOM,
      itemId: DEMO_METER_ITEM,
      current: String(Number(last.current) + 90),
      photo: first,
    },
    DEMO_USERS.owner,
  );
  expect(mine).toMatchObject({
    reading: { status: 'submitted', byOwner: true, current: String(Number(last.current) + 90) },
    blocked: null,
  });
  // A second report (the first was misread) replaces it while staff have not taken it.
  const second = await ownPhoto(DEMO_USERS.owner, 'nov2');
  const current = String(Number(last.current) + 11);
  await fee(
    {
      action: 'submitReading',
      roomId: OWNER_ROOM,
      itemId: DEMO_METER_ITEM,
      current,
      photo: second,
    },
    DEMO_USERS.owner,
  );
  expect(readingOf(OWNER_ROOM)).toMatchObject({
    status: 'submitted',
    previous: last.current,
    current,
    usage: '11',
    ownerReading: { current, photo: second, openid: DEMO_USERS.owner },
  });

  const submitted = await sheet('submitted');
  expect(submitted.counts.submitted).toBe(1);
  expect(submitted.rows.map((r) => r.roomId)).toEqual([OWNER_ROOM]);
  const view = submitted.rows[0]!.reading!;
  expect(view).toMatchObject({ status: 'submitted', ownerReading: { current } });
  const photo = await fetch(view.ownerReading!.photoUrl!);
  expect(photo.status).toBe(200);
  expect(await photo.text()).toBe(`photo readings/${DEMO_USERS.owner}/nov2.jpg`);
  // It is not a room still to read, and the billing run would not bill it.
  const pending = await sheet('pending');
  expect(pending.rows.map((r) => r.roomId)).not.toContain(OWNER_ROOM);
});

test('staff accept a report, or correct it with a reason; the anomaly rules apply; audited', async () => {
  const ownerDoc = readingOf(OWNER_ROOM) as unknown as { _id: string; current: string };
  // Only staff who enter readings decide; an owner or a cashier may not.
  for (const who of [DEMO_USERS.owner, DEMO_USERS.cashier]) {
    expect(
      await raw(
        {
          action: 'reviewOwnerReading',
          communityId: C,
          readingId: ownerDoc._id,
          decision: 'accept',
        },
        who,
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  const accepted = await fee<{ reading: MeterReadingView; message: string | null }>(
    { action: 'reviewOwnerReading', communityId: C, readingId: ownerDoc._id, decision: 'accept' },
    DEMO_USERS.service,
  );
  expect(accepted).toMatchObject({
    reading: {
      status: 'ok',
      current: ownerDoc.current,
      ownerReading: { current: ownerDoc.current },
    },
    message: null,
  });
  // Taken: the owner is told, and cannot replace it any more.
  const again = await raw(
    {
      action: 'submitReading',
      roomId: OWNER_ROOM,
      itemId: DEMO_METER_ITEM,
      current: String(Number(ownerDoc.current) + 1),
      photo: await ownPhoto(DEMO_USERS.owner, 'nov3'),
    },
    DEMO_USERS.owner,
  );
  expect(again).toMatchObject({
    ok: false,
    code: 'CONFLICT',
    message: '本月读数物业已经抄录，无需再报',
  });
  const { meters } = await fee<{ meters: OwnerMeterView[] }>(
    { action: 'myMeters' },
    DEMO_USERS.owner,
  );
  expect(meters[0]).toMatchObject({
    reading: { status: 'ok', byOwner: true },
    blocked: 'staffRead',
  });

  // The elder reports; the figure on the photo is far larger: finance must confirm the spike.
  const last = lastReading(ELDER_ROOM);
  await fee(
    {
      action: 'submitReading',
      roomId: ELDER_ROOM,
      itemId: DEMO_METER_ITEM,
      current: String(Number(last.current) + 12),
      photo: await ownPhoto(DEMO_USERS.elder, 'eldernov'),
    },
    DEMO_USERS.elder,
  );
  const elderDoc = readingOf(ELDER_ROOM) as unknown as { _id: string };
  const noReason = await raw(
    {
      action: 'reviewOwnerReading',
      communityId: C,
      readingId: elderDoc._id,
      decision: 'correct',
      current: String(Number(last.current) + 520),
    },
    DEMO_USERS.finance,
  );
  expect(noReason).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((noReason as { message: string }).message).toMatch(/^note: 请填写更正原因/);
  const corrected = await fee<{ reading: MeterReadingView; message: string | null }>(
    {
      action: 'reviewOwnerReading',
      communityId: C,
      readingId: elderDoc._id,
      decision: 'correct',
      current: String(Number(last.current) + 520),
      note: '照片显示首位为 5，业主少看一位',
    },
    DEMO_USERS.finance,
  );
  expect(corrected.reading).toMatchObject({
    status: 'flagged',
    flags: ['spike'],
    current: String(Number(last.current) + 520),
    ownerReading: { current: String(Number(last.current) + 12) },
  });
  expect(corrected.message).toMatch(/5 倍/);
  // Decided once: a second decision is refused.
  expect(
    await raw(
      { action: 'reviewOwnerReading', communityId: C, readingId: elderDoc._id, decision: 'accept' },
      DEMO_USERS.finance,
    ),
  ).toMatchObject({ ok: false, code: 'CONFLICT' });

  const log = cloud.store.find('audit_log', { targetType: 'meterReading' }, { sort: { at: 1 } });
  expect(log.map((e) => [e.action, e.actor, e.targetId])).toEqual([
    ['reading.acceptOwner', DEMO_USERS.service, ownerDoc._id],
    ['reading.correctOwner', DEMO_USERS.finance, elderDoc._id],
  ]);
  expect(log[1]!.summary).toMatch(/照片显示首位为 5/);
  const counts = (await sheet('all')).counts;
  expect(counts).toMatchObject({ submitted: 0 });
});
