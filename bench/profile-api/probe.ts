// A quick A/B probe of the Profile API benchmark while iterating (not a benchmark: no RESULTS.md row):
// starts one server per variant, then alternates open-loop runs of GET /v1/profiles/:id between them and
// prints, per run, the latency percentiles, the server CPU per request and its GC pauses.
// `npx tsx bench/profile-api/probe.ts "api" "api --max-semi-space-size=32"` (mode, then node flags);
// `PROBE_BASE=<other checkout> ... "base:api" "api"` compares with another checkout's server; the Go load
// generator measures (when Go can build it) unless `PROBE_GENERATOR=node`.
import { join } from 'node:path';
import { planCpus } from '../lib/cpu-pinning';
import { type ForkedServer, forkServer } from '../lib/forked-server';
import { preferredGeneratorKind, startLoadGenerator } from '../lib/load-generator';
import { BENCH_READ_KEY, benchProfileId } from './bench-world';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? 2);

interface GcStats {
  scavenges: number;
  scavengeMs: number;
  majors: number;
  majorMs: number;
  maxPauseMs: number;
}
interface ServerStats {
  count: number;
  p99: number;
  cpuMicros: number;
  heapMb: number;
  newSpaceMb?: number;
  gc: GcStats;
}

function stats(server: ForkedServer): Promise<ServerStats> {
  return new Promise((resolve) => {
    server.child.once('message', (m) => resolve(m as ServerStats));
    server.child.send('stats');
  });
}

async function main(variants: string[]): Promise<void> {
  const cpus = planCpus();
  const servers: [string, ForkedServer][] = [];
  for (const variant of variants) {
    const [modeSpec, ...flags] = variant.split(' ').filter(Boolean);
    // `base:api` runs the server of another checkout (PROBE_BASE: its root folder), for A/B against it
    const [mode, dir] = modeSpec?.startsWith('base:')
      ? [modeSpec.slice(5), join(process.env.PROBE_BASE ?? '.', 'bench/profile-api')]
      : [modeSpec, __dirname];
    servers.push([
      variant,
      await forkServer(
        join(dir, 'bench-server.ts'),
        [mode ?? 'api', String(PROFILES)],
        ['--max-old-space-size=4096', ...flags],
        cpus.pinned ? { cpu: cpus.server } : {},
      ),
    ]);
  }
  const kind = process.env.PROBE_GENERATOR === 'node' ? 'node' : preferredGeneratorKind().kind;
  const generator = await startLoadGenerator({ kind, ...(cpus.pinned ? { cpu: cpus.generator } : {}) });
  let seed = 12345;
  const requests = Array.from({ length: RATE * DURATION_S }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return { path: `/v1/profiles/${benchProfileId(seed % PROFILES)}` };
  });
  const run = async (server: ForkedServer, durationS: number) => {
    await stats(server);
    const load = await generator.run({
      url: server.url,
      rate: RATE,
      durationS,
      connections: 32,
      requests,
      headers: { authorization: `Bearer ${BENCH_READ_KEY}` },
      expectStatus: [200],
    });
    return { load, server: await stats(server) };
  };
  try {
    for (const [, server] of servers) await run(server, 3);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, server] of servers) {
        const { load, server: s } = await run(server, DURATION_S);
        const ms = (us: number) => (us / 1000).toFixed(2);
        console.log(
          `${name.padEnd(40)} p50 ${ms(load.latencyUs.p50)} p99 ${ms(load.latencyUs.p99)} ` +
            `p99.9 ${ms(load.latencyUs.p999)} ms | cpu ${(s.cpuMicros / s.count).toFixed(1)} µs/req | ` +
            `scavenge ${s.gc.scavenges}×, ${s.gc.scavengeMs.toFixed(0)} ms | major ${s.gc.majors}×, ` +
            `${s.gc.majorMs.toFixed(0)} ms | max pause ${s.gc.maxPauseMs.toFixed(1)} ms | heap ` +
            `${s.heapMb.toFixed(0)} MB, new ${s.newSpaceMb?.toFixed(0)} MB | failed ${load.failed} | load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`,
        );
      }
    }
  } finally {
    generator.stop();
    for (const [, s] of servers) s.child.kill('SIGTERM');
  }
}

void main(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['api']);
