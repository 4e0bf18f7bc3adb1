/** 消息订阅: one consent request from a tap, results per template shown as WeChat reports them. */
import { SUBSCRIBE_TEMPLATES } from '../../miniprogram/config';
import { stubWx } from './wx-stub';
import { loadPage, tapButton, textOf } from './page';

describe('subscriptions page', () => {
  test('asks for every template in one request and shows each outcome', async () => {
    const stub = stubWx({});
    const [a, b, c] = SUBSCRIBE_TEMPLATES.map((t) => t.id);
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { tmplIds: string[]; success: (r: object) => void }) =>
        o.success({
          errMsg: 'requestSubscribeMessage:ok',
          [a!]: 'accept',
          [b!]: 'reject',
          [c!]: 'accept',
        }),
    );
    const page = await loadPage('pages/subscriptions/index');
    expect(textOf(page)).toContain('物业费缴费通知');
    await tapButton(page, '.subscribe');
    const req = (stub.wx.requestSubscribeMessage as jest.Mock).mock.calls[0][0] as {
      tmplIds: string[];
    };
    expect(req.tmplIds).toEqual([a, b, c]);
    expect(req.tmplIds.length).toBeLessThanOrEqual(3);
    const text = textOf(page);
    expect(text).toContain('已订阅一次');
    expect(text).toContain('未订阅');
    expect(text).toContain('再次订阅提醒');
    expect(stub.wx.showToast).toHaveBeenCalledWith({ title: '已为您订阅 2 项提醒', icon: 'none' });
  });

  test('a failed request is explained politely', async () => {
    const stub = stubWx({});
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { fail: (e: object) => void }) =>
        o.fail({ errMsg: 'requestSubscribeMessage:fail 20004', errCode: 20004 }),
    );
    const page = await loadPage('pages/subscriptions/index');
    await tapButton(page, '.subscribe');
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '抱歉，订阅未成功，请稍后再试',
      icon: 'none',
    });
  });
});
