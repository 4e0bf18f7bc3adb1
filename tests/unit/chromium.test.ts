/**
 * tools/chromium.ts finds a Chromium in order CHROMIUM_PATH → the npm-shipped one → Debian's,
 * gives it the project's CJK font, and otherwise fails with one line that says what to install.
 * Fake "browsers" here are shell scripts that answer --version; the real npm one is tried too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  NO_CHROMIUM_HINT,
  NoChromiumError,
  projectFontConfig,
  resolveChromium,
} from '../../tools/chromium';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-resolve-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeBrowser(name: string, version: string, exitCode = 0): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `#!/bin/sh\necho "${version}"\nexit ${exitCode}\n`, { mode: 0o755 });
  return file;
}
const missing = path.join(tmp, 'no-such-chromium');

test('CHROMIUM_PATH wins, and an unusable one is an error, not a silent fallback', async () => {
  const mine = fakeBrowser('mine', 'Chromium 1.2.3');
  const c = await resolveChromium({ chromiumPath: mine, cacheDir: tmp });
  expect(c).toMatchObject({
    executablePath: mine,
    source: 'CHROMIUM_PATH',
    version: 'Chromium 1.2.3',
  });
  await expect(resolveChromium({ chromiumPath: missing, cacheDir: tmp })).rejects.toThrow(
    `CHROMIUM_PATH=${missing} is not an executable file`,
  );
  const broken = fakeBrowser('broken', 'nope', 1);
  await expect(resolveChromium({ chromiumPath: broken, cacheDir: tmp })).rejects.toThrow(
    /CHROMIUM_PATH=.*does not start/,
  );
});

test('without the npm package, Debian’s Chromium is used', async () => {
  const system = fakeBrowser('system', 'Chromium 156.0 built on Debian');
  const c = await resolveChromium({
    chromiumPath: undefined,
    npmPackageDir: null,
    systemPath: system,
    cacheDir: tmp,
  });
  expect(c).toMatchObject({ executablePath: system, source: 'system' });
});

test('with none, one line says what to install', async () => {
  const err = await resolveChromium({
    chromiumPath: undefined,
    npmPackageDir: null,
    systemPath: missing,
    cacheDir: tmp,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NoChromiumError);
  const message = (err as Error).message;
  expect(message.startsWith(NO_CHROMIUM_HINT)).toBe(true);
  expect(message).toContain('apt-get install chromium');
  expect(message).toContain('@sparticuz/chromium is not installed');
  expect(message.split('\n')).toHaveLength(1);
});

// @sparticuz/chromium ships an x64 Linux binary only.
const x64Linux = process.platform === 'linux' && process.arch === 'x64';

(x64Linux ? test : test.skip)(
  'the npm-shipped Chromium is found before Debian’s and starts with its own libraries',
  async () => {
    const system = fakeBrowser('system2', 'Chromium 156.0 built on Debian');
    const c = await resolveChromium({ chromiumPath: undefined, systemPath: system });
    expect(c.source).toBe('npm');
    expect(c.version).toMatch(/^Chromium \d+\./);
    expect(c.env.LD_LIBRARY_PATH).toMatch(/sparticuz-chromium-[\d.]+\/lib$/);
    expect(fs.existsSync(path.join(c.env.LD_LIBRARY_PATH!, 'libnss3.so'))).toBe(true);
  },
);

test('every Chromium gets a fontconfig file with only the project’s Noto Sans SC', async () => {
  const file = projectFontConfig(tmp)!;
  const xml = fs.readFileSync(file, 'utf8');
  const dir = /<dir>([^<]+)<\/dir>/.exec(xml)![1]!;
  expect(dir).toMatch(/@expo-google-fonts\/noto-sans-sc$/);
  expect(fs.existsSync(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'))).toBe(true);
  expect(xml.match(/<dir>/g)).toHaveLength(1);
  const c = await resolveChromium({
    chromiumPath: fakeBrowser('any', 'Chromium 9'),
    cacheDir: tmp,
  });
  expect(c.env.FONTCONFIG_FILE).toBe(file);
});
