/**
 * Complaint photos on the local cloud (issue 20): an owner attaches only photos they uploaded on
 * the page into their own folder — another owner's, a generated file or one never uploaded is
 * refused naming `photos`, for a new ticket and for a reply alike, and nothing is written; views
 * answer the photos as links, never file ids, so the desk (which cannot read an owner's upload
 * by id) sees them through the function. The demo's repair ticket shows both sides.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  FiledTicket,
  OwnerTicketView,
  StaffTicketView,
} from '../../miniprogram/domain/complaint/contract';
import { useTestCloud } from '../helpers/cloud';
import {
  PNG,
  clientGet,
  fetchLinked,
  idOfPath,
  pathOfId,
  pathOfLink,
  uploadAs,
} from '../helpers/files';
import { counts } from './community-helpers';

const C = 'c_cuihu';
const { owner, paid, elder, service } = DEMO_USERS;
const ROOM = 'r_1_1_1501';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const raw = (event: Record<string, unknown>, openid: string) =>
  cloud.call('complaint', event, openid) as Promise<Reply<unknown>>;

async function call<T>(event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await raw(event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}

const filing = (requestId: string, photos: string[]) => ({
  action: 'file',
  requestId,
  roomId: ROOM,
  kind: 'complaint',
  category: 'service',
  description: '楼道灯坏了很多天没人修',
  photos,
});

/** Photos no owner may attach as their own. */
const NOT_MINE = [
  idOfPath(`complaints/${paid}/x.jpg`), // another owner's folder
  idOfPath(`exports/${C}/0123456789abcdef0123456789abcdef/notice.pdf`), // a generated file
  idOfPath(`complaints/${owner}/never-uploaded.jpg`), // never uploaded
  idOfPath(`complaints/${owner}/script.html`), // a type the folder does not take
];

test('a ticket and a reply take only the owner’s own uploads; the refusal names photos and writes nothing', async () => {
  await uploadAs(cloud, paid, `complaints/${paid}/x.jpg`, PNG);
  const before = counts(cloud);
  for (const [i, photo] of NOT_MINE.entries()) {
    expect(await raw(filing(`req-photo-bad-${i}`, [photo]), owner)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^photos: /),
    });
  }
  expect(counts(cloud)).toEqual(before);

  const mine = await uploadAs(cloud, owner, `complaints/${owner}/lamp.png`, PNG);
  const filed = await call<FiledTicket>(filing('req-photo-ok-1', [mine]), owner);
  const ticket = () => cloud.store.find('complaints', { _id: filed.ticketId })[0]!;
  const events = (ticket().events as unknown[]).length;
  for (const photo of NOT_MINE) {
    expect(
      await raw(
        { action: 'ownerReply', ticketId: filed.ticketId, text: '补充', photos: [photo] },
        owner,
      ),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^photos: /),
    });
  }
  expect((ticket().events as unknown[]).length).toBe(events);
  const replied = await call<OwnerTicketView>(
    { action: 'ownerReply', ticketId: filed.ticketId, text: '补充照片', photos: [mine] },
    owner,
  );
  expect(replied.timeline.at(-1)).toMatchObject({
    kind: 'owner-reply',
    photos: [expect.stringMatching(/^http/)],
  });
});

test('views carry links, never file ids: the owner and the desk see the photo; the desk cannot read it by id', async () => {
  const photo = await uploadAs(cloud, owner, `complaints/${owner}/stairs.png`, PNG);
  const filed = await call<FiledTicket>(filing('req-photo-ok-2', [photo]), owner);
  const desk = await call<StaffTicketView>(
    { action: 'staffDetail', communityId: C, ticketId: filed.ticketId },
    service,
  );
  const seen = await call<OwnerTicketView>({ action: 'detail', ticketId: filed.ticketId }, owner);
  expect(JSON.stringify([desk, seen])).not.toContain('cloud://');
  for (const view of [desk, seen]) {
    expect(view.photos.map(pathOfLink)).toEqual([pathOfId(photo)]);
    expect(await fetchLinked({ tempFileURL: view.photos[0]! })).toEqual(PNG);
  }
  expect((await clientGet(cloud, photo, service)).status).toBe(403);
  expect((await clientGet(cloud, photo, owner)).status).toBe(200);
});

test('the demo’s repair photo: its owner and the desk see it through links; the desk cannot read it by id', async () => {
  const [photo] = cloud.store.find('complaints', { _id: 'cp_demo_repair' })[0]!.photos as string[];
  expect(pathOfId(photo!)).toBe(`complaints/${elder}/demo-leak.png`);
  const desk = await call<StaffTicketView>(
    { action: 'staffDetail', communityId: C, ticketId: 'cp_demo_repair' },
    service,
  );
  const mine = await call<OwnerTicketView>({ action: 'detail', ticketId: 'cp_demo_repair' }, elder);
  for (const view of [desk, mine]) {
    expect(view.photos).toHaveLength(1);
    const bytes = await fetchLinked({ tempFileURL: view.photos[0]! });
    expect(bytes.subarray(0, 8)).toEqual(PNG);
  }
  expect((await clientGet(cloud, photo!, service)).status).toBe(403);
  expect((await clientGet(cloud, photo!, elder)).status).toBe(200);
});
