import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { forkScript } from './forked-server';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop';

/** The open-loop load generator running in a process of its own. */
export interface LoadGenerator {
  run(options: OpenLoopOptions): Promise<OpenLoopResult>;
  stop(): void;
}

/**
 * Starts the open-loop load generator (bench/lib/open-loop.ts) in its own process, pinned to `cpu` when
 * given, so that it does not share an event loop (or a core) with the benchmark or the server.
 */
export function startLoadGenerator(options: { readonly cpu?: number } = {}): Promise<LoadGenerator> {
  const child: ChildProcess = forkScript(join(__dirname, 'open-loop-process.ts'), [], [], options);
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
    child.once('exit', exited);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('READY')) return;
      child.off('exit', exited);
      resolve({
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
