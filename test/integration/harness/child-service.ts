import { type ChildProcess, spawn } from 'node:child_process';

/** A server process started by a test: its endpoint, and how to stop it. */
export interface ChildService {
  readonly name: string;
  readonly endpoint: string;
  readonly pid: number;
  /** Kills the process by pid (SIGKILL: kinesis-local ignores SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

/** How to start one server process and how to know it is ready. */
export interface ChildServiceSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly endpoint: string;
  /** URL polled until it answers with a status below 500. */
  readonly readyUrl: string;
  readonly readyMethod?: 'GET' | 'POST';
  readonly readyTimeoutMs?: number;
}

/** Thrown when a server process exits early or is not ready in time; carries its last output. */
export class ChildServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChildServiceError';
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined) killQuietly(child.pid);
});

/** Starts a server process and resolves once `readyUrl` answers; rejects with its output otherwise. */
export async function startChildService(spec: ChildServiceSpec): Promise<ChildService> {
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new ChildServiceError(`${spec.name}: could not spawn ${spec.command}`);
  running.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve();
    });
  });
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      killQuietly(pid);
      await exitPromise;
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new ChildServiceError(
        `${spec.name} exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${output.join('')}`,
      );
    }
    try {
      const res = await fetch(spec.readyUrl, {
        method: spec.readyMethod ?? 'GET',
        signal: AbortSignal.timeout(2_000),
      });
      await res.arrayBuffer();
      if (res.status < 500) return { name: spec.name, endpoint: spec.endpoint, pid, stop };
      lastError = new Error(`status ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new ChildServiceError(`${spec.name} was not ready at ${spec.readyUrl} in time:\n${output.join('')}`, {
    cause: lastError,
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
