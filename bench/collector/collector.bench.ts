// Collector throughput: /v1/batch (100 events per request) and single /v1/track, each against a bare
// Fastify route that parses the same JSON and answers 200, in the same run. Each server runs in its own
// process; autocannon drives it from this one. Rounds alternate bare / collector so that both see the
// same machine load, and the best round of each counts. Besides requests per wall-clock second (bound by
// the load generator on a small machine), the server's own CPU time gives its capacity per core.
import { join } from 'node:path';
import autocannon from 'autocannon';
import { forkServer, type ForkedServer as Server } from '../lib/forked-server';
import { report } from '../lib/report';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 32;
const AUTH = `Basic ${Buffer.from('bench-key:').toString('base64')}`;

/** A realistic mix: 60% track, 20% page, 10% identify (email + phone), 5% screen, 5% group. */
function event(i: number): Record<string, unknown> {
  const user = `user-${i % 37}`;
  const base = {
    messageId: `msg-${i}-${'0'.repeat(20)}`,
    anonymousId: `anon-${(i * 7919) % 1000}-7d1c2f0e`,
    userId: i % 3 === 0 ? undefined : user,
    timestamp: new Date(Date.UTC(2024, 4, 1, 12, 0, i % 60)).toISOString(),
    context: {
      library: { name: 'analytics-node', version: '2.1.0' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
      page: { path: '/products/42', url: 'https://shop.example/products/42', title: 'Product 42' },
      campaign: { source: 'newsletter', medium: 'email', name: 'spring' },
    },
  };
  const k = i % 20;
  if (k < 12) {
    return {
      ...base,
      type: 'track',
      event: k % 2 === 0 ? 'Product Viewed' : 'Order Completed',
      properties: { productId: `p-${i % 50}`, price: 19.99, currency: 'EUR', quantity: 1 + (i % 3) },
    };
  }
  if (k < 16) return { ...base, type: 'page', name: 'Product', properties: { category: 'shoes' } };
  if (k < 18) {
    return {
      ...base,
      type: 'identify',
      userId: user,
      traits: { email: `${user}@Example.com`, phone: `+1 415 555 ${String(100 + (i % 37))}`, plan: 'pro' },
    };
  }
  if (k < 19) return { ...base, type: 'screen', name: 'Cart' };
  return { ...base, type: 'group', groupId: `acct-${i % 5}`, traits: { name: 'Acme', employees: 40 } };
}

const BATCH_SIZE = 100;
const BATCH = JSON.stringify({
  batch: Array.from({ length: BATCH_SIZE }, (_, i) => event(i)),
  sentAt: new Date().toISOString(),
});
const SINGLE = JSON.stringify(event(1));

type Mode = 'collector' | 'bare';

function startServer(mode: Mode): Promise<Server> {
  return forkServer(join(__dirname, 'bench-server.ts'), [mode]);
}

function serverCpuMicros(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (m) => resolve((m as { cpuMicros: number }).cpuMicros));
    server.child.send('cpu');
  });
}

interface Run {
  reqPerSec: number;
  p99Ms: number;
  /** Server CPU time per 2xx request, in µs. */
  cpuMicrosPerReq: number;
  failed: number;
}

async function load(server: Server, path: string, body: string, duration: number): Promise<Run> {
  const cpuBefore = await serverCpuMicros(server);
  const result = await autocannon({
    url: `${server.url}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTH },
    body,
    connections: CONNECTIONS,
    duration,
  });
  const cpu = (await serverCpuMicros(server)) - cpuBefore;
  return {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    cpuMicrosPerReq: cpu / Math.max(1, result['2xx']),
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

function better(a: Run | undefined, b: Run): Run {
  if (a === undefined) return b;
  return {
    reqPerSec: Math.max(a.reqPerSec, b.reqPerSec),
    p99Ms: Math.min(a.p99Ms, b.p99Ms),
    cpuMicrosPerReq: Math.min(a.cpuMicrosPerReq, b.cpuMicrosPerReq),
    failed: a.failed + b.failed,
  };
}

async function main(): Promise<void> {
  const servers = { bare: await startServer('bare'), collector: await startServer('collector') };
  const best: Record<Mode, { batch?: Run; single?: Run }> = { bare: {}, collector: {} };
  try {
    for (const mode of ['bare', 'collector'] as const) {
      await load(servers[mode], '/v1/batch', BATCH, 2); // warm-up (JIT)
      await load(servers[mode], '/v1/track', SINGLE, 2);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['bare', 'collector'] as const) {
        best[mode].batch = better(
          best[mode].batch,
          await load(servers[mode], '/v1/batch', BATCH, DURATION_S),
        );
        best[mode].single = better(
          best[mode].single,
          await load(servers[mode], '/v1/track', SINGLE, DURATION_S),
        );
      }
    }
  } finally {
    for (const s of Object.values(servers)) {
      s.child.removeAllListeners('exit');
      s.child.kill('SIGTERM');
    }
  }
  const bare = { batch: best.bare.batch!, single: best.bare.single! };
  const collector = { batch: best.collector.batch!, single: best.collector.single! };
  if (collector.batch.failed > 0 || collector.single.failed > 0) {
    throw new Error(`the collector failed ${collector.batch.failed + collector.single.failed} requests`);
  }
  const eventsPerSec = collector.batch.reqPerSec * BATCH_SIZE;
  const bareEventsPerSec = bare.batch.reqPerSec * BATCH_SIZE;
  const eventsPerCoreSec = (BATCH_SIZE * 1e6) / collector.batch.cpuMicrosPerReq;
  const bareEventsPerCoreSec = (BATCH_SIZE * 1e6) / bare.batch.cpuMicrosPerReq;
  const singleRatio = collector.single.reqPerSec / bare.single.reqPerSec;
  const singlePerCore = 1e6 / collector.single.cpuMicrosPerReq;
  const bareSinglePerCore = 1e6 / bare.single.cpuMicrosPerReq;
  const base = 'bare Fastify parse + 200';
  report({
    title: 'Collector throughput',
    notes:
      `autocannon (${CONNECTIONS} connections) in the harness process, each server in its own process; ${ROUNDS} ` +
      `alternating rounds of ${DURATION_S} s after a warm-up, best round counted. Batch body ${BATCH.length} bytes ` +
      `(${BATCH_SIZE} mixed Segment calls: track, page, identify with email and phone, screen, group), single ` +
      `/v1/track body ${SINGLE.length} bytes. The collector authenticates, validates, normalizes and appends to ` +
      'the in-memory event log (keeping the last 64 records per shard, so that the figures measure the collector rather than a growing heap) before answering. "per core" = events ' +
      "or requests per second of the server process's own CPU time (user + system) during the run: its capacity " +
      'on one core, independent of the load generator sharing the machine.',
    rows: [
      {
        metric: '/v1/batch events per core-second',
        value: eventsPerCoreSec,
        unit: 'events/s',
        baseline: bareEventsPerCoreSec,
        baselineName: base,
        ratio: eventsPerCoreSec / bareEventsPerCoreSec,
        target: '≥ 150,000 events/s on one core',
        met: eventsPerCoreSec >= 150_000,
      },
      {
        metric: '/v1/batch events per wall-clock second',
        value: eventsPerSec,
        unit: 'events/s',
        baseline: bareEventsPerSec,
        baselineName: base,
        ratio: eventsPerSec / bareEventsPerSec,
      },
      {
        metric: '/v1/track requests per wall-clock second',
        value: collector.single.reqPerSec,
        unit: 'req/s',
        baseline: bare.single.reqPerSec,
        baselineName: base,
        ratio: singleRatio,
        target: '≥ 0.75× bare',
        met: singleRatio >= 0.75,
      },
      {
        metric: '/v1/track requests per core-second',
        value: singlePerCore,
        unit: 'req/s',
        baseline: bareSinglePerCore,
        baselineName: base,
        ratio: singlePerCore / bareSinglePerCore,
      },
      {
        metric: '/v1/batch p99 latency (ratio = bare/collector)',
        value: collector.batch.p99Ms,
        unit: 'ms',
        baseline: bare.batch.p99Ms,
        baselineName: 'bare',
        ratio: bare.batch.p99Ms / collector.batch.p99Ms,
      },
      {
        metric: '/v1/track p99 latency (ratio = bare/collector)',
        value: collector.single.p99Ms,
        unit: 'ms',
        baseline: bare.single.p99Ms,
        baselineName: 'bare',
        ratio: bare.single.p99Ms / collector.single.p99Ms,
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
