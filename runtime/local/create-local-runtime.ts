import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { openFileEventLog, writeFileAtomic } from '../../adapters/local/file-event-log';
import { createFileEventLogSource } from '../../adapters/local/file-event-log-source';
import { openFileLeaseTable } from '../../adapters/local/file-lease-table';
import { createLocalLakeWriter, type LocalLakeWriter } from '../../adapters/local/local-lake-writer';
import { IncrementalFileCheckpointStorage } from '../../processors/engine/checkpoint/incremental-file-checkpoint-storage';
import { createWorkerCompactor } from '../../processors/engine/checkpoint/worker-compactor';
import { createCollector } from '../../services/collector';
import type { LocalRuntimeConfig, RuntimeKeys } from './config';
import { lockDataDir } from './data-dir-lock';
import { createEventsLakeJob } from './events-lake-job';
import { createJobRunner, type JobRunner, type LocalJobSpec } from './job-runner';
import { fileLocalLog, type LocalLog } from './local-log';
import { createRateMeter, type RuntimeMetricsSnapshot, renderPrometheus } from './metrics';
import { createScheduler, type ScheduledTask, type Scheduler } from './scheduler';

/** What the processing part of the runtime gets: the lake (in checkpoint mode) and the clock. */
export interface ProcessingDeps {
  readonly lake: LocalLakeWriter;
  readonly clock: () => number;
}

/** The processing part: the job, the HTTP routes that read what it serves, its scheduled tasks. */
export interface LocalProcessing {
  readonly spec: LocalJobSpec;
  /** Registers routes on the app before it listens (the Profile API plugin). */
  readonly routes?: (app: FastifyInstance) => void | Promise<void>;
  readonly schedules?: readonly ScheduledTask[];
}

/** Options of {@link createLocalRuntime}. */
export interface LocalRuntimeOptions {
  readonly config: LocalRuntimeConfig;
  readonly keys: RuntimeKeys;
  /**
   * The event log (opened by the entry, which owns its clients); default: the embedded file log of
   * the data folder. The runtime closes it on stop.
   */
  readonly log?: LocalLog;
  /** Builds the job (default: every accepted event to the lake's `events` table). */
  readonly processing?: (deps: ProcessingDeps) => LocalProcessing;
  /** Where status lines go. */
  readonly print: (line: string) => void;
  /** Called once when the runtime cannot go on (the job failed); it has stopped accepting events. */
  readonly onFatal?: (error: unknown) => void;
  readonly clock?: () => number;
  readonly pid?: number;
}

/** A started embedded runtime. */
export interface LocalRuntime {
  readonly url: string;
  readonly dataDir: string;
  readonly log: LocalLog;
  readonly runner: JobRunner;
  readonly scheduler: Scheduler;
  /** True when the processing serves the Profile API on this process. */
  readonly servesProfiles: boolean;
  metrics(): RuntimeMetricsSnapshot;
  /** Stops accepting, drains the job, checkpoints, closes the log. Idempotent. */
  stop(): Promise<void>;
}

/** `<data>/runtime.json`: the URL and pid of the running process (absent when stopped). */
export const RUNTIME_FILE = 'runtime.json';

/** The job name of the events-to-lake job (the default processing). */
export const EVENTS_LAKE_JOB = 'events-lake';

/** The default processing: the lake's `events` table, nothing served. */
export function eventsLakeProcessing(deps: ProcessingDeps): LocalProcessing {
  return {
    spec: {
      jobName: EVENTS_LAKE_JOB,
      createJob: (source, restoreFrom) =>
        createEventsLakeJob(EVENTS_LAKE_JOB, source, deps.lake, restoreFrom),
    },
  };
}

/** The folders of a data directory. */
export function dataLayout(dataDir: string) {
  const root = resolve(dataDir);
  return {
    root,
    log: join(root, 'log'),
    checkpoints: join(root, 'checkpoints'),
    leases: join(root, 'leases'),
    lake: join(root, 'lake'),
  };
}

/** The lake, checkpoint storage and processing of a data folder (whatever log the job reads). */
export function openProcessingParts(
  config: LocalRuntimeConfig,
  processingFactory: (deps: ProcessingDeps) => LocalProcessing,
  clock: () => number,
  print?: (line: string) => void,
) {
  const layout = dataLayout(config.dataDir);
  const lake = createLocalLakeWriter({ directory: layout.lake, commitMode: 'checkpoint' });
  const processing = processingFactory({ lake, clock });
  const compactor = createWorkerCompactor();
  /** The job runner, once created: checkpoint writes take slices as long as its rounds. */
  let runner: JobRunner | undefined;
  const checkpoints = new IncrementalFileCheckpointStorage({
    directory: layout.checkpoints,
    sliceMs: () => Math.max(8, Math.min(100, runner?.stats().typicalRoundMs ?? 0)),
    compactor: compactor.compact,
    onCompactionError: (error) => print?.(`Checkpoint compaction failed (retried later): ${String(error)}`),
  });
  return {
    layout,
    lake,
    processing,
    checkpoints,
    /** Tells the checkpoint storage which runner drives it (see `sliceMs`). */
    attachRunner(r: JobRunner) {
      runner = r;
    },
    /** Waits for a running compaction and ends its worker. */
    async closeCheckpoints() {
      await checkpoints.idle();
      await compactor.close();
    },
  };
}

/** The log, lake, checkpoint storage, lease table and job of a data folder (shared by dev and replay). */
export function openRuntimeParts(
  config: LocalRuntimeConfig,
  processingFactory: (deps: ProcessingDeps) => LocalProcessing,
  clock: () => number,
  pid = process.pid,
  print?: (line: string) => void,
) {
  const parts = openProcessingParts(config, processingFactory, clock, print);
  const { layout, processing } = parts;
  const log = openFileEventLog({
    directory: layout.log,
    shardCount: config.shardCount,
    durability: config.durability,
    retention: {
      maxAgeMs: config.retentionDays * 24 * 3600 * 1000,
      maxBytesPerShard:
        config.retentionMiBPerShard === undefined ? undefined : config.retentionMiBPerShard * 1024 * 1024,
    },
  });
  const source = createFileEventLogSource(log);
  const leases = openFileLeaseTable({
    directory: layout.leases,
    application: processing.spec.jobName,
    owner: `${hostname()}:${pid}`,
  });
  return {
    ...parts,
    log,
    source,
    leases,
    localLog: fileLocalLog(
      log,
      source,
      leases,
      `${config.shardCount} shards, durability ${config.durability}`,
    ),
  };
}

/**
 * Starts Tributary in this process: the collector appending to the embedded log (answering only once
 * the records are durable), the processor job over every shard with checkpoints, the local lake,
 * `/metrics`, the routes of the processing (the Profile API), the in-process scheduler. Restores the
 * latest checkpoint first, so a restart replays only what came after it.
 */
export async function createLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { config, keys, print } = options;
  const clock = options.clock ?? Date.now;
  const layout = dataLayout(config.dataDir);
  mkdirSync(layout.root, { recursive: true });
  const release = lockDataDir(layout.root, options.pid ?? process.pid);
  let log: LocalLog | undefined = options.log;
  try {
    const factory = options.processing ?? eventsLakeProcessing;
    let parts: ReturnType<typeof openProcessingParts>;
    if (log === undefined) {
      const file = openRuntimeParts(config, factory, clock, options.pid, print);
      parts = file;
      log = file.localLog;
      const truncated = file.log.stats().truncatedBytesOnOpen;
      if (truncated > 0)
        print(`Recovered the event log: cut ${truncated} bytes of unacknowledged, half-written records.`);
    } else {
      parts = openProcessingParts(config, factory, clock, print);
    }
    const { lake, processing, checkpoints } = parts;
    const openLog = log;

    let fatal = false;
    let stopPromise: Promise<void> | undefined;
    const started = clock();
    const appendedRate = createRateMeter();
    const processedRate = createRateMeter();
    const runner = await createJobRunner(
      processing.spec,
      { checkpointIntervalMs: config.checkpointIntervalMs },
      {
        consumer: openLog.consumer,
        lake,
        checkpoints,
        clock,
        onFatal(error) {
          if (fatal) return;
          fatal = true;
          print(
            `The processor job failed; stopping (state restarts from the last checkpoint): ${String(error)}`,
          );
          void app.close().finally(() => options.onFatal?.(error));
        },
      },
    );
    parts.attachRunner(runner);
    const restored = runner.stats().restoredFrom;
    if (restored !== undefined) {
      const lag = openLog.lagAfter(runner.stats().checkpointedOffsets);
      print(
        `Restored checkpoint ${restored}; replaying ${lag === undefined ? 'the' : lag} events acknowledged after it.`,
      );
    }

    const loopDelay = monitorEventLoopDelay({ resolution: 2 });
    loopDelay.enable();
    const metrics = (): RuntimeMetricsSnapshot => {
      const now = clock();
      const stats = runner.stats();
      appendedRate.observe(openLog.appended(), now);
      processedRate.observe(stats.processed, now);
      return {
        appendedTotal: openLog.appended(),
        processedTotal: stats.processed,
        appendedPerSecond: appendedRate.perSecond(),
        processedPerSecond: processedRate.perSecond(),
        shards: openLog.shardMetrics(stats.checkpointedOffsets),
        checkpointAgeSeconds: (now - (stats.checkpointAtMs ?? started)) / 1000,
        checkpointId: stats.checkpointId,
        checkpointDurationSeconds: stats.lastCheckpointDurationMs / 1000,
        checkpointPhaseSeconds: new Map(
          [...stats.lastCheckpointPhasesMs].map(([phase, ms]) => [phase, ms / 1000] as const),
        ),
        eventLoopDelay: {
          p99Seconds: loopDelay.count === 0 ? 0 : loopDelay.percentile(99) / 1e9,
          maxSeconds: loopDelay.count === 0 ? 0 : loopDelay.max / 1e9,
        },
        longestRoundSeconds: stats.longestRoundMs / 1000,
        longestPublishSeconds: stats.longestPublishMs / 1000,
        lakeRowsStaged: lake.stagedRows(),
        uptimeSeconds: (now - started) / 1000,
      };
    };
    const sampler = setInterval(metrics, 1000);
    sampler.unref();

    const app = createCollector(
      { writeKeys: keys.writeKeys, logLevel: config.logLevel, logRequests: false },
      { eventLog: openLog.eventLog, clock },
    );
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const text = renderPrometheus(metrics());
      loopDelay.reset(); // the delay is reported since the previous read
      runner.resetLongest(); // as are the job's longest round and publish
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    });
    await processing.routes?.(app);

    const scheduler = createScheduler((task, error) =>
      print(`Scheduled task ${task} failed: ${String(error)}`),
    );
    scheduler.add({
      name: 'log-retention',
      everyMs: 60_000,
      run: () => openLog.applyRetention(clock()),
    });
    for (const task of processing.schedules ?? []) scheduler.add(task);
    openLog.applyRetention(clock());

    runner.start();
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    // where `cdp status` finds the running process
    const runtimeFile = join(layout.root, RUNTIME_FILE);
    writeFileAtomic(runtimeFile, JSON.stringify({ url, pid: options.pid ?? process.pid }), layout.root);

    return {
      url,
      dataDir: layout.root,
      log,
      runner,
      scheduler,
      servesProfiles: processing.routes !== undefined,
      metrics,
      stop() {
        stopPromise ??= (async () => {
          clearInterval(sampler);
          loopDelay.disable();
          await app.close(); // stop accepting; in-flight requests finish (their appends are durable)
          await scheduler.stop();
          if (!fatal) await runner.drainAndStop();
          await parts.closeCheckpoints();
          await openLog.close();
          rmSync(runtimeFile, { force: true });
          release();
        })();
        return stopPromise;
      },
    };
  } catch (error: unknown) {
    await log?.close();
    release();
    throw error;
  }
}
