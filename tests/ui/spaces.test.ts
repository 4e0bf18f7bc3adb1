/**
 * 车位与储藏室 (admin/spaces): the list by kind with holders and plates as the server masks them,
 * adding a rented space for a room found by number (checked with saveSpace's contract first),
 * ending a rental with a reason, an import refused with its problems by row; other staff read
 * only. And the owner's bills page: a parking space's bill under its room (车位 B2-017).
 */
import { ADMIN, BILLS, CASHIER, HOME_ARREARS } from './fixtures';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import { loadPage, queryAll, settle, tap, tapButton, tapNth, textOf, typeInto } from './page';
import type { Page } from '../../miniprogram/domain/kernel/contract';
import type { RoomListItem } from '../../miniprogram/domain/community/contract';
import type {
  SpaceImportReport,
  SpaceListItem,
} from '../../miniprogram/domain/community/spaces.contract';

const B2_017: SpaceListItem = {
  spaceId: 'sp_c_cuihu_B2-017',
  number: 'B2-017',
  zone: '地下二层 B 区',
  kind: 'rented',
  kindLabel: '月租车位',
  label: '车位 B2-017',
  areaCentiM2: null,
  area: '',
  holderRoomId: 'r_1_1_1501',
  holderRoomLabel: '1栋1单元1501',
  holderOwnerId: 'p1',
  holderName: '王**',
  plates: ['粤B***45'],
  startDate: '2026-05-01',
  endDate: null,
  status: 'active',
  statusLabel: '使用中',
};
const S_04: SpaceListItem = {
  ...B2_017,
  spaceId: 'sp_c_cuihu_S-04',
  number: 'S-04',
  kind: 'storeroom',
  kindLabel: '储藏室',
  label: '储藏室 S-04',
  area: '9.20',
  areaCentiM2: 920,
  holderRoomId: null,
  holderRoomLabel: '',
  holderOwnerId: null,
  holderName: '',
  plates: [],
  startDate: null,
  status: 'idle',
  statusLabel: '空闲',
};
const LIST: Page<SpaceListItem> = { items: [B2_017, S_04], nextCursor: null, total: 2 };

const REFUSED: SpaceImportReport = {
  status: 'invalid',
  dataRows: 3,
  fileErrors: [],
  errors: [
    { row: 3, column: '类型', message: '类型应为 产权车位、月租车位、储藏室，而不是“包月”' },
    { row: 5, column: '房号', message: '没有 9栋1单元101 这间房屋' },
  ],
  errorCount: 2,
  counts: { added: 0, changed: 0, unchanged: 0 },
};

describe('车位与储藏室', () => {
  test('an admin sees the list, adds a rented space for a room and ends a rental', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'community.spaces': ok(LIST),
      'community.rooms': ok<Page<Partial<RoomListItem>>>({
        items: [{ roomId: 'r_3_2_801', label: '3栋2单元801' }],
        nextCursor: null,
        total: 1,
      }),
      'community.saveSpace': ok({ ...B2_017, number: 'B2-021' }),
      'community.endSpace': ok({ ...B2_017, endDate: '2026-11-20' }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/spaces/index');
    const text = textOf(page);
    expect(text).toContain('车位 B2-017');
    expect(text).toContain('1栋1单元1501 王** · 2026-05-01 起');
    expect(text).toContain('车牌 粤B***45');
    expect(text).toContain('储藏室 S-04');
    expect(text).toContain('暂无使用人');
    expect(text).toContain('完整表格（可改后导入）');

    await tapButton(page, '.add');
    await typeInto(page, ['.f-number'], 'b2-021');
    await typeInto(page, ['.f-plates'], '粤B1234');
    await typeInto(page, ['.f-room'], '801');
    await tapButton(page, '.find-room');
    await settle();
    await tap(page, '.match');
    expect(textOf(page)).toContain('使用人房屋：3栋2单元801');
    await tapButton(page, '.save');
    // the contract's own check: nothing sent with a malformed plate
    expect(textOf(page)).toContain('车牌格式不正确');
    expect(callsOf(stub, 'saveSpace')).toHaveLength(0);
    await typeInto(page, ['.f-plates'], '粤B12345');
    await tapButton(page, '.save');
    await settle();
    expect(callsOf(stub, 'saveSpace')[0]!.data).toMatchObject({
      communityId: 'c_cuihu',
      number: 'b2-021',
      kind: 'rented',
      holderRoomId: 'r_3_2_801',
      plates: ['粤B12345'],
      startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    await tapButton(page, '.end');
    await tapButton(page, '.confirm-end');
    expect(textOf(page)).toContain('请填写结束原因');
    await typeInto(page, ['.f-reason'], '业主退租');
    await tapButton(page, '.confirm-end');
    await settle();
    expect(callsOf(stub, 'endSpace')[0]!.data).toMatchObject({
      spaceId: 'sp_c_cuihu_B2-017',
      reason: '业主退租',
      endDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  test('a storeroom tab asks for its kind; an import refused is shown by row with nothing to confirm', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'community.spaces': ok(LIST),
      'community.importSpaces': ok(REFUSED),
    });
    stub.wx.chooseMessageFile = jest.fn(async () => ({
      errMsg: 'chooseMessageFile:ok',
      tempFiles: [
        { path: 'wxfile://tmp.csv', size: 2_048, name: '车位.csv', type: 'file', time: 0 },
      ],
    }));
    (stub.wx.cloud as Record<string, unknown>).uploadFile = jest.fn(
      async (o: { cloudPath: string }) => ({ fileID: `cloud://local-dev.bucket/${o.cloudPath}` }),
    );
    const page = await loadPage('admin/spaces/index');
    await tapNth(page, '.tab', 3);
    expect(callsOf(stub, 'spaces').at(-1)!.data).toMatchObject({ kind: 'storeroom' });
    await tapButton(page, '.import');
    await settle();
    const text = textOf(page);
    expect(text).toContain('共 2 处问题，整个文件未导入');
    expect(text).toContain('第 3 行');
    expect(text).toContain('房号：没有 9栋1单元101 这间房屋');
    expect(queryAll(page, '.apply-import')).toHaveLength(0);
    expect(callsOf(stub, 'importSpaces')[0]!.data.fileID).toMatch(
      /^cloud:\/\/.+\/imports\/c_cuihu\/\d+\.(xlsx|csv)$/,
    );
  });

  test('the list comes a page at a time: 加载更多 and scrolling to the bottom ask for the next', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'community.spaces': (input: Record<string, unknown>) =>
        ok<Page<SpaceListItem>>(
          input.cursor === 'p2'
            ? { items: [S_04], nextCursor: null, total: 2 }
            : { items: [B2_017], nextCursor: 'p2', total: 2 },
        ),
    });
    const page = await loadPage('admin/spaces/index');
    expect(callsOf(stub, 'spaces')[0]!.data).toMatchObject({ limit: 50 });
    expect(callsOf(stub, 'spaces')[0]!.data.cursor).toBeUndefined();
    expect(page.data.items).toHaveLength(1);
    (page.instance as unknown as { onReachBottom(): void }).onReachBottom();
    await settle();
    expect(callsOf(stub, 'spaces')[1]!.data).toMatchObject({ cursor: 'p2', limit: 50 });
    expect(page.data.items).toHaveLength(2);
    expect(page.data).toMatchObject({ total: 2, nextCursor: null });
  });

  test('a cashier reads the list without the buttons that change it', async () => {
    stubWx({ 'account.whoami': ok(CASHIER), 'community.spaces': ok(LIST) });
    const page = await loadPage('admin/spaces/index');
    expect(textOf(page)).toContain('车位 B2-017');
    expect(queryAll(page, '.add')).toHaveLength(0);
    expect(queryAll(page, '.export')).toHaveLength(1);
    expect(queryAll(page, '.export-full')).toHaveLength(0);
    expect(queryAll(page, '.end')).toHaveLength(0);
  });
});

test('the owner’s bills: a parking space’s bill under its room', async () => {
  const space = {
    ...BILLS.unpaid[0]!,
    billId: 'b_r_1_1_1501_2026-11_parkrent@B2-017',
    period: '2026-11',
    title: '车位 B2-017 · 车位月租',
    amountDueFen: 30_000,
    outstandingFen: 30_000,
    dueDate: '2026-11-28',
    overdueDays: 0,
    spaceLabel: '车位 B2-017',
  };
  stubWx({
    'owner.bills': ok({ ...BILLS, unpaid: [...BILLS.unpaid, space] }),
    'owner.home': ok(HOME_ARREARS),
  });
  const page = await loadPage('pages/bills/index');
  const text = textOf(page);
  expect(text).toContain('车位 B2-017 · 车位月租');
  expect(text).toContain('1栋1单元1501 · 车位 B2-017 · 账期');
  expect(text).toContain('¥300.00');
});
