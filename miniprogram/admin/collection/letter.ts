/**
 * 催缴函: the letter of one room shown on screen exactly as it prints (the same `PrintDoc` the
 * PDF renderer takes), and the delivery recorded — in person, to family, or posted — so the
 * formal-notice stage has proof of notice.
 */
import { staffPage } from '../staff-page';
import type { PrintBlock } from '../../domain/print/document';
import { screenBlocks, type ScreenBlock } from './view';
import { call } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { toast } from '../../services/ui';
import { formatDate, toShanghaiDate } from '../../domain/kernel/time';

type Method = 'in-person' | 'family' | 'posted';

Component({
  behaviors: [staffPage({ roles: ['service'] })],
  data: {
    roomId: '',
    title: '',
    letterNo: '',
    footer: '',
    blocks: [] as ScreenBlock[],
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
    prepare(q: Record<string, string | undefined>) {
      this.setData({ roomId: q.roomId ?? '' });
    },
    async load() {
      const v = await call(
        'overdue',
        'letter',
        { communityId: this.data.communityId, roomId: this.data.roomId },
        { loading: false },
      );
      this.show(v);
    },
    show(v: {
      letterNo: string;
      doc: { title: string; blocks: PrintBlock[]; footer?: string };
      deliveredAt: string | null;
    }) {
      this.setData({
        title: v.doc.title,
        letterNo: v.letterNo,
        footer: v.doc.footer ?? '',
        blocks: screenBlocks(v.doc.blocks),
        deliveredText: v.deliveredAt
          ? `已于 ${formatDate(toShanghaiDate(v.deliveredAt))} 送达`
          : '',
      });
    },
    /** The letter as an A4 PDF (made in the cloud), opened to print or forward. */
    async onPrint() {
      await this.submit({
        busy: 'printing',
        send: () =>
          call(
            'overdue',
            'letterPdf',
            { communityId: this.data.communityId, roomId: this.data.roomId },
            { loading: '正在生成 PDF' },
          ),
        then: openCloudPdf,
        failTitle: '生成未成功',
        reload: false,
      });
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
      await this.submit({
        send: () =>
          call(
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
          ),
        failTitle: '抱歉，保存未成功',
        reload: false,
        then: (v) => {
          this.show(v);
          toast('已记录送达');
        },
      });
    },
  },
});
