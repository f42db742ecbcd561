import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../adapters/local/file-event-log';
import { parseWriteKeyList } from '../../services/collector';
import { SourceName } from '../../services/collector/collector-config';

/** The settings of `cdp dev`, as `tributary.config.json` spells them (every one optional). */
export const LocalRuntimeConfig = z
  .object({
    /** HTTP port (0: any free port). */
    port: z.number().int().min(0).max(65_535).default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    /** Where the log, checkpoints, lake and keys live. */
    dataDir: z.string().min(1).default('./.tributary'),
    /** write key → source; generated (source `web`) and kept in the data folder when absent. */
    writeKeys: z
      .record(z.string().min(1).max(256), SourceName)
      .refine((keys) => Object.keys(keys).length > 0, 'at least one write key is needed')
      .optional(),
    /** The Profile API's `Authorization: Bearer` key; generated and kept when absent. */
    readKey: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
    /** Shards of the embedded log (fixed once the data folder exists). */
    shardCount: z.number().int().min(1).max(64).default(4),
    /** How often keyed state, serving stores and offsets are checkpointed. */
    checkpointIntervalMs: z.number().int().min(100).max(600_000).default(5_000),
    /** `fsync`: an event is acknowledged once on disk; `none`: once handed to the OS (survives kill -9 only). */
    durability: z.enum(['fsync', 'none']).default('fsync'),
    /** Log retention: closed segments older than this many days are deleted. */
    retentionDays: z.number().positive().max(3650).default(7),
    /** Log retention by size, per shard (MiB); none by default. */
    retentionMiBPerShard: z.number().int().positive().optional(),
    /** Minutes between SQL segment refreshes (lake → models → serving store); 0 = only on request. */
    segmentRefreshMinutes: z.number().min(0).max(10_080).default(15),
    /** PostgreSQL URL of the warehouse; absent: PGlite in `<dataDir>/warehouse`. */
    warehouseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    /** The event log: `file` (embedded, in the data folder) or `kinesis` (a stream + DynamoDB leases). */
    log: z.enum(['file', 'kinesis']).default('file'),
    /** With `log: kinesis`: the stream the collector appends to and the processors read. */
    kinesisStream: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a Kinesis stream name (1-128 of a-z A-Z 0-9 _ . -)')
      .optional(),
    /** With `log: kinesis`: the DynamoDB table of the shard leases and checkpoints (KCL shape). */
    leaseTable: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)')
      .optional(),
    /**
     * Real-time segment definitions (`.json`, `.yaml` or `.yml`, validated like
     * `processors/segments/default-segments.json`); absent: the shipped defaults.
     */
    segmentsFile: z.string().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  })
  .strict();
export type LocalRuntimeConfig = z.infer<typeof LocalRuntimeConfig>;

/** Which environment variable sets which setting. */
export const CONFIG_ENV: Readonly<Record<string, keyof LocalRuntimeConfig>> = {
  PORT: 'port',
  HOST: 'host',
  CDP_DATA_DIR: 'dataDir',
  CDP_WRITE_KEYS: 'writeKeys',
  CDP_READ_KEY: 'readKey',
  CDP_SHARDS: 'shardCount',
  CDP_CHECKPOINT_INTERVAL_MS: 'checkpointIntervalMs',
  CDP_DURABILITY: 'durability',
  CDP_RETENTION_DAYS: 'retentionDays',
  CDP_LOG_LEVEL: 'logLevel',
  CDP_SEGMENT_REFRESH_MINUTES: 'segmentRefreshMinutes',
  CDP_WAREHOUSE_URL: 'warehouseUrl',
  CDP_LOG: 'log',
  CDP_KINESIS_STREAM: 'kinesisStream',
  CDP_LEASE_TABLE: 'leaseTable',
  CDP_SEGMENTS_FILE: 'segmentsFile',
};

const NUMERIC = new Set<keyof LocalRuntimeConfig>([
  'port',
  'shardCount',
  'checkpointIntervalMs',
  'retentionDays',
  'retentionMiBPerShard',
  'segmentRefreshMinutes',
]);

/** A setting that cannot be used: which one, where it came from, why. */
export interface ConfigProblem {
  readonly setting: string;
  readonly message: string;
}

/** The outcome of loading the configuration. */
export type LoadedConfig =
  | { readonly ok: true; readonly config: LocalRuntimeConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Where the settings come from: the config file's text (if any), the environment, flags. */
export interface ConfigSources {
  /** Path and contents of `tributary.config.json`, when the file exists. */
  readonly file?: { readonly path: string; readonly text: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Command-line flags win over everything. */
  readonly flags?: Partial<Record<keyof LocalRuntimeConfig, string>>;
}

/**
 * Builds the configuration: the file, overridden by the environment, overridden by flags. Every bad
 * setting is reported with its name as the user wrote it (`CDP_SHARDS`, `tributary.config.json:
 * shardCount`, `--port`).
 */
export function loadLocalRuntimeConfig(sources: ConfigSources): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();

  if (sources.file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(sources.file.text);
    } catch (error: unknown) {
      return {
        ok: false,
        problems: [{ setting: sources.file.path, message: `is not JSON: ${(error as Error).message}` }],
      };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { ok: false, problems: [{ setting: sources.file.path, message: 'must hold a JSON object' }] };
    }
    for (const [key, value] of Object.entries(json)) {
      merged[key] = value;
      origin.set(key, `${sources.file.path}: ${key}`);
    }
  }

  const fromText = (name: string, key: keyof LocalRuntimeConfig, raw: string) => {
    const text = raw.trim();
    if (text === '') return;
    origin.set(key, name);
    if (key === 'writeKeys') {
      const parsed = parseWriteKeyList(text);
      if (!parsed.ok) problems.push({ setting: name, message: parsed.error });
      else merged[key] = parsed.value;
    } else if (NUMERIC.has(key)) {
      const n = Number(text);
      if (!Number.isFinite(n)) problems.push({ setting: name, message: `must be a number, got "${text}"` });
      else merged[key] = n;
    } else {
      merged[key] = text;
    }
  };
  for (const [name, key] of Object.entries(CONFIG_ENV)) {
    const raw = sources.env[name];
    if (raw !== undefined) fromText(name, key, raw);
  }
  for (const [key, raw] of Object.entries(sources.flags ?? {})) {
    if (raw !== undefined)
      fromText(
        `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        key as keyof LocalRuntimeConfig,
        raw,
      );
  }
  if (problems.length > 0) return { ok: false, problems };

  const parsed = LocalRuntimeConfig.safeParse(merged);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        if (unknownKeys.length > 0) {
          return {
            setting: sources.file?.path ?? 'config',
            message: `unknown setting(s) ${unknownKeys.join(', ')} (known: ${Object.keys(LocalRuntimeConfig.shape).join(', ')})`,
          };
        }
        return { setting: origin.get(key) ?? key, message: issue.message };
      }),
    };
  }
  if (parsed.data.log === 'kinesis') {
    const missing = (['kinesisStream', 'leaseTable'] as const).filter((k) => parsed.data[k] === undefined);
    if (missing.length > 0) {
      const how = {
        kinesisStream: '--stream or CDP_KINESIS_STREAM',
        leaseTable: '--lease-table or CDP_LEASE_TABLE',
      };
      return {
        ok: false,
        problems: missing.map((k) => ({
          setting: k,
          message: `is required with log "kinesis" (${origin.get('log') ?? 'log'}); set ${how[k]}`,
        })),
      };
    }
  }
  return { ok: true, config: parsed.data };
}

/** The keys a running `cdp dev` uses, and whether they were generated now. */
export interface RuntimeKeys {
  readonly writeKeys: Record<string, string>;
  readonly readKey: string;
  /** Which were generated by this start (and printed in full). */
  readonly generated: readonly ('writeKeys' | 'readKey')[];
}

const KeysFile = z.object({
  writeKeys: z.record(z.string(), z.string()).optional(),
  readKey: z.string().optional(),
});

/**
 * The keys to use: those configured, else those kept in `<dataDir>/keys.json`, else new ones (saved
 * there, readable by the owner only), so a restart keeps the same keys.
 */
export function resolveRuntimeKeys(config: LocalRuntimeConfig): RuntimeKeys {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'keys.json');
  let kept: z.infer<typeof KeysFile> = {};
  try {
    kept = KeysFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${path} is damaged; delete it to generate new keys`, { cause: error });
    }
  }
  const generated: ('writeKeys' | 'readKey')[] = [];
  let writeKeys = config.writeKeys ?? kept.writeKeys;
  if (writeKeys === undefined) {
    writeKeys = { [`wk_${randomBytes(18).toString('base64url')}`]: 'web' };
    generated.push('writeKeys');
  }
  let readKey = config.readKey ?? kept.readKey;
  if (readKey === undefined) {
    readKey = `rk_${randomBytes(24).toString('base64url')}`;
    generated.push('readKey');
  }
  if (generated.length > 0) {
    const toKeep = {
      writeKeys: generated.includes('writeKeys') ? writeKeys : kept.writeKeys,
      readKey: generated.includes('readKey') ? readKey : kept.readKey,
    };
    writeFileAtomic(path, `${JSON.stringify(toKeep, null, 2)}\n`, dataDir);
    chmodSync(path, 0o600);
  }
  return { writeKeys, readKey, generated };
}
