// Entry of the worker thread that compacts incremental checkpoints (see `createWorkerCompactor`): it
// reads, folds and writes hundreds of megabytes, which must not pause the job's event loop.
import { parentPort } from 'node:worker_threads';
import { type CompactionRequest, compactCheckpointFiles } from './checkpoint-files';

parentPort?.on('message', (request: CompactionRequest & { id: number }) => {
  compactCheckpointFiles(request).then(
    () => parentPort?.postMessage({ id: request.id, ok: true }),
    (error: unknown) => parentPort?.postMessage({ id: request.id, ok: false, error: String(error) }),
  );
});
