/**
 * An owner page made of nothing but the page-state behaviour: a list that loads, a link it
 * needs (?roomId=), and the reload when it is shown again (reloadOnShow).
 */
import { notFound, pageState, reloadOnShow } from '../../../miniprogram/behaviors/page-state';
import { call } from '../../../miniprogram/services/cloud';

Component({
  behaviors: [pageState, reloadOnShow],
  data: { roomId: '', bills: [] as string[] },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ roomId: query.roomId ?? '' });
    },
    async load() {
      if (!this.data.roomId) throw notFound('抱歉，没有找到这套房屋，请返回后重试');
      const bills = await call('owner', 'bills', { roomId: this.data.roomId }, { loading: false });
      this.setData({ bills: bills.unpaid.map((b) => b.title) });
      return bills.unpaid.length > 0 ? 'ready' : 'empty';
    },
  },
});
