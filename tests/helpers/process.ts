/** Runs `npm start`'s entry point as a separate process, as a person (or CI) would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface StartedProcess {
  proc: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * Resolves once the ready banner is printed; `onListening` is called with the URL as soon as the
 * server says it listens (before the demo is seeded).
 */
export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
  onListening?: (url: string) => void,
): Promise<StartedProcess> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` (not the tsx CLI, which forks a second process that a kill -9 would miss).
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'tools', 'start.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, QUIET: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let listening = false;
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const l = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (l && !listening) {
        listening = true;
        onListening?.(l[1]!);
      }
      const m = /预览 preview\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

export function killHard(p: StartedProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.proc.exitCode !== null || p.proc.signalCode !== null) return resolve();
    p.proc.removeAllListeners('exit');
    p.proc.once('exit', () => resolve());
    p.proc.kill('SIGKILL');
  });
}

export async function stopGracefully(p: StartedProcess): Promise<number | null> {
  return new Promise((resolve) => {
    p.proc.removeAllListeners('exit');
    p.proc.once('exit', (code) => resolve(code));
    p.proc.kill('SIGINT');
  });
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  return (await res.json()) as T;
}

export async function postJson<T>(
  url: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
