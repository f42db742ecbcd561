// Profile API latency at a fixed 5,000 requests/s: GET /v1/profiles/:id (random profile of 100,000) and
// GET /v1/profiles/lookup on the real plugin over the pipeline's memory stores, against a bare Fastify
// route answering a precomputed body of the same size, measured the same way in the same run.
// The load comes from the open-loop generator in a process of its own: fixed arrival times, latency from
// each request's due time to the end of its answer (coordinated omission accounted for), microsecond
// resolution, keep-alive connections. Its Go build (bench/lib/open-loop-go) is the one checked against the
// target, because it has no GC pauses of its own; the Node build (bench/lib/open-loop.ts, undici) and
// autocannon from this process are kept as cross-checks. Server and generator each get a CPU (taskset)
// when the machine allows it.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CDP_NODE_FLAGS } from '../../cli/node-flags';
import { describeCpuPlan, planCpus } from '../lib/cpu-pinning';
import { forkServer, type ForkedServer as Server } from '../lib/forked-server';
import { type LoadGenerator, preferredGeneratorKind, startLoadGenerator } from '../lib/load-generator';
import type { OpenLoopRequest, OpenLoopResult } from '../lib/open-loop';
import { type BenchRow, report } from '../lib/report';
import { BENCH_READ_KEY, benchEmail, benchProfileId } from './bench-world';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 5;
const CONNECTIONS = 32;
const TARGET_MS = 5;

type Mode = 'api' | 'bare';
type Route = 'profile' | 'lookup';

interface ServerStats {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  cpuMicros: number;
  heapMb: number;
  gc?: { scavenges: number; scavengeMs: number; majors: number; majorMs: number; maxPauseMs: number };
}

interface Run {
  load: OpenLoopResult;
  server: ServerStats;
}

const cpus = planCpus();

function startServer(mode: Mode): Promise<Server> {
  return forkServer(
    join(__dirname, 'bench-server.ts'),
    [mode, String(PROFILES)],
    // both servers with the V8 flags `cdp dev` runs with (cli/node-flags.ts)
    // --expose-gc only lets the server collect the garbage of building its world before it is measured
    ['--max-old-space-size=4096', '--expose-gc', ...CDP_NODE_FLAGS],
    cpus.pinned ? { cpu: cpus.server } : {},
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

function pathOf(route: Route): string {
  return route === 'profile'
    ? `/v1/profiles/${benchProfileId(nextIndex())}`
    : `/v1/profiles/lookup?type=email&value=${encodeURIComponent(benchEmail(nextIndex()))}`;
}

const ms = (us: number) => us / 1000;

async function main(): Promise<void> {
  const load1Start = loadavg()[0]!;
  const pin = cpus.pinned ? { cpu: cpus.generator } : {};
  const preferred = preferredGeneratorKind();
  const generator = await startLoadGenerator({ kind: preferred.kind, ...pin });
  // the Node build as a cross-check of the Go one (the same generator when Go is missing)
  const nodeGenerator =
    preferred.kind === 'node' ? generator : await startLoadGenerator({ kind: 'node', ...pin });
  // autocannon runs in this process: keep it off the server's CPU too
  if (cpus.pinned) execFileSync('taskset', ['-a', '-c', '-p', String(cpus.generator), String(process.pid)]);

  async function measure(
    server: Server,
    route: Route,
    durationS: number,
    by: LoadGenerator = generator,
  ): Promise<Run> {
    const requests: OpenLoopRequest[] = Array.from({ length: Math.round(RATE * durationS) }, () => ({
      path: pathOf(route),
    }));
    await serverStats(server); // reset the server-side window
    const load = await by.run({
      url: server.url,
      rate: RATE,
      durationS,
      connections: CONNECTIONS,
      requests,
      headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
      expectStatus: route === 'profile' ? [200] : [302],
    });
    return { load, server: await serverStats(server) };
  }

  async function crossCheck(server: Server): Promise<{ p99Ms: number; failed: number }> {
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration: DURATION_S,
      headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
      requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: pathOf('profile') }) }],
    });
    return {
      p99Ms: result.latency.p99,
      failed: result.requests.total - result['2xx'] + result.errors + result.timeouts,
    };
  }

  // One server at a time: an idle server pinned to the same CPU can still run V8's background work (the
  // memory reducer's GC of its 400 MB heap) while the other one is measured.
  async function withServer<T>(mode: Mode, use: (server: Server) => Promise<T>) {
    const started = Date.now();
    const server = await startServer(mode);
    const seededS = (Date.now() - started) / 1000;
    try {
      return { ...(await use(server)), seededS };
    } finally {
      server.child.removeAllListeners('exit');
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
  }
  const crossChecked = nodeGenerator !== generator;
  let bareSide: { run: Run; node?: Run; ac: { p99Ms: number; failed: number }; seededS: number };
  let apiSide: {
    run: Run;
    lookup: Run;
    node?: Run;
    ac: { p99Ms: number; failed: number };
    seededS: number;
  };
  try {
    bareSide = await withServer('bare', async (server) => {
      await measure(server, 'profile', WARMUP_S); // JIT, connections
      const run = await measure(server, 'profile', DURATION_S);
      if (!crossChecked) return { run, ac: await crossCheck(server) };
      await measure(server, 'profile', WARMUP_S, nodeGenerator);
      const node = await measure(server, 'profile', DURATION_S, nodeGenerator);
      return { run, node, ac: await crossCheck(server) };
    });
    apiSide = await withServer('api', async (server) => {
      await measure(server, 'profile', WARMUP_S);
      await measure(server, 'lookup', WARMUP_S);
      const run = await measure(server, 'profile', DURATION_S);
      const lookup = await measure(server, 'lookup', DURATION_S);
      if (!crossChecked) return { run, lookup, ac: await crossCheck(server) };
      await measure(server, 'profile', WARMUP_S, nodeGenerator);
      const node = await measure(server, 'profile', DURATION_S, nodeGenerator);
      return { run, lookup, node, ac: await crossCheck(server) };
    });
  } finally {
    generator.stop();
    nodeGenerator.stop();
  }
  const { run: bare, node: nodeBare, ac: acBare } = bareSide;
  const { run: api, lookup, node: nodeApi, ac: acApi } = apiSide;
  const seeded = Math.max(bareSide.seededS, apiSide.seededS);
  const load1End = loadavg()[0]!;

  const errorsOf = (r: Run) =>
    r.load.failed + Object.values(r.load.unexpectedStatus).reduce((a, b) => a + b, 0);
  const base = 'bare Fastify route, same body, same generator';
  const latencyRows = (name: string, run: Run, baseline?: Run): BenchRow[] =>
    (
      [
        ['p50', (r: Run) => r.load.latencyUs.p50],
        ['p99.9', (r: Run) => r.load.latencyUs.p999],
        ['max', (r: Run) => r.load.latencyUs.max],
      ] as const
    ).map(([label, of]) => ({
      metric: `${name} ${label} (open loop)`,
      value: ms(of(run)),
      unit: 'ms',
      ...(baseline ? { baseline: ms(of(baseline)), baselineName: base } : {}),
    }));
  const checked = (name: string, run: Run, baseline?: Run): BenchRow => ({
    metric: `${name} p99 (open loop, from due time) — the row checked against the target`,
    value: ms(run.load.latencyUs.p99),
    unit: 'ms',
    ...(baseline
      ? {
          baseline: ms(baseline.load.latencyUs.p99),
          baselineName: base,
          ratio: run.load.latencyUs.p99 / baseline.load.latencyUs.p99,
        }
      : {}),
    target: `< ${TARGET_MS} ms at ${RATE.toLocaleString('en-US')} req/s, no errors`,
    met: ms(run.load.latencyUs.p99) < TARGET_MS && errorsOf(run) === 0 && run.load.achievedRate > 0.98 * RATE,
  });
  const generatorNote =
    generator.kind === 'go'
      ? 'Go build (bench/lib/open-loop-go: one thread polling non-blocking sockets with epoll, GC off, so ' +
        'that its own pauses do not count as server latency; the Node build with undici, which pauses for ' +
        'its own scavenges, is a cross-check row)'
      : `Node build (bench/lib/open-loop.ts, undici; the Go build was unavailable: ${preferred.fallback})`;
  const profile = 'GET /v1/profiles/:id';
  const look = 'GET /v1/profiles/lookup (302)';
  report({
    title: `Profile API latency at ${RATE.toLocaleString('en-US')} requests/s`,
    notes:
      `${PROFILES.toLocaleString('en-US')} profiles in the memory stores (3 identifiers, 20 timeline entries, ` +
      `13 day buckets, 0-2 segments each; api process heap ${api.server.heapMb.toFixed(0)} MB; each server ` +
      `seeded in at most ${seeded.toFixed(0)} s, then a full GC). One server runs at a time (bare Fastify, ` +
      `then the API), each warmed up before its runs. Open-loop load generator, ${generatorNote}, ${CONNECTIONS} ` +
      `keep-alive connections, its own process: requests due at a fixed ${RATE} per second ` +
      `for ${DURATION_S} s per run after a ${WARMUP_S} s warm-up, a random profile per request; latency runs ` +
      'from the due time to the end of the answer (coordinated omission accounted for), microsecond ' +
      'resolution; the generator spins between sends (its CPU shows busy) and the send-lag row tells how ' +
      `late it was. ${describeCpuPlan(cpus)}. The server's own figures are Fastify's reply.elapsedTime; ` +
      'server CPU is user + system time of its process divided by the requests answered; GC pauses are its ' +
      'own (perf_hooks gc entries) during the run. Both servers run with the V8 flags of cdp dev ' +
      `(${CDP_NODE_FLAGS.join(' ')}). The autocannon ` +
      'rows (this process, 1 ms resolution) are a cross-check only. Lookup answers 302 (not followed). ' +
      `1-minute load average at start / end: ${load1Start.toFixed(2)} / ${load1End.toFixed(2)}.`,
    rows: [
      checked(profile, api, bare),
      ...latencyRows(profile, api, bare),
      {
        metric: `${profile} achieved rate`,
        value: api.load.achievedRate,
        unit: 'req/s',
        baseline: bare.load.achievedRate,
        baselineName: base,
      },
      { metric: `${profile} errors`, value: errorsOf(api), unit: 'requests', baseline: errorsOf(bare) },
      {
        metric: `${profile} p99 (server, elapsedTime)`,
        value: api.server.p99,
        unit: 'ms',
        baseline: bare.server.p99,
        baselineName: base,
        ratio: api.server.p99 / bare.server.p99,
      },
      {
        metric: `${profile} server CPU per request`,
        value: api.server.cpuMicros / Math.max(1, api.server.count),
        unit: 'µs',
        baseline: bare.server.cpuMicros / Math.max(1, bare.server.count),
        baselineName: base,
        ratio: api.server.cpuMicros / api.server.count / (bare.server.cpuMicros / bare.server.count),
      },
      {
        metric: `${profile} server GC: scavenges (young generation)`,
        value: api.server.gc?.scavenges ?? Number.NaN,
        unit: 'pauses',
        baseline: bare.server.gc?.scavenges ?? Number.NaN,
        baselineName: base,
      },
      {
        metric: `${profile} server GC: time paused (all collections)`,
        value: (api.server.gc?.scavengeMs ?? Number.NaN) + (api.server.gc?.majorMs ?? 0),
        unit: 'ms',
        baseline: (bare.server.gc?.scavengeMs ?? Number.NaN) + (bare.server.gc?.majorMs ?? 0),
        baselineName: base,
      },
      {
        metric: `${profile} server GC: longest pause`,
        value: api.server.gc?.maxPauseMs ?? Number.NaN,
        unit: 'ms',
        baseline: bare.server.gc?.maxPauseMs ?? Number.NaN,
        baselineName: base,
      },
      checked(look, lookup),
      ...latencyRows(look, lookup),
      { metric: `${look} achieved rate`, value: lookup.load.achievedRate, unit: 'req/s' },
      { metric: `${look} errors`, value: errorsOf(lookup), unit: 'requests' },
      { metric: `${look} p99 (server, elapsedTime)`, value: lookup.server.p99, unit: 'ms' },
      {
        metric: `${look} server CPU per request`,
        value: lookup.server.cpuMicros / Math.max(1, lookup.server.count),
        unit: 'µs',
      },
      {
        metric: 'load generator send lag p99 (how late it sent; api runs)',
        value: ms(Math.max(api.load.sendLagUs.p99, lookup.load.sendLagUs.p99)),
        unit: 'ms',
      },
      ...(nodeApi && nodeBare
        ? [
            {
              metric: `${profile} p99 (Node generator, undici, cross-check only)`,
              value: ms(nodeApi.load.latencyUs.p99),
              unit: 'ms',
              baseline: ms(nodeBare.load.latencyUs.p99),
              baselineName: 'bare Fastify route, Node generator',
              ratio: nodeApi.load.latencyUs.p99 / nodeBare.load.latencyUs.p99,
            },
          ]
        : []),
      {
        metric: `${profile} p99 (autocannon, 1 ms resolution, cross-check only)`,
        value: acApi.p99Ms,
        unit: 'ms',
        baseline: acBare.p99Ms,
        baselineName: 'bare Fastify route, autocannon',
      },
      {
        metric: 'autocannon cross-check errors',
        value: acApi.failed,
        unit: 'requests',
        baseline: acBare.failed,
      },
    ],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
