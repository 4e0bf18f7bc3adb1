/**
 * 催缴函: the letter of one room shown on screen exactly as it prints (the same `PrintDoc` the
 * PDF renderer takes), and the delivery recorded — in person, to family, or posted — so the
 * formal-notice stage has proof of notice.
 */
import { elderBehavior } from '../../behaviors/elder';
import type { PrintBlock } from '../../domain/print/document';
import { call, messageOf } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { notice, toast } from '../../services/ui';
import { staffScope } from '../scope';
import { formatDate, toShanghaiDate } from '../../domain/kernel/time';

type Status = 'loading' | 'ready' | 'forbidden' | 'error';
type Method = 'in-person' | 'family' | 'posted';

/** Blocks with an index for wx:key; table cells with the column's alignment. */
export function screenBlocks(blocks: PrintBlock[]): (PrintBlock & { key: number })[] {
  return blocks.filter((b) => b.kind !== 'pageBreak').map((b, key) => ({ ...b, key }));
}

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityId: '',
    roomId: '',
    title: '',
    letterNo: '',
    footer: '',
    blocks: [] as (PrintBlock & { key: number })[],
    deliveredText: '',
    methods: [
      { value: 'in-person', label: '本人签收' },
      { value: 'family', label: '家属代收' },
      { value: 'posted', label: '张贴/投递' },
    ],
    method: 'in-person' as Method,
    receivedBy: '',
    note: '',
    busy: false,
    printing: false,
  },
  methods: {
    onLoad(q: Record<string, string | undefined>) {
      this.setData({ roomId: q.roomId ?? '' });
      void this.init();
    },
    async init() {
      this.setData({ status: 'loading' });
      try {
        const scope = await staffScope(['service']);
        if (!scope) {
          this.setData({ status: 'forbidden' });
          return;
        }
        this.setData({ communityId: scope.communityId });
        const v = await call(
          'overdue',
          'letter',
          { communityId: scope.communityId, roomId: this.data.roomId },
          { loading: false },
        );
        this.show(v);
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    show(v: {
      letterNo: string;
      doc: { title: string; blocks: PrintBlock[]; footer?: string };
      deliveredAt: string | null;
    }) {
      this.setData({
        status: 'ready',
        title: v.doc.title,
        letterNo: v.letterNo,
        footer: v.doc.footer ?? '',
        blocks: screenBlocks(v.doc.blocks),
        deliveredText: v.deliveredAt
          ? `已于 ${formatDate(toShanghaiDate(v.deliveredAt))} 送达`
          : '',
      });
    },
    onRetry() {
      void this.init();
    },
    /** The letter as an A4 PDF (made in the cloud), opened to print or forward. */
    async onPrint() {
      if (this.data.printing) return;
      this.setData({ printing: true });
      try {
        const file = await call(
          'overdue',
          'letterPdf',
          { communityId: this.data.communityId, roomId: this.data.roomId },
          { loading: '正在生成 PDF' },
        );
        await openCloudPdf(file);
      } catch (err) {
        notice('生成未成功', messageOf(err));
      } finally {
        this.setData({ printing: false });
      }
    },
    onMethod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Method }>) {
      this.setData({ method: e.currentTarget.dataset.value });
    },
    onReceivedBy(e: WechatMiniprogram.Input) {
      this.setData({ receivedBy: e.detail.value });
    },
    onNote(e: WechatMiniprogram.Input) {
      this.setData({ note: e.detail.value });
    },
    async onDelivered() {
      if (this.data.busy) return;
      this.setData({ busy: true });
      try {
        const v = await call(
          'overdue',
          'letterDelivered',
          {
            communityId: this.data.communityId,
            roomId: this.data.roomId,
            method: this.data.method,
            receivedBy: this.data.receivedBy,
            note: this.data.note,
          },
          { loading: '正在保存' },
        );
        this.show(v);
        toast('已记录送达');
      } catch (err) {
        notice('抱歉，保存未成功', messageOf(err));
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
