/**
 * Personal data protection that needs no cloud: masking, the privacy notice content, and the
 * shipped database security rules (every collection closed to clients but published notices and
 * disclosures, read-only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { maskIdNumber, maskMobile, maskName } from '../../miniprogram/domain/community/mask';
import { PRIVACY_NOTICE } from '../../miniprogram/domain/community/privacy';

test('masking keeps just enough to recognise, never the whole value', () => {
  expect(maskMobile('13812345678')).toBe('138****5678');
  expect(maskMobile('1234567')).toBe('*******');
  expect(maskMobile('')).toBe('');
  expect(maskName('王建国')).toBe('王**');
  expect(maskName('欧阳娜娜')).toBe('欧***');
  expect(maskName('王')).toBe('王');
  expect(maskIdNumber('330106199001011234')).toBe('3301**********1234');
  expect(maskIdNumber(null)).toBe('');
});

test('the privacy notice says what, why, on what basis, who sees it and for how long', () => {
  expect(PRIVACY_NOTICE.title).toBe('个人信息保护说明');
  expect(PRIVACY_NOTICE.items.length).toBeGreaterThanOrEqual(5);
  for (const item of PRIVACY_NOTICE.items) {
    for (const key of ['data', 'purpose', 'basis', 'access', 'retention'] as const) {
      expect(item[key].length).toBeGreaterThan(3);
    }
  }
  const text = JSON.stringify(PRIVACY_NOTICE);
  expect(text).toMatch(/手机号/);
  expect(text).toMatch(/身份证号/);
  expect(text).toMatch(/不会向业主端展示/);
  expect(PRIVACY_NOTICE.sections.every((s) => s.paragraphs.length > 0)).toBe(true);
});

describe('database.rules.json', () => {
  const rules = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '..', '..', 'database.rules.json'), 'utf8'),
  ) as Record<string, { read: unknown; write: unknown }>;
  const PUBLIC = new Set(['notices', 'disclosures']);

  test('has a rule for every declared collection', () => {
    const missing = COLLECTIONS.map((c) => c.name).filter((n) => !(n in rules));
    // Fix: `npx tsx tools/security-rules.ts` adds a closed rule for each new collection.
    expect(missing).toEqual([]);
  });

  test('closes every collection to clients except published notices and disclosures, read-only', () => {
    for (const [name, rule] of Object.entries(rules)) {
      expect(Object.keys(rule).sort()).toEqual(['read', 'write']);
      expect(rule.write).toBe(false);
      if (PUBLIC.has(name)) expect(rule.read).toBe("doc.status == 'published'");
      else expect(rule.read).toBe(false);
    }
  });
});
