/**
 * 收费标准公示 (明码标价): the community's fee standards in force and announced price changes,
 * their rules in words, the approval behind each price, and the 12358 price-complaint hotline.
 * The community comes from the query (from 账单明细) or, from 我的, the owner's first room.
 */
import { shanghaiDate } from '../../domain/kernel/time';
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { openCloudDocument } from '../../services/document';
import { toStandardsScreen, type StandardsScreen } from '../../utils/fee-view';
import {
  historyRangeText,
  toAdjustmentRows,
  type AdjustmentRow,
} from '../../utils/disclosure-view';

interface HistoryRow {
  key: string;
  priceText: string;
  rangeText: string;
  approvalRef: string;
}

Component({
  behaviors: [pageState],
  data: {
    communityId: '',
    view: null as StandardsScreen | null,
    /** 调价公示: announced changes, those in their notice period first. */
    adjustments: [] as AdjustmentRow[],
    /** Price history per item (shown when an item has had more than one price). */
    histories: {} as Record<string, HistoryRow[]>,
    openHistory: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ communityId: decodeURIComponent(query.communityId ?? '') });
    },
    async load() {
      let communityId = this.data.communityId;
      if (!communityId) {
        const home = await callQuiet('owner', 'home', {});
        communityId = home.rooms[0]?.communityId ?? '';
        if (!communityId) return 'empty';
        this.setData({ communityId });
      }
      const v = await callQuiet('fee', 'publicStandards', { communityId });
      this.setData({
        view: toStandardsScreen(v, shanghaiDate(new Date())),
        adjustments: toAdjustmentRows(v.adjustments ?? []),
        histories: Object.fromEntries(
          v.standards.map((s) => [
            s.itemId,
            (s.history ?? []).map((h, i) => ({
              key: `${s.itemId}-${i}`,
              priceText: h.priceText,
              rangeText: historyRangeText(h.effectiveFrom, h.effectiveTo),
              approvalRef: h.approvalRef,
            })),
          ]),
        ),
      });
      return v.standards.length > 0 ? 'ready' : 'empty';
    },
    onToggleHistory(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key: string }>) {
      const key = String(e.currentTarget.dataset.key ?? '');
      this.setData({ openHistory: this.data.openHistory === key ? '' : key });
    },
    /**
     * A supporting document (业主大会决议、成本测算), a picture the proposer uploaded: opened by
     * the temporary link the standards view carries (owners cannot read it by file id).
     */
    onDocument(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
      const url = String(e.currentTarget.dataset.url ?? '');
      if (url) void openCloudDocument(url, '依据材料');
      else wx.showToast({ title: '抱歉，文件暂时无法打开', icon: 'none' });
    },
    onCall(e: WechatMiniprogram.BaseEvent<Record<string, never>, { phone: string }>) {
      const phoneNumber = String(e.currentTarget.dataset.phone ?? '').replace(/[^\d-]/g, '');
      if (phoneNumber) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },
  },
});
