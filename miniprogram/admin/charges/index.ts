/**
 * 临时收费 (any staff raise; finance and admins approve): choose the room, the reason (其他 with
 * words), the amount and a note; 预览 shows the bill it makes and whether it needs approval
 * (above the community's threshold a second person, finance or admin, approves it: never its
 * raiser, the function checks); 提交 raises it — billed at once at or below the threshold. The
 * list shows every charge with its bill's state, and the approver's 批准 / 驳回 (with a reason).
 */
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { roomPick } from '../room-pick';
import { api } from '../../domain/api';
import { check } from '../../domain/kernel/check';
import { call, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate } from '../../domain/kernel/time';
import type { ChargePreview } from '../../domain/charge/contract';
import type { ChargeReason } from '../../domain/charge/rules';
import type { StaffScope } from '../scope';
import { newIdempotencyKey } from '../collect/form';
import {
  NO_CHARGE_ERRORS,
  REASON_OPTIONS,
  checkChargeForm,
  toChargeItem,
  type ChargeInput,
  type ChargeItem,
} from './form';

interface PreviewView {
  title: string;
  roomLabel: string;
  amountText: string;
  dueText: string;
  approvalText: string;
  needsApproval: boolean;
}

function previewView(p: ChargePreview): PreviewView {
  return {
    title: p.title,
    roomLabel: p.roomLabel,
    amountText: formatYuan(p.amountFen),
    dueText: formatDate(p.dueDate),
    approvalText: p.needsApproval
      ? `超过审批额度 ${formatYuan(p.thresholdFen)}，提交后需财务或管理员（发起人以外）批准才出账`
      : `未超过审批额度 ${formatYuan(p.thresholdFen)}，提交后立即出账`,
    needsApproval: p.needsApproval,
  };
}

Component({
  behaviors: [
    staffPage({ roles: ['admin', 'cashier', 'service', 'finance'], showFirst: true }),
    roomPick,
    pagedList,
  ],
  data: {
    approver: false,
    reasons: REASON_OPTIONS,
    reason: 'debris' as ChargeReason,
    otherText: '',
    amountText: '',
    note: '',
    errors: NO_CHARGE_ERRORS,
    preview: null as PreviewView | null,
    previewing: false,
    submitting: false,
    requestId: '',
    thresholdText: '',
    items: [] as ChargeItem[],
    listLoading: false,
    listError: '',
    rejectId: '',
    rejectNote: '',
    rejectError: '',
    busyId: '',
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({
        approver: scope.roles.includes('admin') || scope.roles.includes('finance'),
        requestId: newIdempotencyKey(),
      });
    },
    load() {
      return this.loadList();
    },
    /** The first page of charges, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      return this.fillPage(
        more,
        (page) =>
          call(
            'charge',
            'charges',
            { communityId: this.data.communityId, ...page },
            { loading: false },
          ),
        (res) => {
          this.setData({ thresholdText: formatYuan(res.thresholdFen) });
          this.appendRows(
            'items',
            res.charges.map((c) => toChargeItem(c, this.data.approver)),
            more,
          );
        },
      );
    },
    formInput() {
      return checkChargeForm({
        communityId: this.data.communityId,
        roomId: this.data.room?.roomId ?? '',
        reason: this.data.reason,
        otherText: this.data.otherText,
        amountText: this.data.amountText,
        note: this.data.note,
      });
    },
    edited(patch: Record<string, unknown>) {
      this.setData({ ...patch, preview: null, errors: NO_CHARGE_ERRORS });
    },
    onReason(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ChargeReason }>) {
      this.edited({ reason: e.currentTarget.dataset.value });
    },
    onOtherText(e: { detail: string }) {
      this.edited({ otherText: String(e.detail ?? '') });
    },
    onAmount(e: { detail: string }) {
      this.edited({ amountText: String(e.detail ?? '') });
    },
    onNote(e: { detail: string }) {
      this.edited({ note: String(e.detail ?? '') });
    },
    async onPreview() {
      await this.submit({
        busy: 'previewing',
        check: () => this.formInput(),
        errors: 'errors',
        send: (input: ChargeInput) => call('charge', 'previewCharge', input, { loading: false }),
        failTitle: '预览未成功',
        then: (p) => this.setData({ preview: previewView(p) }),
        reload: false,
      });
    },
    async onSubmit() {
      const preview = this.data.preview;
      if (!preview) return;
      await this.submit({
        busy: 'submitting',
        check: () => this.formInput(),
        errors: 'errors',
        confirm: () =>
          confirmModal({
            title: '确认临时收费',
            content: `${preview.roomLabel} ${preview.title} ${preview.amountText}。${preview.approvalText}。`,
            confirmText: '提交',
          }),
        send: (input: ChargeInput) =>
          call(
            'charge',
            'raiseCharge',
            { ...input, requestId: this.data.requestId },
            { loading: '正在提交' },
          ),
        failTitle: '提交未成功',
        toast: (c) => (c.status === 'billed' ? '已出账' : '已提交审批'),
        then: () =>
          this.setData({
            amountText: '',
            otherText: '',
            note: '',
            preview: null,
            requestId: newIdempotencyKey(),
          }),
      });
    },
    onApprove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item) void this.decide(item, true);
    },
    onReject(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item) this.setData({ rejectId: item.chargeId, rejectNote: '', rejectError: '' });
    },
    onRejectNote(e: { detail: string }) {
      this.setData({ rejectNote: String(e.detail ?? ''), rejectError: '' });
    },
    onCancelReject() {
      this.setData({ rejectId: '' });
    },
    onConfirmReject() {
      const item = this.data.items.find((i) => i.chargeId === this.data.rejectId);
      const note = this.data.rejectNote.trim();
      const checked = check(api.charge.decideCharge, {
        chargeId: this.data.rejectId,
        approve: false,
        note,
      });
      if (!checked.ok) {
        this.setData({ rejectError: checked.errors[0]!.message });
        return;
      }
      if (item) void this.decide(item, false, note);
    },
    async decide(item: ChargeItem, approve: boolean, note?: string) {
      if (this.data.busyId) return;
      if (
        approve &&
        !(await confirmModal({
          title: '批准临时收费',
          content: `${item.roomLabel} ${item.title} ${item.amountText}，批准后立即出账，业主可在线缴纳。`,
          confirmText: '批准',
        }))
      )
        return;
      this.setData({ busyId: item.chargeId });
      try {
        await call(
          'charge',
          'decideCharge',
          { chargeId: item.chargeId, approve, ...(note ? { note } : {}) },
          { loading: '正在提交' },
        );
        wx.showToast({ title: approve ? '已批准出账' : '已驳回', icon: 'success' });
        this.setData({ rejectId: '' });
      } catch (err) {
        notice('处理未成功', messageOf(err));
      } finally {
        this.setData({ busyId: '' });
      }
      await this.load();
    },
  },
});
