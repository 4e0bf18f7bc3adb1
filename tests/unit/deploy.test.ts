/** The offline deploy checks catch what WeChat would reject, naming file and line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFunctions, checkProject, checkWxml } from '../../tools/deploy';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
}

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

test('the repository passes every check', () => {
  expect(checkProject().problems).toEqual([]);
  expect(checkWxml().problems).toEqual([]);
  expect(checkFunctions().problems).toEqual([]);
});

test('a WXML syntax error fails with file:line', () => {
  const root = tmp();
  write(root, 'pages/a/index.wxml', '<view>\n  <text>ok</text>\n</view>\n');
  write(root, 'pages/b/index.wxml', '<view class="x">\n  <view>\n</view2>\n');
  const res = checkWxml(root);
  expect(res.files).toBe(2);
  expect(res.problems).toHaveLength(1);
  expect(res.problems[0]).toMatch(/pages\/b\/index\.wxml:3:\d+/);
});

test('function configs: one timer, a 7-field cron that parses, sane timeout, only wx-server-sdk', () => {
  const root = tmp();
  const fn = (
    name: string,
    config: unknown,
    deps: Record<string, string> = { 'wx-server-sdk': '^4.0.2' },
  ) => {
    write(root, `${name}/src/index.ts`, 'export async function main() {}\n');
    write(root, `${name}/index.js`, 'exports.main = async () => {};\n');
    write(root, `${name}/package.json`, JSON.stringify({ name, dependencies: deps }));
    write(root, `${name}/config.json`, JSON.stringify(config));
  };
  fn('good', {
    timeout: 20,
    triggers: [{ name: 'daily', type: 'timer', config: '0 0 2 * * * *' }],
  });
  fn('sixfields', { triggers: [{ name: 't', type: 'timer', config: '0 0 2 * * *' }] });
  fn('twotimers', {
    triggers: [
      { name: 'a', type: 'timer', config: '0 0 2 * * * *' },
      { name: 'b', type: 'timer', config: '0 0 3 * * * *' },
    ],
  });
  fn('slow', { timeout: 900 });
  fn('heavy', {}, { 'wx-server-sdk': '^4', lodash: '^4' });
  const res = checkFunctions(root);
  const text = res.problems.join('\n');
  expect(text).not.toMatch(/cloudfunctions\/good\//);
  expect(text).toMatch(/sixfields\/config\.json: timer cron "0 0 2 \* \* \*" must have 7 fields/);
  expect(text).toMatch(/twotimers\/config\.json: WeChat allows one timer trigger per function/);
  expect(text).toMatch(/slow\/config\.json: timeout must be 1–60 seconds/);
  expect(text).toMatch(/heavy\/package\.json: dependencies must be exactly wx-server-sdk/);
  expect(res.functions.find((f) => f.name === 'good')).toMatchObject({
    timer: '0 0 2 * * * *',
    timeout: 20,
  });
});
