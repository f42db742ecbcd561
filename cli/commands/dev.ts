import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { cdpProcessing } from '../../runtime/local/cdp-processing';
import {
  type ConfigSources,
  type LoadedConfig,
  type LocalRuntimeConfig,
  loadLocalRuntimeConfig,
  resolveRuntimeKeys,
} from '../../runtime/local/config';
import { createLocalRuntime, type LocalRuntime } from '../../runtime/local/create-local-runtime';
import { DataDirLockedError } from '../../runtime/local/data-dir-lock';
import { loadRuntimeSegments, type RuntimeSegments } from '../../runtime/local/segments-setting';
import { SEGMENT_REFRESH_ROUTE } from '../../runtime/local/sql-segment-refresh';
import { openDevKinesisLog } from './dev-kinesis';
import { localSqlSegmentRefresh } from './dev-sql-segments';

/** Exit code of a start refused because of the configuration. */
export const EXIT_BAD_CONFIG = 2;

/** Flags of `cdp dev` (and of the commands that open the same data folder). */
export interface RuntimeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  config?: string;
  log?: string;
  stream?: string;
  leaseTable?: string;
  segments?: string;
}

/**
 * Reads the configuration the way every `cdp` command that opens a data folder does: the file
 * (`--config`, `CDP_CONFIG`, else `./tributary.config.json` when it exists), then the environment, then
 * flags. The only place that reads `process.env` for the embedded runtime is the caller of this.
 */
export function loadConfigFrom(flags: RuntimeFlags, env: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  const explicit = flags.config ?? (env.CDP_CONFIG || undefined);
  const path = resolve(cwd, explicit ?? 'tributary.config.json');
  let file: ConfigSources['file'];
  try {
    file = { path: explicit ?? 'tributary.config.json', text: readFileSync(path, 'utf8') };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || explicit !== undefined) {
      return {
        ok: false,
        problems: [{ setting: explicit ?? path, message: `cannot be read: ${(error as Error).message}` }],
      };
    }
  }
  const loaded = loadLocalRuntimeConfig({
    file,
    env,
    flags: {
      port: flags.port,
      host: flags.host,
      dataDir: flags.dataDir,
      log: flags.log,
      kinesisStream: flags.stream,
      leaseTable: flags.leaseTable,
      segmentsFile: flags.segments,
    },
  });
  if (!loaded.ok) return loaded;
  // relative paths are relative to where cdp was started
  const { segmentsFile } = loaded.config;
  return {
    ok: true,
    config: {
      ...loaded.config,
      dataDir: resolve(cwd, loaded.config.dataDir),
      ...(segmentsFile === undefined ? {} : { segmentsFile: resolve(cwd, segmentsFile) }),
    },
  };
}

/** Prints the problems of a refused configuration, one per line. */
export function reportConfigProblems(
  loaded: Extract<LoadedConfig, { ok: false }>,
  print: (l: string) => void,
): void {
  print('Tributary cannot start: the configuration is invalid.');
  for (const p of loaded.problems) print(`  ${p.setting}: ${p.message}`);
}

/** Starts the embedded runtime and prints where it is and how to use it. */
export async function startDev(
  config: LocalRuntimeConfig,
  segments: Extract<RuntimeSegments, { ok: true }>,
  print: (line: string) => void,
  onFatal: (e: unknown) => void,
): Promise<LocalRuntime> {
  const keys = resolveRuntimeKeys(config);
  const runtime = await createLocalRuntime({
    config,
    keys,
    ...(config.log === 'kinesis' ? { log: await openDevKinesisLog(config) } : {}),
    print,
    onFatal,
    processing: cdpProcessing({
      readKey: keys.readKey,
      segments: segments.definitions,
      sqlSegments: ({ segments }) => localSqlSegmentRefresh(config, segments, print),
    }),
  });
  const url = runtime.url;
  const [writeKey, source] = Object.entries(keys.writeKeys)[0]!;
  const keptIn = join(runtime.dataDir, 'keys.json');
  print(`Tributary is running at ${url}`);
  print(`  data folder  ${runtime.dataDir} (event log: ${runtime.log.description})`);
  print(
    `  write key    ${writeKey} (source "${source}")${Object.keys(keys.writeKeys).length > 1 ? ` and ${Object.keys(keys.writeKeys).length - 1} more` : ''}${keys.generated.includes('writeKeys') ? `, generated, kept in ${keptIn}` : ''}`,
  );
  print(
    `  read key     ${keys.readKey}${keys.generated.includes('readKey') ? `, generated, kept in ${keptIn}` : ''}`,
  );
  print(
    `  send events  POST ${url}/v1/batch (Segment / RudderStack SDKs: use ${url} as host or data plane URL)`,
  );
  print(
    `  segments     ${segments.definitions.length} real-time (${segments.from}); SQL segments from sql/models/segments`,
  );
  if (runtime.servesProfiles)
    print(`  profiles     GET ${url}/v1/profiles/:id with "Authorization: Bearer <read key>"`);
  print(
    `  SQL segments POST ${url}${SEGMENT_REFRESH_ROUTE} with the read key (or: cdp segments refresh); ${config.segmentRefreshMinutes > 0 ? `every ${config.segmentRefreshMinutes} min` : 'no schedule'}, warehouse ${config.warehouseUrl ? 'PostgreSQL (CDP_WAREHOUSE_URL)' : `PGlite in ${join(runtime.dataDir, 'warehouse')}`}`,
  );
  print(`  metrics      ${url}/metrics (or: cdp status), API docs ${url}/docs`);
  print('Events are acknowledged once they are on disk. Ctrl-C stops after a last checkpoint.');
  return runtime;
}

/** Registers `cdp dev`: the whole CDP in this process. */
export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'Run Tributary locally: collector, durable event log, processors, lake, Profile API, /metrics',
    )
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080; 0 = any free port)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('-d, --data-dir <dir>', 'data folder (env CDP_DATA_DIR, default ./.tributary)')
    .option('-c, --config <file>', 'configuration file (env CDP_CONFIG, default ./tributary.config.json)')
    .option('--log <kind>', 'event log: file (embedded, default) or kinesis (env CDP_LOG)')
    .option('--stream <name>', 'with --log kinesis: the Kinesis stream (env CDP_KINESIS_STREAM)')
    .option(
      '--lease-table <name>',
      'with --log kinesis: the DynamoDB lease table, KCL shape (env CDP_LEASE_TABLE)',
    )
    .option(
      '--segments <file>',
      'real-time segment definitions, .json or .yaml (env CDP_SEGMENTS_FILE; default: the shipped ones)',
    )
    .addHelpText(
      'after',
      '\nEnvironment: PORT, HOST, CDP_DATA_DIR, CDP_WRITE_KEYS (key:source,...), CDP_READ_KEY, CDP_SHARDS,\n' +
        'CDP_CHECKPOINT_INTERVAL_MS, CDP_DURABILITY (fsync|none), CDP_RETENTION_DAYS, CDP_LOG_LEVEL,\n' +
        'CDP_SEGMENT_REFRESH_MINUTES (default 15, 0 = only on request), CDP_WAREHOUSE_URL (default: PGlite),\n' +
        'CDP_LOG, CDP_KINESIS_STREAM, CDP_LEASE_TABLE, CDP_SEGMENTS_FILE; with --log kinesis the AWS SDK reads AWS_REGION,\n' +
        'AWS_ENDPOINT_URL[_KINESIS|_DYNAMODB] and the default credential chain.\n' +
        'Exit codes: 0 stopped cleanly, 1 failed, 2 invalid configuration.',
    )
    .action(async (flags: RuntimeFlags) => {
      const loaded = loadConfigFrom(flags, process.env, process.cwd());
      if (!loaded.ok) {
        reportConfigProblems(loaded, (l) => console.error(l));
        process.exit(EXIT_BAD_CONFIG);
      }
      const segments = await loadRuntimeSegments(loaded.config);
      if (!segments.ok) {
        reportConfigProblems({ ok: false, problems: [segments.problem] }, (l) => console.error(l));
        process.exit(EXIT_BAD_CONFIG);
      }
      let runtime: LocalRuntime;
      try {
        runtime = await startDev(
          loaded.config,
          segments,
          (line) => console.log(line),
          () => process.exit(1),
        );
      } catch (error: unknown) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(error instanceof DataDirLockedError ? EXIT_BAD_CONFIG : 1);
      }
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal} received: stopping intake, draining the processors, checkpointing...`);
        runtime.stop().then(
          () => {
            console.log('Stopped cleanly.');
            process.exit(0);
          },
          (error: unknown) => {
            console.error(error instanceof Error ? error.message : String(error));
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
