/**
 * Floor areas are stored as integer centi-square-metres (0.01 m²), like money in fen: "89.47" m²
 * is 8947. Parsing never goes through a float product, so 89.47 stays 8947 exactly.
 */
import { hundredthsText } from '../kernel/decimal';

/** 8947 → "89.47". */
export function formatAreaCentiM2(centiM2: number): string {
  return hundredthsText(centiM2);
}

export type AreaParse =
  | { ok: true; centiM2: number }
  | { ok: false; reason: 'empty' | 'not-a-number' | 'not-positive' | 'too-precise' | 'too-large' };

/** Largest area accepted for one room: 100,000 m². */
export const MAX_AREA_CENTI_M2 = 10_000_000;

/**
 * Parses an area as a person or a spreadsheet writes it: "89.47", "89.47㎡", "1,234.5 m²", or
 * the number 89.47 from a cell. At most two decimals; must be positive.
 */
export function parseAreaCentiM2(value: string | number | null | undefined): AreaParse {
  if (value === null || value === undefined) return { ok: false, reason: 'empty' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: 'not-a-number' };
    // A cell holding 89.47 is the double nearest 89.47; ×100 lands within rounding of 8947.
    const scaled = Math.round(value * 100);
    if (Math.abs(value * 100 - scaled) > 1e-6) return { ok: false, reason: 'too-precise' };
    if (scaled <= 0) return { ok: false, reason: 'not-positive' };
    if (scaled > MAX_AREA_CENTI_M2) return { ok: false, reason: 'too-large' };
    return { ok: true, centiM2: scaled };
  }
  const text = value
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/(㎡|m²|m2|平方米|平米)$/i, '');
  if (text === '') return { ok: false, reason: 'empty' };
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: 'not-a-number' };
  const [, sign, whole, frac = ''] = m;
  if (frac.replace(/0+$/, '').length > 2) return { ok: false, reason: 'too-precise' };
  const centi = Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  if (sign === '-' || centi === 0) return { ok: false, reason: 'not-positive' };
  if (centi > MAX_AREA_CENTI_M2) return { ok: false, reason: 'too-large' };
  return { ok: true, centiM2: centi };
}
