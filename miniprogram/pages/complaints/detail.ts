/**
 * One ticket as its owner follows it: status, what was filed (photos, bills), the timeline of
 * status changes and replies, a reply box, 确认已解决 / 重新处理 within 7 days of the resolution,
 * and the 1–5 star rating once resolved.
 */
import { CATEGORY_LABELS, KIND_LABELS, STATUS_LABELS } from '../../domain/complaint/rules';
import type { OwnerTicketView } from '../../domain/complaint/contract';
import { notFound, pageState } from '../../behaviors/page-state';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { STATUS_TAG, toTimeline, type TimelineRow } from '../../utils/complaint-view';
import { formatDateTime } from '../../domain/kernel/time';

interface Screen {
  ticketId: string;
  ticketNo: string;
  title: string;
  statusText: string;
  tagType: string;
  description: string;
  photos: string[];
  bills: { billId: string; title: string }[];
  roomLabel: string;
  createdText: string;
  handlerName: string;
  timeline: TimelineRow[];
  rating: { stars: number; comment: string } | null;
  canReply: boolean;
  canConfirm: boolean;
  canReopen: boolean;
  canRate: boolean;
  reopenUntilText: string;
}

function toScreen(t: OwnerTicketView): Screen {
  return {
    ticketId: t.ticketId,
    ticketNo: t.ticketNo,
    title: `${CATEGORY_LABELS[t.category]}${KIND_LABELS[t.kind]}`,
    statusText: STATUS_LABELS[t.status],
    tagType: STATUS_TAG[t.status],
    description: t.description,
    photos: t.photos,
    bills: t.bills,
    roomLabel: t.roomLabel,
    createdText: formatDateTime(t.createdAt),
    handlerName: t.handlerName,
    timeline: toTimeline(t.timeline).reverse(),
    rating: t.rating ? { stars: t.rating.stars, comment: t.rating.comment } : null,
    canReply: t.canReply,
    canConfirm: t.canConfirm,
    canReopen: t.canReopen,
    canRate: t.canRate,
    reopenUntilText: t.reopenUntil ? formatDateTime(t.reopenUntil) : '',
  };
}

Component({
  behaviors: [pageState],
  data: {
    ticketId: '',
    t: null as Screen | null,
    reply: '',
    replyError: '',
    reopenOpen: false,
    reopenReason: '',
    reopenError: '',
    stars: 0,
    starList: [1, 2, 3, 4, 5],
    comment: '',
    rateError: '',
    busy: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ ticketId: decodeURIComponent(query.ticketId ?? '') });
    },
    async load() {
      if (!this.data.ticketId) throw notFound('抱歉，没有找到该工单，请返回后重试');
      const t = await callQuiet('complaint', 'detail', { ticketId: this.data.ticketId });
      this.show(t);
    },
    show(t: OwnerTicketView) {
      this.setData({ t: toScreen(t) });
    },
    onPreview(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string; urls: string[] }>,
    ) {
      const { url, urls } = e.currentTarget.dataset;
      wx.previewImage({ urls, current: url });
    },
    onBill(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      wx.navigateTo({
        url: `/pages/bill/index?billId=${encodeURIComponent(String(e.currentTarget.dataset.id))}`,
      });
    },
    onReplyInput(e: { detail: { value: string } }) {
      this.setData({ reply: e.detail.value, replyError: '' });
    },
    async onSendReply() {
      const text = this.data.reply.trim();
      if (!text) {
        this.setData({ replyError: '请先写下您想说的话' });
        return;
      }
      await this.act(
        () =>
          call(
            'complaint',
            'ownerReply',
            { ticketId: this.data.ticketId, text },
            { loading: '正在发送' },
          ),
        'replyError',
        '已发送，感谢您的补充',
        () => this.setData({ reply: '' }),
      );
    },
    async onConfirm() {
      const ok = await confirmModal({
        title: '确认问题已解决？',
        content: '确认后工单将关闭，欢迎您对本次服务进行评价',
        confirmText: '确认解决',
      });
      if (!ok) return;
      await this.act(
        () =>
          call('complaint', 'confirm', { ticketId: this.data.ticketId }, { loading: '正在提交' }),
        'rateError',
        '感谢您的确认',
      );
    },
    onToggleReopen() {
      this.setData({ reopenOpen: !this.data.reopenOpen, reopenError: '' });
    },
    onReopenInput(e: { detail: { value: string } }) {
      this.setData({ reopenReason: e.detail.value, reopenError: '' });
    },
    async onReopen() {
      const reason = this.data.reopenReason.trim();
      if (!reason) {
        this.setData({ reopenError: '请说明还有什么问题没有解决' });
        return;
      }
      await this.act(
        () =>
          call(
            'complaint',
            'reopen',
            { ticketId: this.data.ticketId, reason },
            { loading: '正在提交' },
          ),
        'reopenError',
        '已重新提交，我们会尽快处理',
        () => this.setData({ reopenOpen: false, reopenReason: '' }),
      );
    },
    onStar(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: number }>) {
      this.setData({ stars: Number(e.currentTarget.dataset.value), rateError: '' });
    },
    onCommentInput(e: { detail: { value: string } }) {
      this.setData({ comment: e.detail.value });
    },
    async onRate() {
      if (this.data.stars < 1) {
        this.setData({ rateError: '请点亮星星为本次服务打分' });
        return;
      }
      await this.act(
        () =>
          call(
            'complaint',
            'rate',
            {
              ticketId: this.data.ticketId,
              stars: this.data.stars,
              comment: this.data.comment.trim(),
            },
            { loading: '正在提交' },
          ),
        'rateError',
        '感谢您的评价',
      );
    },
    /** A step on the ticket: it answers with the ticket as it is now. */
    act(
      send: () => Promise<OwnerTicketView>,
      error: 'replyError' | 'reopenError' | 'rateError',
      done: string,
      then?: () => void,
    ) {
      return this.submit({
        send,
        error,
        atField: () => true,
        failTitle: '',
        reload: false,
        then: (t) => {
          then?.();
          this.show(t);
        },
        toast: done,
        toastIcon: 'none',
      });
    },
  },
});
