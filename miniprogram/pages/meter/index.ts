/**
 * 自助抄表: the meters of the owner's verified rooms (fee.myMeters), each with this month's
 * window, the last accepted reading and this month's; in the window the owner photographs the
 * meter (uploaded to their own folder, `readings/<openid>/`), types the figure and sends both
 * (fee.submitReading, checked with its contract first). Staff accept or correct it before it is
 * billed. Opened from 首页 and from a metered line of a bill (?roomId=&itemId=: that meter only).
 * Large type throughout: reading a meter is something older owners do too.
 */
import { api } from '../../domain/api';
import { checkedWith, pageState, type Checked } from '../../behaviors/page-state';
import { call } from '../../services/cloud';
import { whoami } from '../../services/session';
import { NO_METER_ERRORS, toMeterCard, type MeterCard } from '../../utils/meter-view';

type IndexEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>;

interface ReadingInput {
  roomId: string;
  itemId: string;
  current: string;
  photo: string;
}

Component({
  behaviors: [pageState],
  data: {
    roomId: '',
    itemId: '',
    openid: '',
    cards: [] as MeterCard[],
    uploading: -1,
    submitting: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({
        roomId: decodeURIComponent(query.roomId ?? ''),
        itemId: decodeURIComponent(query.itemId ?? ''),
      });
    },
    async load() {
      const [{ meters }, me] = await Promise.all([
        call('fee', 'myMeters', {}, { loading: false }),
        whoami(),
      ]);
      const { roomId, itemId } = this.data;
      const chosen = meters.filter((m) => m.roomId === roomId && m.itemId === itemId);
      const cards = (chosen.length > 0 ? chosen : meters).map(toMeterCard);
      this.setData({ openid: me.openid, cards });
      return cards.length === 0 ? 'empty' : undefined;
    },
    onInput(e: IndexEvent & { detail: { value: string } }) {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ [`cards[${i}].input`]: e.detail.value, [`cards[${i}].errors.current`]: '' });
    },
    onPhoto(e: IndexEvent) {
      const i = Number(e.currentTarget.dataset.index);
      if (this.data.uploading >= 0) return;
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
        success: (res) => {
          const file = res.tempFiles[0];
          if (file) void this.upload(i, file.tempFilePath);
        },
        fail: () => undefined,
      });
    },
    async upload(i: number, filePath: string) {
      this.setData({ uploading: i, [`cards[${i}].errors.photo`]: '' });
      try {
        const ext = (/\.[A-Za-z0-9]+$/.exec(filePath)?.[0] ?? '.jpg').toLowerCase();
        const cloudPath = `readings/${this.data.openid}/${Date.now().toString(36)}${ext}`;
        const res = await wx.cloud.uploadFile({ cloudPath, filePath });
        this.setData({ [`cards[${i}].photo`]: res.fileID, [`cards[${i}].preview`]: filePath });
      } catch {
        this.setData({ [`cards[${i}].errors.photo`]: '照片上传未成功，请检查网络后重拍' });
      } finally {
        this.setData({ uploading: -1 });
      }
    },
    onPreview(e: IndexEvent) {
      const card = this.data.cards[Number(e.currentTarget.dataset.index)];
      if (card?.preview) wx.previewImage({ urls: [card.preview] });
    },
    /** The report checked with fee.submitReading; a photo first, as the page asks for it. */
    checked(card: MeterCard): Checked<ReadingInput> {
      const input = {
        roomId: card.roomId,
        itemId: card.itemId,
        current: card.input.trim(),
        photo: card.photo,
      };
      if (!input.current) {
        return { ok: false, errors: { ...NO_METER_ERRORS, current: '请填写表盘上的读数' } };
      }
      if (!input.photo) {
        return { ok: false, errors: { ...NO_METER_ERRORS, photo: '请先给表拍一张照片' } };
      }
      return checkedWith(api.fee.submitReading, input);
    },
    async onSubmit(e: IndexEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const card = this.data.cards[i];
      if (!card || this.data.uploading >= 0) return;
      await this.submit({
        busy: 'submitting',
        busyAs: card.key,
        check: () => this.checked(card),
        errors: `cards[${i}].errors`,
        send: (input) => call('fee', 'submitReading', input, { loading: '正在提交' }),
        failTitle: '读数未能提交',
        toast: '已提交，物业核对后计费',
      });
    },
  },
});
