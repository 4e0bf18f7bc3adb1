/**
 * 抄表录入 (finance, service; admin): for a meter item and usage month, the rooms it applies to
 * with each one's previous reading; staff type this month's readings and save the page. A
 * reading lower than the previous one, or a usage above 5× the room's median, comes back 待确认
 * with the reason; finance confirms it (with a note) to bill it, or rejects it so it is read
 * again. Service enters readings only; confirming is finance's. Owners' own readings (自助抄表)
 * arrive as 业主上报 with their photo: staff take them as reported (采用) or correct them with the
 * figure on the photo and why (更正); either then meets the same checks.
 */
import type { MeterItem } from '../../domain/fee/readings.contract';
import { staffPage } from '../staff-page';
import { checkedWith } from '../../behaviors/page-state';
import { api } from '../../domain/api';
import type { StaffScope } from '../scope';
import { call, callQuiet } from '../../services/cloud';
import { notice } from '../../services/ui';
import { addMonths } from '../../domain/fee/period';
import { formatPeriod, shanghaiDate } from '../../domain/kernel/time';
import {
  readingsToSave,
  sheetSummary,
  toSheetRow,
  usagePreview,
  type Draft,
  type SheetRowView,
} from './view';

type Filter = 'all' | 'pending' | 'flagged' | 'submitted';

const PAGE = 50;

interface RowData extends SheetRowView {
  draftCurrent: string;
  draftStart: string;
  draftUsage: string;
}

const drafts = new WeakMap<object, Record<string, Draft>>();

function thisMonth(): string {
  return shanghaiDate(new Date()).slice(0, 7);
}

Component({
  behaviors: [staffPage({ roles: ['finance', 'service'], showFirst: true })],
  data: {
    canConfirm: false,
    items: [] as MeterItem[],
    itemId: '',
    unit: '',
    period: '',
    periodText: '',
    latestPeriod: '',
    filter: 'all' as Filter,
    buildings: [] as string[],
    building: '',
    rows: [] as RowData[],
    total: 0,
    nextCursor: null as string | null,
    summary: '',
    flaggedCount: 0,
    listLoading: false,
    listError: '',
    saving: false,
    formError: '',
    decideId: '',
    decideMode: 'confirm' as 'confirm' | 'reject',
    decideNote: '',
    decideError: '',
    deciding: false,
    submittedCount: 0,
    /** Rows the sheet's own inputs apply to (owners' reports are taken with 采用 / 更正). */
    hasEditable: false,
    reviewId: '',
    reviewCurrent: '',
    reviewNote: '',
    reviewErrors: { current: '', note: '' },
    reviewing: '',
  },
  methods: {
    drafts(): Record<string, Draft> {
      let d = drafts.get(this);
      if (!d) {
        d = {};
        drafts.set(this, d);
      }
      return d;
    },
    /** The meter items; without any there is nothing to read ('empty'). */
    async begin(scope: StaffScope) {
      const { items, readingPeriod } = await callQuiet('fee', 'meterItems', {
        communityId: scope.communityId,
      });
      // Owners report this month's reading at its end: then the sheet opens on this month.
      const lastMonth = addMonths(thisMonth(), -1);
      const latest = readingPeriod > lastMonth ? readingPeriod : lastMonth;
      this.setData({
        canConfirm: scope.isAdmin || scope.roles.includes('finance'),
        items,
        latestPeriod: latest,
      });
      if (items.length === 0) return 'empty';
      this.setData({
        itemId: items[0]!.itemId,
        unit: items[0]!.unit,
        period: readingPeriod,
        periodText: formatPeriod(readingPeriod),
      });
      return undefined;
    },
    load() {
      return this.fetch(false);
    },
    /** Loads the first page (or the next one with `more`). */
    fetch(more: boolean) {
      if (!more) {
        drafts.set(this, {});
        this.setData({ formError: '' });
      }
      const ask = {
        communityId: this.data.communityId,
        itemId: this.data.itemId,
        period: this.data.period,
        filter: this.data.filter,
        limit: PAGE,
        ...(this.data.building ? { building: this.data.building } : {}),
        ...(more && this.data.nextCursor ? { cursor: this.data.nextCursor } : {}),
      };
      return this.fillList(
        () => callQuiet('fee', 'readingSheet', ask),
        (sheet) => {
          const rows: RowData[] = sheet.rows.map((r) => ({
            ...toSheetRow(r, sheet.unit),
            draftCurrent: '',
            draftStart: '',
            draftUsage: '',
          }));
          const all = more ? [...this.data.rows, ...rows] : rows;
          this.setData({
            rows: all,
            hasEditable: all.some((r) => r.editable),
            total: sheet.total,
            nextCursor: sheet.nextCursor,
            unit: sheet.unit,
            buildings: sheet.buildings.length > 1 ? sheet.buildings : [],
            summary: sheetSummary(sheet),
            flaggedCount: sheet.counts.flagged,
            submittedCount: sheet.counts.submitted,
          });
        },
      );
    },
    onMore() {
      if (this.data.nextCursor && !this.data.listLoading) void this.fetch(true);
    },
    onItem(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const item = this.data.items.find((i) => i.itemId === e.currentTarget.dataset.id);
      if (!item || item.itemId === this.data.itemId) return;
      this.setData({ itemId: item.itemId, unit: item.unit, building: '' });
      void this.fetch(false);
    },
    onShift(e: WechatMiniprogram.BaseEvent<Record<string, never>, { step: number }>) {
      const next = addMonths(this.data.period, Number(e.currentTarget.dataset.step));
      if (next > this.data.latestPeriod) return;
      this.setData({ period: next, periodText: formatPeriod(next) });
      void this.fetch(false);
    },
    onFilter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Filter }>) {
      const filter = e.currentTarget.dataset.value;
      if (filter === this.data.filter) return;
      this.setData({ filter });
      void this.fetch(false);
    },
    onBuilding(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code: string }>) {
      const code = String(e.currentTarget.dataset.code ?? '');
      this.setData({ building: code === this.data.building ? '' : code });
      void this.fetch(false);
    },
    setDraft(index: number, patch: Partial<Draft>) {
      const row = this.data.rows[index];
      if (!row) return;
      const all = this.drafts();
      const d = { current: '', ...all[row.roomId], ...patch };
      all[row.roomId] = d;
      const previous = row.needsStart ? (d.start ?? '') : row.previousText;
      const usage = usagePreview(previous, d.current.trim());
      this.setData({
        [`rows[${index}].draftCurrent`]: d.current,
        [`rows[${index}].draftStart`]: d.start ?? '',
        [`rows[${index}].draftUsage`]: usage === null ? '' : `用量 ${usage} ${this.data.unit}`,
        formError: '',
      });
    },
    onCurrent(e: { detail: string; currentTarget: { dataset: { index: number } } }) {
      this.setDraft(Number(e.currentTarget.dataset.index), { current: String(e.detail ?? '') });
    },
    onStart(e: { detail: string; currentTarget: { dataset: { index: number } } }) {
      this.setDraft(Number(e.currentTarget.dataset.index), { start: String(e.detail ?? '') });
    },
    async onSave() {
      await this.submit({
        busy: 'saving',
        check: () => {
          const plan = readingsToSave(this.data.rows, this.drafts());
          return 'error' in plan
            ? { ok: false, errors: { readings: plan.error } }
            : { ok: true, input: plan.readings };
        },
        send: (readings) =>
          call(
            'fee',
            'saveReadings',
            {
              communityId: this.data.communityId,
              itemId: this.data.itemId,
              period: this.data.period,
              readings,
            },
            { loading: '正在保存' },
          ),
        error: 'formError',
        failTitle: '保存未成功',
        then: (res) => {
          if (res.flagged > 0) {
            notice(
              `${res.flagged} 户读数待确认`,
              `已保存 ${res.saved} 户。${res.flagged} 户读数异常（低于上次或用量过大），已标为“待确认”，核实后由财务确认或重新录入。`,
            );
          } else {
            wx.showToast({ title: `已保存 ${res.saved + res.unchanged} 户`, icon: 'success' });
          }
        },
      });
    },
    onPhoto(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
      const url = String(e.currentTarget.dataset.url ?? '');
      if (url) wx.previewImage({ urls: [url] });
    },
    /** 采用业主读数: the owner's figure as reported (anomaly checks as for any reading). */
    async onAcceptOwner(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const readingId = String(e.currentTarget.dataset.id);
      await this.review({ decision: 'accept', readingId });
    },
    onCorrectOwner(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({
        reviewId: String(e.currentTarget.dataset.id),
        reviewCurrent: '',
        reviewNote: '',
        reviewErrors: { current: '', note: '' },
      });
    },
    onReviewField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field === 'note' ? 'note' : 'current';
      this.setData({
        [field === 'note' ? 'reviewNote' : 'reviewCurrent']: String(e.detail ?? ''),
        [`reviewErrors.${field}`]: '',
      });
    },
    onCancelReview() {
      this.setData({ reviewId: '' });
    },
    async onConfirmCorrect() {
      // left blank: not sent, so the contract names what is missing
      const current = this.data.reviewCurrent.trim();
      const note = this.data.reviewNote.trim();
      await this.review({
        decision: 'correct',
        readingId: this.data.reviewId,
        ...(current ? { current } : {}),
        ...(note ? { note } : {}),
      });
    },
    /** fee.reviewOwnerReading, checked with its contract; a flagged result says why. */
    async review(input: {
      decision: 'accept' | 'correct';
      readingId: string;
      current?: string;
      note?: string;
    }) {
      await this.submit({
        busy: 'reviewing',
        busyAs: input.readingId,
        check: () =>
          checkedWith(api.fee.reviewOwnerReading, { communityId: this.data.communityId, ...input }),
        errors: 'reviewErrors',
        send: (checked) => call('fee', 'reviewOwnerReading', checked, { loading: '正在提交' }),
        failTitle: '处理未成功',
        then: (res) => {
          this.setData({ reviewId: '' });
          if (res.message) notice('读数待财务确认', res.message);
        },
        toast: (res) => (res.message ? '' : input.decision === 'accept' ? '已采用' : '已更正'),
      });
    },
    onDecide(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { id: string; mode: 'confirm' | 'reject' }
      >,
    ) {
      this.setData({
        decideId: e.currentTarget.dataset.id,
        decideMode: e.currentTarget.dataset.mode,
        decideNote: '',
        decideError: '',
      });
    },
    onDecideNote(e: { detail: string }) {
      this.setData({ decideNote: String(e.detail ?? ''), decideError: '' });
    },
    onCancelDecide() {
      this.setData({ decideId: '', decideError: '' });
    },
    async onConfirmDecide() {
      const note = this.data.decideNote.trim();
      const confirm = this.data.decideMode === 'confirm';
      await this.submit({
        busy: 'deciding',
        check: () =>
          checkedWith(api.fee.confirmReadings, {
            communityId: this.data.communityId,
            readingIds: [this.data.decideId],
            decision: this.data.decideMode,
            note,
          }),
        error: 'decideError',
        send: (input) => call('fee', 'confirmReadings', input, { loading: '正在提交' }),
        failTitle: '处理未成功',
        then: () => this.setData({ decideId: '' }),
        toast: confirm ? '已确认，将按此计费' : '已驳回，请重新抄表',
        toastIcon: 'none',
      });
    },
  },
});
