/** 我的房屋: rooms from owner.home; an empty state that says how to bind a room. */
import { HOME_ARREARS, HOME_NO_ROOMS } from './fixtures';
import { ok, openPage, queryAll, settle, stubWx, textOf } from './helpers';

describe('rooms page', () => {
  test('lists rooms with community, area and relation; a room opens its bills', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS) });
    const page = openPage('pages/rooms/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('1栋1单元1501');
    expect(text).toContain('建筑面积 136.88 m²');
    expect(text).toContain('业主');
    queryAll(page, '.room')[1]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
  });

  test('no rooms: polite guidance instead of an empty list', async () => {
    stubWx({ 'owner.home': ok(HOME_NO_ROOMS) });
    const page = openPage('pages/rooms/index');
    await settle();
    expect(textOf(page)).toContain('您还没有绑定房屋');
    expect(textOf(page)).toContain('请携带房产证明或租赁合同到物业服务中心办理绑定');
  });
});
