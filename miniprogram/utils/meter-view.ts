/** 自助抄表: an owner's meter as the page shows it (pure: no wx). */
import type { OwnerMeterView } from '../domain/fee/owner-readings.contract';
import { OWNER_READING_STATUS, reportBlockText } from '../domain/fee/owner-reading';
import { formatPeriod, formatShortDate } from '../domain/kernel/time';

export interface MeterErrors {
  current: string;
  photo: string;
}

export const NO_METER_ERRORS: MeterErrors = { current: '', photo: '' };

export interface MeterCard {
  key: string;
  roomId: string;
  itemId: string;
  name: string;
  roomLabel: string;
  unit: string;
  windowText: string;
  open: boolean;
  /** "1234 m³（2026年10月）", or '' without an accepted reading. */
  previousText: string;
  /** This month's reading and what became of it; '' when there is none. */
  readingText: string;
  statusText: string;
  /** Why the owner cannot report now; '' when they can. */
  blockedText: string;
  canReport: boolean;
  resubmit: boolean;
  /** The form: the figure typed, the uploaded photo (file id) and its local preview. */
  input: string;
  photo: string;
  preview: string;
  errors: MeterErrors;
}

export function toMeterCard(m: OwnerMeterView): MeterCard {
  const window = { from: m.windowFrom, to: m.windowTo };
  return {
    key: `${m.roomId}:${m.itemId}`,
    roomId: m.roomId,
    itemId: m.itemId,
    name: m.name,
    roomLabel: m.roomLabel,
    unit: m.unit,
    windowText: `${formatPeriod(m.period)}抄表：${formatShortDate(m.windowFrom)}至${formatShortDate(m.windowTo)}${m.open ? '' : '（未到时间）'}`,
    open: m.open,
    previousText:
      m.previous === null
        ? ''
        : `${m.previous} ${m.unit}${m.previousPeriod ? `（${formatPeriod(m.previousPeriod)}）` : ''}`,
    readingText: m.reading ? `${m.reading.current} ${m.unit}` : '',
    statusText: m.reading ? OWNER_READING_STATUS[m.reading.status] : '',
    blockedText: m.blocked ? reportBlockText(m.blocked, window) : '',
    canReport: m.blocked === null,
    resubmit: m.reading !== null,
    input: '',
    photo: '',
    preview: '',
    errors: NO_METER_ERRORS,
  };
}
