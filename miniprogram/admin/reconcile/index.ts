/**
 * 支付对账 (finance): the last 30 days with their reconciliation state; a day's WeChat Pay
 * statement against the ledger (matched, lost callbacks to apply, amounts that differ, payments
 * WeChat never saw, refunds) with totals of both sides and the 手续费 line; closing a day; and
 * bank statements imported from a file and matched, with unmatched lines assigned to a room or
 * marked as not fee income. Every action is audited by the `reconcile` function.
 */
import type { BankMapping } from '../../domain/reconcile/bank';
import { staffPage } from '../staff-page';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { confirmModal, notice, toast } from '../../services/ui';
import { RECON_TABS, bankModel, dayItem, runModel, type DayItem, type ReconTab } from './view';

const MAPPING_FIELDS: { key: keyof BankMapping; label: string }[] = [
  { key: 'date', label: '日期列' },
  { key: 'credit', label: '收入金额列' },
  { key: 'debit', label: '支出金额列' },
  { key: 'amount', label: '金额列（正负）' },
  { key: 'reference', label: '流水号列' },
  { key: 'payer', label: '对方户名列' },
  { key: 'memo', label: '摘要列' },
];

async function chooseFile(ext: string[]): Promise<WechatMiniprogram.ChooseFile | null> {
  try {
    const res = await wx.chooseMessageFile({ count: 1, type: 'file', extension: ext });
    return res.tempFiles[0] ?? null;
  } catch {
    return null;
  }
}

Component({
  behaviors: [staffPage({ roles: ['finance'], showFirst: true })],
  data: {
    tabs: RECON_TABS,
    tab: 'wechat' as ReconTab,
    days: [] as DayItem[],
    listError: '',
    date: '',
    run: null as ReturnType<typeof runModel> | null,
    runMissing: false,
    busy: '',
    // the note / reason editor for one item
    editKey: '',
    editMode: '' as '' | 'note' | 'accept',
    editText: '',
    editError: '',
    // bank
    imports: [] as { importId: string; title: string; countsText: string }[],
    mappingFields: MAPPING_FIELDS,
    mapping: {} as BankMapping,
    mappingOpen: false,
    bank: null as ReturnType<typeof bankModel> | null,
    assignLine: '',
    keyword: '',
    rooms: [] as { roomId: string; label: string }[],
    roomId: '',
    reason: '',
    assignError: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      if (query.tab === 'bank') this.setData({ tab: 'bank' });
      if (query.date) this.setData({ date: query.date });
    },
    /** The open tab: the days (and the chosen day's run), or the bank imports. */
    async load() {
      if (this.data.tab === 'wechat') {
        await this.loadDays();
        if (this.data.date) await this.loadRun(this.data.date);
      } else await this.loadImports();
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ReconTab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab });
      void this.reload();
    },

    // ------------------------------------------------------------ WeChat Pay
    async loadDays() {
      try {
        const res = await callQuiet('reconcile', 'days', { communityId: this.data.communityId });
        this.setData({ days: res.days.map(dayItem), listError: '' });
      } catch (err) {
        this.setData({ listError: messageOf(err) });
      }
    },
    async loadRun(date: string) {
      this.setData({ date, run: null, runMissing: false, editKey: '' });
      try {
        const run = await callQuiet('reconcile', 'wechatRun', {
          communityId: this.data.communityId,
          date,
        });
        this.setData({ run: run ? runModel(run) : null, runMissing: !run });
      } catch (err) {
        notice('未能读取对账结果', messageOf(err));
      }
    },
    onDay(e: WechatMiniprogram.BaseEvent<Record<string, never>, { date: string }>) {
      const date = e.currentTarget.dataset.date;
      if (date === this.data.date) {
        this.setData({ date: '', run: null, runMissing: false });
        return;
      }
      void this.loadRun(date);
    },
    async runWith(fileID?: string) {
      await this.submit({
        busyAs: 'run',
        send: () =>
          call(
            'reconcile',
            'runWechat',
            {
              communityId: this.data.communityId,
              date: this.data.date,
              ...(fileID ? { fileID } : {}),
            },
            { loading: '正在对账' },
          ),
        failTitle: '未能对账',
        reload: false,
        then: (run) => {
          this.setData({ run: runModel(run), runMissing: false });
          toast(run.openItems ? `发现 ${run.openItems} 项差异` : '对账一致');
          return this.loadDays();
        },
      });
    },
    onRun() {
      void this.runWith();
    },
    async onUploadStatement() {
      const picked = await chooseFile(['csv', 'txt']);
      if (!picked) return;
      try {
        const up = await wx.cloud.uploadFile({
          cloudPath: `recon/${this.data.communityId}/wechat-${this.data.date}-${Date.now()}.csv`,
          filePath: picked.path,
        });
        await this.runWith(up.fileID);
      } catch (err) {
        notice('未能上传', messageOf(err));
      }
    },
    async onApply(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key: string }>) {
      const ok = await confirmModal({
        title: '补记入账',
        content:
          '将先向微信支付查询该订单确已支付，再按支付回调相同的方式入账（不会重复入账）。确定吗？',
        confirmText: '补记入账',
      });
      if (!ok) return;
      await this.submit({
        busyAs: e.currentTarget.dataset.key,
        send: () =>
          call(
            'reconcile',
            'applyMissing',
            {
              communityId: this.data.communityId,
              date: this.data.date,
              itemKey: e.currentTarget.dataset.key,
            },
            { loading: '正在入账' },
          ),
        failTitle: '未能入账',
        reload: false,
        then: (run) => {
          this.setData({ run: runModel(run) });
          toast('已补记入账');
          return this.loadDays();
        },
      });
    },
    onEdit(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { key: string; mode: 'note' | 'accept' }
      >,
    ) {
      const { key, mode } = e.currentTarget.dataset;
      this.setData({ editKey: key, editMode: mode, editText: '', editError: '' });
    },
    onEditText(e: { detail: string }) {
      this.setData({ editText: String(e.detail ?? ''), editError: '' });
    },
    onCancelEdit() {
      this.setData({ editKey: '', editMode: '' });
    },
    async onSaveEdit() {
      const text = this.data.editText.trim();
      const accept = this.data.editMode === 'accept';
      const base = {
        communityId: this.data.communityId,
        date: this.data.date,
        itemKey: this.data.editKey,
      };
      await this.submit({
        busyAs: this.data.editKey,
        check: () =>
          text.length < 2
            ? { ok: false, errors: { text: '请填写原因或说明（至少 2 个字）' } }
            : { ok: true, input: text },
        error: 'editError',
        atField: () => true,
        send: () =>
          accept
            ? call(
                'reconcile',
                'acceptStatement',
                { ...base, reason: text },
                { loading: '正在入账' },
              )
            : call('reconcile', 'resolveItem', { ...base, note: text }, { loading: '正在保存' }),
        failTitle: '',
        reload: false,
        then: (run) => {
          this.setData({ run: runModel(run), editKey: '', editMode: '' });
          toast(accept ? '已按微信金额入账' : '已保存说明');
          return this.loadDays();
        },
      });
    },
    async onCloseDay() {
      const ok = await confirmModal({
        title: `关账 ${this.data.date}`,
        content: '关账后该日的收款不能再静默修改；之后的更正会作为新记录登记原因并标注在该日。',
        confirmText: '确认关账',
      });
      if (!ok) return;
      await this.submit({
        busyAs: 'close',
        send: () =>
          call(
            'reconcile',
            'closeDay',
            { communityId: this.data.communityId, date: this.data.date },
            { loading: '正在关账' },
          ),
        failTitle: '暂不能关账',
        then: () => toast('已关账'),
      });
    },

    // ------------------------------------------------------------ bank statements
    async loadImports() {
      try {
        const res = await callQuiet('reconcile', 'bankImports', {
          communityId: this.data.communityId,
        });
        this.setData({
          imports: res.imports.map((i) => ({
            importId: i.importId,
            title: `${i.fileName}（${i.from} 至 ${i.to}）`,
            countsText: `匹配 ${i.counts.matched} · 认领 ${i.counts.assigned} · 未匹配 ${i.counts.unmatched + i.counts.ambiguous}`,
          })),
          mapping: res.mapping,
          listError: '',
        });
      } catch (err) {
        this.setData({ listError: messageOf(err) });
      }
    },
    onToggleMapping() {
      this.setData({ mappingOpen: !this.data.mappingOpen });
    },
    onMapping(e: { detail: string; currentTarget: { dataset: { key: keyof BankMapping } } }) {
      const key = e.currentTarget.dataset.key;
      const value = String(e.detail ?? '').trim();
      const mapping = { ...this.data.mapping };
      if (value) mapping[key] = value;
      else delete mapping[key];
      this.setData({ mapping });
    },
    async onImport() {
      const picked = await chooseFile(['csv', 'xlsx']);
      if (!picked) return;
      await this.submit({
        busyAs: 'import',
        send: async () => {
          const ext = /\.xlsx$/i.test(picked.name) ? 'xlsx' : 'csv';
          const up = await wx.cloud.uploadFile({
            cloudPath: `recon/${this.data.communityId}/bank-${Date.now()}.${ext}`,
            filePath: picked.path,
          });
          return call(
            'reconcile',
            'importBank',
            {
              communityId: this.data.communityId,
              fileID: up.fileID,
              fileName: picked.name,
              mapping: this.data.mapping,
            },
            { loading: '正在导入并匹配' },
          );
        },
        failTitle: '未能导入',
        then: (view) => {
          this.setData({ bank: bankModel(view) });
          toast(view.repeat ? '该文件已导入过' : '导入完成');
        },
      });
    },
    async onOpenImport(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      try {
        const view = await call(
          'reconcile',
          'bankImport',
          { communityId: this.data.communityId, importId: e.currentTarget.dataset.id },
          { loading: true },
        );
        this.setData({ bank: bankModel(view), assignLine: '' });
      } catch (err) {
        notice('未能打开', messageOf(err));
      }
    },
    onAssign(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({
        assignLine: e.currentTarget.dataset.id,
        keyword: '',
        rooms: [],
        roomId: '',
        reason: '',
        assignError: '',
      });
    },
    onCancelAssign() {
      this.setData({ assignLine: '' });
    },
    onKeyword(e: { detail: string }) {
      this.setData({ keyword: String(e.detail ?? '') });
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), assignError: '' });
    },
    async onSearchRoom() {
      const keyword = this.data.keyword.trim();
      if (!keyword) return;
      try {
        const res = await callQuiet('community', 'rooms', {
          communityId: this.data.communityId,
          keyword,
          limit: 10,
        });
        this.setData({
          rooms: res.items.map((r) => ({ roomId: r.roomId, label: r.label })),
          roomId: '',
        });
        if (!res.items.length) this.setData({ assignError: '没有找到该房号，请换个关键词' });
      } catch (err) {
        this.setData({ assignError: messageOf(err) });
      }
    },
    onPickRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({ roomId: e.currentTarget.dataset.id, assignError: '' });
    },
    async onConfirmAssign() {
      const reason = this.data.reason.trim();
      await this.submit({
        busyAs: this.data.assignLine,
        check: () =>
          !this.data.roomId
            ? { ok: false, errors: { roomId: '请先查找并选择房屋' } }
            : reason.length < 2
              ? { ok: false, errors: { reason: '请填写认领依据（如 业主来电确认）' } }
              : { ok: true, input: this.data.roomId },
        error: 'assignError',
        atField: () => true,
        send: (roomId) =>
          call(
            'reconcile',
            'assignBankLine',
            { communityId: this.data.communityId, lineId: this.data.assignLine, roomId, reason },
            { loading: '正在入账' },
          ),
        failTitle: '',
        reload: false,
        then: (view) => {
          this.setData({ bank: bankModel(view), assignLine: '' });
          toast('已认领入账');
        },
      });
    },
    async onIgnore(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const ok = await confirmModal({
        title: '忽略该流水',
        content: '标记为非物业费收入（如银行结息、内部转账），会记入操作日志。',
        confirmText: '确认忽略',
      });
      if (!ok) return;
      try {
        const view = await call(
          'reconcile',
          'ignoreBankLine',
          {
            communityId: this.data.communityId,
            lineId: e.currentTarget.dataset.id,
            reason: '非物业费收入（银行结息或内部转账）',
          },
          { loading: true },
        );
        this.setData({ bank: bankModel(view) });
      } catch (err) {
        notice('未能保存', messageOf(err));
      }
    },
  },
});
