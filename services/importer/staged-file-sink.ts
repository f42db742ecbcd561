import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ImportSink } from './import-csv';

const FLUSH_BYTES = 1 << 16;
const STREAM_BUFFER_BYTES = 1 << 22;

/** A buffered JSON-lines writer; `write` resolves only when the stream wants to wait (backpressure). */
function createLineWriter(path: string): {
  write(line: string): void | Promise<void>;
  close(): Promise<void>;
} {
  const stream: WriteStream = createWriteStream(path, { highWaterMark: STREAM_BUFFER_BYTES });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  let buffer = '';
  const flush = (): void | Promise<void> => {
    if (failure) throw failure;
    if (buffer.length === 0) return;
    const ok = stream.write(buffer);
    buffer = '';
    if (!ok) return once(stream, 'drain').then(() => undefined);
  };
  return {
    write(line) {
      buffer += `${line}\n`;
      if (buffer.length >= FLUSH_BYTES) return flush();
    },
    async close() {
      await flush();
      stream.end();
      await once(stream, 'finish');
      if (failure) throw failure;
    },
  };
}

/**
 * Writes accepted events to `eventsPath` and rejected rows to `errorsPath` (each optional) as JSON lines, the staged
 * format the AWS lake loader reads (and the Glue job writes): one `JSON.stringify` per line, keys in
 * the order the row mapper builds them.
 */
export function createStagedFileSink(config: { eventsPath?: string; errorsPath?: string }): ImportSink & {
  close(): Promise<void>;
} {
  const events = config.eventsPath === undefined ? undefined : createLineWriter(config.eventsPath);
  const errors = config.errorsPath === undefined ? undefined : createLineWriter(config.errorsPath);
  return {
    event: (event) => events?.write(JSON.stringify(event)),
    rejected: (row) => errors?.write(JSON.stringify(row)),
    close: async () => {
      await events?.close();
      await errors?.close();
    },
  };
}
