import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RUNTIME_FILE } from '../../runtime/local/create-local-runtime';
import { parsePrometheus } from '../../runtime/local/metrics';
import { EXIT_BAD_CONFIG, loadConfigFrom, type RuntimeFlags, reportConfigProblems } from './dev';

/** Exit code when no running `cdp dev` answers. */
export const EXIT_NOT_RUNNING = 3;

/** The figures `cdp status` shows, read from `/metrics`. */
export interface StatusReport {
  readonly url: string;
  readonly eventsPerSecond: number;
  readonly processedPerSecond: number;
  readonly acknowledgedTotal: number;
  readonly processedTotal: number;
  readonly checkpointAgeSeconds: number;
  readonly checkpointId: number;
  readonly checkpointDurationSeconds: number;
  readonly shards: readonly { shard: string; lag: number; uncheckpointed: number; end: number }[];
}

/** Reads a running process's `/metrics` into a {@link StatusReport}. */
export async function fetchStatus(url: string, timeoutMs = 5_000): Promise<StatusReport> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}/metrics answered ${res.status}`);
  const samples = parsePrometheus(await res.text());
  const one = (name: string) => samples.find((s) => s.name === name)?.value ?? 0;
  const perShard = (name: string, shard: string) =>
    samples.find((s) => s.name === name && s.labels.shard === shard)?.value ?? 0;
  const shards = samples
    .filter((s) => s.name === 'tributary_shard_end_sequence')
    .map((s) => s.labels.shard ?? '?');
  return {
    url,
    eventsPerSecond: one('tributary_events_per_second'),
    processedPerSecond: one('tributary_events_processed_per_second'),
    acknowledgedTotal: one('tributary_events_acknowledged_total'),
    processedTotal: one('tributary_events_processed_total'),
    checkpointAgeSeconds: one('tributary_checkpoint_age_seconds'),
    checkpointId: one('tributary_checkpoint_id'),
    checkpointDurationSeconds: one('tributary_checkpoint_duration_seconds'),
    shards: shards.map((shard) => ({
      shard,
      lag: perShard('tributary_shard_lag_records', shard),
      uncheckpointed: perShard('tributary_shard_uncheckpointed_records', shard),
      end: perShard('tributary_shard_end_sequence', shard),
    })),
  };
}

/** The report as lines for a terminal. */
export function formatStatus(r: StatusReport): string[] {
  return [
    `Tributary at ${r.url}`,
    `  events/s     ${r.eventsPerSecond} acknowledged, ${r.processedPerSecond} processed (since start: ${r.acknowledgedTotal} / ${r.processedTotal})`,
    `  checkpoint   #${r.checkpointId}, ${r.checkpointAgeSeconds.toFixed(1)} s ago (took ${r.checkpointDurationSeconds.toFixed(2)} s)`,
    '  shard           lag  uncheckpointed  next sequence',
    ...r.shards.map(
      (s) =>
        `  ${s.shard.padEnd(12)} ${String(s.lag).padStart(6)}  ${String(s.uncheckpointed).padStart(14)}  ${String(s.end).padStart(13)}`,
    ),
  ];
}

/** Registers `cdp status`. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Show events/s, lag per shard and checkpoint age of the running cdp dev')
    .option('--url <url>', 'URL of the running cdp dev (default: read from the data folder)')
    .option('-d, --data-dir <dir>', 'data folder (env CDP_DATA_DIR, default ./.tributary)')
    .option('-c, --config <file>', 'configuration file (env CDP_CONFIG)')
    .option('--json', 'print the figures as JSON')
    .addHelpText('after', '\nExit codes: 0 running, 2 invalid configuration, 3 not running.')
    .action(async (flags: RuntimeFlags & { url?: string; json?: boolean }) => {
      let url = flags.url;
      if (url === undefined) {
        const loaded = loadConfigFrom(flags, process.env, process.cwd());
        if (!loaded.ok) {
          reportConfigProblems(loaded, (l) => console.error(l));
          process.exit(EXIT_BAD_CONFIG);
        }
        try {
          url = (
            JSON.parse(readFileSync(join(loaded.config.dataDir, RUNTIME_FILE), 'utf8')) as { url: string }
          ).url;
        } catch {
          console.error(`cdp dev is not running on ${loaded.config.dataDir} (no ${RUNTIME_FILE} there)`);
          process.exit(EXIT_NOT_RUNNING);
        }
      }
      try {
        const report = await fetchStatus(url.replace(/\/$/, ''));
        console.log(flags.json ? JSON.stringify(report, null, 2) : formatStatus(report).join('\n'));
      } catch (error: unknown) {
        console.error(
          `cdp dev does not answer at ${url}: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(EXIT_NOT_RUNNING);
      }
    });
}
