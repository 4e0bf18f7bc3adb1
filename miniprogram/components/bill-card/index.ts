/** One bill as a card: period, room, the amount still owed, due date and status. */
import type { BillView } from '../../utils/bill-view';

Component({
  properties: {
    bill: { type: Object, value: {} as BillView },
  },
  methods: {
    onTap() {
      this.triggerEvent('select', { billId: (this.data.bill as BillView).billId });
    },
  },
});
