/**
 * Invoice requests (发票): an owner asks for an invoice for a payment, personal or for a company
 * with its tax ID. Company tax IDs are the 18-character unified social credit code (统一社会信用代码,
 * GB 32100-2015, with its check character) or, for older registrations, a 15/20-character
 * taxpayer number.
 */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** True for a well-formed unified social credit code whose check character is right. */
export function isUnifiedSocialCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === code[17];
}

/** A tax ID an invoice can carry: a valid USCC, or a legacy 15/20-character taxpayer number. */
export function validateTaxId(
  raw: string,
): { ok: true; taxId: string } | { ok: false; reason: string } {
  const taxId = raw.trim().toUpperCase();
  if (taxId.length === 18) {
    return isUnifiedSocialCreditCode(taxId)
      ? { ok: true, taxId }
      : { ok: false, reason: '统一社会信用代码校验位不正确，请核对后重新填写' };
  }
  if (/^[0-9A-Z]{15}$/.test(taxId) || /^[0-9A-Z]{20}$/.test(taxId)) return { ok: true, taxId };
  return { ok: false, reason: '税号应为 18 位统一社会信用代码（或 15/20 位纳税人识别号）' };
}
