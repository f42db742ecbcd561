import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type LogEntry, openFileEventLog } from '../../adapters/local/file-event-log';
import { createLocalLakeWriter } from '../../adapters/local/local-lake-writer';
import type { ProfileDocument, SegmentMembership } from '../../contracts/profile';
import { InMemorySource } from '../../processors/engine';
import { IncrementalFileCheckpointStorage } from '../../processors/engine/checkpoint/incremental-file-checkpoint-storage';
import { CDP_JOB, cdpProcessing } from '../../runtime/local/cdp-processing';
import { parsePrometheus } from '../../runtime/local/metrics';
import { servingContentOf } from '../../runtime/local/serving-changes';
import { type CdpDevProcess, startCdpDev, tempDataDir } from './support/cdp-dev-process';
import { generateEventLoad } from './support/event-load';
import { readLakeTable } from './support/lake-files';
import { createBatchSender } from './support/send-batches';

jest.setTimeout(600_000);

// DURABILITY_EVENTS: a smaller load for debugging; the proof is the default 100,000
const EVENTS = Number(process.env.DURABILITY_EVENTS ?? 100_000);
const BATCH = 250;
const KILLS = 10;
const CONCURRENCY = 4;
const ENV = { CDP_CHECKPOINT_INTERVAL_MS: '3000', CDP_SHARDS: '4' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function metrics(url: string) {
  return parsePrometheus(await (await fetch(`${url}/metrics`)).text());
}

/** Waits until the job has read every acknowledged record. */
async function caughtUp(dev: CdpDevProcess): Promise<void> {
  for (;;) {
    const lag = (await metrics(dev.url))
      .filter((s) => s.name === 'tributary_shard_lag_records')
      .reduce((n, s) => n + s.value, 0);
    if (lag === 0) return;
    await sleep(100);
  }
}

/** The id of the last checkpoint `dev` completed. */
async function checkpointId(dev: CdpDevProcess): Promise<number> {
  return (await metrics(dev.url)).find((s) => s.name === 'tributary_checkpoint_id')?.value ?? 0;
}

/**
 * Sends every batch of `queue` to `dev` (acknowledged ones go to `acked`); once `killAfterAcks` batches
 * are acknowledged, kill -9 the process a random moment later. Unacknowledged batches stay queued.
 */
async function sendPhase(
  dev: CdpDevProcess,
  batches: readonly unknown[][],
  queue: number[],
  acked: Set<number>,
  killAfterAcks: number | undefined,
  killAfterACheckpoint = false,
): Promise<void> {
  const sender = createBatchSender(dev.url, dev.writeKey, CONCURRENCY);
  const startCheckpoint = await checkpointId(dev);
  const checkpointed = async () => {
    while (killAfterACheckpoint && (await checkpointId(dev)) <= startCheckpoint) await sleep(100);
  };
  let killing: Promise<void> | undefined;
  let awaitingCheckpoint = false;
  const alive = () => dev.child.exitCode === null && dev.child.signalCode === null;
  const worker = async () => {
    while (queue.length > 0) {
      // while the kill waits for a checkpoint, send nothing more (the queue must not drain meanwhile)
      while (awaitingCheckpoint && alive()) await sleep(5);
      if (killing !== undefined && alive()) {
        await sleep(1); // keep requests in flight until the kill lands
      }
      const i = queue.shift();
      if (i === undefined) break; // another worker took the last batch
      try {
        const res = await sender.post(batches[i]!);
        if (res.status === 200) acked.add(i);
        else if (res.status >= 500) queue.push(i);
        else throw new Error(`batch ${i} refused with ${res.status}: ${res.body}`);
      } catch (error: unknown) {
        queue.push(i);
        if (killing === undefined) throw error; // the server failed on its own
        return; // it was killed: this phase is over
      }
      if (killAfterAcks !== undefined && killing === undefined && acked.size >= killAfterAcks) {
        awaitingCheckpoint = killAfterACheckpoint;
        killing = checkpointed()
          .then(() => {
            awaitingCheckpoint = false;
          })
          .then(() => sleep(Math.floor(Math.random() * 40)))
          .then(() => dev.kill9());
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (killing !== undefined) await killing;
  } finally {
    sender.close();
  }
}

/** The profiles and memberships a stopped `cdp dev` left in its last checkpoint, without write metadata. */
async function finalState(dataDir: string) {
  const latest = new IncrementalFileCheckpointStorage({ directory: join(dataDir, 'checkpoints') }).latest(
    CDP_JOB,
  ) as unknown as { serving: unknown };
  return normalize(await servingContentOf(latest.serving));
}

/**
 * Profiles without write metadata (`version`, `updatedAt`) and without `mergedFrom`, which records
 * arrival-order history (whether an anonymous profile existed on its own before it was merged: the
 * clean pass reads the shards in another order than the live run received them); memberships as
 * `segment profile`, sorted.
 */
function normalize(stores: {
  profiles: readonly ProfileDocument[];
  memberships: readonly SegmentMembership[];
}) {
  const profiles = stores.profiles
    .map(({ version: _v, updatedAt: _u, mergedFrom: _m, ...doc }) => doc)
    .sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
  const memberships = stores.memberships.map((m) => `${m.segmentId} ${m.profileId}`).sort();
  return { profiles, memberships };
}

/**
 * The clean run: the same CDP processing as `cdp dev` (same pipeline, segments and stores), fed every
 * record of the crashed run's log in one uninterrupted pass in this process, no checkpoint, no restore.
 */
async function cleanRun(entries: ReadonlyMap<string, readonly LogEntry[]>, lakeDir: string) {
  const lake = createLocalLakeWriter({ directory: lakeDir, commitMode: 'checkpoint' });
  const processing = cdpProcessing({})({ lake, clock: Date.now });
  const source = new InMemorySource<LogEntry>(entries, { bounded: false });
  const job = processing.spec.createJob(source, undefined);
  const total = [...entries.values()].reduce((n, list) => n + list.length, 0);
  while (job.processed() < total) await job.step();
  await job.publish();
  return normalize(await servingContentOf(await processing.spec.snapshotServing?.()));
}

describe('cdp dev under kill -9', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test(`${KILLS} kill -9 during ${EVENTS} events: every acknowledged event counts once, profiles equal a clean run's, none is missing from the lake`, async () => {
    // Prepare: the load in batches, and 10 different moments (counted in acknowledged batches) to kill at
    const events = generateEventLoad(EVENTS);
    const batches: unknown[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    const moments = new Set<number>();
    while (moments.size < KILLS) moments.add(5 + Math.floor(Math.random() * (batches.length - 10)));
    const killAt = [...moments].sort((a, b) => a - b);
    const dataDir = tempDataDir('cdp-durability-');
    dirs.push(dataDir);
    const queue = batches.map((_, i) => i);
    const acked = new Set<number>();

    // Act: send, killing at each moment and restarting on the same data folder
    let dev = await startCdpDev({ dataDir, env: ENV });
    let restoredStarts = 0;
    let code: number | null;
    try {
      for (const [phase, moment] of killAt.entries()) {
        // On a fast machine every phase can end before the first checkpoint: the first kill waits for one,
        // so that the restarts restore a checkpoint and replay after it (each later kill is at its moment)
        await sendPhase(dev, batches, queue, acked, moment, phase === 0);
        expect(dev.child.signalCode).toBe('SIGKILL');
        dev = await startCdpDev({ dataDir, env: ENV });
        if (/Restored checkpoint \d+; replaying \d+ events/.test(dev.output())) restoredStarts++;
      }
      await sendPhase(dev, batches, queue, acked, undefined);
      await caughtUp(dev);
      code = await dev.stop('SIGTERM');
    } finally {
      await dev.kill9();
    }

    const crashed = await finalState(dataDir);

    // Assess: every batch acknowledged and counted exactly once (resent batches only add copies the
    // pipeline drops as duplicates); the profiles and memberships are those of a run without crashes
    expect(code).toBe(0);
    expect(restoredStarts).toBeGreaterThan(0); // at least one restart restored a checkpoint and replayed
    expect(acked.size).toBe(batches.length);
    const log = openFileEventLog({ directory: join(dataDir, 'log'), shardCount: 4 });
    const inLog = new Map<string, number>();
    const entries = new Map<string, LogEntry[]>();
    for (const shardId of log.shardIds) {
      const list: LogEntry[] = [];
      entries.set(shardId, list);
      const cursor = log.cursor(shardId, 0);
      for (let b = cursor.read(5000); b.length > 0; b = cursor.read(5000)) {
        for (const e of b) inLog.set(e.event.eventId, (inLog.get(e.event.eventId) ?? 0) + 1);
        list.push(...b);
      }
    }
    await log.close();
    const clean = await cleanRun(entries, join(dataDir, 'clean-lake'));
    expect(crashed.profiles.reduce((n, p) => n + p.totalEvents, 0)).toBe(EVENTS);
    expect(crashed.profiles.length).toBe(clean.profiles.length);
    expect(crashed.profiles).toEqual(clean.profiles);
    expect(crashed.memberships).toEqual(clean.memberships);
    // the lake's events table: every acknowledged event, exactly once (the pipeline writes it after dedupe)
    const inLake = new Map<string, number>();
    for (const row of readLakeTable(join(dataDir, 'lake'), 'events')) {
      const id = row.eventId as string;
      inLake.set(id, (inLake.get(id) ?? 0) + 1);
    }
    const missingFromLog = events.filter((e) => !inLog.has(e.messageId as string)).length;
    const notOnceInLake = events.map((e) => e.messageId as string).filter((id) => inLake.get(id) !== 1);
    expect(missingFromLog).toBe(0);
    expect(notOnceInLake.slice(0, 5)).toEqual([]);
    expect(inLake.size).toBe(EVENTS);
  });
});
