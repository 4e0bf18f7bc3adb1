/**
 * 收缴率报表 (admin, finance): collection rate per period and building with a chart, arrears
 * aging with a chart, the largest arrears with their escalation stage and last contact reason,
 * and non-payment reasons. Every report exports to .xlsx (opened with WeChat's viewer, which can
 * forward or save it). Figures come from the `report` function's database aggregation.
 */
import { staffPage } from '../staff-page';
import { openCloudSheet } from '../../services/document';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { renderBarChart } from './chart';
import { pageCanvas } from '../../utils/canvas';
import {
  AGING_AXIS,
  COLLECTION_AXIS,
  REPORT_TABS,
  agingChart,
  agingView,
  arrearsView,
  collectionChart,
  collectionView,
  reasonsView,
  type ChartAxis,
  type ReportTab,
} from './view';

const CHART_W = 330;
const REOPEN = '请点击文件名重新打开';
const CHART_H = 190;

Component({
  behaviors: [staffPage({ roles: ['finance'], showFirst: true })],
  data: {
    tabs: REPORT_TABS,
    tab: 'collection' as ReportTab,
    busy: false,
    loadError: '',
    period: '',
    collection: null as ReturnType<typeof collectionView> | null,
    aging: null as ReturnType<typeof agingView> | null,
    arrears: null as ReturnType<typeof arrearsView> | null,
    reasons: null as ReturnType<typeof reasonsView> | null,
    chartPath: '',
    chartNote: '',
    exporting: false,
    exported: null as null | { tempFileURL: string; fileName: string },
  },
  methods: {
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ReportTab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, chartPath: '', chartNote: '', exported: null });
      void this.load();
    },
    onPeriod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ period: e.currentTarget.dataset.value, exported: null });
      void this.load();
    },
    async load() {
      const communityId = this.data.communityId;
      const tab = this.data.tab;
      this.setData({ busy: true, loadError: '' });
      try {
        if (tab === 'collection') {
          const r = await callQuiet('report', 'collection', {
            communityId,
            ...(this.data.period ? { period: this.data.period } : {}),
          });
          this.setData({ collection: collectionView(r), period: r.period });
          await this.chart(collectionChart(r), COLLECTION_AXIS);
        } else if (tab === 'aging') {
          const r = await callQuiet('report', 'aging', { communityId });
          this.setData({ aging: agingView(r) });
          await this.chart(agingChart(r), AGING_AXIS);
        } else if (tab === 'arrears') {
          const r = await callQuiet('report', 'arrears', { communityId, limit: 20 });
          this.setData({ arrears: arrearsView(r) });
        } else {
          const r = await callQuiet('report', 'reasons', { communityId });
          this.setData({ reasons: reasonsView(r) });
        }
      } catch (err) {
        this.setData({ loadError: messageOf(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async chart(data: Parameters<typeof renderBarChart>[1], axis: ChartAxis) {
      if (!data.length) {
        this.setData({ chartPath: '', chartNote: '' });
        return;
      }
      try {
        const path = await renderBarChart(
          (w, h) => pageCanvas(this, '#report-canvas', w, h),
          data,
          { width: CHART_W, height: CHART_H, ...axis },
        );
        this.setData({
          chartPath: path ?? '',
          chartNote: path ? '' : '当前微信版本不支持绘制图表，请查看下方表格',
        });
      } catch {
        this.setData({ chartPath: '', chartNote: '图表暂时无法显示，请查看下方表格' });
      }
    },
    async onExport() {
      const tab = this.data.tab;
      this.setData({ exported: null });
      await this.submit({
        busy: 'exporting',
        send: () =>
          call(
            'report',
            'export',
            {
              communityId: this.data.communityId,
              report: tab,
              ...(tab === 'collection' && this.data.period ? { period: this.data.period } : {}),
            },
            { loading: '正在生成报表' },
          ),
        failTitle: '未能导出',
        reload: false,
        then: (file) => {
          this.setData({ exported: { tempFileURL: file.tempFileURL, fileName: file.fileName } });
          return openCloudSheet(file, REOPEN);
        },
      });
    },
    onOpenExported() {
      const f = this.data.exported;
      if (f) void openCloudSheet(f, REOPEN);
    },
  },
});
