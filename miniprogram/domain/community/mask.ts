/**
 * Masking of personal data (PIPL: minimise what lists and exports show). Pure: used by the cloud
 * functions before anything leaves the server, and by pages that only ever get masked values.
 */

/** "13812345678" → "138****5678"; anything shorter than 8 characters is fully starred. */
export function maskMobile(mobile: string | null | undefined): string {
  if (!mobile) return '';
  const s = String(mobile);
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}`;
}

/**
 * Keeps the first character of a name: "王建国" → "王**", "欧阳娜娜" → "欧***", "王先生" → "王**".
 * A one-character name stays as it is (nothing left to hide but the whole name).
 */
export function maskName(name: string | null | undefined): string {
  if (!name) return '';
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** "330106199001011234" → "3301**********1234"; never shown to owners at all. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  const s = String(id);
  if (s.length <= 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** The last four digits of a mobile number (what an owner may type to bind a room). */
export function mobileLast4(mobile: string): string {
  return mobile.slice(-4);
}
