/**
 * 认证房屋 (pages/bind): the room is picked level by level (nothing personal travels), the form is
 * checked before anything is sent, and each outcome reads right — bound at once, waiting for
 * review, a mismatch that never says what is on record, and the rate limit that stops retries.
 */
import { BUILDINGS, COMMUNITIES, MISMATCH, ROOMS_4_1, myBinding } from './community-fixtures';
import { fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  openPage,
  query,
  type Rendered,
  settle,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';

function bindStub(request: unknown) {
  return stubWx({
    'binding.communities': ok(COMMUNITIES),
    'binding.buildings': ok(BUILDINGS),
    'binding.rooms': ok(ROOMS_4_1),
    'binding.request': request,
  });
}

const requests = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.filter((c) => c.data.action === 'request').map((c) => c.data);

/** The bind page opened, the only community chosen for the owner; then 4栋 → 1单元 → 1001. */
async function roomPicked(): Promise<Rendered> {
  const page = openPage('pages/bind/index');
  await settle();
  expect(textOf(page)).toContain('请选择楼栋');
  await tapNth(page, '.building-chip', 3);
  expect(textOf(page)).toContain('请选择单元');
  await tapNth(page, '.unit-chip', 0);
  await settle();
  expect(textOf(page)).toContain('请选择房号');
  await tapNth(page, '.room-chip', 2);
  return page;
}

async function fillAndSubmit(page: Rendered, name = '林晓梅', mobile = '13900001001') {
  await typeInto(page, ['.f-name'], name);
  await typeInto(page, ['.f-mobile'], mobile);
  await tapButton(page, '.submit-btn');
  await settle();
}

describe('bind page', () => {
  test('picks the room level by level, sends name + mobile, and shows 认证成功', async () => {
    const stub = bindStub(ok(myBinding()));
    const page = await roomPicked();
    const calls = stub.calls.map((c) => `${c.name}.${String(c.data.action)}`);
    expect(calls).toEqual(['binding.communities', 'binding.buildings', 'binding.rooms']);
    expect(stub.calls[2]!.data).toMatchObject({ communityId: 'c_cuihu', building: '4', unit: '1' });
    expect(textOf(page)).toContain('4栋1单元1001');
    expect(textOf(page)).toContain('填写物业登记的业主信息');

    await fillAndSubmit(page, ' 林晓梅 ', '139 0000 1001');
    expect(requests(stub)).toEqual([
      { action: 'request', roomId: 'r_4_1_1001', name: '林晓梅', mobile: '13900001001' },
    ]);
    const text = textOf(page);
    expect(text).toContain('认证成功');
    expect(text).toContain('翠湖花园 4栋1单元1001');
    expect(text).toContain('已绑定到您的微信（业主）');
  });

  test('a community that reviews bindings: 已提交，等待物业审核', async () => {
    bindStub(ok(myBinding({ status: 'pending-review', decidedAt: null })));
    const page = await roomPicked();
    await fillAndSubmit(page);
    const text = textOf(page);
    expect(text).toContain('已提交，等待物业审核');
    expect(text).toContain('物业客服审核后会通知您');
    expect(text).not.toContain('认证成功');
  });

  test('a mismatch is a polite notice on the form that says nothing about the record', async () => {
    const stub = bindStub(fail('PRECONDITION_FAILED', MISMATCH));
    const page = await roomPicked();
    await fillAndSubmit(page, '林小梅');
    const text = textOf(page);
    expect(text).toContain('信息未能核对成功');
    expect(text).toContain('填写的信息与物业登记信息不一致，请核对房号、姓名和手机号后重试');
    // still on the form, free to correct and resubmit
    expect(text).toContain('填写物业登记的业主信息');
    expect(page.data.locked).toBe(false);
    await tapButton(page, '.submit-btn');
    expect(requests(stub)).toHaveLength(2);
  });

  test('rate-limited: says how long to wait and stops further attempts', async () => {
    const stub = bindStub(
      fail('RATE_LIMITED', '尝试次数过多，请 37 分钟后再试，或到物业服务中心办理'),
    );
    const page = await roomPicked();
    await fillAndSubmit(page);
    const text = textOf(page);
    expect(text).toContain('尝试次数较多，请稍后再试');
    expect(text).toContain('请 37 分钟后再试');
    expect(text).toContain('到物业服务中心办理');
    expect(page.data.locked).toBe(true);
    expect(query(page, '.submit-btn', '.van-button').dom!.className).toMatch(/disabled/);
    await tapButton(page, '.submit-btn');
    expect(requests(stub)).toHaveLength(1);
  });

  test('the last 4 digits instead of the whole number', async () => {
    const stub = bindStub(ok(myBinding()));
    const page = await roomPicked();
    await tapNth(page, '.mode-last4', 0);
    await typeInto(page, ['.f-name'], '林晓梅');
    await typeInto(page, ['.f-last4'], '1001');
    await tapButton(page, '.submit-btn');
    await settle();
    expect(requests(stub)).toEqual([
      { action: 'request', roomId: 'r_4_1_1001', name: '林晓梅', mobileLast4: '1001' },
    ]);
  });

  test('nothing is sent until the form makes sense', async () => {
    const stub = bindStub(ok(myBinding()));
    const page = await roomPicked();
    await tapButton(page, '.submit-btn');
    expect(page.data.errors).toEqual({
      name: '请填写物业登记的业主姓名',
      mobile: '应为 11 位中国大陆手机号',
      last4: '',
    });
    expect(textOf(page)).toContain('请填写物业登记的业主姓名');
    expect(textOf(page)).toContain('应为 11 位中国大陆手机号');
    await typeInto(page, ['.f-name'], '林晓梅');
    await typeInto(page, ['.f-mobile'], '1390000');
    await tapButton(page, '.submit-btn');
    expect(page.data.errors.name).toBe('');
    expect(textOf(page)).toContain('应为 11 位中国大陆手机号');
    expect(requests(stub)).toHaveLength(0);
  });

  test('更改 goes back a level; a failed list load says so', async () => {
    stubWx({
      'binding.communities': ok(COMMUNITIES),
      'binding.buildings': ok(BUILDINGS),
      'binding.rooms': fail('INTERNAL'),
    });
    const page = await loadPage('pages/bind/index');
    await tapNth(page, '.building-chip', 0);
    await tapNth(page, '.unit-chip', 1);
    await settle();
    expect(textOf(page)).toContain('抱歉，系统暂时繁忙，请稍后再试');
    await tapNth(page, '.picked-change', 0); // 楼栋 更改 (one community: no 更改 for it)
    expect(textOf(page)).toContain('请选择楼栋');
  });
});

describe('join page', () => {
  test('a family member redeems the owner’s code and is bound', async () => {
    const stub = stubWx({
      'binding.acceptInvite': ok(myBinding({ relation: 'family' })),
    });
    const page = openPage('pages/bind/join');
    await typeInto(page, ['.f-code'], 'ab12-cd34');
    await tapButton(page, '.submit-btn');
    await settle();
    expect(stub.calls[0]!.data).toEqual({ action: 'acceptInvite', code: 'AB12CD34' });
    expect(textOf(page)).toContain('绑定成功');
    expect(textOf(page)).toContain('4栋1单元1001（家庭成员）');
  });

  test('a colleague joins the staff with kind=staff', async () => {
    const stub = stubWx({
      'staff.acceptInvite': ok({
        communityId: 'c_cuihu',
        communityName: '翠湖花园',
        roles: ['service'],
      }),
    });
    stub.wx.setNavigationBarTitle = jest.fn();
    const page = openPage('pages/bind/join', { kind: 'staff' });
    await typeInto(page, ['.f-code'], 'ZX98YW76');
    await tapButton(page, '.submit-btn');
    await settle();
    expect(stub.calls[0]!.name).toBe('staff');
    expect(textOf(page)).toContain('翠湖花园 · 客服专员');
  });

  test('an invalid code: the server’s sentence; a short code is not sent', async () => {
    const stub = stubWx({
      'binding.acceptInvite': fail('PRECONDITION_FAILED', '邀请码无效或已过期，请向邀请人重新获取'),
    });
    const page = openPage('pages/bind/join');
    await typeInto(page, ['.f-code'], 'AB12');
    await tapButton(page, '.submit-btn');
    expect(textOf(page)).toContain('邀请码为 8 位字母或数字');
    expect(stub.calls).toHaveLength(0);
    await typeInto(page, ['.f-code'], 'AB12CD35');
    await tapButton(page, '.submit-btn');
    await settle();
    expect(textOf(page)).toContain('邀请码无效或已过期，请向邀请人重新获取');
  });
});
