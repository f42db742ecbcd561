import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDP_NODE_FLAGS } from '../../../cli/node-flags';

/** The repository root (where `cli/main.ts` lives). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A `cdp dev` child process started by a test. */
export interface CdpDevProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` once started. */
  readonly url: string;
  readonly writeKey: string;
  readonly readKey: string;
  readonly dataDir: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `re` in the output (rejects if the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (or `signal`), then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** kill -9, and waits until the process is gone. */
  kill9(): Promise<void>;
}

/** Options of {@link startCdpDev}. */
export interface StartCdpDevOptions {
  /** Data folder (default: a new temporary folder). */
  readonly dataDir?: string;
  /** Extra environment (PORT defaults to 0: a free port). */
  readonly env?: Record<string, string>;
  /** Extra `cdp` arguments after `dev`. */
  readonly args?: readonly string[];
  /** How long to wait for the start (default 60 s: the machine may be busy). */
  readonly startTimeoutMs?: number;
}

/** A new temporary data folder. */
export function tempDataDir(prefix = 'cdp-dev-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Spawns `cdp main.ts <args>` through tsx (no build needed) and collects its output. */
export function spawnCdp(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // with the V8 flags bin/cdp.js runs it with
  const argv = [...CDP_NODE_FLAGS, '--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), ...args];
  const child = spawn(process.execPath, argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

function waiter(output: () => string, child: ChildProcess) {
  return (re: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        const m = re.exec(output());
        if (m) {
          clearInterval(timer);
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearInterval(timer);
          reject(new Error(`cdp exited (${child.exitCode ?? child.signalCode}) before ${re}: ${output()}`));
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`no ${re} within ${timeoutMs} ms: ${output()}`));
        }
      }, 25);
    });
}

/**
 * Starts `cdp dev` on a free port with its own data folder and waits until it listens; reads the URL
 * and the keys from what it prints.
 */
export async function startCdpDev(options: StartCdpDevOptions = {}): Promise<CdpDevProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const { child, output, exited } = spawnCdp(['dev', ...(options.args ?? [])], {
    PORT: '0',
    CDP_DATA_DIR: dataDir,
    ...options.env,
  });
  const waitFor = waiter(output, child);
  try {
    const [, url] = await waitFor(/running at (http:\/\/\S+)/, options.startTimeoutMs);
    const [, writeKey] = await waitFor(/write key\s+(\S+)/);
    const [, readKey] = await waitFor(/read key\s+(\S+?),?\s/);
    return {
      child,
      url: url!,
      writeKey: writeKey!,
      readKey: readKey!.replace(/,$/, ''),
      dataDir,
      output,
      waitFor,
      async stop(signal: NodeJS.Signals = 'SIGTERM') {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill(signal);
        return exited;
      },
      async kill9() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGKILL');
        await exited;
      },
    };
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw error;
  }
}
