/**
 * 收据管理 (cashier, finance, admin): find receipts by date range or receipt numbers, see which
 * were reversed (红冲), and 批量打印 them as one PDF (two per A4 page with a cutting line, or
 * one per page). The PDF is made and uploaded by `payment.printReceipts` and opened with
 * `services/document.ts`.
 */
import { MAX_PRINT_RECEIPTS } from '../../domain/payment/receipt-limits';
import type { PrintedReceipts } from '../../domain/payment/receipts.contract';
import { staffPage } from '../staff-page';
import { CloudError, call, messageOf } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { notice } from '../../services/ui';
import { defaultRange, parseReceiptNos, toReceiptRow, type ReceiptRow } from './view';

type Mode = 'dates' | 'numbers';

/** The latest search per page: an older answer arriving late must not replace a newer one. */
const searchSeq = new WeakMap<object, number>();

interface Filter {
  communityId: string;
  from?: string;
  to?: string;
  receiptNos?: string[];
}

Component({
  behaviors: [staffPage({ roles: ['cashier', 'finance'], showFirst: true })],
  data: {
    mode: 'dates' as Mode,
    from: '',
    to: '',
    today: '',
    numbersText: '',
    fieldError: '',
    searched: false,
    searching: false,
    listError: '',
    rows: [] as ReceiptRow[],
    total: 0,
    limit: MAX_PRINT_RECEIPTS,
    selectedCount: 0,
    perPage: 2 as 1 | 2,
    printing: false,
    printed: null as PrintedReceipts | null,
  },
  methods: {
    prepare() {
      const range = defaultRange(new Date());
      this.setData({ from: range.from, to: range.to, today: range.to });
    },
    load() {
      return this.search();
    },
    onMode(e: WechatMiniprogram.BaseEvent<Record<string, never>, { mode: Mode }>) {
      const mode = e.currentTarget.dataset.mode;
      if (mode !== this.data.mode) this.setData({ mode, fieldError: '' });
    },
    onFrom(e: { detail: { value: string } }) {
      this.setData({ from: e.detail.value, fieldError: '' });
    },
    onTo(e: { detail: { value: string } }) {
      this.setData({ to: e.detail.value, fieldError: '' });
    },
    onNumbers(e: { detail: string }) {
      this.setData({ numbersText: String(e.detail ?? ''), fieldError: '' });
    },
    /** The filter of the form, or null with the problem shown next to the field. */
    filter(): Filter | null {
      const { communityId, mode, from, to } = this.data;
      if (mode === 'numbers') {
        const parsed = parseReceiptNos(this.data.numbersText);
        if ('bad' in parsed) {
          this.setData({ fieldError: `“${parsed.bad}”不是收据编号，格式如 SJ2026-000123` });
          return null;
        }
        if (parsed.nos.length === 0) {
          this.setData({ fieldError: '请填写收据编号，多个编号用空格或逗号隔开' });
          return null;
        }
        if (parsed.nos.length > MAX_PRINT_RECEIPTS) {
          this.setData({ fieldError: `一次最多 ${MAX_PRINT_RECEIPTS} 张` });
          return null;
        }
        return { communityId, receiptNos: parsed.nos };
      }
      if (from > to) {
        this.setData({ fieldError: '结束日期不能早于开始日期' });
        return null;
      }
      return { communityId, from, to };
    },
    onSearch() {
      void this.search();
    },
    async search() {
      const filter = this.filter();
      if (!filter) return;
      const seq = (searchSeq.get(this) ?? 0) + 1;
      searchSeq.set(this, seq);
      this.setData({ searching: true, listError: '', printed: null });
      try {
        const res = await call('payment', 'searchReceipts', filter, { loading: false });
        if (searchSeq.get(this) !== seq) return;
        const rows = res.receipts.map((r) => toReceiptRow(r));
        this.setData({
          rows,
          total: res.total,
          limit: res.limit,
          selectedCount: 0,
          searched: true,
          searching: false,
        });
      } catch (err) {
        if (searchSeq.get(this) !== seq) return;
        if (err instanceof CloudError && err.field) {
          this.setData({ fieldError: messageOf(err), searching: false });
        } else {
          this.setData({ rows: [], total: 0, listError: messageOf(err), searching: false });
        }
      }
    },
    onToggle(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = Number(e.currentTarget.dataset.index);
      const row = this.data.rows[i];
      if (!row) return;
      const selected = !row.selected;
      this.setData({
        [`rows[${i}].selected`]: selected,
        selectedCount: this.data.selectedCount + (selected ? 1 : -1),
      });
    },
    onClearSelection() {
      this.setData({
        rows: this.data.rows.map((r) => ({ ...r, selected: false })),
        selectedCount: 0,
      });
    },
    onPerPage(e: WechatMiniprogram.BaseEvent<Record<string, never>, { n: number }>) {
      this.setData({ perPage: Number(e.currentTarget.dataset.n) === 1 ? 1 : 2 });
    },
    /** 批量打印: the selected receipts, or everything the search found. */
    async onPrint() {
      if (this.data.printing) return;
      const { rows, selectedCount, total, limit, perPage, communityId } = this.data;
      let filter: Filter | null;
      if (selectedCount > 0) {
        filter = {
          communityId,
          receiptNos: rows.filter((r) => r.selected).map((r) => r.receiptNo),
        };
      } else {
        if (total === 0) return;
        if (total > limit) {
          notice('收据太多', `共 ${total} 张，一次最多打印 ${limit} 张，请缩小日期范围后再打印`);
          return;
        }
        filter = this.filter();
      }
      if (!filter) return;
      this.setData({ printed: null });
      await this.submit({
        busy: 'printing',
        send: () =>
          call('payment', 'printReceipts', { ...filter, perPage }, { loading: '正在生成 PDF' }),
        then: (file) => {
          this.setData({ printed: file });
          return this.open(file);
        },
        failTitle: '生成未成功',
        reload: false,
      });
    },
    onOpenAgain() {
      const file = this.data.printed;
      if (file) void this.open(file);
    },
    async open(file: PrintedReceipts) {
      await openCloudPdf(file);
    },
  },
});
