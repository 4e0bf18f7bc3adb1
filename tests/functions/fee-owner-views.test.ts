/**
 * What owners read from the fee function: a bill's detail, every line explained with its
 * standard (NOT_FOUND for anyone else), and the published standards with the 12358 hotline.
 */
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { feeTools } from '../helpers/fee';
import type { BillDetailView, PublicStandardsView } from '../../miniprogram/domain/fee/contract';

const C = DEMO_COMMUNITY_ID;
const cloud = useTestCloud({ seed: 'demo' });
const { fee, feeRaw, nextQuarter, previewDone } = feeTools(cloud);

describe('owners', () => {
  test('bill detail explains every line with its standard; other people get NOT_FOUND', async () => {
    const period = nextQuarter();
    await previewDone(period);
    await fee({ action: 'issue', communityId: C, period });
    const billId = `b_r_1_1_1501_${period}_energy+property`;
    const d = await fee<BillDetailView>({ action: 'billDetail', billId }, DEMO_USERS.owner);
    expect(d).toMatchObject({
      roomLabel: '1栋1单元1501',
      communityName: '翠湖花园',
      amountDueFen: 96500 + 6160,
      contacts: { servicePhone: '0571-8888 6666', priceHotline: '12358' },
    });
    expect(d.lines[0]).toMatchObject({
      name: '物业服务费',
      basis: '建筑面积 136.88 m² × 2.3500 元/m²/月 × 3 个月 = ¥965.00',
      standard: {
        priceText: '2.3500 元/m²/月（按建筑面积）',
        approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
      },
    });
    expect(d.paymentMethods.map((m) => m.label)).toEqual(['微信支付', '现金', '刷卡', '银行转账']);
    // A seeded (older) bill gets its amount added to the basis and the standard of its period.
    const seeded = cloud.store.find('bills', { roomId: 'r_1_1_1501', key: 'property' })[0]!;
    const old = await fee<BillDetailView>(
      { action: 'billDetail', billId: seeded._id },
      DEMO_USERS.owner,
    );
    expect(old.lines[0]!.basis).toBe('建筑面积 136.88 m² × 2.3500 元/m²/月 × 3 个月 = ¥965.00');
    expect(old.lines[0]!.standard).toMatchObject({ name: '物业服务费' });
    // Someone else's bill, an unknown bill, and a stranger: NOT_FOUND all alike.
    for (const [openid, id] of [
      [DEMO_USERS.paid, billId],
      ['o_stranger', billId],
      [DEMO_USERS.owner, 'b_nope'],
    ] as const) {
      expect(await feeRaw({ action: 'billDetail', billId: id }, openid)).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
    }
    // Staff of the community may look.
    expect(await feeRaw({ action: 'billDetail', billId }, DEMO_USERS.cashier)).toMatchObject({
      ok: true,
    });
  });

  test('bound owners see the published standards with the 12358 hotline; strangers do not', async () => {
    const v = await fee<PublicStandardsView>(
      { action: 'publicStandards', communityId: C },
      DEMO_USERS.owner,
    );
    expect(v.priceHotline).toBe('12358');
    expect(v.notice).toMatch(/12358/);
    expect(v.standards.find((s) => s.itemId === 'property')).toMatchObject({
      priceText: '2.35 元/m²/月（按建筑面积）',
      rules: expect.arrayContaining(['空置优惠：经审批的空置期间减收 30%', '不收取滞纳金']),
    });
    expect(await feeRaw({ action: 'publicStandards', communityId: C }, 'o_stranger')).toMatchObject(
      {
        ok: false,
        code: 'NOT_FOUND',
      },
    );
  });
});
