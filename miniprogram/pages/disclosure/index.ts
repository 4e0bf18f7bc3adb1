/**
 * One 收支公示 (owners; staff see drafts too): totals, a chart of expenses by category drawn on a
 * `<canvas type="2d">`, fee income by channel, common-area income and its use, service projects
 * and every expense line. A superseded version says so and links to the correction.
 */
import { notFound, pageState } from '../../behaviors/page-state';
import type { CategoryTotal } from '../../domain/disclosure/rules';
import { call } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { paintExpenseChart, type ChartCanvas } from '../../utils/disclosure-chart';
import { toDisclosureScreen, type DisclosureScreen } from '../../utils/disclosure-view';

Component({
  behaviors: [pageState],
  data: {
    id: '',
    view: null as DisclosureScreen | null,
    chartHeight: 0,
    /** True once the chart is painted on the canvas (a text legend is always shown). */
    chartDrawn: false,
    showLines: false,
    printing: false,
    /** What the chart draws (the categories with fen amounts). */
    chart: [] as Pick<CategoryTotal, 'label' | 'color' | 'amountFen' | 'shareText'>[],
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ id: decodeURIComponent(query.id ?? '') });
    },
    async load() {
      if (!this.data.id) throw notFound('抱歉，没有找到该公示');
      const v = await call(
        'disclosure',
        'view',
        { disclosureId: this.data.id },
        { loading: false },
      );
      const chart = v.snapshot.figures.expensesByCategory.map((c) => ({
        label: c.label,
        color: c.color,
        amountFen: c.amountFen,
        shareText: c.shareText,
      }));
      const rowHeight = this.data.elder ? 43 : 34;
      this.setData({
        chart,
        view: toDisclosureScreen(v),
        chartHeight: chart.length * rowHeight + 16,
        chartDrawn: false,
      });
      wx.setNavigationBarTitle({ title: `${v.snapshot.periodLabel}收支公示` });
      if (chart.length > 0) setTimeout(() => this.drawChart(), 0);
    },
    /** Finds the canvas node and paints; where the client has no 2d canvas, the legend remains. */
    drawChart() {
      try {
        this.createSelectorQuery()
          .select('#expense-chart')
          .fields({ node: true, size: true } as WechatMiniprogram.Fields)
          .exec((res: ({ node?: ChartCanvas; width?: number } | null)[] | null) => {
            const hit = res?.[0];
            const node = hit?.node;
            if (!node || typeof node.getContext !== 'function') return;
            const width = hit.width && hit.width > 0 ? hit.width : 320;
            const height = paintExpenseChart(node, this.data.chart, {
              width,
              pixelRatio: wx.getSystemInfoSync().pixelRatio || 2,
              elder: Boolean(this.data.elder),
            });
            this.setData({ chartDrawn: true, chartHeight: height });
          });
      } catch {
        // no canvas support: the legend below the chart carries the same figures
      }
    },
    /** The A4 poster for the bulletin board, made in the cloud and opened for printing. */
    async onPoster() {
      await this.submit({
        busy: 'printing',
        send: () =>
          call(
            'disclosure',
            'posterPdf',
            { disclosureId: this.data.id },
            { loading: '正在生成海报' },
          ),
        then: openCloudPdf,
        failTitle: '海报生成未成功',
        reload: false,
      });
    },
    onToggleLines() {
      this.setData({ showLines: !this.data.showLines });
    },
    onLatest() {
      const id = this.data.view?.supersededBy;
      if (id) wx.redirectTo({ url: `/pages/disclosure/index?id=${encodeURIComponent(id)}` });
    },
    onCall() {
      const phoneNumber = String(this.data.view?.servicePhone ?? '').replace(/[^\d-]/g, '');
      if (phoneNumber) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },
  },
});
