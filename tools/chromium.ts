/**
 * The one place that finds a Chromium for the end-to-end tests, `npm run screenshots` and anything
 * else that drives a real browser, so a bare machine (Node and `npm install`, nothing else) works:
 *
 *   1. `CHROMIUM_PATH`, when set (it must be an executable file; no silent fallback).
 *   2. The Chromium that `npm install` brings: the devDependency `@sparticuz/chromium` carries a
 *      brotli-compressed headless Chromium (x64 Linux) and the NSS libraries it links against
 *      inside its npm tarball, so nothing is downloaded from anywhere but the npm registry. It is
 *      unpacked once into `node_modules/.cache/` (postinstall, or the first launch) and started with
 *      its own libraries on `LD_LIBRARY_PATH`. Only its files are used, not its JavaScript.
 *   3. Debian's `/usr/bin/chromium` (`apt-get install chromium`).
 *
 * None of them → one line saying what to install. Whichever is used gets a fontconfig file that
 * offers only the project's own CJK font (Noto Sans SC from `@expo-google-fonts/noto-sans-sc`, the
 * same the PDFs embed), so Chinese text renders, and renders the same, with or without system
 * fonts.
 *
 * `tsx tools/chromium.ts` prints which Chromium would be used and exits 1 if there is none
 * (`--postinstall`: the same, but never fails the install).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const NPM_PACKAGE = '@sparticuz/chromium';
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** What a newcomer is told when no Chromium can be started. */
export const NO_CHROMIUM_HINT =
  'no Chromium to run: `npm install` brings one (@sparticuz/chromium, x64 Linux only); elsewhere ' +
  '`sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium/Chrome binary';

/** Flags for a headless run on a closed network, as root, without a GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface ResolvedChromium {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'npm' | 'system';
  /** `chromium --version`, e.g. "Chromium 153.0.8010.0" */
  version: string;
  /** Extra environment for the browser process (fontconfig, bundled libraries). */
  env: Record<string, string>;
}

export class NoChromiumError extends Error {
  constructor(detail: string[]) {
    super(`${NO_CHROMIUM_HINT}${detail.length ? ` (${detail.join('; ')})` : ''}`);
  }
}

export interface ResolveOptions {
  /** defaults to process.env.CHROMIUM_PATH */
  chromiumPath?: string;
  /** where `@sparticuz/chromium` is installed (its package folder); null: not installed */
  npmPackageDir?: string | null;
  systemPath?: string;
  /** where the npm Chromium is unpacked (default node_modules/.cache/) */
  cacheDir?: string;
}

function packageDir(name: string): string | null {
  const dir = path.join(ROOT, 'node_modules', ...name.split('/'));
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : null;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function versionOf(file: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      ['--version'],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${String(stderr).trim().split('\n')[0] || err.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

/** The regular files of an uncompressed (ustar) tar archive. */
function* tarFiles(tar: Buffer): Generator<{ name: string; mode: number; data: Buffer }> {
  const text = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name = text(header.subarray(0, 100));
    const prefix = text(header.subarray(345, 500));
    const size = parseInt(text(header.subarray(124, 136)).trim() || '0', 8);
    const mode = parseInt(text(header.subarray(100, 108)).trim() || '644', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = off + 512;
    if (type === '0' || type === '\0') {
      yield {
        name: prefix ? `${prefix}/${name}` : name,
        mode,
        data: tar.subarray(start, start + size),
      };
    }
    off = start + Math.ceil(size / 512) * 512;
  }
}

/**
 * Unpacks the npm package's Chromium (and the libraries it links against) into `dir` once;
 * concurrent callers (jest workers) each unpack into a temporary folder and the first rename wins.
 */
function unpackNpmChromium(pkgDir: string, dir: string): void {
  if (fs.existsSync(path.join(dir, 'chromium'))) return;
  const bin = path.join(pkgDir, 'bin');
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.join(tmp, 'lib'), { recursive: true });
  try {
    fs.writeFileSync(
      path.join(tmp, 'chromium'),
      zlib.brotliDecompressSync(fs.readFileSync(path.join(bin, 'chromium.br'))),
      { mode: 0o755 },
    );
    // NSS, NSPR and expat built for the binary (Amazon Linux 2023): no system libraries needed.
    const libs = path.join(bin, 'al2023.tar.br');
    if (fs.existsSync(libs)) {
      for (const f of tarFiles(zlib.brotliDecompressSync(fs.readFileSync(libs)))) {
        const rel = path.normalize(f.name);
        if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
        fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
        fs.writeFileSync(path.join(tmp, rel), f.data, { mode: f.mode & 0o777 });
      }
    }
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(tmp, dir);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'chromium'))) throw e;
  }
}

function defaultCacheDir(): string {
  return path.join(ROOT, 'node_modules', '.cache');
}

/**
 * A fontconfig file offering only the project's Noto Sans SC (all weights) for every family, or
 * null when the font package is missing (then the system's fonts apply).
 */
export function projectFontConfig(cacheDir = defaultCacheDir()): string | null {
  const fonts = packageDir(FONT_PACKAGE);
  if (!fonts) return null;
  const dir = path.join(cacheDir, 'chromium-fonts');
  const file = path.join(dir, 'fonts.conf');
  const alias = (family: string) =>
    `  <alias><family>${family}</family><prefer><family>Noto Sans SC</family></prefer></alias>`;
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<!-- written by tools/chromium.ts: the project font only, so pages render alike everywhere -->',
    '<fontconfig>',
    `  <dir>${fonts}</dir>`,
    `  <cachedir>${path.join(dir, 'cache')}</cachedir>`,
    alias('sans-serif'),
    alias('serif'),
    alias('monospace'),
    '</fontconfig>',
    '',
  ].join('\n');
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === xml) return file;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, xml);
  fs.renameSync(tmp, file);
  return file;
}

/** Finds a Chromium that starts: CHROMIUM_PATH → npm (`@sparticuz/chromium`) → /usr/bin/chromium. */
export async function resolveChromium(o: ResolveOptions = {}): Promise<ResolvedChromium> {
  const cacheDir = o.cacheDir ?? defaultCacheDir();
  const fontConf = projectFontConfig(cacheDir);
  const fontEnv: Record<string, string> = fontConf ? { FONTCONFIG_FILE: fontConf } : {};
  const chromiumPath = 'chromiumPath' in o ? o.chromiumPath : process.env.CHROMIUM_PATH;
  if (chromiumPath) {
    if (!isExecutableFile(chromiumPath)) {
      throw new Error(`CHROMIUM_PATH=${chromiumPath} is not an executable file`);
    }
    const version = await versionOf(chromiumPath, fontEnv).catch((e: Error) => {
      throw new Error(`CHROMIUM_PATH=${chromiumPath} does not start: ${e.message}`);
    });
    return { executablePath: chromiumPath, source: 'CHROMIUM_PATH', version, env: fontEnv };
  }
  const tried: string[] = [];
  const pkgDir = 'npmPackageDir' in o ? o.npmPackageDir : packageDir(NPM_PACKAGE);
  if (!pkgDir) tried.push(`${NPM_PACKAGE} is not installed`);
  else if (process.platform !== 'linux' || process.arch !== 'x64') {
    tried.push(`${NPM_PACKAGE} ships x64 Linux only, this is ${process.platform}-${process.arch}`);
  } else {
    try {
      const pkgVersion = (
        JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      const dir = path.join(cacheDir, `sparticuz-chromium-${pkgVersion}`);
      unpackNpmChromium(pkgDir, dir);
      const executablePath = path.join(dir, 'chromium');
      const env = { ...fontEnv, LD_LIBRARY_PATH: path.join(dir, 'lib') };
      const version = await versionOf(executablePath, env);
      return { executablePath, source: 'npm', version, env };
    } catch (e) {
      tried.push(`${NPM_PACKAGE} does not start: ${(e as Error).message}`);
    }
  }
  const systemPath = o.systemPath ?? SYSTEM_CHROMIUM;
  if (isExecutableFile(systemPath)) {
    try {
      const version = await versionOf(systemPath, fontEnv);
      return { executablePath: systemPath, source: 'system', version, env: fontEnv };
    } catch (e) {
      tried.push(`${systemPath} does not start: ${(e as Error).message}`);
    }
  } else tried.push(`no ${systemPath}`);
  throw new NoChromiumError(tried);
}

let resolved: Promise<ResolvedChromium> | undefined;

/** Launches the resolved Chromium headless with playwright-core. */
export async function launchChromium(
  opts: Omit<LaunchOptions, 'executablePath' | 'env'> = {},
): Promise<Browser> {
  resolved ??= resolveChromium();
  const c = await resolved;
  return chromium.launch({
    ...opts,
    executablePath: c.executablePath,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    env: { ...(process.env as Record<string, string>), ...c.env },
  });
}

export function describeChromium(c: ResolvedChromium): string {
  const where = path.relative(process.cwd(), c.executablePath) || c.executablePath;
  const from = { CHROMIUM_PATH: 'CHROMIUM_PATH', npm: `npm ${NPM_PACKAGE}`, system: 'Debian' }[
    c.source
  ];
  const fonts = c.env.FONTCONFIG_FILE ? 'Noto Sans SC from npm' : 'system fonts';
  return `${c.version} (${from}) at ${where}; fonts: ${fonts}`;
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const mode = process.argv[2] ?? '';
  resolveChromium().then(
    (c) => console.log(`[chromium] ${describeChromium(c)}`),
    (e: unknown) => {
      console.error(`[chromium] ${(e as Error).message}`);
      if (mode !== '--postinstall') process.exit(1);
    },
  );
}
