import { z } from 'zod';

const Rate = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/, 'must be rate(...) or cron(...)');

/** Kinesis capacity: on-demand, or provisioned with a shard count. */
export const StreamConfig = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('ON_DEMAND'), retentionHours: z.number().int().min(24).max(8760) }),
  z.object({
    mode: z.literal('PROVISIONED'),
    shardCount: z.number().int().min(1).max(500),
    retentionHours: z.number().int().min(24).max(8760),
  }),
]);
export type StreamConfig = z.infer<typeof StreamConfig>;

/** The stream processor's event source mapping (bounds are Lambda's own). */
export const ProcessingConfig = z.object({
  batchSize: z.number().int().min(1).max(10000),
  batchingWindowSeconds: z.number().int().min(0).max(300),
  parallelizationFactor: z.number().int().min(1).max(10),
  maxRetryAttempts: z.number().int().min(0).max(10000),
  maxRecordAgeSeconds: z.number().int().min(60).max(604800),
  startingPosition: z.enum(['TRIM_HORIZON', 'LATEST']),
});
export type ProcessingConfig = z.infer<typeof ProcessingConfig>;

/** Redshift Serverless placement and spend. Subnets must be in at least three AZs (Redshift's rule). */
export const WarehouseConfig = z.object({
  vpcId: z.string().regex(/^vpc-[0-9a-f]+$/),
  subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(3),
  allowedCidrs: z.array(z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)).default([]),
  baseCapacityRpu: z.number().int().min(8).max(1024),
  maxCapacityRpu: z.number().int().min(8).max(5632).optional(),
  monthlyRpuHoursLimit: z.number().int().min(1),
  usageLimitBreachAction: z.enum(['log', 'emit-metric', 'deactivate']),
});
export type WarehouseConfig = z.infer<typeof WarehouseConfig>;

/** Optional QuickSight (needs an account subscription first, so it is off unless asked for). */
export const AnalyticsConfig = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    /** QuickSight user or group ARN that gets owner permissions on the data source and datasets. */
    ownerArn: z.string().startsWith('arn:aws:quicksight:'),
    /** QuickSight VPC connection ARN that reaches the workgroup (it is not publicly accessible). */
    vpcConnectionArn: z.string().startsWith('arn:aws:quicksight:'),
  }),
]);
export type AnalyticsConfig = z.infer<typeof AnalyticsConfig>;

/** Remote state; without it Terraform keeps local state next to the synthesized stack. */
export const BackendConfig = z.object({
  bucket: z.string().min(3),
  key: z.string().min(1),
  region: z.string().min(1),
  dynamodbTable: z.string().min(1).optional(),
});
export type BackendConfig = z.infer<typeof BackendConfig>;

/** One deployment environment (`dev`, `prod`, ...): everything that differs between them. */
export const EnvironmentConfig = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,9}$/, 'lower-case letters, digits, -; at most 10 characters'),
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,11}$/)
    .default('tributary'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  stream: StreamConfig,
  processing: ProcessingConfig,
  api: z.object({
    throttlingRateLimit: z.number().positive(),
    throttlingBurstLimit: z.number().int().positive(),
    corsAllowOrigins: z.array(z.string().min(1)).default([]),
  }),
  lake: z.object({
    infrequentAccessAfterDays: z.number().int().min(30),
    glacierAfterDays: z.number().int().min(90),
    noncurrentVersionExpirationDays: z.number().int().min(1),
    /** Firehose buffering (dynamic partitioning needs at least 64 MiB). */
    bufferSizeMiB: z.number().int().min(64).max(128),
    bufferIntervalSeconds: z.number().int().min(60).max(900),
  }),
  tables: z.object({ deletionProtection: z.boolean() }),
  logRetentionDays: z.union([
    z.literal(7),
    z.literal(14),
    z.literal(30),
    z.literal(90),
    z.literal(180),
    z.literal(365),
  ]),
  schedules: z.object({ segmentRefresh: Rate, idleTick: Rate, timezone: z.string().default('UTC') }),
  warehouse: WarehouseConfig,
  alarms: z.object({
    emails: z.array(z.email()).default([]),
    iteratorAgeMs: z.number().int().positive(),
    dlqDepth: z.number().int().min(1),
  }),
  analytics: AnalyticsConfig,
  backend: BackendConfig.optional(),
});
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;
export type EnvironmentConfigInput = z.input<typeof EnvironmentConfig>;

/** A config file: the environments to synthesize. */
export const StacksConfig = z.object({ environments: z.array(EnvironmentConfig).min(1) });
export type StacksConfig = z.infer<typeof StacksConfig>;

/** Raised when a stacks config does not validate; the message names the field path. */
export class StacksConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StacksConfigError';
  }
}

/** Validates a stacks config, or throws one error listing every bad field path with its reason. */
export function parseStacksConfig(raw: unknown): StacksConfig {
  const parsed = StacksConfig.safeParse(raw);
  if (parsed.success) {
    const names = parsed.data.environments.map((e) => e.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new StacksConfigError(`environments: duplicate name "${dup}"`);
    return parsed.data;
  }
  const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new StacksConfigError(`invalid stacks config:\n  ${lines.join('\n  ')}`, { cause: parsed.error });
}
