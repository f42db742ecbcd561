// The embedded runtime as users run it: `cdp dev` in its own process (through tsx, as the e2e tests
// start it), driven over HTTP from this one.
// 1. Sustained events/s with fsync on: 8 connections send the load in batches of 100 until every event
//    is acknowledged AND processed (lag 0); the same with durability `none` is the same-run baseline.
// 2. Freshness at half of that load: while background batches arrive at half the sustained rate, a probe
//    identify for a new user is sent 50 ms after the previous one was seen, for 40 s (~750 probes: a
//    p99 of 150 probes was their second worst); freshness = acknowledged → its profile answers on
//    `GET /v1/profiles/lookup` (polled every 2 ms). Target p99 < 100 ms.
// 3. Recovery after kill -9 with 1,000,000 events in the log: the log is filled directly (fast), cdp dev
//    processes it all (cold replay, with checkpoints), takes more events, is killed with kill -9 and
//    restarted: time from restart to listening, and to lag 0.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openFileEventLog } from '../../adapters/local/file-event-log';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import { partitionKeyOf } from '../../contracts/normalize-identity';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { parsePrometheus } from '../../runtime/local/metrics';
import { type CdpDevProcess, startCdpDev, tempDataDir } from '../../test/e2e/support/cdp-dev-process';
import { generateEventLoad } from '../../test/e2e/support/event-load';
import { createBatchSender } from '../../test/e2e/support/send-batches';
import { type BenchRow, report } from '../lib/report';

const SUSTAINED_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const RECOVERY_EVENTS = Number(process.env.BENCH_RECOVERY_EVENTS ?? 1_000_000);
const FRESHNESS_SECONDS = Number(process.env.BENCH_FRESHNESS_SECONDS ?? 40);
/** Between a probe seen on the Profile API and the next probe sent. */
const PROBE_GAP_MS = Number(process.env.BENCH_PROBE_GAP_MS ?? 50);
/** `freshness` (with BENCH_FRESHNESS_RATE events/s) or `recovery`: only that part (to iterate faster). */
const ONLY = process.env.BENCH_ONLY;
const FRESHNESS_RATE = Number(process.env.BENCH_FRESHNESS_RATE ?? 2_700);
const BATCH = 100;
const CONNECTIONS = 8;
const USERS = 20_000;
/** BENCH_CHILD_NODE_OPTIONS: more options for cdp dev (e.g. `--import <file>` observing GC pauses). */
const CHILD_ENV = {
  NODE_OPTIONS: `--max-old-space-size=8192 ${process.env.BENCH_CHILD_NODE_OPTIONS ?? ''}`.trim(),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];

async function lag(dev: CdpDevProcess): Promise<number> {
  const text = await (await fetch(`${dev.url}/metrics`)).text();
  return parsePrometheus(text)
    .filter((s) => s.name === 'tributary_shard_lag_records')
    .reduce((n, s) => n + s.value, 0);
}

async function untilCaughtUp(dev: CdpDevProcess): Promise<void> {
  while ((await lag(dev)) > 0) await sleep(20);
}

function batchesOf(calls: readonly unknown[], size: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < calls.length; i += size) out.push(calls.slice(i, i + size));
  return out;
}

/** Sends every batch over `CONNECTIONS` connections; resolves when all are acknowledged. */
async function sendAll(dev: CdpDevProcess, batches: readonly unknown[][]): Promise<void> {
  const sender = createBatchSender(dev.url, dev.writeKey, CONNECTIONS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < batches.length) {
        const i = next++;
        const res = await sender.post(batches[i]!);
        if (res.status !== 200) throw new Error(`batch ${i}: ${res.status} ${res.body}`);
      }
    }),
  );
  sender.close();
}

async function sustained(durability: 'fsync' | 'none'): Promise<{ acked: number; processed: number }> {
  const dataDir = tempDataDir('bench-dev-');
  dirs.push(dataDir);
  const dev = await startCdpDev({ dataDir, env: { ...CHILD_ENV, CDP_DURABILITY: durability } });
  try {
    const batches = batchesOf(generateEventLoad(SUSTAINED_EVENTS, USERS), BATCH);
    const t0 = performance.now();
    await sendAll(dev, batches);
    const ackedAt = performance.now();
    await untilCaughtUp(dev);
    const processedAt = performance.now();
    return {
      acked: SUSTAINED_EVENTS / ((ackedAt - t0) / 1000),
      processed: SUSTAINED_EVENTS / ((processedAt - t0) / 1000),
    };
  } finally {
    await dev.stop();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Named samples of `/metrics`. */
async function metricsOf(dev: CdpDevProcess) {
  return parsePrometheus(await (await fetch(`${dev.url}/metrics`)).text());
}

interface Freshness {
  p50: number;
  p99: number;
  probes: number;
  /** Longest checkpoint seen while probing (ms), and how many were seen. */
  checkpointMaxMs: number;
  checkpoints: number;
  /** Longest pause of the job for a checkpoint (its synchronous half), ms. */
  checkpointPauseMaxMs: number;
  /** cdp dev's event-loop delay while probing (ms): max, and the median of each 250 ms window's max. */
  loopDelayMedianWindowMaxMs: number;
  loopDelayMaxMs: number;
  /** Each step of the checkpoints seen (ms, from `tributary_checkpoint_phase_seconds`), by step name. */
  phasesMs: Map<string, number[]>;
  /** The job's longest round and publish of each 250 ms window (ms, `tributary_job_longest_seconds`). */
  longestRoundMs: number[];
  longestPublishMs: number[];
}

async function freshness(rate: number): Promise<Freshness> {
  const dataDir = tempDataDir('bench-fresh-');
  dirs.push(dataDir);
  const dev = await startCdpDev({ dataDir, env: CHILD_ENV });
  const load = createBatchSender(dev.url, dev.writeKey, CONNECTIONS);
  const probes = createBatchSender(dev.url, dev.writeKey, 2);
  const calls = generateEventLoad(Math.ceil(rate * (FRESHNESS_SECONDS + 5)), USERS);
  const tickMs = 50;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const samples: number[] = [];
  let stop = false;
  const seen = new Map<number, number>();
  const pauses = new Map<number, number>();
  const phasesById = new Map<number, Map<string, number>>();
  const windowMax: number[] = [];
  const longestRoundMs: number[] = [];
  const longestPublishMs: number[] = [];
  let probingDone = false;
  try {
    const watching = (async () => {
      while (!stop) {
        const m = await metricsOf(dev);
        const id = m.find((s) => s.name === 'tributary_checkpoint_id')?.value ?? 0;
        const seconds = m.find((s) => s.name === 'tributary_checkpoint_duration_seconds')?.value ?? 0;
        const pause = m.find(
          (s) => s.name === 'tributary_checkpoint_phase_seconds' && s.labels.phase === 'pause',
        )?.value;
        if (id > 0) seen.set(id, seconds * 1000);
        if (id > 0 && pause !== undefined) pauses.set(id, pause * 1000);
        if (id > 0 && !phasesById.has(id))
          phasesById.set(
            id,
            new Map(
              m
                .filter((s) => s.name === 'tributary_checkpoint_phase_seconds')
                .map((s) => [s.labels.phase ?? '?', s.value * 1000]),
            ),
          );
        const max = m.find(
          (s) => s.name === 'tributary_event_loop_delay_seconds' && s.labels.quantile === '1',
        );
        const longest = (task: string) =>
          m.find((s) => s.name === 'tributary_job_longest_seconds' && s.labels.task === task)?.value;
        if (!probingDone) {
          if (max !== undefined) windowMax.push(max.value * 1000);
          const round = longest('round');
          const publish = longest('publish');
          if (round !== undefined) longestRoundMs.push(round * 1000);
          if (publish !== undefined) longestPublishMs.push(publish * 1000);
        }
        await sleep(250);
      }
    })();
    const background = (async () => {
      let sent = 0;
      const started = performance.now();
      const inFlight = new Set<Promise<unknown>>();
      while (!stop && sent < calls.length) {
        const p = load.post(calls.slice(sent, sent + perTick));
        sent += perTick;
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        const due = started + (sent / perTick) * tickMs;
        await sleep(Math.max(0, due - performance.now()));
      }
      await Promise.all(inFlight);
    })();
    const probing = (async () => {
      const until = performance.now() + FRESHNESS_SECONDS * 1000;
      for (let k = 0; performance.now() < until; k++) {
        const userId = `probe-${k}`;
        const res = await probes.post([
          { type: 'identify', userId, messageId: `probe-${k}`, traits: { plan: 'bench' } },
        ]);
        if (res.status !== 200) throw new Error(`probe ${k}: ${res.status}`);
        const ackedAt = performance.now();
        for (;;) {
          const r = await fetch(`${dev.url}/v1/profiles/lookup?type=user_id&value=${userId}`, {
            headers: { authorization: `Bearer ${dev.readKey}` },
            redirect: 'manual',
          });
          await r.arrayBuffer();
          if (r.status === 302) break;
          if (r.status !== 404) throw new Error(`lookup answered ${r.status}`);
          await sleep(2);
        }
        samples.push(performance.now() - ackedAt);
        await sleep(PROBE_GAP_MS);
      }
    })();
    await probing;
    probingDone = true;
    stop = true;
    await background;
    await watching;
  } finally {
    load.close();
    probes.close();
    await dev.stop();
  }
  const sorted = samples.sort((a, b) => a - b);
  const phasesMs = new Map<string, number[]>();
  for (const phases of phasesById.values())
    for (const [name, ms] of phases) phasesMs.set(name, [...(phasesMs.get(name) ?? []), ms]);
  return {
    phasesMs,
    longestRoundMs,
    longestPublishMs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    probes: sorted.length,
    checkpointMaxMs: Math.max(0, ...seen.values()),
    checkpoints: seen.size,
    checkpointPauseMaxMs: Math.max(0, ...pauses.values()),
    loopDelayMedianWindowMaxMs: percentile(
      [...windowMax].sort((a, b) => a - b),
      50,
    ),
    loopDelayMaxMs: Math.max(0, ...windowMax),
  };
}

/** Canonical events of the load, as the collector would have appended them. */
function canonicalLoad(count: number): { partitionKey: string; event: CanonicalEvent }[] {
  const now = Date.now();
  const ctx = { source: 'web', receivedAtMs: now, receivedAt: new Date(now).toISOString() };
  return generateEventLoad(count, USERS).map((call) => {
    const r = normalizeSegmentEvent(call, ctx);
    if (!r.ok) throw new Error(`bench event invalid: ${JSON.stringify(r.errors)}`);
    return { partitionKey: partitionKeyOf(r.value.identity, r.value.eventId), event: r.value };
  });
}

async function recovery(): Promise<{ coldSeconds: number; listenSeconds: number; caughtUpSeconds: number }> {
  const dataDir = tempDataDir('bench-recovery-');
  dirs.push(dataDir);
  // fill the log directly: what would take the collector minutes
  const log = openFileEventLog({ directory: join(dataDir, 'log'), shardCount: 4, durability: 'none' });
  const chunk = 10_000;
  for (let i = 0; i < RECOVERY_EVENTS; i += chunk) {
    const records = canonicalLoad(Math.min(chunk, RECOVERY_EVENTS - i)).map((r, j) => ({
      partitionKey: r.partitionKey,
      event: { ...r.event, eventId: `r-${i + j}` },
    }));
    await log.append(records);
  }
  await log.close();
  let t0 = performance.now();
  let dev = await startCdpDev({ dataDir, env: CHILD_ENV, startTimeoutMs: 600_000 });
  await untilCaughtUp(dev);
  const coldSeconds = (performance.now() - t0) / 1000;
  // a few more events, then kill -9 somewhere after the last checkpoint
  await sendAll(
    dev,
    batchesOf(
      generateEventLoad(20_000, USERS).map((c, i) => ({ ...c, messageId: `late-${i}` })),
      BATCH,
    ),
  );
  await dev.kill9();
  t0 = performance.now();
  dev = await startCdpDev({ dataDir, env: CHILD_ENV, startTimeoutMs: 600_000 });
  const listenSeconds = (performance.now() - t0) / 1000;
  console.log(
    `  restart: ${/Restored checkpoint[^\n]*/.exec(dev.output())?.[0] ?? 'no checkpoint restored'}`,
  );
  await untilCaughtUp(dev);
  const caughtUpSeconds = (performance.now() - t0) / 1000;
  await dev.stop();
  return { coldSeconds, listenSeconds, caughtUpSeconds };
}

function freshnessRows(rows: BenchRow[], fresh: Freshness, rate: number): void {
  rows.push({
    metric: `freshness p50 at ${Math.round(rate)} events/s (ack → Profile API)`,
    value: fresh.p50,
    unit: 'ms',
  });
  rows.push({
    metric: `freshness p99 (${fresh.probes} probes)`,
    value: fresh.p99,
    unit: 'ms',
    target: '< 100 ms',
    met: fresh.p99 < 100,
  });
  rows.push({
    metric: `longest checkpoint while probing (${fresh.checkpoints} seen)`,
    value: fresh.checkpointMaxMs,
    unit: 'ms',
  });
  rows.push({
    metric: 'longest job pause for a checkpoint (its synchronous half)',
    value: fresh.checkpointPauseMaxMs,
    unit: 'ms',
  });
  rows.push({
    metric: 'cdp dev event-loop delay while probing: median of the 250 ms windows’ max',
    value: fresh.loopDelayMedianWindowMaxMs,
    unit: 'ms',
  });
  rows.push({
    metric: 'cdp dev event-loop delay max while probing',
    value: fresh.loopDelayMaxMs,
    unit: 'ms',
  });
  const rounds = [...fresh.longestRoundMs].sort((a, b) => a - b);
  const publishes = [...fresh.longestPublishMs].sort((a, b) => a - b);
  rows.push({
    metric: 'longest job round while probing (runs without yielding)',
    value: Math.max(0, ...rounds),
    unit: 'ms',
  });
  rows.push({
    metric: 'longest job publish while probing (wall time: it yields to requests every 8 ms of work)',
    value: Math.max(0, ...publishes),
    unit: 'ms',
  });
  console.log(
    `  longest round of each 250 ms window: median ${percentile(rounds, 50).toFixed(1)} ms, p99 ${percentile(rounds, 99).toFixed(1)} ms (${rounds.length} windows); publish: median ${percentile(publishes, 50).toFixed(1)} ms, p99 ${percentile(publishes, 99).toFixed(1)} ms`,
  );
  // printed, not reported: where the pauses go (median and max over the checkpoints seen)
  for (const [name, values] of fresh.phasesMs) {
    const v = [...values].sort((a, b) => a - b);
    console.log(
      `  checkpoint step ${name}: median ${percentile(v, 50).toFixed(1)} ms, max ${v[v.length - 1]?.toFixed(1)} ms (${v.length})`,
    );
  }
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  // each figure is printed as soon as it is measured (the whole run takes minutes)
  const push = rows.push.bind(rows);
  rows.push = (...added: BenchRow[]) => {
    for (const r of added) console.log(`  measured: ${r.metric}: ${r.value.toFixed(1)} ${r.unit}`);
    return push(...added);
  };
  try {
    if (ONLY === 'freshness') {
      freshnessRows(rows, await freshness(FRESHNESS_RATE), FRESHNESS_RATE);
      return; // a partial run is printed, not reported (RESULTS.md keeps the full run)
    }
    if (ONLY === 'recovery') {
      recoveryRows(rows, await recovery());
      return;
    }
    const none = await sustained('none');
    const fsync = await sustained('fsync');
    rows.push({
      metric: 'sustained events/s, fsync on (acknowledged and processed, lag back to 0)',
      value: fsync.processed,
      unit: 'events/s',
      baseline: none.processed,
      baselineName: 'durability none',
      ratio: fsync.processed / none.processed,
    });
    rows.push({
      metric: 'acknowledged events/s, fsync on',
      value: fsync.acked,
      unit: 'events/s',
      baseline: none.acked,
      baselineName: 'durability none',
      ratio: fsync.acked / none.acked,
    });
    freshnessRows(rows, await freshness(fsync.processed / 2), fsync.processed / 2);
    recoveryRows(rows, await recovery());
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  report({
    title: 'Embedded runtime (cdp dev): throughput with fsync, freshness, recovery',
    notes:
      "cdp dev runs in its own process under tsx; the load is this repository's test load (anonymous page view, identify, then page views and orders) over 20,000 users, 4 shards, checkpoints every 5 s.",
    rows,
  });
}

function recoveryRows(
  rows: BenchRow[],
  rec: { coldSeconds: number; listenSeconds: number; caughtUpSeconds: number },
): void {
  rows.push({
    metric: `cold replay of ${RECOVERY_EVENTS} logged events`,
    value: RECOVERY_EVENTS / rec.coldSeconds,
    unit: 'events/s',
  });
  rows.push({
    metric: `recovery after kill -9 with ${RECOVERY_EVENTS}+ events: restart → listening`,
    value: rec.listenSeconds,
    unit: 's',
  });
  rows.push({
    metric: 'recovery after kill -9: restart → caught up (restore + replay)',
    value: rec.caughtUpSeconds,
    unit: 's',
  });
}

void main().catch((error: unknown) => {
  console.error(error);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  process.exit(1);
});
