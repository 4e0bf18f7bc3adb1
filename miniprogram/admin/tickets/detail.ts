/**
 * 工单处理 (service staff): the ticket with its deadlines, photos and bills; assign (admins) or
 * take it (客服认领); reply to the owner starting from a polite phrase, or add an internal note the
 * owner never sees; move the status forward (已解决 needs the result written down); record the
 * return visit (回访) once closed; the calls logged against it.
 */
import {
  CATEGORY_LABELS,
  KIND_LABELS,
  POLITE_PHRASES,
  STATUS_LABELS,
  type TicketStatus,
} from '../../domain/complaint/rules';
import type { HandlerOption, StaffTicketView } from '../../domain/complaint/contract';
import { staffPage } from '../staff-page';
import type { StaffScope } from '../scope';
import { call, callQuiet } from '../../services/cloud';
import { STATUS_TAG, deadlineText, toTimeline, type TimelineRow } from '../../utils/complaint-view';
import { formatDateTime } from '../../domain/kernel/time';

type NextStatus = Exclude<TicketStatus, 'registered'>;

interface Screen {
  ticketId: string;
  ticketNo: string;
  title: string;
  status: TicketStatus;
  statusText: string;
  tagType: string;
  roomLabel: string;
  ownerName: string;
  description: string;
  photos: string[];
  bills: { billId: string; title: string }[];
  createdText: string;
  handler: string | null;
  handlerName: string;
  deadlineText: string;
  deadlineTone: string;
  firstDueText: string;
  resolveDueText: string;
  breachText: string;
  hasHold: boolean;
  timeline: TimelineRow[];
  ratingText: string;
  visitText: string;
  canVisit: boolean;
  next: { value: NextStatus; label: string }[];
  calls: { callId: string; text: string; whenText: string }[];
}

const NEXT_LABEL: Record<NextStatus, string> = {
  accepted: '受理',
  'in-progress': '开始处理',
  resolved: '标记已解决',
  closed: '关闭工单',
};

function nextSteps(s: TicketStatus): NextStatus[] {
  switch (s) {
    case 'registered':
      return ['accepted', 'in-progress', 'resolved'];
    case 'accepted':
      return ['in-progress', 'resolved'];
    case 'in-progress':
      return ['resolved'];
    case 'resolved':
      return ['closed'];
    default:
      return [];
  }
}

function toScreen(t: StaffTicketView): Screen {
  const now = new Date();
  const tone =
    t.deadlineKind === 'none' ? 'done' : t.deadlineState === 'met' ? 'ok' : t.deadlineState;
  return {
    ticketId: t.ticketId,
    ticketNo: t.ticketNo,
    title: `${CATEGORY_LABELS[t.category]}${KIND_LABELS[t.kind]}`,
    status: t.status,
    statusText: STATUS_LABELS[t.status],
    tagType: STATUS_TAG[t.status],
    roomLabel: t.roomLabel,
    ownerName: t.ownerName,
    description: t.description,
    photos: t.photos,
    bills: t.bills,
    createdText: formatDateTime(t.createdAt),
    handler: t.handler,
    handlerName: t.handlerName || '未分派',
    deadlineText: deadlineText(t, now),
    deadlineTone: tone,
    firstDueText: formatDateTime(t.firstResponseDueAt),
    resolveDueText: formatDateTime(t.resolutionDueAt),
    breachText: t.breaches
      .map((b) => (b === 'first-response' ? '首次响应超时' : '办结超时'))
      .join('、'),
    hasHold: t.hasHold,
    timeline: toTimeline(t.timeline).reverse(),
    ratingText: t.rating
      ? `${'★'.repeat(t.rating.stars)}${'☆'.repeat(5 - t.rating.stars)}${t.rating.comment ? ` ${t.rating.comment}` : ''}`
      : '',
    visitText: t.returnVisit
      ? `${formatDateTime(t.returnVisit.at)} ${t.returnVisit.byName}：${t.returnVisit.satisfied ? '满意' : '不满意'}，${t.returnVisit.feedback}`
      : '',
    canVisit: t.status === 'closed' && !t.returnVisit,
    next: nextSteps(t.status).map((value) => ({ value, label: NEXT_LABEL[value] })),
    calls: t.calls.map((c) => ({
      callId: c.callId,
      whenText: formatDateTime(c.at),
      text: `${c.direction === 'inbound' ? '来电' : '去电'} ${c.caller}：${c.topic} → ${c.outcome}`,
    })),
  };
}

Component({
  behaviors: [staffPage({ roles: ['service'] })],
  data: {
    ticketId: '',
    me: '',
    isAdmin: false,
    t: null as Screen | null,
    handlers: [] as HandlerOption[],
    phrases: POLITE_PHRASES,
    replyText: '',
    internal: false,
    replyError: '',
    statusNote: '',
    statusError: '',
    visitMethod: 'phone' as 'phone' | 'visit' | 'wechat',
    visitSatisfied: true,
    visitFeedback: '',
    visitError: '',
    busy: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ ticketId: decodeURIComponent(query.ticketId ?? '') });
    },
    /** Admins assign: they need the handlers on the desk. */
    async begin(scope: StaffScope) {
      this.setData({ isAdmin: scope.isAdmin, me: scope.openid });
      if (!scope.isAdmin) return;
      const desk = await callQuiet('complaint', 'desk', {
        communityId: scope.communityId,
        scope: 'open',
        limit: 1,
      });
      this.setData({ handlers: desk.handlers });
    },
    async load() {
      const t = await callQuiet('complaint', 'staffDetail', {
        communityId: this.data.communityId,
        ticketId: this.data.ticketId,
      });
      this.setData({ t: toScreen(t) });
    },
    onPreview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
      wx.previewImage({ urls: this.data.t?.photos ?? [], current: e.currentTarget.dataset.url });
    },
    /** Every step answers with the ticket as it is now; a refusal shows under the form used. */
    act(
      send: () => Promise<StaffTicketView>,
      errorField: 'replyError' | 'statusError' | 'visitError',
      done: string,
    ) {
      this.setData({ [errorField]: '' });
      return this.submit({
        send,
        error: errorField,
        atField: () => true,
        failTitle: '',
        reload: false,
        then: (t) => this.setData({ t: toScreen(t) }),
        toast: done,
        toastIcon: 'none',
      });
    },
    async onAssign(e: WechatMiniprogram.BaseEvent<Record<string, never>, { openid: string }>) {
      const handler = String(e.currentTarget.dataset.openid || this.data.me);
      await this.act(
        () =>
          call(
            'complaint',
            'assign',
            { communityId: this.data.communityId, ticketId: this.data.ticketId, handler },
            { loading: '正在分派' },
          ),
        'statusError',
        '已分派',
      );
    },
    onPhrase(e: WechatMiniprogram.BaseEvent<Record<string, never>, { text: string }>) {
      const text = String(e.currentTarget.dataset.text);
      const cur = this.data.replyText.trim();
      this.setData({ replyText: cur ? `${cur}${text}` : text, internal: false, replyError: '' });
    },
    onReplyInput(e: { detail: { value: string } }) {
      this.setData({ replyText: e.detail.value, replyError: '' });
    },
    onInternal(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ internal: e.currentTarget.dataset.value === 'note' });
    },
    async onSendReply() {
      const text = this.data.replyText.trim();
      if (!text) {
        this.setData({ replyError: '请先填写内容' });
        return;
      }
      const ok = await this.act(
        () =>
          call(
            'complaint',
            'reply',
            {
              communityId: this.data.communityId,
              ticketId: this.data.ticketId,
              text,
              internal: this.data.internal,
            },
            { loading: '正在发送' },
          ),
        'replyError',
        this.data.internal ? '已添加内部备注' : '已回复业主',
      );
      if (ok) this.setData({ replyText: '' });
    },
    onStatusNote(e: { detail: { value: string } }) {
      this.setData({ statusNote: e.detail.value, statusError: '' });
    },
    async onStatus(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: NextStatus }>) {
      const status = e.currentTarget.dataset.value;
      const note = this.data.statusNote.trim();
      if (status === 'resolved' && !note) {
        this.setData({ statusError: '请先写明处理结果，业主会看到' });
        return;
      }
      const ok = await this.act(
        () =>
          call(
            'complaint',
            'setStatus',
            { communityId: this.data.communityId, ticketId: this.data.ticketId, status, note },
            { loading: '正在提交' },
          ),
        'statusError',
        `已${STATUS_LABELS[status].replace(/^已/, '')}`,
      );
      if (ok) this.setData({ statusNote: '' });
    },
    onVisitMethod(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { value: 'phone' | 'visit' | 'wechat' }
      >,
    ) {
      this.setData({ visitMethod: e.currentTarget.dataset.value });
    },
    onVisitSatisfied(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ visitSatisfied: e.currentTarget.dataset.value === 'yes' });
    },
    onVisitFeedback(e: { detail: { value: string } }) {
      this.setData({ visitFeedback: e.detail.value, visitError: '' });
    },
    async onVisit() {
      const feedback = this.data.visitFeedback.trim();
      if (!feedback) {
        this.setData({ visitError: '请记录业主的反馈' });
        return;
      }
      await this.act(
        () =>
          call(
            'complaint',
            'returnVisit',
            {
              communityId: this.data.communityId,
              ticketId: this.data.ticketId,
              method: this.data.visitMethod,
              satisfied: this.data.visitSatisfied,
              feedback,
            },
            { loading: '正在提交' },
          ),
        'visitError',
        '回访已记录',
      );
    },
    onLogCall() {
      wx.navigateTo({
        url: `/admin/calls/index?ticketId=${encodeURIComponent(this.data.ticketId)}`,
      });
    },
  },
});
