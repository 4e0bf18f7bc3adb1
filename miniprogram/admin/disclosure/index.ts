/**
 * 收支公示 (finance, admin): record expenses with voucher photos and common-area income with its
 * use (收支登记), then prepare a quarter's or half-year's disclosure, have it reviewed by a
 * colleague (not the preparer), and publish it to owners; a published one is corrected by
 * publishing a new version with the reason. Fee income is taken from the ledger by the server.
 */
import { staffPage } from '../staff-page';
import { shanghaiDate, formatDate } from '../../domain/kernel/time';
import type { DisclosureEntryView } from '../../domain/disclosure/contract';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { toDisclosureRow, type DisclosureRow } from '../../utils/disclosure-view';
import {
  categoryOptions,
  entryField,
  newRequestId,
  parseProjects,
  periodOptions,
  validateEntry,
  type CategoryOption,
  type EntryForm,
  type PeriodOption,
} from './form';
import { formatYuan } from '../../domain/kernel/money';

type Tab = 'disclosures' | 'entries';

interface Row extends DisclosureRow {
  status: string;
  period: string;
  canReview: boolean;
  canPublish: boolean;
  canCorrect: boolean;
  canDiscard: boolean;
}

interface EntryRow {
  id: string;
  title: string;
  sub: string;
  amount: string;
  use: string;
  vouchers: string[];
  isVoid: boolean;
  voidReason: string;
}

function entryRow(e: DisclosureEntryView): EntryRow {
  return {
    id: e.entryId,
    title: `${e.categoryLabel} · ${e.description}`,
    sub: `${formatDate(e.date)} · ${e.createdByName || '财务'}登记`,
    amount: formatYuan(e.amountFen),
    use: e.use,
    vouchers: e.vouchers,
    isVoid: e.status === 'void',
    voidReason: e.voidReason ?? '',
  };
}

const emptyForm = (): EntryForm => ({
  type: 'expense',
  category: '',
  date: '',
  amount: '',
  description: '',
  use: '',
  vouchers: [],
});

Component({
  behaviors: [staffPage({ roles: ['finance'], showFirst: true })],
  data: {
    tab: 'disclosures' as Tab,
    periods: [] as PeriodOption[],
    periodIndex: 0,
    rows: [] as Row[],
    /** The lists have answered once (no empty state flashes while loading). */
    loaded: false,
    // prepare
    preparing: false,
    projectsText: '',
    note: '',
    correctionFor: '',
    correctionReason: '',
    // entries
    entries: [] as EntryRow[],
    entryTotals: { expense: '', income: '' },
    showForm: false,
    form: emptyForm(),
    formErrors: {} as Partial<Record<keyof EntryForm, string>>,
    categories: [] as CategoryOption[],
    requestId: '',
    uploading: false,
    today: '',
    // review / discard / void
    actionId: '',
    actionKind: '' as '' | 'return' | 'discard' | 'void',
    actionText: '',
    actionError: '',
    busy: false,
  },
  methods: {
    prepare() {
      const today = shanghaiDate(new Date());
      this.setData({
        periods: periodOptions(today),
        today,
        categories: categoryOptions('expense'),
      });
    },
    /** The open tab's list; a failure is a notice over the page (the other tab still works). */
    async load() {
      if (this.data.tab === 'disclosures') await this.loadDisclosures();
      else await this.loadEntries();
    },
    async loadDisclosures() {
      try {
        const res = await callQuiet('disclosure', 'list', { communityId: this.data.communityId });
        const rows: Row[] = res.disclosures.map((d) => ({
          ...toDisclosureRow(d),
          status: d.status,
          period: d.period,
          canReview: d.status === 'draft',
          canPublish: d.status === 'reviewed',
          canCorrect: d.status === 'published' && !d.superseded,
          canDiscard: d.status === 'draft' || d.status === 'reviewed',
        }));
        this.setData({ rows, loaded: true });
      } catch (err) {
        notice('加载未成功', messageOf(err));
      }
    },
    async loadEntries() {
      const period = this.data.periods[this.data.periodIndex]?.value;
      try {
        const res = await callQuiet('disclosure', 'entries', {
          communityId: this.data.communityId,
          period,
          includeVoid: true,
        });
        const active = res.entries.filter((e) => e.status === 'active');
        const sum = (t: string) =>
          formatYuan(active.filter((e) => e.type === t).reduce((s, e) => s + e.amountFen, 0));
        this.setData({
          entries: res.entries.map(entryRow),
          entryTotals: { expense: sum('expense'), income: sum('income') },
          loaded: true,
        });
      } catch (err) {
        notice('加载未成功', messageOf(err));
      }
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, showForm: false, actionId: '', loaded: false });
      void this.reload();
    },
    onPeriod(e: { detail: { value: string | number } }) {
      this.setData({ periodIndex: Number(e.detail.value) });
      if (this.data.tab === 'entries') void this.loadEntries();
    },

    // ------------------------------------------------------------ prepare
    onProjects(e: { detail: string | { value: string } }) {
      this.setData({ projectsText: valueOf(e) });
    },
    onNote(e: { detail: string | { value: string } }) {
      this.setData({ note: valueOf(e) });
    },
    onCorrectionReason(e: { detail: string | { value: string } }) {
      this.setData({ correctionReason: valueOf(e) });
    },
    onCorrect(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const row = this.data.rows[e.currentTarget.dataset.index];
      if (!row) return;
      const periodIndex = this.data.periods.findIndex((p) => p.value === row.period);
      this.setData({
        correctionFor: row.period,
        periodIndex: periodIndex >= 0 ? periodIndex : this.data.periodIndex,
        correctionReason: '',
      });
      if (periodIndex < 0)
        this.setData({
          periods: [{ value: row.period, label: row.title }, ...this.data.periods],
          periodIndex: 0,
        });
    },
    onCancelCorrection() {
      this.setData({ correctionFor: '', correctionReason: '' });
    },
    async onPrepare() {
      const period = this.data.periods[this.data.periodIndex]?.value;
      if (!period) return;
      const correcting = this.data.correctionFor === period;
      if (correcting && this.data.correctionReason.trim().length < 4) {
        notice('请写明更正原因', '更正版本会向业主说明原因（至少 4 个字）');
        return;
      }
      await this.submit({
        busy: 'preparing',
        send: () =>
          call(
            'disclosure',
            'prepare',
            {
              communityId: this.data.communityId,
              period,
              projects: parseProjects(this.data.projectsText),
              note: this.data.note.trim(),
              ...(correcting ? { correctionReason: this.data.correctionReason.trim() } : {}),
            },
            { loading: '正在汇总收支' },
          ),
        failTitle: '编制未成功',
        toast: '草稿已生成，请同事复核',
        toastIcon: 'none',
        reload: false,
        then: async (v) => {
          this.setData({ correctionFor: '', correctionReason: '' });
          await this.loadDisclosures();
          this.open(v.disclosureId);
        },
      });
    },
    open(id: string) {
      wx.navigateTo({ url: `/pages/disclosure/index?id=${encodeURIComponent(id)}` });
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.open(String(e.currentTarget.dataset.id));
    },

    // ------------------------------------------------------------ review, publish, discard
    async onApprove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      await this.act(
        'review',
        {
          disclosureId: String(e.currentTarget.dataset.id),
          decision: 'approve',
        },
        '已复核',
      );
    },
    async onPublish(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = String(e.currentTarget.dataset.id);
      const ok = await confirmModal({
        title: '发布收支公示',
        content: '发布后全体业主可见，内容不可修改；如有错误只能发布更正版本。确认发布？',
        confirmText: '确认发布',
      });
      if (ok) await this.act('publish', { disclosureId: id }, '已发布');
    },
    onAskReason(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { id: string; kind: 'return' | 'discard' | 'void' }
      >,
    ) {
      this.setData({
        actionId: String(e.currentTarget.dataset.id),
        actionKind: e.currentTarget.dataset.kind,
        actionText: '',
        actionError: '',
      });
    },
    onActionText(e: { detail: string | { value: string } }) {
      this.setData({ actionText: valueOf(e), actionError: '' });
    },
    onCancelAction() {
      this.setData({ actionId: '', actionKind: '' });
    },
    async onConfirmAction() {
      const text = this.data.actionText.trim();
      if (text.length < 2) {
        this.setData({ actionError: '请写明原因（至少 2 个字）' });
        return;
      }
      const id = this.data.actionId;
      const kind = this.data.actionKind;
      if (kind === 'return') {
        await this.act('review', { disclosureId: id, decision: 'return', comment: text }, '已退回');
      } else if (kind === 'discard') {
        await this.act('discard', { disclosureId: id, reason: text }, '已作废');
      } else if (kind === 'void') {
        await this.act('voidEntry', { entryId: id, reason: text }, '已作废');
      }
    },
    async act(
      action: 'review' | 'publish' | 'discard' | 'voidEntry',
      input: Record<string, string>,
      done: string,
    ) {
      await this.submit({
        send: () =>
          call(
            'disclosure',
            action as 'review',
            { communityId: this.data.communityId, ...input } as never,
            { loading: '正在提交' },
          ),
        failTitle: '操作未成功',
        toast: done,
        then: () => this.setData({ actionId: '', actionKind: '' }),
      });
    },

    // ------------------------------------------------------------ entries
    onNewEntry() {
      this.setData({
        showForm: true,
        form: { ...emptyForm(), date: this.data.today },
        formErrors: {},
        categories: categoryOptions('expense'),
        requestId: newRequestId(),
      });
    },
    onCancelEntry() {
      this.setData({ showForm: false });
    },
    onType(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: 'expense' | 'income' }>) {
      const type = e.currentTarget.dataset.value;
      this.setData({
        'form.type': type,
        'form.category': '',
        categories: categoryOptions(type),
        formErrors: {},
      });
    },
    onCategory(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ 'form.category': e.currentTarget.dataset.value, 'formErrors.category': '' });
    },
    onDate(e: { detail: { value: string } }) {
      this.setData({ 'form.date': e.detail.value, 'formErrors.date': '' });
    },
    onField(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { field: string }> & {
        detail: string | { value: string };
      },
    ) {
      const field = e.currentTarget.dataset.field;
      this.setData({ [`form.${field}`]: valueOf(e), [`formErrors.${field}`]: '' });
    },
    async onAddVoucher() {
      if (this.data.uploading || this.data.form.vouchers.length >= 9) return;
      let paths: string[] = [];
      try {
        const res = await wx.chooseMedia({
          count: 9 - this.data.form.vouchers.length,
          mediaType: ['image'],
          sourceType: ['camera', 'album'],
        });
        paths = res.tempFiles.map((f) => f.tempFilePath);
      } catch {
        return; // cancelled
      }
      this.setData({ uploading: true });
      try {
        const ids: string[] = [];
        for (const [i, filePath] of paths.entries()) {
          const ext = (/\.([A-Za-z0-9]+)$/.exec(filePath)?.[1] ?? 'jpg').toLowerCase();
          const up = await wx.cloud.uploadFile({
            cloudPath: `disclosure/${this.data.communityId}/${this.data.requestId}-${this.data.form.vouchers.length + i}.${ext}`,
            filePath,
          });
          ids.push(up.fileID);
        }
        this.setData({
          'form.vouchers': [...this.data.form.vouchers, ...ids],
          'formErrors.vouchers': '',
        });
      } catch {
        wx.showToast({ title: '抱歉，凭证上传未成功，请重试', icon: 'none' });
      } finally {
        this.setData({ uploading: false });
      }
    },
    onRemoveVoucher(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const vouchers = [...this.data.form.vouchers];
      vouchers.splice(e.currentTarget.dataset.index, 1);
      this.setData({ 'form.vouchers': vouchers });
    },
    /** A recorded entry's voucher, by the temporary link the entries view carries. */
    onPreviewVoucher(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
      const url = String(e.currentTarget.dataset.url ?? '');
      if (url) wx.previewImage({ urls: [url], current: url });
    },
    async onSaveEntry() {
      if (this.data.uploading) return;
      await this.submit({
        check: () =>
          validateEntry(
            this.data.form,
            this.data.communityId,
            this.data.requestId,
            this.data.today,
          ),
        send: (input) => call('disclosure', 'addEntry', input, { loading: '正在保存' }),
        errors: 'formErrors',
        fieldOf: (f) => entryField(f) ?? '',
        failTitle: '保存未成功',
        toast: '已登记',
        then: () => this.setData({ showForm: false }),
      });
    },
  },
});

function valueOf(e: { detail: string | { value: string } }): string {
  const d = e.detail;
  return typeof d === 'string' ? d : String(d?.value ?? '');
}
