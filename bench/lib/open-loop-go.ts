// The Go build of the open-loop load generator (bench/lib/open-loop-go/main.go): the contract of
// open-loop.ts without a garbage collector pausing the measurement. Built once per source version into
// the temp folder; `goOpenLoopBinary` says why not when Go is missing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { summarizeLatencies } from './latency-summary';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop';

const SOURCE_DIR = join(__dirname, 'open-loop-go');

/** The built generator's path, or why it cannot be built (no Go toolchain, a compile error). */
export function goOpenLoopBinary(): { readonly path: string } | { readonly unavailable: string } {
  const source = readFileSync(join(SOURCE_DIR, 'main.go'));
  const version = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const path = join(tmpdir(), `tributary-open-loop-${version}`);
  if (existsSync(path)) return { path };
  const built = spawnSync('go', ['build', '-o', path, '.'], { cwd: SOURCE_DIR, encoding: 'utf8' });
  if (built.error) return { unavailable: `go is not available (${built.error.message})` };
  if (built.status !== 0) return { unavailable: `go build failed: ${built.stderr.trim()}` };
  return { path };
}

/** What the Go process answers for one run: the raw latencies, summarized here. */
interface GoRunAnswer {
  readonly error?: string;
  readonly scheduled: number;
  readonly succeeded: number;
  readonly unexpectedStatus: Record<string, number>;
  readonly failed: number;
  readonly firstError?: string;
  readonly achievedRate: number;
  readonly latencyUs: number[] | null;
  readonly serviceUs: number[] | null;
  readonly sendLagUs: number[] | null;
  readonly generatorCpuMs: number;
}

function toResult(answer: GoRunAnswer): OpenLoopResult {
  return {
    scheduled: answer.scheduled,
    succeeded: answer.succeeded,
    unexpectedStatus: answer.unexpectedStatus,
    failed: answer.failed,
    ...(answer.firstError ? { firstError: answer.firstError } : {}),
    achievedRate: answer.achievedRate,
    latencyUs: summarizeLatencies(answer.latencyUs ?? []),
    serviceUs: summarizeLatencies(answer.serviceUs ?? []),
    sendLagUs: summarizeLatencies(answer.sendLagUs ?? []),
    generatorCpuMs: answer.generatorCpuMs,
  };
}

/** A running Go generator process: one run at a time. */
export interface GoOpenLoop {
  run(options: OpenLoopOptions): Promise<OpenLoopResult>;
  stop(): void;
}

/** Starts the built generator, pinned to `cpu` with taskset when given; resolves once it is READY. */
export function startGoOpenLoop(
  binary: string,
  options: { readonly cpu?: number } = {},
): Promise<GoOpenLoop> {
  const child: ChildProcess =
    options.cpu === undefined
      ? spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', String(options.cpu), binary], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`go load generator exited with ${code}`));
    child.once('exit', exited);
    void nextLine().then((ready) => {
      child.off('exit', exited);
      if (ready !== 'READY') return reject(new Error(`go load generator said ${ready}`));
      resolve({
        run: async (run) => {
          const answer = nextLine();
          child.stdin!.write(`${JSON.stringify(run)}\n`);
          const parsed = JSON.parse(await answer) as GoRunAnswer;
          if (parsed.error) throw new Error(`go load generator: ${parsed.error}`);
          return toResult(parsed);
        },
        stop: () => {
          child.stdin!.end();
          child.kill('SIGTERM');
        },
      });
    });
  });
}
