/**
 * 服务统计: tickets by category and status, median first-response and resolution times, the
 * deadline breach rate, satisfaction (average and 1–5 star distribution), rooms with repeat
 * complaints and how many calls were answered within 3 rings, for the last 30 or 90 days.
 */
import { CATEGORY_LABELS, STATUS_LABELS, durationText } from '../../domain/complaint/rules';
import type { ServiceDashboard } from '../../domain/complaint/contract';
import { staffPage } from '../staff-page';
import { callQuiet } from '../../services/cloud';
import { addDays, shanghaiDate } from '../../domain/kernel/time';

interface Bar {
  key: string;
  label: string;
  count: number;
  width: number;
}

interface Screen {
  rangeText: string;
  total: number;
  firstResponse: string;
  resolution: string;
  breachRate: string;
  breachText: string;
  satisfaction: string;
  ratingsText: string;
  categories: Bar[];
  statuses: Bar[];
  stars: Bar[];
  repeatRooms: { roomId: string; roomLabel: string; count: number }[];
  callsText: string;
}

function bars(items: { key: string; label: string; count: number }[]): Bar[] {
  const max = Math.max(1, ...items.map((i) => i.count));
  return items.map((i) => ({ ...i, width: Math.round((i.count / max) * 100) }));
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function toScreen(d: ServiceDashboard): Screen {
  return {
    rangeText: `${d.from} 至 ${d.to}`,
    total: d.total,
    firstResponse: durationText(d.medianFirstResponseMinutes),
    resolution: durationText(d.medianResolutionMinutes),
    breachRate: percent(d.breachRate),
    breachText: `${d.breachedTickets} 件工单超时，共 ${d.breaches} 次`,
    satisfaction: d.satisfactionAverage === null ? '—' : d.satisfactionAverage.toFixed(2),
    ratingsText: `${d.ratings} 条评价`,
    categories: bars(
      d.byCategory.map((c) => ({
        key: c.category,
        label: CATEGORY_LABELS[c.category],
        count: c.count,
      })),
    ),
    statuses: bars(
      d.byStatus.map((s) => ({ key: s.status, label: STATUS_LABELS[s.status], count: s.count })),
    ),
    stars: bars(
      d.satisfactionDistribution
        .map((count, i) => ({ key: String(i + 1), label: `${i + 1} 星`, count }))
        .reverse(),
    ),
    repeatRooms: d.repeatRooms,
    callsText: d.calls.measured
      ? `来电 ${d.calls.inbound} 个，${d.calls.answeredWithinThreeRings}/${d.calls.measured} 在 3 声内接听（${percent(d.calls.answeredWithinThreeRings / d.calls.measured)}）`
      : `通话 ${d.calls.total} 个，暂无响铃记录`,
  };
}

Component({
  behaviors: [staffPage({ roles: ['service'] })],
  data: {
    days: 30,
    d: null as Screen | null,
  },
  methods: {
    async load() {
      const to = shanghaiDate(new Date());
      const from = addDays(to, -(this.data.days - 1));
      const d = await callQuiet('complaint', 'dashboard', {
        communityId: this.data.communityId,
        from,
        to,
      });
      this.setData({ d: toScreen(d) });
    },
    onDays(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: number }>) {
      this.setData({ days: Number(e.currentTarget.dataset.value) });
      void this.reload();
    },
  },
});
