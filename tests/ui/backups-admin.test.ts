/**
 * 数据备份 (admin/backups): the backups list (complete and still running, each collection's count
 * and checksum on tap, the empty state before the first night), admins only. The kept days are
 * set in 部署设置 (tests/ui/finance-admin.test.ts).
 */
import { ADMIN, FINANCE } from './fixtures';
import { callsOf, ok, stubWx } from './wx-stub';
import { loadPage, tapNth, textOf } from './page';
import type { BackupList } from '../../miniprogram/domain/backup/contract';

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
    const page = await loadPage('admin/backups/index');
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
    const empty = await loadPage('admin/backups/index');
    expect(empty.data.status).toBe('empty');
    expect(textOf(empty)).toContain('还没有备份');

    const stub = stubWx({ 'account.whoami': ok(FINANCE) });
    const page = await loadPage('admin/backups/index');
    expect(page.data.status).toBe('forbidden');
    expect(callsOf(stub, 'list')).toHaveLength(0);
  });
});
