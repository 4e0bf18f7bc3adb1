/**
 * Integers counted in hundredths (areas in 0.01 m², rates in basis points = hundredths of a
 * percent) as text with exactly two decimals, without ever going through a float: 8947 → "89.47",
 * -5 → "-0.05". Money has its own text in money.ts (symbol, thousands separators).
 */
export function hundredthsText(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer count of hundredths: ${n}`);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
