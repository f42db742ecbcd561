// One server process of the Profile API benchmark: `api` (the real Profile API plugin over memory stores
// holding N profiles) or `bare` (a bare Fastify route answering a precomputed ProfileView of the same
// size from a Map). Prints `PORT <n>` once ready; answers `stats` IPC messages with the server-side
// latency percentiles (Fastify's reply.elapsedTime, ms) and the CPU time the process used since the
// previous `stats`, and its GC pauses.
import type { AddressInfo } from 'node:net';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import Fastify, { type FastifyInstance } from 'fastify';
import { createProfileApi } from '../../services/profile-api';
import { summarizeLatencies } from '../lib/latency-summary';
import { BENCH_NOW, BENCH_READ_KEY, benchProfileId, buildBenchWorld } from './bench-world';

async function main(mode: string, profiles: number): Promise<void> {
  const world = await buildBenchWorld(profiles);
  // the garbage of building the world, collected before any run (with --expose-gc), as a server that has
  // been up for a while holds its data and not the debris of loading it
  (globalThis as { gc?: () => void }).gc?.();
  let app: FastifyInstance;
  if (mode === 'bare') {
    // the same answer size as the API, precomputed: what any Fastify JSON route costs
    const api = createProfileApi(
      { readKey: BENCH_READ_KEY, docs: false },
      { ...world, clock: () => BENCH_NOW },
    );
    const sample = await api.inject({
      url: `/v1/profiles/${benchProfileId(1)}`,
      headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
    });
    const body = JSON.parse(sample.body) as Record<string, unknown>;
    const answers = new Map<string, unknown>();
    for (let i = 0; i < profiles; i++) answers.set(benchProfileId(i), body);
    app = Fastify({ logger: false });
    app.get('/v1/profiles/:id', async (request, reply) => {
      const answer = answers.get((request.params as { id: string }).id);
      return answer ?? reply.code(404).send({ error: 'not_found' });
    });
  } else {
    app = createProfileApi({ readKey: BENCH_READ_KEY, docs: false }, { ...world, clock: () => BENCH_NOW });
  }
  let elapsed: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    elapsed.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`PORT ${(app.server.address() as AddressInfo).port}`);
  // GC pauses of this process (main-thread pause of each collection), by kind, since the last `stats`
  let gc = { scavenges: 0, scavengeMs: 0, majors: 0, majorMs: 0, maxPauseMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.scavenges++;
        gc.scavengeMs += entry.duration;
      } else {
        gc.majors++;
        gc.majorMs += entry.duration;
      }
      gc.maxPauseMs = Math.max(gc.maxPauseMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let cpuSince = process.cpuUsage();
  process.on('message', (message) => {
    if (message !== 'stats') return;
    const summary = summarizeLatencies(elapsed);
    elapsed = [];
    const used = process.cpuUsage(cpuSince);
    cpuSince = process.cpuUsage();
    process.send?.({
      count: summary.count,
      p50: summary.p50,
      p99: summary.p99,
      p999: summary.p999,
      cpuMicros: used.user + used.system,
      heapMb: process.memoryUsage().heapUsed / 1e6,
      newSpaceMb:
        (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20,
      gc,
    });
    gc = { scavenges: 0, scavengeMs: 0, majors: 0, majorMs: 0, maxPauseMs: 0 };
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main(process.argv[2] ?? 'api', Number(process.argv[3] ?? 100_000));
