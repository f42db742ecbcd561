// Profile API latency at a fixed 5,000 requests/s: GET /v1/profiles/:id (random profile of 100,000) on
// the real plugin over the pipeline's memory stores, against a bare Fastify route answering a
// precomputed body of the same size, in the same run. Each server runs in its own process; autocannon
// drives it from this one at a fixed overall rate (latencies corrected for coordinated omission).
// Client-side percentiles include the load generator sharing the machine; server-side ones are
// Fastify's reply.elapsedTime (routing, auth, store reads, figures, serialization).
import { join } from 'node:path';
import autocannon from 'autocannon';
import { forkServer, type ForkedServer as Server } from '../lib/forked-server';
import { report } from '../lib/report';
import { BENCH_READ_KEY, benchEmail, benchProfileId } from './bench-world';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 32;

type Mode = 'api' | 'bare';

interface ServerStats {
  count: number;
  p50: number;
  p99: number;
  cpuMicros: number;
  heapMb: number;
}

interface Run {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverP50Ms: number;
  serverP99Ms: number;
  failed: number;
  heapMb: number;
}

function startServer(mode: Mode): Promise<Server> {
  return forkServer(
    join(__dirname, 'bench-server.ts'),
    [mode, String(PROFILES)],
    ['--max-old-space-size=4096'],
  );
}

function serverStats(server: Server): Promise<ServerStats> {
  return new Promise((resolve) => {
    server.child.once('message', (m) => resolve(m as ServerStats));
    server.child.send('stats');
  });
}

let seed = 12345;
function nextIndex(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % PROFILES;
}

async function load(server: Server, route: 'profile' | 'lookup', duration: number): Promise<Run> {
  await serverStats(server); // reset the server-side window
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration,
    headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path:
            route === 'profile'
              ? `/v1/profiles/${benchProfileId(nextIndex())}`
              : `/v1/profiles/lookup?type=email&value=${encodeURIComponent(benchEmail(nextIndex()))}`,
        }),
      },
    ],
  });
  const stats = await serverStats(server);
  const expected = route === 'profile' ? result['2xx'] : result['3xx'];
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverP50Ms: stats.p50,
    serverP99Ms: stats.p99,
    failed: result.requests.total - expected + result.errors + result.timeouts,
    heapMb: stats.heapMb,
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const servers = { bare: await startServer('bare'), api: await startServer('api') };
  const seeded = (Date.now() - t0) / 1000;
  const runs: Partial<Record<'bare' | 'api' | 'lookup', Run>> = {};
  try {
    await load(servers.bare, 'profile', 2); // warm-up (JIT)
    await load(servers.api, 'profile', 2);
    runs.bare = await load(servers.bare, 'profile', DURATION_S);
    runs.api = await load(servers.api, 'profile', DURATION_S);
    runs.lookup = await load(servers.api, 'lookup', DURATION_S);
  } finally {
    for (const s of Object.values(servers)) {
      s.child.removeAllListeners('exit');
      s.child.kill('SIGTERM');
    }
  }
  const { bare, api, lookup } = runs as Required<typeof runs>;
  if (api.failed > 0 || bare.failed > 0 || lookup.failed > 0) {
    throw new Error(`failed requests: api ${api.failed}, bare ${bare.failed}, lookup ${lookup.failed}`);
  }
  const base = 'bare Fastify route, same body';
  report({
    title: 'Profile API latency at 5,000 requests/s',
    notes:
      `${PROFILES.toLocaleString('en-US')} profiles in the memory stores (3 identifiers, 20 timeline entries, ` +
      `13 day buckets, 0-2 segments each; api process heap ${api.heapMb.toFixed(0)} MB; both servers seeded in ` +
      `${seeded.toFixed(0)} s). autocannon at a fixed ${RATE} requests/s over ${CONNECTIONS} connections for ` +
      `${DURATION_S} s per run after a 2 s warm-up, a random profile per request; the server's own figures are ` +
      "Fastify's reply.elapsedTime. Client latencies (1 ms resolution) include the load generator on the same " +
      '2-core machine, which other jobs were sharing. Lookup answers 302 (not followed).',
    rows: [
      {
        metric: 'GET /v1/profiles/:id p99 (client)',
        value: api.p99Ms,
        unit: 'ms',
        baseline: bare.p99Ms,
        baselineName: base,
        ratio: api.p99Ms / Math.max(bare.p99Ms, 1),
        target: '< 5 ms',
        met: api.p99Ms < 5,
      },
      {
        metric: 'GET /v1/profiles/:id p50 (client)',
        value: api.p50Ms,
        unit: 'ms',
        baseline: bare.p50Ms,
        baselineName: base,
      },
      {
        metric: 'GET /v1/profiles/:id p99 (server)',
        value: api.serverP99Ms,
        unit: 'ms',
        baseline: bare.serverP99Ms,
        baselineName: base,
        ratio: api.serverP99Ms / bare.serverP99Ms,
      },
      {
        metric: 'GET /v1/profiles/:id p50 (server)',
        value: api.serverP50Ms,
        unit: 'ms',
        baseline: bare.serverP50Ms,
        baselineName: base,
        ratio: api.serverP50Ms / bare.serverP50Ms,
      },
      {
        metric: 'GET /v1/profiles/:id achieved rate',
        value: api.reqPerSec,
        unit: 'req/s',
        baseline: bare.reqPerSec,
      },
      {
        metric: 'GET /v1/profiles/lookup (302) p99 (client)',
        value: lookup.p99Ms,
        unit: 'ms',
        target: '< 5 ms',
        met: lookup.p99Ms < 5,
      },
      { metric: 'GET /v1/profiles/lookup (302) p99 (server)', value: lookup.serverP99Ms, unit: 'ms' },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
