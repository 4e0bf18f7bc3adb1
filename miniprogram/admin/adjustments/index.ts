/**
 * 调价公示 (finance, admin): propose a new price of a fee standard with the reason, the approval
 * and supporting documents; a colleague (not the proposer) announces it to owners, at least the
 * notice period (30 days by default) before it takes effect — the price then becomes a new version
 * of the standard from that date. Before then it can be withdrawn.
 */
import { staffPage } from '../staff-page';
import { api } from '../../domain/api';
import { check } from '../../domain/kernel/check';
import { DEFAULT_NOTICE_DAYS } from '../../domain/disclosure/rules';
import type { FeePricing } from '../../domain/fee/types';
import { shanghaiDate, formatDate } from '../../domain/kernel/time';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { newRequestId } from '../disclosure/form';
import { earliestFor, proposalField, validateProposal, type AdjustForm } from './form';
import type { AdjustmentView } from '../../domain/fee/adjustments.contract';

interface StandardOption {
  itemId: string;
  label: string;
  priceText: string;
  pricing: FeePricing | null;
}

interface Row {
  id: string;
  title: string;
  change: string;
  statusLabel: string;
  status: AdjustmentView['status'];
  tagType: 'warning' | 'success' | 'primary' | 'default';
  effectiveText: string;
  noticeText: string;
  reason: string;
  documents: AdjustmentView['documents'];
  proposedBy: string;
  canAnnounce: boolean;
  canWithdraw: boolean;
  withdrawReason: string;
}

const STATUS_TAG: Record<AdjustmentView['status'], Row['tagType']> = {
  proposed: 'primary',
  notice: 'warning',
  effective: 'success',
  withdrawn: 'default',
};

function toRow(a: AdjustmentView): Row {
  return {
    id: a.adjustmentId,
    title: a.standardName,
    change: `${a.currentPriceText} → ${a.priceText}`,
    statusLabel: a.statusLabel,
    status: a.status,
    tagType: STATUS_TAG[a.status],
    effectiveText: `${formatDate(a.effectiveFrom)}起执行`,
    noticeText:
      a.status === 'notice'
        ? `${formatDate(a.announcedOn ?? '')}公示，距生效 ${a.daysLeft} 天`
        : a.status === 'proposed'
          ? `公示期 ${a.noticeDays} 天，待复核公示`
          : a.announcedOn
            ? `${formatDate(a.announcedOn)}公示`
            : '',
    reason: a.reason,
    documents: a.documents,
    proposedBy: a.proposedByName ? `${a.proposedByName}提出` : '',
    canAnnounce: a.status === 'proposed',
    canWithdraw: a.status === 'proposed' || a.status === 'notice',
    withdrawReason: a.withdrawReason ?? '',
  };
}

const emptyForm = (today: string): AdjustForm => ({
  itemId: '',
  price: '',
  effectiveFrom: earliestFor(today, String(DEFAULT_NOTICE_DAYS)),
  approvalRef: '',
  approvedAt: today,
  reason: '',
  noticeDays: String(DEFAULT_NOTICE_DAYS),
  documents: [],
});

Component({
  behaviors: [staffPage({ roles: ['finance'] })],
  data: {
    today: '',
    rows: [] as Row[],
    standards: [] as StandardOption[],
    standardIndex: -1,
    showForm: false,
    form: emptyForm('2000-01-01'),
    errors: {} as Partial<Record<keyof AdjustForm, string>>,
    earliest: '',
    requestId: '',
    uploading: false,
    busy: false,
    withdrawId: '',
    withdrawText: '',
    withdrawError: '',
    askedItemId: '',
  },
  methods: {
    /** ?itemId=: opened from 收费标准 for a standard already billed: the proposal form for it. */
    prepare(query: Record<string, string | undefined>) {
      this.setData({ today: shanghaiDate(new Date()), askedItemId: query.itemId ?? '' });
    },
    async load() {
      const communityId = this.data.communityId;
      const [adj, std] = await Promise.all([
        callQuiet('fee', 'adjustments', { communityId }),
        callQuiet('fee', 'standards', { communityId, includeWithdrawn: false }),
      ]);
      const today = this.data.today;
      this.setData({
        rows: adj.adjustments.map(toRow),
        standards: std.standards.map((s) => {
          const current =
            s.versions.filter((v) => v.effectiveFrom <= today).slice(-1)[0] ?? s.versions[0];
          return {
            itemId: s.itemId,
            label: s.name,
            priceText: current?.priceText ?? '',
            pricing: current?.pricing ?? null,
          };
        }),
      });
      const asked = this.data.standards.findIndex((s) => s.itemId === this.data.askedItemId);
      if (asked >= 0) {
        this.onNew();
        this.onStandard({ detail: { value: asked } });
        this.setData({ askedItemId: '' });
      }
    },
    onNew() {
      const form = emptyForm(this.data.today);
      this.setData({
        showForm: true,
        form,
        errors: {},
        standardIndex: -1,
        earliest: form.effectiveFrom,
        requestId: newRequestId(),
      });
    },
    onCancel() {
      this.setData({ showForm: false });
    },
    onStandard(e: { detail: { value: string | number } }) {
      const i = Number(e.detail.value);
      this.setData({
        standardIndex: i,
        'form.itemId': this.data.standards[i]?.itemId ?? '',
        'errors.itemId': '',
      });
    },
    onField(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { field: string }> & {
        detail: string | { value: string };
      },
    ) {
      const field = e.currentTarget.dataset.field;
      const d = e.detail;
      const value = typeof d === 'string' ? d : String(d?.value ?? '');
      this.setData({ [`form.${field}`]: value, [`errors.${field}`]: '' });
      if (field === 'noticeDays') this.setData({ earliest: earliestFor(this.data.today, value) });
    },
    async onUpload() {
      if (this.data.uploading || this.data.form.documents.length >= 9) return;
      let picked: { path: string; name: string }[] = [];
      try {
        const res = await wx.chooseMedia({
          count: 9 - this.data.form.documents.length,
          mediaType: ['image'],
        });
        picked = res.tempFiles.map((f, i) => ({
          path: f.tempFilePath,
          name: `依据材料 ${this.data.form.documents.length + i + 1}`,
        }));
      } catch {
        return; // cancelled
      }
      this.setData({ uploading: true });
      try {
        const docs = [...this.data.form.documents];
        for (const p of picked) {
          const ext = (/\.([A-Za-z0-9]+)$/.exec(p.path)?.[1] ?? 'jpg').toLowerCase();
          const up = await wx.cloud.uploadFile({
            cloudPath: `adjustments/${this.data.communityId}/${this.data.requestId}-${docs.length}.${ext}`,
            filePath: p.path,
          });
          docs.push({ name: p.name, fileId: up.fileID });
        }
        this.setData({ 'form.documents': docs, 'errors.documents': '' });
      } catch {
        wx.showToast({ title: '抱歉，材料上传未成功，请重试', icon: 'none' });
      } finally {
        this.setData({ uploading: false });
      }
    },
    onRemoveDoc(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const docs = [...this.data.form.documents];
      docs.splice(e.currentTarget.dataset.index, 1);
      this.setData({ 'form.documents': docs });
    },
    async onSubmit() {
      if (this.data.uploading) return;
      const std = this.data.standards[this.data.standardIndex];
      await this.submit({
        check: () =>
          validateProposal(
            this.data.form,
            std?.pricing ?? null,
            this.data.communityId,
            this.data.requestId,
            this.data.today,
          ),
        send: (input) => call('fee', 'proposeAdjustment', input, { loading: '正在提交' }),
        errors: 'errors',
        fieldOf: (f) => proposalField(f) ?? '',
        failTitle: '提交未成功',
        then: () => this.setData({ showForm: false }),
        toast: '已提交，请同事复核公示',
        toastIcon: 'none',
      });
    },
    async onAnnounce(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const adjustmentId = String(e.currentTarget.dataset.id);
      await this.submit({
        confirm: () =>
          confirmModal({
            title: '复核并公示',
            content:
              '公示后业主即可在“收费标准公示”中看到新价格、生效日期和调价原因，到期自动执行。确认公示？',
            confirmText: '确认公示',
          }),
        send: () =>
          call(
            'fee',
            'announceAdjustment',
            { communityId: this.data.communityId, adjustmentId },
            { loading: '正在公示' },
          ),
        failTitle: '操作未成功',
        toast: '已公示',
      });
    },
    onAskWithdraw(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({
        withdrawId: String(e.currentTarget.dataset.id),
        withdrawText: '',
        withdrawError: '',
      });
    },
    onWithdrawText(e: { detail: string | { value: string } }) {
      const d = e.detail;
      this.setData({
        withdrawText: typeof d === 'string' ? d : String(d?.value ?? ''),
        withdrawError: '',
      });
    },
    onCancelWithdraw() {
      this.setData({ withdrawId: '' });
    },
    async onConfirmWithdraw() {
      const reason = this.data.withdrawText.trim();
      const input = {
        communityId: this.data.communityId,
        adjustmentId: this.data.withdrawId,
        reason,
      };
      const checked = check(api.fee.withdrawAdjustment, input);
      if (!checked.ok) {
        this.setData({ withdrawError: checked.errors[0]!.message });
        return;
      }
      await this.submit({
        send: () => call('fee', 'withdrawAdjustment', input, { loading: '正在撤回' }),
        failTitle: '操作未成功',
        toast: '已撤回',
      });
      this.setData({ withdrawId: '' });
    },
  },
});
