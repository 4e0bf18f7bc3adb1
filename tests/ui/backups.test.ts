/**
 * 数据备份 (admin/backups) and the two settings that go with it in 部署设置: the backups list
 * (complete and still running, each collection's count and checksum on tap, the empty state
 * before the first night), and the kept days and owners' reading window checked with
 * settings.update's contract before sending.
 */
import { ADMIN, FINANCE } from './fixtures';
import {
  callsOf,
  ok,
  openPage,
  settle,
  stubWx,
  tap,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './helpers';
import type { BackupList } from '../../miniprogram/domain/backup/contract';
import type { DeploymentSettings } from '../../miniprogram/domain/settings/contract';

const file = (collection: string, documents: number) => ({
  collection,
  documents,
  bytes: documents * 60,
  sha256: `${collection.length.toString(16).padStart(2, '0')}`.repeat(32),
});

const LIST: BackupList = {
  keepDays: 30,
  collectionsExpected: 50,
  backups: [
    {
      date: '2026-11-26',
      status: 'running',
      startedAt: '2026-11-25T18:00:00.000Z',
      finishedAt: null,
      collections: 2,
      documents: 1440,
      bytes: 86_400,
      keptUntil: '2026-12-25',
      files: [file('communities', 1), file('bills', 1439)],
    },
    {
      date: '2026-11-25',
      status: 'done',
      startedAt: '2026-11-24T18:00:00.000Z',
      finishedAt: '2026-11-24T18:00:04.000Z',
      collections: 50,
      documents: 5524,
      bytes: 2_300_000,
      keptUntil: '2026-12-24',
      files: [file('communities', 1), file('bills', 1152)],
    },
  ],
};

describe('数据备份 (admin/backups)', () => {
  test('each night’s backup with its size, kept-until date and checksums on tap', async () => {
    stubWx({ 'account.whoami': ok(ADMIN), 'backup.list': ok(LIST) });
    const page = openPage('admin/backups/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('保留 30 天');
    expect(text).toContain('11月25日备份');
    expect(text).toContain('已完成 · 2026年11月25日 02:00');
    expect(text).toContain('50 个集合 · 5524 条记录 · 2.2 MB');
    expect(text).toContain('保留至 12月24日');
    expect(text).toContain('进行中（2/50 个集合）');
    expect(text).not.toContain('1152 条');
    await tapNth(page, '.backup', 1);
    expect(page.data.open).toBe('2026-11-25');
    expect(textOf(page)).toContain('1152 条');
    expect(textOf(page)).toContain('050505050505');
  });

  test('before the first night: a polite empty state; other roles may not look', async () => {
    stubWx({ 'account.whoami': ok(ADMIN), 'backup.list': ok({ ...LIST, backups: [] }) });
    const empty = openPage('admin/backups/index');
    await settle();
    expect(empty.data.status).toBe('empty');
    expect(textOf(empty)).toContain('还没有备份');

    const stub = stubWx({ 'account.whoami': ok(FINANCE) });
    const page = openPage('admin/backups/index');
    await settle();
    expect(page.data.status).toBe('forbidden');
    expect(callsOf(stub, 'list')).toHaveLength(0);
  });
});

const SETTINGS: DeploymentSettings = {
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  subMchId: '1900000109',
  templates: {},
  refundApprovalFen: 100000,
  quietHours: { from: '21:00', to: '08:00' },
  bindingReview: 'auto',
  backupKeepDays: 30,
  readingWindowDays: 7,
};

const COMMUNITY = {
  communityId: 'c_cuihu',
  name: '翠湖花园',
  address: '',
  servicePhone: '',
  serviceHours: '',
  frontDesk: '',
  paymentMethods: ['wechat'],
};

describe('部署设置: 抄表与备份', () => {
  test('kept days and the reading window are checked by the contract, then sent as numbers', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
      'settings.update': (input: Record<string, unknown>) => ok({ ...SETTINGS, ...input }),
    });
    const page = openPage('admin/settings/index');
    await settle();
    expect(page.data.deploy).toMatchObject({ keepDaysText: '30', windowDaysText: '7' });
    await typeInto(page, ['.f-keep'], '400');
    await typeInto(page, ['.f-window'], '20');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')).toHaveLength(0);
    expect(page.data.deployErrors.keepDays).toBe('备份保留天数应为 1–365 的整数');
    expect(page.data.deployErrors.windowDays).toBe('自助抄表天数应为 0–15 的整数');
    expect(textOf(page)).toContain('备份保留天数应为 1–365 的整数');

    await typeInto(page, ['.f-keep'], '14');
    await typeInto(page, ['.f-window'], '0');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')[0]!.data).toMatchObject({
      backupKeepDays: 14,
      readingWindowDays: 0,
    });
    expect(page.data.deploy).toMatchObject({ keepDaysText: '14', windowDaysText: '0' });
  });

  test('查看备份记录 opens the backups page', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
    });
    const page = openPage('admin/settings/index');
    await settle();
    await tap(page, '.backups-link');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/backups/index' });
  });
});
