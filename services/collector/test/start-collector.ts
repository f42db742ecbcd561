import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createMemoryEventLog, type MemoryEventLog } from '../../../adapters/local/memory-event-log';
import type { EventLog } from '../../../contracts/ports/event-log';
import type { CollectorConfigInput } from '../collector-config';
import { createCollector } from '../create-collector';

/** A collector listening on a real port (chosen by the OS), with its log lines captured. */
export interface RunningCollector {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly log: MemoryEventLog;
  readonly logLines: string[];
  close(): Promise<void>;
}

/** Starts a collector on 127.0.0.1, port 0, appending to an in-memory log (or `eventLog`). */
export async function startCollector(
  config: Partial<CollectorConfigInput> = {},
  eventLog?: EventLog,
): Promise<RunningCollector> {
  const log = createMemoryEventLog();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  const app = createCollector(
    { writeKeys: { 'key-web': 'web', 'key-ios': 'ios' }, logLevel: 'info', ...config },
    { eventLog: eventLog ?? log, logDestination: destination },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, log, logLines, close: () => app.close() };
}

/** `Authorization` header value for a write key, as the Segment and RudderStack SDKs send it. */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
