/** Admins: the backups kept, newest first (counts and checksums; never the data). */
import { BACKUP_COLLECTION } from '../../../../miniprogram/domain/backup/rules';
import type { backupContracts } from '../../../../miniprogram/domain/backup/contract';
import { requireRole } from '../../../_shared/roles';
import type { Handlers } from '../../../_shared/router';
import { BACKED_UP, backupView, keepDays, type BackupDoc } from '../repo/backups';

export const list: Handlers<typeof backupContracts>['list'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['admin']);
  const [keep, res] = await Promise.all([
    keepDays(ctx.db),
    ctx.db.collection(BACKUP_COLLECTION).where({}).orderBy('date', 'desc').limit(input.limit).get(),
  ]);
  return {
    keepDays: keep,
    collectionsExpected: BACKED_UP.length,
    backups: (res.data as BackupDoc[]).map((d) => backupView(d, keep)),
  };
};
