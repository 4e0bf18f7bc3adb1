/**
 * 操作日志 (admin): search the append-only audit log by action family, by colleague and by Beijing
 * date range (`staff.auditLog`, newest first, paged). Values in the log are masked by the
 * functions; this page shows them as they are.
 */
import { staffPage } from '../staff-page';
import type { StaffScope } from '../scope';
import { messageOf, callQuiet } from '../../services/cloud';
import {
  DATE_PRESETS,
  OPERATION_FAMILIES,
  parseDay,
  presetRange,
  toAuditRow,
  type AuditRow,
  type DatePreset,
} from './view';
import type { AuditEntryView } from '../../domain/staff/contract';
import { shanghaiDate } from '../../domain/kernel/time';

const PAGE_SIZE = 20;
let searchSeq = 0;

interface ActorOption {
  openid: string;
  name: string;
}

Component({
  behaviors: [staffPage({ roles: ['admin'], showFirst: true })],
  data: {
    families: OPERATION_FAMILIES,
    operation: '',
    actors: [] as ActorOption[],
    actor: '',
    presets: DATE_PRESETS,
    preset: '7d' as DatePreset,
    fromText: '',
    toText: '',
    dateError: '',
    entries: [] as AuditEntryView[],
    rows: [] as AuditRow[],
    names: {} as Record<string, string>,
    total: 0,
    nextCursor: null as string | null,
    searching: false,
    listError: '',
  },
  methods: {
    /** Colleagues by name, for the filter and for the rows (the log keeps openids). */
    async begin(scope: StaffScope) {
      const { members } = await callQuiet('staff', 'list', {
        communityId: scope.communityId,
        includeRevoked: true,
      });
      const names: Record<string, string> = {};
      for (const m of members) names[m.openid] = m.name || m.openid;
      this.setData({
        names,
        actors: members.map((m) => ({ openid: m.openid, name: m.name || m.openid })),
      });
    },
    load() {
      return this.search(true);
    },
    /** The date filter as the function takes it, or null (with the reason shown) when invalid. */
    dateFilter(): { from?: string; to?: string } | null {
      if (this.data.preset !== 'custom') {
        const today = shanghaiDate(new Date());
        return presetRange(this.data.preset, today);
      }
      const from = parseDay(this.data.fromText);
      const to = parseDay(this.data.toText);
      if (from === null || to === null) {
        this.setData({ dateError: '日期格式如 2026-11-01' });
        return null;
      }
      if (from && to && from > to) {
        this.setData({ dateError: '开始日期不能晚于结束日期' });
        return null;
      }
      this.setData({ dateError: '' });
      return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    },
    async search(reset: boolean) {
      const dates = this.dateFilter();
      if (!dates) return;
      const seq = ++searchSeq;
      this.setData({ searching: true, listError: '' });
      try {
        const page = await callQuiet('staff', 'auditLog', {
          communityId: this.data.communityId,
          ...(this.data.operation ? { operation: this.data.operation } : {}),
          ...(this.data.actor ? { actor: this.data.actor } : {}),
          ...dates,
          limit: PAGE_SIZE,
          ...(!reset && this.data.nextCursor ? { cursor: this.data.nextCursor } : {}),
        });
        if (seq !== searchSeq) return;
        const entries = reset ? page.items : [...this.data.entries, ...page.items];
        this.setData({
          entries,
          rows: entries.map((e) => toAuditRow(e, this.data.names)),
          total: page.total,
          nextCursor: page.nextCursor,
          searching: false,
        });
      } catch (err) {
        if (seq !== searchSeq) return;
        this.setData({ searching: false, listError: messageOf(err) });
      }
    },
    onFamily(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ operation: String(e.currentTarget.dataset.value ?? '') });
      void this.search(true);
    },
    onActor(e: WechatMiniprogram.BaseEvent<Record<string, never>, { openid: string }>) {
      this.setData({ actor: String(e.currentTarget.dataset.openid ?? '') });
      void this.search(true);
    },
    onPreset(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: DatePreset }>) {
      this.setData({ preset: e.currentTarget.dataset.value, dateError: '' });
      void this.search(true);
    },
    onCustom() {
      this.setData({ preset: 'custom' });
    },
    onDate(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const key = e.currentTarget.dataset.field === 'to' ? 'toText' : 'fromText';
      this.setData({ [key]: String(e.detail ?? ''), dateError: '' });
    },
    onSearch() {
      void this.search(true);
    },
    onMore() {
      if (this.data.nextCursor && !this.data.searching) void this.search(false);
    },
  },
});
