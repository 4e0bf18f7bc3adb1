/**
 * 数据备份 (admin): the daily backups the `backup` function keeps (`backup.list`): when each was
 * taken, what it holds, until when it is kept, and each collection's count and checksum on tap.
 * The data itself never reaches the mini-program; restoring is a console command (README).
 */
import { staffPage } from '../staff-page';
import { call } from '../../services/cloud';
import { toBackupRows, type BackupRow } from './view';

Component({
  behaviors: [staffPage({ roles: ['admin'] })],
  data: {
    rows: [] as BackupRow[],
    keepDays: 0,
    open: '',
  },
  methods: {
    async load() {
      const list = await call(
        'backup',
        'list',
        { communityId: this.data.communityId },
        { loading: false },
      );
      this.setData({ rows: toBackupRows(list), keepDays: list.keepDays });
      return list.backups.length === 0 ? 'empty' : undefined;
    },
    onToggle(e: WechatMiniprogram.BaseEvent<Record<string, never>, { date: string }>) {
      const date = String(e.currentTarget.dataset.date);
      this.setData({ open: this.data.open === date ? '' : date });
    },
    onSettings() {
      wx.navigateBack({ fail: () => wx.navigateTo({ url: '/admin/settings/index' }) });
    },
  },
});
