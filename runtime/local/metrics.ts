/** One shard's numbers for `/metrics`. */
export interface ShardMetrics {
  readonly shardId: string;
  /** One past the last acknowledged record. */
  readonly end: number;
  /** The next record the processor will read. */
  readonly position: number;
  /** The next record to replay after a crash (the last checkpoint's offset). */
  readonly checkpointed: number;
}

/** What `/metrics` reports. */
export interface RuntimeMetricsSnapshot {
  readonly appendedTotal: number;
  readonly processedTotal: number;
  /** Events acknowledged per second over the last few seconds. */
  readonly appendedPerSecond: number;
  readonly processedPerSecond: number;
  readonly shards: readonly ShardMetrics[];
  /** Seconds since the last completed checkpoint (since start when none yet). */
  readonly checkpointAgeSeconds: number;
  readonly checkpointId: number;
  /** Seconds the last checkpoint took. */
  readonly checkpointDurationSeconds: number;
  /** Seconds each step of the last checkpoint took, by step name. */
  readonly checkpointPhaseSeconds: ReadonlyMap<string, number>;
  /** Event-loop delay (seconds) since the previous `/metrics` read: how long timers and requests waited. */
  readonly eventLoopDelay: { readonly p99Seconds: number; readonly maxSeconds: number };
  /** The job's longest round and longest publish (seconds) since the previous `/metrics` read. */
  readonly longestRoundSeconds: number;
  readonly longestPublishSeconds: number;
  readonly lakeRowsStaged: number;
  readonly uptimeSeconds: number;
}

/**
 * A rate over a sliding window: `observe(total, nowMs)` each time the total is read, `perSecond()` is
 * the increase over roughly the last `windowMs`.
 */
export function createRateMeter(windowMs = 5_000): {
  observe(total: number, nowMs: number): void;
  perSecond(): number;
} {
  const samples: { t: number; total: number }[] = [];
  return {
    observe(total, nowMs) {
      samples.push({ t: nowMs, total });
      while (samples.length > 2 && samples[1]!.t <= nowMs - windowMs) samples.shift();
    },
    perSecond() {
      if (samples.length < 2) return 0;
      const first = samples[0]!;
      const last = samples.at(-1)!;
      const seconds = (last.t - first.t) / 1000;
      return seconds > 0 ? (last.total - first.total) / seconds : 0;
    },
  };
}

const line = (name: string, value: number, labels = '') =>
  `${name}${labels} ${Number.isFinite(value) ? value : 0}`;

/** Renders the metrics in the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(m: RuntimeMetricsSnapshot): string {
  const out: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, rows: string[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows);
  };
  metric('tributary_events_acknowledged_total', 'counter', 'Events appended to the log and acknowledged.', [
    line('tributary_events_acknowledged_total', m.appendedTotal),
  ]);
  metric('tributary_events_processed_total', 'counter', 'Events read by the processor job.', [
    line('tributary_events_processed_total', m.processedTotal),
  ]);
  metric('tributary_events_per_second', 'gauge', 'Events acknowledged per second (last seconds).', [
    line('tributary_events_per_second', Math.round(m.appendedPerSecond * 10) / 10),
  ]);
  metric('tributary_events_processed_per_second', 'gauge', 'Events processed per second (last seconds).', [
    line('tributary_events_processed_per_second', Math.round(m.processedPerSecond * 10) / 10),
  ]);
  const shard = (s: ShardMetrics) => `{shard="${s.shardId}"}`;
  metric('tributary_shard_lag_records', 'gauge', 'Acknowledged records the processor has not read yet.', [
    ...m.shards.map((s) => line('tributary_shard_lag_records', Math.max(0, s.end - s.position), shard(s))),
  ]);
  metric('tributary_shard_uncheckpointed_records', 'gauge', 'Records a crash now would replay.', [
    ...m.shards.map((s) =>
      line('tributary_shard_uncheckpointed_records', Math.max(0, s.end - s.checkpointed), shard(s)),
    ),
  ]);
  metric('tributary_shard_end_sequence', 'gauge', 'Next sequence number of the shard.', [
    ...m.shards.map((s) => line('tributary_shard_end_sequence', s.end, shard(s))),
  ]);
  metric('tributary_checkpoint_age_seconds', 'gauge', 'Seconds since the last completed checkpoint.', [
    line('tributary_checkpoint_age_seconds', Math.round(m.checkpointAgeSeconds * 1000) / 1000),
  ]);
  metric('tributary_checkpoint_id', 'gauge', 'Id of the last completed checkpoint.', [
    line('tributary_checkpoint_id', m.checkpointId),
  ]);
  metric('tributary_checkpoint_duration_seconds', 'gauge', 'Seconds the last checkpoint took.', [
    line('tributary_checkpoint_duration_seconds', Math.round(m.checkpointDurationSeconds * 1000) / 1000),
  ]);
  metric('tributary_checkpoint_phase_seconds', 'gauge', 'Seconds each step of the last checkpoint took.', [
    ...[...m.checkpointPhaseSeconds].map(([phase, seconds]) =>
      line('tributary_checkpoint_phase_seconds', Math.round(seconds * 10000) / 10000, `{phase="${phase}"}`),
    ),
  ]);
  metric(
    'tributary_event_loop_delay_seconds',
    'gauge',
    'Event-loop delay since the previous read of /metrics (p99, max).',
    [
      line('tributary_event_loop_delay_seconds', m.eventLoopDelay.p99Seconds, '{quantile="0.99"}'),
      line('tributary_event_loop_delay_seconds', m.eventLoopDelay.maxSeconds, '{quantile="1"}'),
    ],
  );
  metric(
    'tributary_job_longest_seconds',
    'gauge',
    'Longest round and longest publish of the job since the previous read of /metrics.',
    [
      line('tributary_job_longest_seconds', m.longestRoundSeconds, '{task="round"}'),
      line('tributary_job_longest_seconds', m.longestPublishSeconds, '{task="publish"}'),
    ],
  );
  metric('tributary_lake_rows_staged', 'gauge', 'Lake rows waiting for the next checkpoint.', [
    line('tributary_lake_rows_staged', m.lakeRowsStaged),
  ]);
  metric('tributary_uptime_seconds', 'gauge', 'Seconds since start.', [
    line('tributary_uptime_seconds', Math.round(m.uptimeSeconds)),
  ]);
  return `${out.join('\n')}\n`;
}

/** Reads samples of the Prometheus text format: `name{labels} value` lines, comments skipped. */
export function parsePrometheus(
  text: string,
): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(l);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0)
        labels[pair.slice(0, eq).trim()] = pair
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}
