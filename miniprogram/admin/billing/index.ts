/**
 * 账单生成 (finance, admin): choose a period, preview it (fee.preview: totals per building and
 * item, rooms skipped and why, changes above 20%), then issue it after a confirmation
 * (fee.issue). Both passes are resumable: while `done` is false the page calls again, showing
 * progress; a run left half-issued (closed page, timeout) shows 继续出账. Past runs: fee.runs.
 */
import { formatPeriod, shanghaiDate } from '../../domain/kernel/time';
import { staffPage } from '../staff-page';
import { callQuiet, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { addMonths } from '../../domain/fee/period';
import { toRunRow, toRunScreen, type RunRow, type RunScreen } from './view';
import type { BillingRunView } from '../../domain/fee/contract';
import { formatYuan } from '../../domain/kernel/money';

type Busy = '' | 'preview' | 'issue';

/** Rooms per issue call: small enough to show progress, far inside the function's timeout. */
const ISSUE_CHUNK = 2000;
/** A pass that never finishes (a stuck run) must not loop forever. */
const MAX_ROUNDS = 200;

Component({
  behaviors: [staffPage({ roles: ['finance'] })],
  data: {
    period: '',
    periodText: '',
    run: null as RunScreen | null,
    runs: [] as RunRow[],
    busy: '' as Busy,
    /** A finished issue in this visit: the success banner. */
    issuedText: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      const thisMonth = shanghaiDate(new Date()).slice(0, 7);
      this.setPeriod(
        query.period && /^\d{4}-\d{2}$/.test(query.period) ? query.period : addMonths(thisMonth, 1),
      );
    },
    setPeriod(period: string) {
      this.setData({ period, periodText: formatPeriod(period), issuedText: '' });
    },
    load() {
      return this.loadRuns();
    },
    /**
     * The run list and, unless `listOnly` (after a pass this page just ran, whose reply is
     * newer), the chosen period's run if there is one.
     */
    async loadRuns(listOnly = false) {
      const { runs } = await callQuiet('fee', 'runs', {
        communityId: this.data.communityId,
        limit: 12,
      });
      this.setData({ runs: runs.map(toRunRow) });
      if (listOnly) return;
      const mine = runs.find((r) => r.period === this.data.period);
      this.setData({ run: mine ? toRunScreen(mine) : null });
    },
    showRun(run: BillingRunView) {
      // a requested month inside a prepaid cycle runs the cycle's first month
      if (run.period !== this.data.period) this.setPeriod(run.period);
      this.setData({ run: toRunScreen(run) });
    },
    onShiftPeriod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { step: number }>) {
      if (this.data.busy) return;
      this.setPeriod(addMonths(this.data.period, Number(e.currentTarget.dataset.step)));
      void this.refreshSilently();
    },
    onPickRun(e: WechatMiniprogram.BaseEvent<Record<string, never>, { period: string }>) {
      if (this.data.busy) return;
      this.setPeriod(e.currentTarget.dataset.period);
      void this.refreshSilently();
      wx.pageScrollTo({ scrollTop: 0, duration: 200 });
    },
    async refreshSilently() {
      try {
        await this.loadRuns();
      } catch (err) {
        wx.showToast({ title: messageOf(err), icon: 'none' });
      }
    },
    async onPreview() {
      if (this.data.busy || this.data.run?.previewBlocked) return;
      this.setData({ busy: 'preview', issuedText: '' });
      try {
        let run: BillingRunView | null = null;
        for (let i = 0; i < MAX_ROUNDS; i++) {
          run = await callQuiet('fee', 'preview', {
            communityId: this.data.communityId,
            period: this.data.period,
            restart: false,
          });
          this.showRun(run);
          if (run.preview?.done) break;
        }
        await this.loadRuns(true).catch(() => undefined);
      } catch (err) {
        notice('预览未完成', messageOf(err));
      } finally {
        this.setData({ busy: '' });
      }
    },
    async onIssue() {
      const run = this.data.run;
      if (this.data.busy || !run) return;
      if (!run.canResume) {
        if (!run.canIssue || !run.preview) return;
        const go = await confirmModal({
          title: '确认出账',
          content: `将为 ${run.periodText} 生成 ${run.preview.billsText}账单，合计 ${run.preview.totalText}。出账后业主即可查看并缴费，账单不能撤回。`,
          confirmText: '确认出账',
        });
        if (!go) return;
      }
      await this.issueUntilDone();
    },
    /** Issue in chunks until done; safe to repeat (bill ids are deterministic). */
    async issueUntilDone() {
      this.setData({ busy: 'issue', issuedText: '' });
      try {
        let run: BillingRunView | null = null;
        for (let i = 0; i < MAX_ROUNDS; i++) {
          run = await callQuiet('fee', 'issue', {
            communityId: this.data.communityId,
            period: this.data.period,
            maxRooms: ISSUE_CHUNK,
          });
          this.showRun(run);
          if (run.issue?.done) break;
          // between chunks, read the run as stored (another colleague may be finishing it)
          const stored = await callQuiet('fee', 'run', {
            communityId: this.data.communityId,
            period: this.data.period,
          });
          this.showRun(stored);
          if (stored.issue?.done) {
            run = stored;
            break;
          }
        }
        if (run?.issue?.done) {
          const s = run.summary;
          this.setData({
            issuedText: s
              ? `已生成 ${s.bills} 户账单，合计 ${formatYuan(s.totalFen)}，业主现在可以查看和缴费`
              : '出账完成，业主现在可以查看和缴费',
          });
        }
        await this.loadRuns(true).catch(() => undefined);
      } catch (err) {
        notice('出账未完成', `${messageOf(err)}。已生成的账单不会重复，可稍后点“继续出账”。`);
        await this.loadRuns(true).catch(() => undefined);
      } finally {
        this.setData({ busy: '' });
      }
    },
  },
});
