// One server process of the collector benchmark: `collector` (the real collector into the in-memory
// log) or `bare` (a Fastify route that parses the same JSON and answers 200). Prints `PORT <n>` and
// answers `cpu` IPC messages with its CPU time so far. Optional 2nd argument: records kept per shard (64).
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { createMemoryEventLog } from '../../adapters/local/memory-event-log';
import { SEGMENT_MAX_BATCH_BYTES } from '../../contracts/ingest-limits';
import { createCollector } from '../../services/collector';

async function main(mode: string): Promise<void> {
  let app: ReturnType<typeof Fastify>;
  if (mode === 'bare') {
    app = Fastify({ logger: false, bodyLimit: SEGMENT_MAX_BATCH_BYTES });
    app.post('/v1/batch', async (request: { body: unknown }) => ({
      accepted: (request.body as { batch: unknown[] }).batch.length,
      rejected: [],
    }));
    app.post('/v1/track', async () => ({ accepted: 1, rejected: [] }));
  } else {
    const eventLog = createMemoryEventLog({ retainPerShard: Number(process.argv[3] ?? 64) });
    app = createCollector(
      { writeKeys: { 'bench-key': 'web' }, logLevel: 'warn', logRequests: false },
      { eventLog },
    ) as unknown as ReturnType<typeof Fastify>;
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`PORT ${(app.server.address() as AddressInfo).port}`);
  // the harness asks for this process's CPU time around each load run: capacity per core
  process.on('message', (message) => {
    if (message === 'cpu') {
      const used = process.cpuUsage();
      process.send?.({ cpuMicros: used.user + used.system });
    }
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main(process.argv[2] ?? 'collector');
