import { z } from 'zod';

/**
 * The AWS resources of one Tributary deployment, as data: names, key schemas, column schemas and the
 * Lambda catalogue. The CDKTF stacks (`stacks/`) create exactly these; the AWS runtime
 * (`runtime/lambda/*`, `adapters/aws/*`) and the emulator tests import the same names and key helpers,
 * so a table, stream or bucket is named and keyed in one place only.
 *
 * Pure data and functions: no AWS SDK, no environment variables. Names of account-scoped resources are
 * `<prefix>-<environment>-<role>`; bucket names add the account id because S3 names are global.
 */

/** Names are lower-case letters, digits and `-`, starting with a letter (S3, Glue and Kinesis agree). */
const NamePart = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits or -, starting with a letter');

/** Which deployment a name belongs to. `accountId` is only needed for bucket names. */
export const DeploymentScope = z.object({
  prefix: NamePart(12).default('tributary'),
  environment: NamePart(10),
  accountId: z.string().min(1).optional(),
});
export type DeploymentScope = z.input<typeof DeploymentScope>;

// ---------------------------------------------------------------------------------------------------
// DynamoDB
// ---------------------------------------------------------------------------------------------------

/** The DynamoDB tables of a deployment. */
export const TABLE_ROLES = ['profiles', 'identities', 'segments', 'checkpoints', 'state'] as const;
export type TableRole = (typeof TABLE_ROLES)[number];

/** One key attribute of a table or index. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** A table's key schema, indexes and TTL attribute (everything `CreateTable` needs except billing). */
export interface TableDefinition {
  readonly role: TableRole;
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly partitionKey: KeyAttribute;
    readonly sortKey?: KeyAttribute;
    readonly projection: 'ALL' | 'KEYS_ONLY';
  }[];
  /** Epoch-seconds attribute DynamoDB expires items by; `undefined` when nothing expires. */
  readonly ttlAttribute?: string;
}

const PK: KeyAttribute = { name: 'PK', type: 'S' };
const SK: KeyAttribute = { name: 'SK', type: 'S' };

/**
 * Key schemas. Items (single-table shapes from the design notes):
 * - profiles: `PROFILE#<id>` / `METADATA` (the profile), `PROFILE#<id>` / `EVENT#<ts>#<eventId>`
 *   (timeline, `ttl`), `PROFILE#<into>` / `MERGE#<ts>#<from>`, `PROFILE#<from>` / `REDIRECT`.
 * - identities: `ID#<type>#<value>` / `MAPPING` (→ `profileId`, `version`), links
 *   `ID#<type>#<value>` / `LINK#<type>#<value>`; GSI `byProfile` on `profileId`.
 * - segments: membership both ways, written together: `SEGMENT#<segmentId>` / `PROFILE#<id>` (who is
 *   in a segment) and `PROFILE#<id>` / `SEGMENT#<segmentId>` (a profile's segments).
 * - checkpoints: the KCL lease-table shape, one item per shard lease, keyed by `leaseKey`.
 * - state: keyed operator state and timers, `STATE#<operator>#<key>` / `<namespace>`, `ttl` for state TTL.
 */
export const TABLES: Readonly<Record<TableRole, TableDefinition>> = {
  profiles: {
    role: 'profiles',
    description: 'Profiles (METADATA), activity timeline (EVENT#ts#id, ttl), merges and redirects',
    partitionKey: PK,
    sortKey: SK,
    globalSecondaryIndexes: [],
    ttlAttribute: 'ttl',
  },
  identities: {
    role: 'identities',
    description: 'Identifier → profile mappings (ID#type#value / MAPPING) and identity links',
    partitionKey: PK,
    sortKey: SK,
    globalSecondaryIndexes: [
      {
        name: 'byProfile',
        partitionKey: { name: 'profileId', type: 'S' },
        sortKey: SK,
        projection: 'KEYS_ONLY',
      },
    ],
  },
  segments: {
    role: 'segments',
    description: 'Segment membership both ways: SEGMENT#id / PROFILE#id and PROFILE#id / SEGMENT#id',
    partitionKey: PK,
    sortKey: SK,
    globalSecondaryIndexes: [],
    ttlAttribute: 'ttl',
  },
  checkpoints: {
    role: 'checkpoints',
    description: 'Shard leases and checkpoints in the KCL lease-table shape (leaseKey = shard id)',
    partitionKey: { name: 'leaseKey', type: 'S' },
    globalSecondaryIndexes: [],
  },
  state: {
    role: 'state',
    description: 'Keyed operator state and timers (STATE#operator#key / namespace), ttl for state TTL',
    partitionKey: PK,
    sortKey: SK,
    globalSecondaryIndexes: [],
    ttlAttribute: 'ttl',
  },
};

/** Attributes of a KCL-shaped lease item in the checkpoints table (same names as the KCL's). */
export const LeaseItem = z.object({
  leaseKey: z.string().min(1),
  leaseOwner: z.string().optional(),
  leaseCounter: z.number().int().nonnegative(),
  checkpoint: z.string().min(1),
  checkpointSubSequenceNumber: z.number().int().nonnegative().default(0),
  ownerSwitchesSinceCheckpoint: z.number().int().nonnegative().default(0),
  parentShardIds: z.array(z.string()).optional(),
});
export type LeaseItem = z.infer<typeof LeaseItem>;

/** Profile partition key: `PROFILE#<id>`. */
export const profileKey = (profileId: string): string => `PROFILE#${profileId}`;
/** Sort key of a profile's own item. */
export const PROFILE_METADATA_SK = 'METADATA';
/** Sort key of a timeline event: `EVENT#<timestamp>#<eventId>` (sorts by event time). */
export const profileEventSk = (timestamp: string, eventId: string): string => `EVENT#${timestamp}#${eventId}`;
/** Identifier partition key: `ID#<type>#<value>`. */
export const identifierKey = (type: string, value: string): string => `ID#${type}#${value}`;
/** Sort key of the identifier → profile mapping item. */
export const IDENTIFIER_MAPPING_SK = 'MAPPING';
/** Segment partition key: `SEGMENT#<segmentId>`. */
export const segmentKey = (segmentId: string): string => `SEGMENT#${segmentId}`;
/** The two items that record one membership, both directions. */
export const segmentMembershipKeys = (
  segmentId: string,
  profileId: string,
): readonly [{ PK: string; SK: string }, { PK: string; SK: string }] => [
  { PK: segmentKey(segmentId), SK: profileKey(profileId) },
  { PK: profileKey(profileId), SK: segmentKey(segmentId) },
];
/** Keyed-state partition key: `STATE#<operator>#<key>`. */
export const stateKey = (operator: string, key: string): string => `STATE#${operator}#${key}`;

/** Seconds since the epoch after which DynamoDB may expire an item written at `nowMs`. */
export function ttlEpochSeconds(nowMs: number, retentionDays: number): number {
  return Math.floor(nowMs / 1000) + retentionDays * 24 * 60 * 60;
}

// ---------------------------------------------------------------------------------------------------
// Kinesis, SQS
// ---------------------------------------------------------------------------------------------------

/**
 * The event stream. One record = one canonical event (`contracts/canonical-event.ts`) as plain UTF-8
 * JSON: no KPL aggregation, no compression, `timestamp` in UTC (`...Z`), because Firehose writes each
 * record as one line of the `events` table's GZIP JSON lines and partitions by `timestamp[0:10]`. Partition key = the
 * event's primary identifier so one person's events stay in order on one shard.
 */
export const EVENT_STREAM = {
  role: 'events',
  recordFormat: 'application/json; canonical-event',
  maxRecordBytes: 1024 * 1024,
  maxPutRecords: 500,
} as const;

/**
 * The stream processor's on-failure destination (SQS). Lambda sends it the *metadata* of a batch it
 * gave up on (shard id, start and end sequence numbers, approximate arrival times, the condition), not
 * the records: a replay reads them back from the stream by sequence number while they are still within
 * the stream's retention.
 */
export const DEAD_LETTER_QUEUE = {
  role: 'stream-processor-dlq',
  messageRetentionSeconds: 1_209_600,
} as const;

// ---------------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------------

/** The buckets of a deployment. */
export const BUCKET_ROLES = ['lake', 'imports', 'staging', 'artifacts', 'firehose-errors'] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

/** What each bucket holds (and so which lifecycle it gets). */
export const BUCKETS: Readonly<Record<BucketRole, { readonly description: string }>> = {
  lake: { description: 'Event lake and side outputs (GZIP JSON lines, dt= partitions)' },
  imports: { description: 'CRM and other batch exports dropped by users (crm/<batch>/*.csv)' },
  staging: { description: 'Glue job output: staged identify events and rejects, read by the lake loader' },
  artifacts: { description: 'Glue scripts, Python modules and mapping files' },
  'firehose-errors': {
    description: 'Raw GZIP copy of what Firehose received, to replay records it could not deliver',
  },
};

/** Key prefixes inside the buckets (no leading `/`, trailing `/`). */
export const S3_PREFIXES = {
  /** Canonical events as GZIP JSON lines: `events/dt=YYYY-MM-DD/`. */
  events: 'events/',
  /** JSON-lines side outputs of the processors, each `dt=` partitioned. */
  identityLinks: 'identity_links/',
  identityMerges: 'identity_merges/',
  lateEvents: 'late_events/',
  segmentChanges: 'segment_changes/',
  /** CRM contacts as imported (for the warehouse). */
  crmContacts: 'crm_contacts/',
  /** Imports bucket: CRM exports. */
  crmExports: 'crm/',
  /** Staging bucket: staged identify events (the lake loader's trigger) and rejects. */
  crmStaged: 'crm-import/',
  crmRejects: 'crm-import-errors/',
  /** Lake bucket: records Firehose could not convert or partition (Firehose writes errors there). */
  firehoseErrors: 'errors/events/',
  /** Firehose-errors bucket: GZIP copy of every source record, the replay source if conversion fails. */
  firehoseRawBackup: 'raw/events/',
  /** Staging bucket: Redshift UNLOAD output and Glue temporary files. */
  unload: 'unload/',
  glueTemp: 'glue-temp/',
  /** Artifacts bucket. */
  glueScripts: 'glue-jobs/',
} as const;

// ---------------------------------------------------------------------------------------------------
// Glue catalog
// ---------------------------------------------------------------------------------------------------

/** One Glue column: Hive type names (`string`, `bigint`, `double`, `timestamp`, `struct<...>`). */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
  /** JSON key the column reads (Firehose's OpenX SerDe mapping), when it differs from `name`. */
  readonly jsonKey?: string;
}

/**
 * A catalog table: where it lives, its columns and `dt` partitioning. Every table is JSON lines (GZIP
 * where Firehose writes it), the same bytes the embedded runtime's local lake writes, so one loader
 * serves both lakes and nested `properties` / `traits` / `context` survive untouched (Firehose's Parquet
 * conversion would force them through a fixed schema, and cannot be exercised against an emulator).
 */
export interface GlueTableDefinition {
  readonly name: string;
  readonly description: string;
  readonly bucket: BucketRole;
  readonly prefix: string;
  readonly format: 'json';
  readonly columns: readonly GlueColumn[];
  /** Partitioned by `dt` (`yyyy-MM-dd`, event date) with partition projection. */
  readonly partitionedByDt: boolean;
}

const IDENTITY_STRUCT =
  'struct<userid:string,anonymousid:string,email:string,phone:string,previousid:string,' +
  'externalids:array<struct<type:string,value:string>>>';

/** Columns of the events table; one per canonical-event field, JSON objects kept as JSON text. */
export const EVENT_COLUMNS: readonly GlueColumn[] = [
  { name: 'event_id', type: 'string', jsonKey: 'eventId' },
  { name: 'type', type: 'string' },
  { name: 'event_name', type: 'string', jsonKey: 'eventName' },
  { name: 'event_timestamp', type: 'timestamp', jsonKey: 'timestamp', comment: 'event time, UTC' },
  { name: 'received_at', type: 'timestamp', jsonKey: 'receivedAt' },
  { name: 'sent_at', type: 'timestamp', jsonKey: 'sentAt' },
  { name: 'original_timestamp', type: 'timestamp', jsonKey: 'originalTimestamp' },
  { name: 'source', type: 'string' },
  { name: 'identity', type: IDENTITY_STRUCT },
  { name: 'group_id', type: 'string', jsonKey: 'groupId' },
  { name: 'name', type: 'string' },
  { name: 'properties', type: 'string', comment: 'JSON object as text' },
  { name: 'traits', type: 'string', comment: 'JSON object as text' },
  { name: 'context', type: 'string', comment: 'JSON object as text' },
];

/**
 * The catalog tables (database: {@link glueDatabaseName}). Writers of the JSON-lines tables write one
 * object per line whose keys are the column names, except where a column names its `jsonKey`; files go
 * under `<prefix>dt=<yyyy-MM-dd>/` ({@link dtPartitionPrefix}) when the table is `dt`-partitioned.
 */
export const GLUE_TABLES: readonly GlueTableDefinition[] = [
  {
    name: 'events',
    description: 'Canonical events (GZIP JSON lines by Firehose), partitioned by event date',
    bucket: 'lake',
    prefix: S3_PREFIXES.events,
    format: 'json',
    columns: EVENT_COLUMNS,
    partitionedByDt: true,
  },
  {
    name: 'identity_links',
    description: 'Identifier pairs seen together (the identity graph edges)',
    bucket: 'lake',
    prefix: S3_PREFIXES.identityLinks,
    format: 'json',
    columns: [
      { name: 'from_type', type: 'string' },
      { name: 'from_value', type: 'string' },
      { name: 'to_type', type: 'string' },
      { name: 'to_value', type: 'string' },
      { name: 'event_id', type: 'string' },
      { name: 'linked_at', type: 'timestamp' },
    ],
    partitionedByDt: true,
  },
  {
    name: 'identity_merges',
    description: 'Profile merges with their cause (explainable, undoable)',
    bucket: 'lake',
    prefix: S3_PREFIXES.identityMerges,
    format: 'json',
    columns: [
      { name: 'into_profile_id', type: 'string' },
      { name: 'from_profile_id', type: 'string' },
      { name: 'cause_event_id', type: 'string' },
      { name: 'cause', type: 'string', comment: 'JSON text' },
      { name: 'merged_at', type: 'timestamp' },
    ],
    partitionedByDt: true,
  },
  {
    name: 'crm_contacts',
    description: 'CRM contacts as staged by the Glue import (identify events, traits as JSON)',
    bucket: 'staging',
    prefix: S3_PREFIXES.crmStaged,
    format: 'json',
    columns: EVENT_COLUMNS.filter((c) => c.name !== 'properties'),
    partitionedByDt: false,
  },
  {
    name: 'late_events',
    description: 'Events later than allowed lateness (side output, never dropped silently)',
    bucket: 'lake',
    prefix: S3_PREFIXES.lateEvents,
    format: 'json',
    columns: [
      ...EVENT_COLUMNS,
      { name: 'watermark', type: 'timestamp' },
      { name: 'operator', type: 'string' },
    ],
    partitionedByDt: true,
  },
  {
    name: 'segment_changes',
    description: 'Segment enter/exit changes from the processors and the scheduled refresh',
    bucket: 'lake',
    prefix: S3_PREFIXES.segmentChanges,
    format: 'json',
    columns: [
      { name: 'segment_id', type: 'string' },
      { name: 'profile_id', type: 'string' },
      { name: 'change', type: 'string', comment: 'enter | exit' },
      { name: 'changed_at', type: 'timestamp' },
      { name: 'origin', type: 'string', comment: 'stream | refresh' },
      {
        name: 'change_id',
        type: 'string',
        comment: 'refresh only: the same id when a batch is re-sent after a crash; keep one row per id',
      },
    ],
    partitionedByDt: true,
  },
];

/**
 * The lake bucket's `dt`-partitioned tables: the segment refresh registers their new days as catalog
 * partitions for Spectrum, and its role may do exactly that on these tables.
 */
export const DT_PARTITIONED_LAKE_TABLES: readonly string[] = GLUE_TABLES.filter(
  (t) => t.bucket === 'lake' && t.partitionedByDt,
).map((t) => t.name);

/** Redshift schema that maps the Glue database through Spectrum (`create external schema`). */
export const REDSHIFT_EXTERNAL_SCHEMA = 'lake';

/** Key prefix of one `dt` partition of a table: `late_events/dt=2024-05-01/` for an ISO UTC time. */
export function dtPartitionPrefix(table: GlueTableDefinition, isoUtcTimestamp: string): string {
  return `${table.prefix}dt=${isoUtcTimestamp.slice(0, 10)}/`;
}

/** Earliest `dt` partition projection enumerates. */
export const DT_PROJECTION_START = '2024-01-01';

// ---------------------------------------------------------------------------------------------------
// Lambda catalogue
// ---------------------------------------------------------------------------------------------------

/** The Lambda functions of a deployment. */
export const FUNCTION_NAMES = [
  'collector',
  'stream-processor',
  'profile-api',
  'segment-refresh',
  'lake-loader',
  'idle-tick',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** A function's entry file (relative to the repository root), trigger and sizing defaults. */
export interface FunctionDefinition {
  readonly name: FunctionName;
  readonly description: string;
  readonly entry: string;
  readonly trigger: 'http' | 'kinesis' | 'schedule' | 's3';
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** HTTP API routes (`METHOD /path`), for `trigger: 'http'`. */
  readonly routes?: readonly string[];
}

/** Every function, with entry `runtime/lambda/<name>.ts` exporting `handler`. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionDefinition>> = {
  collector: {
    name: 'collector',
    description: 'Segment-compatible ingestion: validate, authenticate, PutRecords to the stream',
    entry: 'runtime/lambda/collector.ts',
    trigger: 'http',
    memoryMb: 512,
    timeoutSeconds: 10,
    routes: [
      'POST /v1/batch',
      'POST /v1/track',
      'POST /v1/identify',
      'POST /v1/page',
      'POST /v1/screen',
      'POST /v1/group',
      'POST /v1/alias',
      'POST /v1/events',
    ],
  },
  'stream-processor': {
    name: 'stream-processor',
    description: 'Profile job on a Kinesis event source mapping: dedupe, identity, aggregates, segments',
    entry: 'runtime/lambda/stream-processor.ts',
    trigger: 'kinesis',
    memoryMb: 1024,
    timeoutSeconds: 120,
  },
  'profile-api': {
    name: 'profile-api',
    description: 'Profile API: profile, segments, recent activity, lookup by identifier',
    entry: 'runtime/lambda/profile-api.ts',
    trigger: 'http',
    memoryMb: 512,
    timeoutSeconds: 10,
    routes: [
      'GET /v1/profiles',
      'GET /v1/profiles/{profileId}',
      'GET /v1/profiles/{profileId}/{proxy+}',
      'GET /v1/segments',
      'GET /v1/segments/{segmentId}/members',
    ],
  },
  'segment-refresh': {
    name: 'segment-refresh',
    description: 'Runs the segment SQL models on Redshift (Data API) and syncs the diff into DynamoDB',
    entry: 'runtime/lambda/segment-refresh.ts',
    trigger: 'schedule',
    memoryMb: 512,
    timeoutSeconds: 900,
  },
  'lake-loader': {
    name: 'lake-loader',
    description: 'Feeds staged import files (S3 events) into the event stream',
    entry: 'runtime/lambda/lake-loader.ts',
    trigger: 's3',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
  'idle-tick': {
    name: 'idle-tick',
    description:
      'Fires due event-time timers of idle shards (watermark by idleness) against the state; writes nothing to the stream',
    entry: 'runtime/lambda/idle-tick.ts',
    trigger: 'schedule',
    memoryMb: 256,
    timeoutSeconds: 60,
  },
};

/**
 * Environment variables the stacks set on every function; the entry files parse them (once, at the
 * edge) to learn the names of what this module describes.
 */
export const FUNCTION_ENV = {
  environment: 'TRIBUTARY_ENVIRONMENT',
  stream: 'TRIBUTARY_EVENT_STREAM',
  profilesTable: 'TRIBUTARY_PROFILES_TABLE',
  identitiesTable: 'TRIBUTARY_IDENTITIES_TABLE',
  segmentsTable: 'TRIBUTARY_SEGMENTS_TABLE',
  checkpointsTable: 'TRIBUTARY_CHECKPOINTS_TABLE',
  stateTable: 'TRIBUTARY_STATE_TABLE',
  lakeBucket: 'TRIBUTARY_LAKE_BUCKET',
  stagingBucket: 'TRIBUTARY_STAGING_BUCKET',
  writeKeysSecret: 'TRIBUTARY_WRITE_KEYS_SECRET',
  readKeysSecret: 'TRIBUTARY_READ_KEYS_SECRET',
  workgroup: 'TRIBUTARY_REDSHIFT_WORKGROUP',
  database: 'TRIBUTARY_REDSHIFT_DATABASE',
  glueDatabase: 'TRIBUTARY_GLUE_DATABASE',
  /** ARN of the role Redshift assumes for Spectrum (the segment refresh maps the Glue database with it). */
  redshiftRole: 'TRIBUTARY_REDSHIFT_ROLE_ARN',
} as const;

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

/** Every concrete name of one deployment. */
export interface ResourceNames {
  readonly base: string;
  readonly tables: Readonly<Record<TableRole, string>>;
  readonly stream: string;
  readonly deadLetterQueue: string;
  /** Bucket names; only when `accountId` was given. */
  readonly buckets: Readonly<Record<BucketRole, string>> | undefined;
  readonly functions: Readonly<Record<FunctionName, string>>;
  readonly glueDatabase: string;
  readonly glueCrmImportJob: string;
  readonly glueSecurityConfiguration: string;
  readonly firehose: string;
  readonly httpApi: string;
  readonly writeKeysSecret: string;
  readonly readKeysSecret: string;
  readonly redshiftNamespace: string;
  readonly redshiftWorkgroup: string;
  readonly redshiftDatabase: string;
  readonly kmsAlias: string;
  readonly alarmTopic: string;
  readonly dashboard: string;
  readonly scheduleGroup: string;
}

/** Thrown when a deployment scope is not a valid name (a programming or configuration error). */
export class ResourceNameError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResourceNameError';
  }
}

/** Glue database names allow only `[a-z0-9_]`. */
export function glueDatabaseName(prefix: string, environment: string): string {
  return `${prefix}_${environment}`.replace(/-/g, '_');
}

/** All resource names of a deployment (`tributary-dev-profiles`, ...). */
export function resourceNames(scope: DeploymentScope): ResourceNames {
  const parsed = DeploymentScope.safeParse(scope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ResourceNameError(
      `invalid deployment scope at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  }
  const { prefix, environment, accountId } = parsed.data;
  const base = `${prefix}-${environment}`;
  const map = <K extends string>(keys: readonly K[], name: (k: K) => string): Record<K, string> =>
    Object.fromEntries(keys.map((k) => [k, name(k)])) as Record<K, string>;
  return {
    base,
    tables: map(TABLE_ROLES, (t) => `${base}-${t}`),
    stream: `${base}-${EVENT_STREAM.role}`,
    deadLetterQueue: `${base}-${DEAD_LETTER_QUEUE.role}`,
    buckets: accountId === undefined ? undefined : map(BUCKET_ROLES, (b) => `${base}-${b}-${accountId}`),
    functions: map(FUNCTION_NAMES, (f) => `${base}-${f}`),
    glueDatabase: glueDatabaseName(prefix, environment),
    glueCrmImportJob: `${base}-crm-import`,
    glueSecurityConfiguration: `${base}-glue`,
    firehose: `${base}-lake-delivery`,
    httpApi: `${base}-api`,
    writeKeysSecret: `${prefix}/${environment}/write-keys`,
    readKeysSecret: `${prefix}/${environment}/read-keys`,
    redshiftNamespace: base,
    redshiftWorkgroup: base,
    redshiftDatabase: 'tributary',
    kmsAlias: `alias/${base}`,
    alarmTopic: `${base}-alarms`,
    dashboard: `${base}-pipeline`,
    scheduleGroup: base,
  };
}
