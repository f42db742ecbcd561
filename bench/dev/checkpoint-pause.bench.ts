// The synchronous half of a cdp dev checkpoint (how long the job stops), measured in this process
// without HTTP or disk: the CDP processing of `cdp dev` (pipeline, segments, memory stores) reads the
// test load from memory; every CHECKPOINT_EVERY records the runner's pause is reproduced (the job's
// checkpoint, the lake taking its staged rows, the serving capture) and timed, with its CPU time; then
// the captured values are serialized (what the background write does) and timed apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '../../adapters/local/file-event-log';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { partitionKeyOf } from '../../contracts/normalize-identity';
import { normalizeSegmentEvent } from '../../contracts/normalize-segment-event';
import { InMemorySource } from '../../processors/engine';
import { drainCaptures } from '../../processors/engine/checkpoint/keyed-table';
import { cdpProcessing } from '../../runtime/local/cdp-processing';
import { generateEventLoad } from '../../test/e2e/support/event-load';
import { type BenchRow, report } from '../lib/report';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 120_000);
const USERS = 20_000;
const SHARDS = 4;
/** About 5 s of the freshness load (half the sustained rate of cdp dev). */
const CHECKPOINT_EVERY = Number(process.env.BENCH_CHECKPOINT_EVERY ?? 12_000);

function logEntries(): Map<string, LogEntry[]> {
  const now = Date.now();
  const ctx = { source: 'web', receivedAtMs: now, receivedAt: new Date(now).toISOString() };
  const shards = new Map<string, LogEntry[]>();
  generateEventLoad(EVENTS, USERS).forEach((call, i) => {
    const r = normalizeSegmentEvent(call, ctx);
    if (!r.ok) throw new Error(`bench event invalid: ${JSON.stringify(r.errors)}`);
    const shardId = `shard-${String(i % SHARDS).padStart(6, '0')}`;
    const list = shards.get(shardId) ?? [];
    shards.set(shardId, list);
    list.push({
      shardId,
      sequence: list.length,
      partitionKey: partitionKeyOf(r.value.identity, r.value.eventId),
      event: r.value,
      appendedAtMs: now,
    });
  });
  return shards;
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pause-'));
  try {
    const lake = createLocalLakeWriter({ directory: dir, commitMode: 'checkpoint' });
    const processing = cdpProcessing({})({ lake, clock: Date.now });
    const job = processing.spec.createJob(new InMemorySource(logEntries(), { bounded: false }), undefined);
    const pauses: number[] = [];
    const cpu: number[] = [];
    const writes: number[] = [];
    /** Each step of the pause (the marks of `/metrics`), ms. */
    const steps = new Map<string, number[]>();
    for (let next = CHECKPOINT_EVERY; next <= EVENTS; next += CHECKPOINT_EVERY) {
      while (job.processed() < next) await job.step();
      await job.publish();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let at = t0;
      const mark = (step: string) => {
        const now = performance.now();
        steps.set(step, [...(steps.get(step) ?? []), now - at]);
        at = now;
      };
      const snapshot = await job.checkpoint(mark);
      const lakeWritten = lake.commit(snapshot.engine.checkpointId);
      mark('lake.commit');
      const serving = await processing.spec.snapshotServing?.(mark);
      pauses.push(performance.now() - t0);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
      const t1 = performance.now();
      await drainCaptures({ snapshot, serving });
      writes.push(performance.now() - t1);
      await lakeWritten;
    }
    const rows: BenchRow[] = [
      {
        metric: `checkpoint pause, median of ${pauses.length} (every ${CHECKPOINT_EVERY} events)`,
        value: median(pauses),
        unit: 'ms',
      },
      { metric: 'checkpoint pause, max', value: Math.max(...pauses), unit: 'ms' },
      { metric: 'checkpoint pause CPU time, median', value: median(cpu), unit: 'ms' },
      {
        metric: 'serializing the captured values afterwards (in slices), median',
        value: median(writes),
        unit: 'ms',
      },
    ];
    console.log(`  pauses (ms): ${pauses.map((p) => p.toFixed(1)).join(', ')}`);
    for (const [step, ms] of steps)
      console.log(`  step ${step}: median ${median(ms).toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms`);
    report({
      title: 'cdp dev checkpoint pause (in process, no HTTP, no disk)',
      notes: `${EVENTS} events of the test load over ${USERS} users, ${SHARDS} shards, a checkpoint every ${CHECKPOINT_EVERY} events.`,
      rows,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
