/**
 * 期初导入 (finance; admin): opening balances when the system is first used — arrears from the
 * old system (期初欠费, one bill per room under a period) or prepaid balances (期初预存). Like the
 * roster import: choose an .xlsx/.csv from a chat, upload it, `fee.previewOpening` checks every
 * line (room exists and appears once, amount, not imported before with another amount) and
 * writes nothing; after reading the preview finance confirms and `fee.importOpening` writes all
 * rows or none. The same file again changes nothing.
 */
import type { OpeningPreview } from '../../domain/fee/opening.contract';
import { staffPage } from '../staff-page';
import { chooseSheetFile, sheetFailed } from '../sheet-file';
import { messageOf, callQuiet } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { addMonths } from '../../domain/fee/period';
import { toPreviewView, type PreviewView } from './view';
import type { OpeningImportResult } from '../../domain/fee/contract';
import { formatYuan } from '../../domain/kernel/money';
import { formatPeriod, shanghaiDate } from '../../domain/kernel/time';

/** The last preview per page instance (kept out of data: the page sends its rows back). */
const previews = new WeakMap<object, OpeningPreview>();

type Kind = 'arrears' | 'prepaid';
type Phase = 'idle' | 'working' | 'preview' | 'done';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

function lastMonth(): string {
  return addMonths(shanghaiDate(new Date()).slice(0, 7), -1);
}

Component({
  behaviors: [staffPage({ roles: ['finance'] })],
  data: {
    kind: 'arrears' as Kind,
    period: '',
    periodText: '',
    phase: 'idle' as Phase,
    workingText: '',
    fileName: '',
    preview: null as PreviewView | null,
    result: null as { created: number; unchanged: number; totalText: string } | null,
  },
  methods: {
    prepare() {
      const period = lastMonth();
      this.setData({ period, periodText: formatPeriod(period) });
    },
    reset() {
      previews.delete(this);
      this.setData({ phase: 'idle', preview: null, result: null, fileName: '' });
    },
    onKind(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Kind }>) {
      const kind = e.currentTarget.dataset.value;
      if (kind === this.data.kind || this.data.phase === 'working') return;
      this.setData({ kind });
      this.reset();
    },
    onShift(e: WechatMiniprogram.BaseEvent<Record<string, never>, { step: number }>) {
      if (this.data.phase === 'working') return;
      const period = addMonths(this.data.period, Number(e.currentTarget.dataset.step));
      this.setData({ period, periodText: formatPeriod(period) });
      this.reset();
    },
    onAgain() {
      this.reset();
    },
    async onChoose() {
      if (this.data.phase === 'working') return;
      const picked = await chooseSheetFile(MAX_FILE_BYTES, '分成几个文件导入');
      if (!picked) return;
      const ext = picked.format;
      this.setData({
        phase: 'working',
        workingText: '正在上传文件',
        fileName: picked.name,
        preview: null,
        result: null,
      });
      try {
        const up = await wx.cloud.uploadFile({
          cloudPath: `imports/${this.data.communityId}/opening-${Date.now()}.${ext}`,
          filePath: picked.path,
        });
        this.setData({ workingText: '正在逐行校验' });
        const p = await callQuiet('fee', 'previewOpening', {
          communityId: this.data.communityId,
          kind: this.data.kind,
          fileID: up.fileID,
          ...(this.data.kind === 'arrears' ? { period: this.data.period } : {}),
        });
        previews.set(this, p);
        this.setData({ phase: 'preview', preview: toPreviewView(p) });
      } catch (err) {
        this.setData({ phase: 'idle' });
        sheetFailed(err);
      }
    },
    async onImport() {
      const p = previews.get(this);
      if (!p || !p.ready || this.data.phase !== 'preview') return;
      const what = this.data.kind === 'arrears' ? `${this.data.periodText}期初欠费` : '期初预存';
      const ok = await confirmModal({
        title: '确认导入',
        content: `将导入${what} ${p.counts.new} 户，合计 ${formatYuan(p.newFen)}。导入后不能修改，更正需走冲红。`,
        confirmText: '确认导入',
      });
      if (!ok) return;
      this.setData({ phase: 'working', workingText: '正在导入' });
      try {
        const res: OpeningImportResult = await callQuiet('fee', 'importOpening', {
          communityId: this.data.communityId,
          kind: this.data.kind,
          ...(this.data.kind === 'arrears' ? { period: this.data.period } : {}),
          rows: p.rows.map((r) => ({
            roomId: r.roomId!,
            amountFen: r.amountFen,
            ...(r.note ? { note: r.note } : {}),
          })),
        });
        this.setData({
          phase: 'done',
          result: {
            created: res.created,
            unchanged: res.unchanged,
            totalText: formatYuan(res.totalFen),
          },
        });
      } catch (err) {
        this.setData({ phase: 'preview' });
        notice('导入未成功', messageOf(err));
      }
    },
  },
});
