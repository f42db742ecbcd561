import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { forkScript } from './forked-server';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop';
import { goOpenLoopBinary, startGoOpenLoop } from './open-loop-go';

/** Which build of the open-loop generator runs: Go (no GC pauses of its own) or Node (undici). */
export type LoadGeneratorKind = 'go' | 'node';

/** The open-loop load generator running in a process of its own. */
export interface LoadGenerator {
  readonly kind: LoadGeneratorKind;
  run(options: OpenLoopOptions): Promise<OpenLoopResult>;
  stop(): void;
}

/** The Go generator when Go can build it, else the Node one, with the reason for the fallback. */
export function preferredGeneratorKind(): { readonly kind: LoadGeneratorKind; readonly fallback?: string } {
  const go = goOpenLoopBinary();
  return 'path' in go ? { kind: 'go' } : { kind: 'node', fallback: go.unavailable };
}

/**
 * Starts the open-loop load generator in its own process, pinned to `cpu` when given, so that it does
 * not share an event loop (or a core) with the benchmark or the server: the Go build
 * (bench/lib/open-loop-go) by default, the Node one (bench/lib/open-loop.ts) when `kind` is `node`.
 */
export async function startLoadGenerator(
  options: { readonly cpu?: number; readonly kind?: LoadGeneratorKind } = {},
): Promise<LoadGenerator> {
  if ((options.kind ?? 'go') === 'go') {
    const go = goOpenLoopBinary();
    if (!('path' in go)) throw new Error(`the Go load generator is unavailable: ${go.unavailable}`);
    const generator = await startGoOpenLoop(go.path, options.cpu === undefined ? {} : { cpu: options.cpu });
    return { kind: 'go', ...generator };
  }
  const child: ChildProcess = forkScript(join(__dirname, 'open-loop-process.ts'), [], [], options);
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
    child.once('exit', exited);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('READY')) return;
      child.off('exit', exited);
      resolve({
        kind: 'node',
        run: (run) =>
          new Promise((done, fail) => {
            child.once('message', (m: { result?: OpenLoopResult; error?: string }) =>
              m.result ? done(m.result) : fail(new Error(`load generator: ${m.error}`)),
            );
            child.send({ run });
          }),
        stop: () => {
          child.kill('SIGTERM');
        },
      });
    });
  });
}
