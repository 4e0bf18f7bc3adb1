/**
 * A staff page made of nothing but the staff-page behaviour and one form, so that
 * tests/ui/staff-page.test.ts can drive the behaviour itself: scope, states, 重新加载, submit.
 * Plain WXML (compiled by simulate's own compiler, as the probe lives outside the mini-program).
 */
import { fieldsNamed } from '../../../miniprogram/behaviors/page-state';
import { staffPage } from '../../../miniprogram/admin/staff-page';
import { call } from '../../../miniprogram/services/cloud';

Component({
  behaviors: [staffPage({ roles: ['cashier'] })],
  data: {
    rooms: [] as string[],
    amountText: '',
    errors: { amount: '', reference: '' },
    busy: false,
    found: [] as string[],
    listLoading: false,
    listError: '',
  },
  methods: {
    async load() {
      const page = await call(
        'community',
        'rooms',
        { communityId: this.data.communityId, limit: 5 },
        { loading: false },
      );
      this.setData({ rooms: page.items.map((r) => r.label) });
    },
    /** A search under the page: its own loading and error lines. */
    search(keyword: string) {
      return this.fillList(
        () =>
          call(
            'community',
            'rooms',
            { communityId: this.data.communityId, keyword, limit: 5 },
            { loading: false },
          ),
        (page) => this.setData({ found: page.items.map((r) => r.label) }),
      );
    },
    async onSave() {
      await this.submit({
        check: () =>
          /^\d+$/.test(this.data.amountText)
            ? { ok: true, input: Number(this.data.amountText) }
            : { ok: false, errors: { amount: '请输入收款金额' } },
        errors: 'errors',
        send: (amountFen) =>
          call(
            'payment',
            'recordOffline',
            { roomId: 'r_1_1_201', channel: 'cash', amountFen, idempotencyKey: 'probe-1' },
            { loading: '正在登记收款' },
          ),
        fieldOf: fieldsNamed({ amountFen: 'amount', reference: 'reference' }),
        failTitle: '收款未成功',
        toast: '已收款',
        then: () => this.setData({ amountText: '' }),
      });
    },
  },
});
