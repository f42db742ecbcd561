import type { EnvironmentConfigInput } from './config';

/**
 * The environments `npx cdktf synth` builds when no config file is given. The VPC and subnet ids are
 * placeholders: synth works with them, `deploy` needs your own (see stacks/README.md, "Configure").
 */
export const DEFAULT_ENVIRONMENTS: readonly EnvironmentConfigInput[] = [
  {
    name: 'dev',
    region: 'us-east-1',
    stream: { mode: 'ON_DEMAND', retentionHours: 24 },
    processing: {
      batchSize: 500,
      batchingWindowSeconds: 1,
      parallelizationFactor: 1,
      maxRetryAttempts: 3,
      maxRecordAgeSeconds: 3600,
      startingPosition: 'TRIM_HORIZON',
    },
    api: { throttlingRateLimit: 200, throttlingBurstLimit: 400 },
    lake: {
      infrequentAccessAfterDays: 30,
      glacierAfterDays: 90,
      noncurrentVersionExpirationDays: 7,
      bufferSizeMiB: 64,
      bufferIntervalSeconds: 60,
    },
    tables: { deletionProtection: false },
    logRetentionDays: 14,
    schedules: { segmentRefresh: 'rate(1 hour)', idleTick: 'rate(1 minute)' },
    warehouse: {
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'],
      baseCapacityRpu: 8,
      monthlyRpuHoursLimit: 200,
      usageLimitBreachAction: 'deactivate',
    },
    alarms: { iteratorAgeMs: 60_000, dlqDepth: 1 },
    analytics: { enabled: false },
  },
  {
    name: 'prod',
    region: 'us-east-1',
    stream: { mode: 'PROVISIONED', shardCount: 4, retentionHours: 168 },
    processing: {
      batchSize: 1000,
      batchingWindowSeconds: 1,
      parallelizationFactor: 4,
      maxRetryAttempts: 10,
      maxRecordAgeSeconds: 21600,
      startingPosition: 'TRIM_HORIZON',
    },
    api: { throttlingRateLimit: 2000, throttlingBurstLimit: 5000 },
    lake: {
      infrequentAccessAfterDays: 30,
      glacierAfterDays: 180,
      noncurrentVersionExpirationDays: 30,
      bufferSizeMiB: 128,
      bufferIntervalSeconds: 300,
    },
    tables: { deletionProtection: true },
    logRetentionDays: 90,
    schedules: { segmentRefresh: 'rate(15 minutes)', idleTick: 'rate(1 minute)' },
    warehouse: {
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'],
      allowedCidrs: ['10.0.0.0/16'],
      baseCapacityRpu: 32,
      maxCapacityRpu: 128,
      monthlyRpuHoursLimit: 2000,
      usageLimitBreachAction: 'emit-metric',
    },
    alarms: { emails: ['data-platform-oncall@example.com'], iteratorAgeMs: 30_000, dlqDepth: 1 },
    analytics: { enabled: false },
  },
];
