/**
 * No source file grows past 800 lines (DESIGN.md, Layout): a file that long holds more than one
 * thing, and a newcomer cannot find their way in it. Counts every .ts/.js/.wxml/.wxss file git
 * tracks (or would: new files not ignored) under the source folders, as `wc -l` does.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const MAX_LINES = 800;
const FOLDERS = ['miniprogram', 'cloudfunctions', 'tools', 'tests', 'typings'];
const SOURCE = /\.(ts|js|wxml|wxss)$/;

/** Tracked and new (not ignored) files under the folders; built output is ignored by git. */
function sourceFiles(): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...FOLDERS],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return listed
    .split('\n')
    .filter((f) => SOURCE.test(f) && fs.existsSync(path.join(ROOT, f)))
    .sort();
}

function lineCount(file: string): number {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const files = sourceFiles();

test('the source folders are read (pages, functions, tools and tests alike)', () => {
  for (const folder of FOLDERS.filter((f) => f !== 'typings'))
    expect(files.filter((f) => f.startsWith(`${folder}/`)).length).toBeGreaterThan(20);
  // what npm install builds is not source
  expect(files.filter((f) => /^cloudfunctions\/[^/]+\/index\.js$/.test(f))).toEqual([]);
  expect(files.filter((f) => f.includes('miniprogram_npm/'))).toEqual([]);
});

test(`no source file is over ${MAX_LINES} lines`, () => {
  const long = files
    .map((file) => ({ file, lines: lineCount(file) }))
    .filter((f) => f.lines > MAX_LINES);
  expect(long).toEqual([]);
});
