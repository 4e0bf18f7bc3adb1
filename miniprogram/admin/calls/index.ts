/**
 * 来电登记 (service staff): log an inbound or outbound call — when, who, about what, the outcome,
 * how many rings before it was answered (the standard: within 3 rings) — optionally against a
 * ticket (opened from a ticket with ?ticketId=…); search the log by text, day and direction.
 */
import type { CallView } from '../../domain/complaint/contract';
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { CloudError, call, callQuiet, messageOf } from '../../services/cloud';
import { formatDateTime } from '../../domain/kernel/time';

interface CallRow {
  callId: string;
  whenText: string;
  directionText: string;
  caller: string;
  phone: string;
  roomLabel: string;
  topic: string;
  outcome: string;
  ringText: string;
  ringTone: 'ok' | 'late' | '';
  ticketNo: string;
  byName: string;
}

function toRow(c: CallView): CallRow {
  const ringText =
    c.rings !== null
      ? `${c.rings} 声接听`
      : c.answerSeconds !== null
        ? `${c.answerSeconds} 秒接听`
        : '';
  return {
    callId: c.callId,
    whenText: formatDateTime(c.at),
    directionText: c.direction === 'inbound' ? '来电' : '去电',
    caller: c.caller,
    phone: c.phone,
    roomLabel: c.roomLabel,
    topic: c.topic,
    outcome: c.outcome,
    ringText,
    ringTone: c.withinThreeRings === null ? '' : c.withinThreeRings ? 'ok' : 'late',
    ticketNo: c.ticketNo,
    byName: c.byName,
  };
}

const AGO = [
  { value: 0, label: '刚刚' },
  { value: 5, label: '5 分钟前' },
  { value: 15, label: '15 分钟前' },
  { value: 30, label: '30 分钟前' },
  { value: 60, label: '1 小时前' },
];
const RINGS = [1, 2, 3, 4, 5, 6];
const EMPTY_FORM = {
  direction: 'inbound' as 'inbound' | 'outbound',
  ago: 0,
  rings: 0,
  caller: '',
  phone: '',
  topic: '',
  outcome: '',
};

Component({
  behaviors: [staffPage({ roles: ['service'], showFirst: true }), pagedList],
  data: {
    ticketId: '',
    agoOptions: AGO,
    ringOptions: RINGS,
    form: { ...EMPTY_FORM },
    formError: '',
    saving: false,
    keyword: '',
    direction: '' as '' | 'inbound' | 'outbound',
    items: [] as CallRow[],
    listLoading: false,
    listError: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ ticketId: decodeURIComponent(query.ticketId ?? '') });
    },
    load() {
      return this.search();
    },
    onField(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { field: string }> & {
        detail: { value: string };
      },
    ) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '' });
    },
    onPick(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { field: string; value: string | number }
      >,
    ) {
      const { field, value } = e.currentTarget.dataset;
      const cur = (this.data.form as Record<string, unknown>)[field];
      // tapping the chosen ring count again clears it (not counted)
      this.setData({ [`form.${field}`]: field === 'rings' && cur === value ? 0 : value });
    },
    async onSave() {
      const f = this.data.form;
      if (!f.caller.trim() || !f.topic.trim() || !f.outcome.trim()) {
        this.setData({ formError: '请填写来电人、事项和处理结果' });
        return;
      }
      await this.submit({
        busy: 'saving',
        send: () =>
          call(
            'complaint',
            'logCall',
            {
              communityId: this.data.communityId,
              at: new Date(Date.now() - f.ago * 60_000).toISOString(),
              direction: f.direction,
              caller: f.caller.trim(),
              ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
              topic: f.topic.trim(),
              outcome: f.outcome.trim(),
              ...(f.direction === 'inbound' && f.rings > 0 ? { rings: f.rings } : {}),
              ...(this.data.ticketId ? { ticketId: this.data.ticketId } : {}),
            },
            { loading: '正在保存' },
          ),
        // every refusal stands under the form, where the person is looking
        showError: (err) => {
          const phone = err instanceof CloudError && err.field === 'phone';
          this.setData({ formError: phone ? '电话号码只能包含数字、+ 和 -' : messageOf(err) });
          return true;
        },
        failTitle: '登记未成功',
        then: () => this.setData({ form: { ...EMPTY_FORM }, formError: '' }),
        toast: '通话已登记',
        toastIcon: 'none',
      });
    },
    onKeyword(e: { detail: { value: string } }) {
      this.setData({ keyword: e.detail.value });
    },
    onDirection(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: '' | 'inbound' | 'outbound' }>,
    ) {
      this.setData({ direction: e.currentTarget.dataset.value });
      void this.search();
    },
    onSearch() {
      void this.search();
    },
    search() {
      return this.loadList();
    },
    /** The first page of calls that match, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      return this.fillPage(
        more,
        (page) =>
          callQuiet('complaint', 'calls', {
            communityId: this.data.communityId,
            ...(this.data.keyword.trim() ? { keyword: this.data.keyword.trim() } : {}),
            ...(this.data.direction ? { direction: this.data.direction } : {}),
            ...(this.data.ticketId ? { ticketId: this.data.ticketId } : {}),
            ...page,
          }),
        (res) => this.appendRows('items', res.items.map(toRow), more),
      );
    },
  },
});
