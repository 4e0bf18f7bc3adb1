/**
 * 业主认证 end to end, in real Chromium against the local cloud (demo seed): a WeChat user with no
 * room binds 4栋1单元1001 with the name and mobile on record (read from the database, as the
 * property registered them), waits for review because the community reviews bindings, a
 * customer-service colleague approves it in 认证审核, and the owner then sees the room. The
 * database is the judge at every step.
 */
import { compact, current, type Harness, useHarness, waitForRoute } from './harness';

const h = useHarness();

const NEWCOMER = 'o_demo_newcomer';
const ROOM = 'r_4_1_1001';
const BINDING = `${ROOM}:${NEWCOMER}`;

/** The room's current owner as the property has them on record. */
function ownerOnRecord(): { name: string; mobile: string } {
  const rel = h.cloud.store
    .find('room_owners', { roomId: ROOM, relation: 'owner' })
    .find((r) => !r.until);
  const owner = h.cloud.store.find('owners', { _id: rel!.ownerId })[0]!;
  return { name: owner.name as string, mobile: owner.mobile as string };
}

function bindingStatus(): string | undefined {
  return h.cloud.store.find('room_bindings', { _id: BINDING })[0]?.status as string | undefined;
}

test('a new user binds a room, staff approve it, the owner sees it verified', async () => {
  const reply = (await h.cloud.call(
    'settings',
    { action: 'update', communityId: 'c_cuihu', bindingReview: 'staff' },
    'o_demo_admin',
  )) as { ok: boolean };
  expect(reply.ok).toBe(true);
  const onRecord = ownerOnRecord();
  expect(h.cloud.store.find('room_bindings', { openid: NEWCOMER })).toEqual([]);

  // 我的 → 我的房屋: nothing bound yet
  const page = await h.open(NEWCOMER, 'pages/rooms/index');
  const rooms = current(page);
  await rooms.getByText('您还没有绑定房屋').waitFor();
  await rooms.locator('van-button', { hasText: '认证房屋' }).tap();

  // ① the room, level by level
  await waitForRoute(page, 'pages/bind/index');
  const bind = current(page);
  await bind.getByText('请选择楼栋').waitFor();
  await bind.getByText('4栋', { exact: true }).tap();
  await bind.getByText('1单元', { exact: true }).tap();
  await bind.getByText('请选择房号').waitFor();
  await bind.getByText('1001', { exact: true }).tap();

  // ② the name and mobile on record
  await bind.getByText('填写物业登记的业主信息').waitFor();
  await bind.locator('van-field[class*="f-name"] input').fill(onRecord.name);
  await bind.locator('van-field[class*="f-mobile"] input').fill(onRecord.mobile);
  await bind.locator('van-button', { hasText: '提交认证' }).tap();

  // ③ waiting for review
  await bind.getByText('已提交，等待物业审核').waitFor();
  expect(compact(await bind.innerText())).toContain('翠湖花园4栋1单元1001');
  expect(bindingStatus()).toBe('pending-review');
  await bind.locator('van-button', { hasText: '返回我的房屋' }).tap();
  await waitForRoute(page, 'pages/rooms/index');
  await current(page).getByText('认证记录').waitFor();
  expect(compact(await current(page).innerText())).toContain('待审核');

  // customer service approves it in 认证审核
  const desk = await h.open('o_demo_service', 'admin/bindings/index', 'relaunch');
  const queue = current(desk);
  await queue.getByText('4栋1单元1001').waitFor();
  expect(await queue.innerText()).toContain(`${onRecord.name[0]}**`); // masked applicant
  expect(await queue.innerText()).not.toContain(onRecord.mobile);
  await queue.locator('van-button', { hasText: '通过' }).first().tap();
  const modal = desk.locator('.wx-modal');
  await modal.waitFor();
  expect(compact(await modal.innerText())).toContain('确认通过4栋1单元1001');
  await modal.locator('.wx-modal-confirm').tap();
  await queue.getByText('暂无待审核的申请').waitFor();
  expect(bindingStatus()).toBe('verified');
  const audit = h.cloud.store.find('audit_log', { action: 'binding.approve', targetId: BINDING });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.actor).toBe('o_demo_service');

  // the owner comes back to 我的房屋: the room is theirs, its bills one tap away
  const again = await h.open(NEWCOMER, 'pages/rooms/index');
  const mine = current(again);
  await mine.getByText('家人与租户').waitFor();
  const text = compact(await mine.innerText());
  expect(text).toContain('4栋1单元1001');
  expect(text).toContain('查看账单');
  expect(text).not.toContain('认证记录');
  expect(h.external).toEqual([]);
});

/** Choose a file through the preview's chooseMessageFile (a browser file picker). */
async function chooseFile(
  page: Awaited<ReturnType<Harness['open']>>,
  name: string,
  content: string,
): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    current(page).locator('van-button', { hasText: '选择文件' }).tap(),
  ]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
}

test('an admin imports rooms from a CSV: errors by row first, then a clean file applied', async () => {
  const page = await h.open('o_demo_admin', 'admin/import/index', 'relaunch');
  const form = current(page);
  await form.getByText('导入房屋档案').waitFor();
  const header = '楼栋,单元,房号,建筑面积(㎡),业主姓名,手机号';

  await chooseFile(page, '新增房屋.csv', `${header}\n4,1,1901,abc,吴敏,13900001901\n`);
  await form.getByText('未导入任何数据').waitFor();
  expect(compact(await form.innerText())).toContain('第2行');
  expect(h.cloud.store.find('rooms', { building: '4', unit: '1', number: '1901' })).toEqual([]);

  await form.locator('van-button', { hasText: '修改后重新选择' }).tap();
  await chooseFile(page, '新增房屋.csv', `${header}\n4,1,1901,98.50,吴敏,13900001901\n`);
  await form.getByText('校验通过，可以导入').waitFor();
  const report = compact(await form.innerText());
  expect(report).toMatch(/1新增房屋/);
  expect(report).toContain('4栋1单元1901');
  expect(report).not.toContain('13900001901'); // masked in the report
  await form.locator('van-button', { hasText: '确认导入' }).tap();
  await page.locator('.wx-modal .wx-modal-confirm').tap();
  await form.getByText('导入完成').waitFor();
  const room = h.cloud.store.find('rooms', { building: '4', unit: '1', number: '1901' })[0];
  expect(room).toMatchObject({ buildingAreaCentiM2: 9850 });
  expect(h.cloud.store.find('audit_log', { action: 'roster.import' })).toHaveLength(1);
  expect(h.external).toEqual([]);
});
