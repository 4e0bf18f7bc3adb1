import { splitFen } from '../../domain/kernel/money';
/** A money amount, given in integer fen, shown as ¥1,234.56 with the cents set smaller. */

Component({
  properties: {
    fen: { type: Number, value: 0 },
    /** 'lg' | 'md' | 'sm' */
    size: { type: String, value: 'md' },
    /** 'default' | 'brand' | 'warning' | 'light' */
    tone: { type: String, value: 'default' },
  },
  data: { sign: '', yuan: '0', cents: '00' },
  observers: {
    fen(fen: number) {
      const parts = Number.isSafeInteger(fen) ? splitFen(fen) : { sign: '', yuan: '—', cents: '—' };
      this.setData(parts);
    },
  },
  lifetimes: {
    attached() {
      const fen = this.data.fen;
      if (Number.isSafeInteger(fen)) this.setData(splitFen(fen));
    },
  },
});
