/**
 * User text in a database query is a literal (issue 20): `escapeRegExp` makes any text match only
 * itself, and every `db.RegExp` the functions build passes what it interpolates through it.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { escapeRegExp } from '../../cloudfunctions/_shared/db';

test('an escaped text, as a pattern, matches exactly itself', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ maxLength: 8 }),
      (s, t) => {
        const re = new RegExp(`^${escapeRegExp(s)}$`, 'u');
        expect(re.test(s)).toBe(true);
        if (t !== '') expect(re.test(s + t)).toBe(false);
      },
    ),
  );
  for (const s of ['.*', 'a(', '[', '\\', '^$', 'x{1,99999999}', '(a+)+$', 'a|b'])
    expect(new RegExp(escapeRegExp(s)).exec(`--${s}--`)?.[0]).toBe(s);
});

/** Every `RegExp({ regexp: … })` in the functions' sources, with the file it is in. */
function regexpQueries(): { file: string; expr: string }[] {
  const root = path.join(__dirname, '../../cloudfunctions');
  const out: { file: string; expr: string }[] = [];
  for (const f of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.ts') || f.includes('node_modules')) continue;
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of text.matchAll(/RegExp\(\{\s*regexp:\s*([^,}]+)/g))
      out.push({ file: f, expr: m[1]!.trim() });
  }
  return out;
}

test('every database regular expression escapes the text it is built from', () => {
  const found = regexpQueries();
  expect(found.length).toBeGreaterThanOrEqual(5);
  const unescaped = found.filter(({ expr }) => {
    // A template's interpolations, or the whole expression when it is not a template.
    const parts = expr.startsWith('`')
      ? [...expr.matchAll(/\$\{([^}]*\}?)\}/g)].map((m) => m[1]!)
      : [expr];
    return parts.some((p) => !p.startsWith('escapeRegExp('));
  });
  expect(unescaped).toEqual([]);
});
