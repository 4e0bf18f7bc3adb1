/**
 * 收费标准公示 (明码标价): the community's fee standards in force and announced price changes,
 * their rules in words, the approval behind each price, and the 12358 price-complaint hotline.
 * The community comes from the query (from 账单明细) or, from 我的, the owner's first room.
 */
import { shanghaiDate } from '../../domain/kernel/time';
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
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

type Status = 'loading' | 'ready' | 'empty' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityId: '',
    view: null as StandardsScreen | null,
    /** 调价公示: announced changes, those in their notice period first. */
    adjustments: [] as AdjustmentRow[],
    /** Price history per item (shown when an item has had more than one price). */
    histories: {} as Record<string, HistoryRow[]>,
    openHistory: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ communityId: decodeURIComponent(query.communityId ?? '') });
      void this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      try {
        let communityId = this.data.communityId;
        if (!communityId) {
          const home = await call('owner', 'home', {}, { loading: false });
          communityId = home.rooms[0]?.communityId ?? '';
          if (!communityId) {
            this.setData({ status: 'empty' });
            return;
          }
          this.setData({ communityId });
        }
        const v = await call('fee', 'publicStandards', { communityId }, { loading: false });
        this.setData({
          status: v.standards.length > 0 ? 'ready' : 'empty',
          errorMessage: '',
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
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onToggleHistory(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key: string }>) {
      const key = String(e.currentTarget.dataset.key ?? '');
      this.setData({ openHistory: this.data.openHistory === key ? '' : key });
    },
    /** A supporting document (业主大会决议、成本测算): shown as a picture. */
    onDocument(e: WechatMiniprogram.BaseEvent<Record<string, never>, { file: string }>) {
      const fileID = String(e.currentTarget.dataset.file ?? '');
      if (!fileID) return;
      wx.cloud
        .getTempFileURL({ fileList: [fileID] })
        .then((res) => {
          const url = res.fileList[0]?.tempFileURL;
          if (url) wx.previewImage({ urls: [url], current: url });
          else wx.showToast({ title: '抱歉，文件暂时无法打开', icon: 'none' });
        })
        .catch(() => wx.showToast({ title: '抱歉，文件暂时无法打开', icon: 'none' }));
    },
    onRetry() {
      void this.load();
    },
    onCall(e: WechatMiniprogram.BaseEvent<Record<string, never>, { phone: string }>) {
      const phoneNumber = String(e.currentTarget.dataset.phone ?? '').replace(/[^\d-]/g, '');
      if (phoneNumber) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },
  },
});
