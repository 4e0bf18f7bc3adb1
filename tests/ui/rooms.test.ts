/**
 * 我的房屋: rooms from owner.home with their bindings (binding.mine): bills per room, 家人与租户 for
 * owners, unbinding, requests waiting for review (withdrawable) and refusals with the reason;
 * the ways to bind another room.
 */
import { myBinding } from './community-fixtures';
import { HOME_ARREARS, HOME_NO_ROOMS } from './fixtures';
import { confirmAll, fail, ok, stubWx } from './wx-stub';
import { loadPage, queryAll, settle, tapButton, textOf } from './page';

const MINE_OWNER = {
  bindings: [
    myBinding({
      bindingId: 'r_1_1_1501:o_demo_owner',
      roomId: 'r_1_1_1501',
      roomLabel: '1栋1单元1501',
    }),
    myBinding({
      bindingId: 'r_2_1_302:o_demo_owner',
      roomId: 'r_2_1_302',
      roomLabel: '2栋1单元302',
    }),
  ],
};

describe('rooms page', () => {
  test('lists rooms with community, area and relation; a room opens its bills', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS), 'binding.mine': ok(MINE_OWNER) });
    const page = await loadPage('pages/rooms/index');
    const text = textOf(page);
    expect(text).toContain('1栋1单元1501');
    expect(text).toContain('建筑面积 136.88 m²');
    expect(text).toContain('业主');
    expect(text).toContain('家人与租户');
    queryAll(page, '.room')[1]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
  });

  test('家人与租户 opens the members page of that room, not its bills', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS), 'binding.mine': ok(MINE_OWNER) });
    const page = await loadPage('pages/rooms/index');
    queryAll(page, '.members')[1]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: `/pages/bind/members?roomId=r_2_1_302&label=${encodeURIComponent('2栋1单元302')}`,
    });
    expect(stub.wx.switchTab).not.toHaveBeenCalled();
  });

  test('解除绑定 asks first, then cancels that binding and reloads', async () => {
    const stub = stubWx({
      'owner.home': ok(HOME_ARREARS),
      'binding.mine': ok(MINE_OWNER),
      'binding.cancel': ok(myBinding({ status: 'revoked' })),
    });
    confirmAll(stub);
    const page = await loadPage('pages/rooms/index');
    queryAll(page, '.unbind')[0]!.dispatchEvent('tap');
    await settle();
    const cancel = stub.calls.find((c) => c.data.action === 'cancel');
    expect(cancel?.data).toEqual({ action: 'cancel', bindingId: 'r_1_1_1501:o_demo_owner' });
    expect(stub.calls.filter((c) => c.data.action === 'home')).toHaveLength(2);
  });

  test('a request waiting for review can be withdrawn; a refusal shows the reason', async () => {
    const stub = stubWx({
      'owner.home': ok(HOME_NO_ROOMS),
      'binding.mine': ok({
        bindings: [
          myBinding({ status: 'pending-review', decidedAt: null }),
          myBinding({
            bindingId: 'r_4_1_1002:o_demo_newcomer',
            roomLabel: '4栋1单元1002',
            status: 'rejected',
            reason: '非本房屋业主',
          }),
        ],
      }),
      'binding.cancel': ok(myBinding({ status: 'revoked' })),
    });
    confirmAll(stub);
    const page = await loadPage('pages/rooms/index');
    const text = textOf(page);
    expect(text).toContain('认证记录');
    expect(text).toContain('待审核');
    expect(text).toContain('物业客服审核后会通知您');
    expect(text).toContain('未通过原因：非本房屋业主');
    expect(queryAll(page, '.withdraw')).toHaveLength(1);
    queryAll(page, '.withdraw')[0]!.dispatchEvent('tap');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'cancel')?.data.bindingId).toBe(
      'r_4_1_1001:o_demo_newcomer',
    );
  });

  test('no rooms: how to bind one online, or with an invite code', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_NO_ROOMS), 'binding.mine': ok({ bindings: [] }) });
    const page = await loadPage('pages/rooms/index');
    expect(textOf(page)).toContain('您还没有绑定房屋');
    expect(textOf(page)).toContain('填写物业登记的业主姓名和手机号，即可在线认证房屋');
    await tapButton(page, '.bind-btn');
    expect(stub.wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/bind/index' });
    await tapButton(page, '.join-btn');
    expect(stub.wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/bind/join' });
  });

  test('without binding.mine the rooms still show, without binding actions', async () => {
    stubWx({ 'owner.home': ok(HOME_ARREARS), 'binding.mine': fail('INTERNAL') });
    const page = await loadPage('pages/rooms/index');
    expect(textOf(page)).toContain('1栋1单元1501');
    expect(queryAll(page, '.unbind')).toHaveLength(0);
  });
});

describe('members page', () => {
  test('lists who is bound, invites a tenant with a code to copy, removes a family member', async () => {
    const stub = stubWx({
      'binding.members': ok({
        members: [
          {
            bindingId: 'r_1_1_1501:o_demo_owner',
            name: '王**',
            relation: 'owner',
            status: 'verified',
            isMe: true,
          },
          {
            bindingId: 'r_1_1_1501:o_kid',
            name: '家**',
            relation: 'family',
            status: 'verified',
            isMe: false,
          },
        ],
      }),
      'binding.invite': ok({
        code: 'AB12CD34',
        expiresAt: '2026-11-30T06:03:00.000Z',
        relation: 'tenant',
        roomLabel: '1栋1单元1501',
      }),
      'binding.cancel': ok(myBinding({ status: 'revoked' })),
    });
    stub.wx.setClipboardData = jest.fn();
    confirmAll(stub);
    const page = await loadPage('pages/bind/members', {
      roomId: 'r_1_1_1501',
      label: '1栋1单元1501',
    });
    expect(textOf(page)).toContain('王**（我）');
    expect(queryAll(page, '.remove')).toHaveLength(1);

    await tapButton(page, '.invite-tenant');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'invite')?.data).toEqual({
      action: 'invite',
      roomId: 'r_1_1_1501',
      relation: 'tenant',
    });
    expect(textOf(page)).toContain('AB12 CD34');
    expect(textOf(page)).toContain('有效期至 2026年11月30日 14:03');
    await tapButton(page, '.copy');
    expect(stub.wx.setClipboardData).toHaveBeenCalledWith({ data: 'AB12CD34' });

    queryAll(page, '.remove')[0]!.dispatchEvent('tap');
    await settle();
    expect(stub.calls.find((c) => c.data.action === 'cancel')?.data.bindingId).toBe(
      'r_1_1_1501:o_kid',
    );
  });
});
