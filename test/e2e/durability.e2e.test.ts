import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openFileEventLog } from '../../adapters/local/file-event-log';
import { parsePrometheus } from '../../runtime/local/metrics';
import { type CdpDevProcess, startCdpDev, tempDataDir } from './support/cdp-dev-process';
import { generateEventLoad } from './support/event-load';
import { readLakeTable } from './support/lake-files';
import { createBatchSender } from './support/send-batches';

jest.setTimeout(300_000);

const EVENTS = 100_000;
const BATCH = 250;
const KILLS = 10;
const CONCURRENCY = 4;
const ENV = { CDP_CHECKPOINT_INTERVAL_MS: '1000', CDP_SHARDS: '4' };

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
): Promise<void> {
  const sender = createBatchSender(dev.url, dev.writeKey, CONCURRENCY);
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (queue.length > 0) {
      if (killing !== undefined && dev.child.exitCode === null && dev.child.signalCode === null) {
        await sleep(1); // keep requests in flight until the kill lands
      }
      const i = queue.shift()!;
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
        killing = sleep(Math.floor(Math.random() * 40)).then(() => dev.kill9());
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

describe('cdp dev under kill -9', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test(`${KILLS} kill -9 during ${EVENTS} events: every acknowledged event lands in the lake exactly as often as in the log`, async () => {
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
    for (const moment of killAt) {
      await sendPhase(dev, batches, queue, acked, moment);
      expect(dev.child.signalCode).toBe('SIGKILL');
      dev = await startCdpDev({ dataDir, env: ENV });
      expect(dev.output()).toMatch(/Restored checkpoint \d+; replaying \d+ events/);
    }
    await sendPhase(dev, batches, queue, acked, undefined);
    await caughtUp(dev);
    const code = await dev.stop('SIGTERM');

    // Assess: every batch acknowledged; the log holds each acknowledged event (resent batches may add
    // copies), and the lake holds each event exactly as many times as the log does: replays after the
    // crashes neither lost nor repeated a row
    expect(code).toBe(0);
    expect(acked.size).toBe(batches.length);
    const log = openFileEventLog({ directory: join(dataDir, 'log'), shardCount: 4 });
    const inLog = new Map<string, number>();
    for (const shardId of log.shardIds) {
      const cursor = log.cursor(shardId, 0);
      for (let b = cursor.read(5000); b.length > 0; b = cursor.read(5000)) {
        for (const e of b) inLog.set(e.event.eventId, (inLog.get(e.event.eventId) ?? 0) + 1);
      }
    }
    await log.close();
    const inLake = new Map<string, number>();
    for (const row of readLakeTable(join(dataDir, 'lake'), 'events')) {
      const id = row.eventId as string;
      inLake.set(id, (inLake.get(id) ?? 0) + 1);
    }
    const missingFromLog = events.filter((e) => !inLog.has(e.messageId as string)).length;
    const differing = [...inLog].filter(([id, n]) => inLake.get(id) !== n);
    expect(missingFromLog).toBe(0);
    expect(differing.slice(0, 5)).toEqual([]);
    expect(inLake.size).toBe(inLog.size);
  });
});
