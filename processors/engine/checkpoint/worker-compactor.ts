import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompactionRequest } from './checkpoint-files';
import type { Compactor } from './incremental-file-checkpoint-storage';

/** A compactor on its own worker thread, started on first use; `close` ends it. */
export interface WorkerCompactor {
  readonly compact: Compactor;
  close(): Promise<void>;
}

/**
 * Runs compactions of incremental checkpoints on a worker thread (`compaction-worker.ts`), one at a
 * time, so that folding a large base never pauses the job's event loop.
 */
export function createWorkerCompactor(): WorkerCompactor {
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();

  function start(): Worker {
    const ts = __filename.endsWith('.ts');
    const entry = join(__dirname, `compaction-worker${ts ? '.ts' : '.js'}`);
    // Under tsx (cdp dev from the sources) the worker registers tsx itself: workers do not inherit it.
    const code = ts
      ? `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`
      : `require(${JSON.stringify(entry)});`;
    const w = new Worker(code, { eval: true });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; error?: string }) => {
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) p?.resolve();
      else p?.reject(new Error(`checkpoint compaction failed: ${m.error}`));
    });
    const fail = (error: unknown) => {
      for (const p of waiting.values()) p.reject(error);
      waiting.clear();
      worker = undefined;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`checkpoint compaction worker exited with ${code}`)));
    return w;
  }

  return {
    compact(request: CompactionRequest) {
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ ...request, id });
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
