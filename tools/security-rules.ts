/**
 * Writes `database.rules.json` from the declared collections: every collection closed to clients
 * (`read`/`write` false; cloud functions are not subject to rules) except those published to
 * owners, readable when published and never writable. Rules already in the file are kept, so a
 * hand-tuned rule survives; a newly declared collection gets the closed rule.
 *
 * Run after declaring a collection: `npx tsx tools/security-rules.ts` (a unit test fails until
 * every collection has a rule). See docs/community.md "Database security rules".
 */
import fs from 'node:fs';
import path from 'node:path';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';

export type Rule = { read: boolean | string; write: boolean | string };

/** Collections the mini-program may read directly: published notices and disclosures. */
export const PUBLIC_READ: Record<string, Rule> = {
  notices: { read: "doc.status == 'published'", write: false },
  disclosures: { read: "doc.status == 'published'", write: false },
};

export const RULES_FILE = path.resolve(__dirname, '..', 'database.rules.json');

export function securityRules(existing: Record<string, Rule> = {}): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const name of [...COLLECTIONS.map((c) => c.name), ...Object.keys(PUBLIC_READ)]) {
    out[name] = PUBLIC_READ[name] ?? existing[name] ?? { read: false, write: false };
  }
  return out;
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const existing = fs.existsSync(RULES_FILE)
    ? (JSON.parse(fs.readFileSync(RULES_FILE, 'utf8')) as Record<string, Rule>)
    : {};
  const rules = securityRules(existing);
  fs.writeFileSync(RULES_FILE, `${JSON.stringify(rules, null, 2)}\n`);
  const added = Object.keys(rules).filter((k) => !(k in existing));
  console.log(
    `database.rules.json: ${Object.keys(rules).length} collections${added.length ? `; added ${added.join(', ')}` : ''}`,
  );
}
