/**
 * 消息订阅: property services get one-time subscriptions only, so each accepted tap allows one
 * later message. The request must come from a tap; the result per template is shown plainly.
 * Below, the owner chooses whether an SMS may reach them when WeChat cannot (docs/overdue.md).
 */
import { elderBehavior } from '../../behaviors/elder';
import { SUBSCRIBE_TEMPLATES } from '../../config';
import { callQuiet } from '../../services/cloud';

type Outcome = 'accept' | 'reject' | 'ban' | 'filter' | '';

interface TemplateRow {
  id: string;
  title: string;
  description: string;
  outcome: Outcome;
  outcomeText: string;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  accept: '已订阅一次',
  reject: '未订阅',
  ban: '已被关闭',
  filter: '暂不可用',
  '': '',
};

function rows(outcomes: Record<string, Outcome> = {}): TemplateRow[] {
  return SUBSCRIBE_TEMPLATES.map((t) => {
    const outcome = outcomes[t.id] ?? '';
    return { ...t, outcome, outcomeText: OUTCOME_TEXT[outcome] };
  });
}

Component({
  behaviors: [elderBehavior],
  data: {
    templates: rows(),
    asked: false,
    /** The SMS choice, once known; hidden without a mobile on record. */
    sms: false,
    smsAvailable: false,
  },
  lifetimes: {
    attached() {
      void this.showSmsChoice({});
    },
  },
  methods: {
    async showSmsChoice(input: { sms?: boolean }) {
      try {
        const r = await callQuiet('notice', 'smsChoice', input);
        this.setData({ sms: r.sms, smsAvailable: r.available });
      } catch {
        if (input.sms !== undefined)
          wx.showToast({ title: '抱歉，设置未成功，请稍后再试', icon: 'none' });
      }
    },
    onSmsChange(e: { detail: boolean }) {
      void this.showSmsChoice({ sms: e.detail === true });
    },
    onSubscribe() {
      const tmplIds = SUBSCRIBE_TEMPLATES.map((t) => t.id);
      wx.requestSubscribeMessage({
        tmplIds,
        success: (res) => {
          const outcomes: Record<string, Outcome> = {};
          for (const id of tmplIds) {
            const v = (res as unknown as Record<string, string>)[id];
            outcomes[id] =
              v === 'accept' || v === 'reject' || v === 'ban' || v === 'filter' ? v : '';
          }
          this.setData({ templates: rows(outcomes), asked: true });
          // Recorded as one-time credits: each accept allows one later reminder.
          const results = Object.fromEntries(
            Object.entries(outcomes).filter(([, v]) => v !== ''),
          ) as Record<string, 'accept' | 'reject' | 'ban' | 'filter'>;
          if (Object.keys(results).length > 0) {
            void callQuiet('notice', 'consent', { results, trigger: 'settings' }).catch(
              () => undefined,
            );
          }
          const accepted = Object.values(outcomes).filter((o) => o === 'accept').length;
          wx.showToast({
            title: accepted > 0 ? `已为您订阅 ${accepted} 项提醒` : '您暂未订阅提醒',
            icon: 'none',
          });
        },
        fail: () => {
          wx.showToast({ title: '抱歉，订阅未成功，请稍后再试', icon: 'none' });
        },
      });
    },
  },
});
