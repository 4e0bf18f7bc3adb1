/**
 * One bill as a card: period, room, the amount still owed, due date and status. With
 * `selectable`, a check mark shows whether it is chosen for payment (the page toggles it on
 * `select`). 查看明细 emits `detail`.
 */
import type { BillView } from '../../utils/bill-view';

Component({
  properties: {
    bill: { type: Object, value: {} as BillView },
    selectable: { type: Boolean, value: false },
    checked: { type: Boolean, value: false },
  },
  methods: {
    onTap() {
      this.triggerEvent('select', { billId: (this.data.bill as BillView).billId });
    },
    /** 查看明细: the bill's detail page (a separate event: tapping the card still selects). */
    onDetail() {
      this.triggerEvent('detail', { billId: (this.data.bill as BillView).billId });
    },
  },
});
