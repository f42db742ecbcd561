import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { GlueJob } from '@cdktf/provider-aws/lib/glue-job';
import { GlueSecurityConfiguration } from '@cdktf/provider-aws/lib/glue-security-configuration';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import { RedshiftserverlessNamespace } from '@cdktf/provider-aws/lib/redshiftserverless-namespace';
import { RedshiftserverlessUsageLimit } from '@cdktf/provider-aws/lib/redshiftserverless-usage-limit';
import { RedshiftserverlessWorkgroup } from '@cdktf/provider-aws/lib/redshiftserverless-workgroup';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import {
  DT_PARTITIONED_LAKE_TABLES,
  FUNCTION_NAMES,
  FUNCTIONS,
  GLUE_TABLES,
  TABLE_ROLES,
} from '../contracts/aws-resources';
import { parseStacksConfig, StacksConfigError } from './config';
import { DEFAULT_ENVIRONMENTS } from './environments';
import { environment, resourcesOf, type SynthesizedStack, synthEnvironment } from './test-support';

Testing.setupJest();

/** Replaces content hashes (bundles, assets) so snapshots do not depend on the machine or esbuild. */
function maskHashes(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (key === 'source_code_hash' || key === 'source_hash') return '<hash>';
    return value.replace(/^(assets\/[^/]+\/)[0-9A-F]{32}(\/)/, '$1<hash>$2');
  });
}

let dev: { json: string; tf: SynthesizedStack };
let prod: { json: string; tf: SynthesizedStack };
let withAnalytics: { json: string; tf: SynthesizedStack };

beforeAll(() => {
  dev = synthEnvironment(environment('dev'));
  prod = synthEnvironment(environment('prod'));
  withAnalytics = synthEnvironment(
    environment('dev', (raw) => {
      raw.analytics = {
        enabled: true,
        ownerArn: 'arn:aws:quicksight:us-east-1:111122223333:group/default/analysts',
        vpcConnectionArn: 'arn:aws:quicksight:us-east-1:111122223333:vpcConnection/tributary',
      };
    }),
  );
});

/** The account id as the synthesized JSON spells it (a Terraform reference, not a JS template). */
const ACCOUNT = ['$', '{data.aws_caller_identity.current.account_id}'].join('');

const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.encryption_key_[0-9A-F]+\.arn\}$/);

describe('encryption', () => {
  it('has one customer-managed key with yearly rotation', () => {
    expect(dev.json).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      rotation_period_in_days: 365,
    });
    expect(Object.keys(resourcesOf(dev.tf, 'aws_kms_key'))).toHaveLength(1);
  });

  it('uses the key for every store, stream, queue, topic, secret, log group and function', () => {
    const kmsField: Record<string, (r: Record<string, unknown>) => unknown> = {
      aws_kinesis_stream: (r) => r.encryption_type === 'KMS' && r.kms_key_id,
      aws_dynamodb_table: (r) => (r.server_side_encryption as { kms_key_arn: string }).kms_key_arn,
      aws_sqs_queue: (r) => r.kms_master_key_id,
      aws_sns_topic: (r) => r.kms_master_key_id,
      aws_secretsmanager_secret: (r) => r.kms_key_id,
      aws_cloudwatch_log_group: (r) => r.kms_key_id,
      aws_lambda_function: (r) => r.kms_key_arn,
      aws_s3_object: (r) => r.kms_key_id,
      aws_s3_bucket_server_side_encryption_configuration: (r) =>
        (
          r.rule as {
            apply_server_side_encryption_by_default: { kms_master_key_id: string; sse_algorithm: string };
          }[]
        )
          .map((x) => x.apply_server_side_encryption_by_default)
          .find((x) => x.sse_algorithm === 'aws:kms')?.kms_master_key_id,
      aws_redshiftserverless_namespace: (r) => r.kms_key_id,
      aws_scheduler_schedule: (r) => r.kms_key_arn,
    };
    for (const [type, field] of Object.entries(kmsField)) {
      const all = Object.values(resourcesOf(dev.tf, type));
      expect(all.length).toBeGreaterThan(0);
      for (const r of all) expect({ type, key: field(r) }).toEqual({ type, key: keyArn });
    }
    const firehose = Object.values(resourcesOf(dev.tf, 'aws_kinesis_firehose_delivery_stream'))[0] as {
      extended_s3_configuration: { kms_key_arn: string; s3_backup_configuration: { kms_key_arn: string } };
    };
    expect(firehose.extended_s3_configuration.kms_key_arn).toEqual(keyArn);
    expect(firehose.extended_s3_configuration.s3_backup_configuration.kms_key_arn).toEqual(keyArn);
  });
});

describe('ingestion', () => {
  it('routes every collector and Profile API route of the catalogue', () => {
    for (const fn of ['collector', 'profile-api'] as const) {
      for (const route of FUNCTIONS[fn].routes ?? []) {
        expect(dev.json).toHaveResourceWithProperties(Apigatewayv2Route, { route_key: route });
      }
    }
  });

  it('throttles the default route and writes access logs', () => {
    expect(prod.json).toHaveResourceWithProperties(Apigatewayv2Stage, {
      name: '$default',
      default_route_settings: expect.objectContaining({
        throttling_rate_limit: 2000,
        throttling_burst_limit: 5000,
      }),
      access_log_settings: expect.objectContaining({ format: expect.stringContaining('$context.requestId') }),
    });
  });

  it('keeps write and read keys in Secrets Manager', () => {
    expect(dev.json).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'tributary/dev/write-keys' });
    expect(dev.json).toHaveResourceWithProperties(SecretsmanagerSecret, { name: 'tributary/dev/read-keys' });
  });
});

describe('stream and processing', () => {
  it('is on-demand in dev and provisioned in prod, with retention and KMS', () => {
    expect(dev.json).toHaveResourceWithProperties(KinesisStream, {
      stream_mode_details: { stream_mode: 'ON_DEMAND' },
      retention_period: 24,
      encryption_type: 'KMS',
    });
    expect(prod.json).toHaveResourceWithProperties(KinesisStream, {
      stream_mode_details: { stream_mode: 'PROVISIONED' },
      shard_count: 4,
      retention_period: 168,
    });
  });

  it('maps the stream to the processor with partial failures, bisect, bounded retries and a DLQ', () => {
    expect(prod.json).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      batch_size: 1000,
      maximum_batching_window_in_seconds: 1,
      parallelization_factor: 4,
      bisect_batch_on_function_error: true,
      function_response_types: ['ReportBatchItemFailures'],
      maximum_retry_attempts: 10,
      maximum_record_age_in_seconds: 21600,
      starting_position: 'TRIM_HORIZON',
      destination_config: {
        on_failure: { destination_arn: expect.stringMatching(/^\$\{aws_sqs_queue\..+\.arn\}$/) },
      },
    });
    expect(dev.json).toHaveResourceWithProperties(SqsQueue, { name: 'tributary-dev-stream-processor-dlq' });
  });

  it('ticks idle shards and refreshes segments on EventBridge Scheduler schedules', () => {
    expect(dev.json).toHaveResourceWithProperties(SchedulerSchedule, {
      name: 'tributary-dev-idle-tick',
      schedule_expression: 'rate(1 minute)',
    });
    expect(prod.json).toHaveResourceWithProperties(SchedulerSchedule, {
      name: 'tributary-prod-segment-refresh',
      schedule_expression: 'rate(15 minutes)',
      target: expect.objectContaining({ arn: expect.stringContaining('fn-segment-refresh') }),
    });
  });

  it('deploys every function of the catalogue from its bundle, arm64, traced, JSON logs', () => {
    const fns = Object.values(resourcesOf(dev.tf, 'aws_lambda_function'));
    expect(fns.map((f) => f.function_name).sort()).toEqual(
      FUNCTION_NAMES.map((n) => `tributary-dev-${n}`).sort(),
    );
    for (const name of FUNCTION_NAMES) {
      expect(dev.json).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `tributary-dev-${name}`,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        memory_size: FUNCTIONS[name].memoryMb,
        timeout: FUNCTIONS[name].timeoutSeconds,
        tracing_config: { mode: 'Active' },
        filename: expect.stringMatching(
          new RegExp(`^assets/fn-${name}_bundle_[^/]+/[0-9A-F]+/archive\\.zip$`),
        ),
        source_code_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
  });
});

describe('serving tables', () => {
  it('are on-demand with PITR, SSE-KMS and TTL where the contract has one', () => {
    for (const role of TABLE_ROLES) {
      expect(dev.json).toHaveResourceWithProperties(DynamodbTable, {
        name: `tributary-dev-${role}`,
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: keyArn },
      });
    }
    expect(dev.json).toHaveResourceWithProperties(DynamodbTable, {
      name: 'tributary-dev-profiles',
      hash_key: 'PK',
      range_key: 'SK',
      ttl: { enabled: true, attribute_name: 'ttl' },
    });
    expect(dev.json).toHaveResourceWithProperties(DynamodbTable, {
      name: 'tributary-dev-checkpoints',
      hash_key: 'leaseKey',
    });
    expect(dev.json).toHaveResourceWithProperties(DynamodbTable, {
      name: 'tributary-dev-identities',
      global_secondary_index: [expect.objectContaining({ name: 'byProfile', hash_key: 'profileId' })],
    });
    expect(prod.json).toHaveResourceWithProperties(DynamodbTable, { deletion_protection_enabled: true });
  });
});

describe('lake', () => {
  it('has five versioned, private, TLS-only buckets with lifecycles', () => {
    expect(Object.keys(resourcesOf(dev.tf, 'aws_s3_bucket'))).toHaveLength(5);
    expect(dev.json).toHaveResourceWithProperties(S3Bucket, {
      bucket: `tributary-dev-lake-${ACCOUNT}`,
    });
    expect(Object.keys(resourcesOf(dev.tf, 'aws_s3_bucket_versioning'))).toHaveLength(5);
    expect(dev.json).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: 'Enabled' },
    });
    for (const pab of Object.values(resourcesOf(dev.tf, 'aws_s3_bucket_public_access_block'))) {
      expect(pab).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
    expect(dev.json).toHaveResource(S3BucketPublicAccessBlock);
    const policies = Object.values(resourcesOf(dev.tf, 'aws_s3_bucket_policy'));
    expect(policies).toHaveLength(5);
    for (const p of policies) {
      const doc = JSON.parse(p.policy as string);
      expect(doc.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('moves the lake to colder tiers and expires transient buckets', () => {
    const rules = Object.values(resourcesOf(prod.tf, 'aws_s3_bucket_lifecycle_configuration')).map(
      (r) => (r.rule as Record<string, unknown>[])[0],
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        transition: [
          { days: 30, storage_class: 'STANDARD_IA' },
          { days: 180, storage_class: 'GLACIER_IR' },
        ],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ expiration: [{ days: 30 }] }));
    expect(rules).toHaveLength(5);
  });

  it('delivers the stream as GZIP JSON lines into dt= partitions by event date, with an error prefix and logs', () => {
    expect(dev.json).toHaveResourceWithProperties(KinesisFirehoseDeliveryStream, {
      destination: 'extended_s3',
      kinesis_source_configuration: expect.objectContaining({
        kinesis_stream_arn: expect.stringContaining('aws_kinesis_stream'),
      }),
      extended_s3_configuration: expect.objectContaining({
        prefix: 'events/dt=!{partitionKeyFromQuery:dt}/',
        error_output_prefix: 'errors/events/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        dynamic_partitioning_configuration: { enabled: true, retry_duration: 300 },
        cloudwatch_logging_options: expect.objectContaining({ enabled: true }),
        processing_configuration: expect.objectContaining({
          processors: [
            expect.objectContaining({
              type: 'MetadataExtraction',
              parameters: expect.arrayContaining([
                { parameter_name: 'MetadataExtractionQuery', parameter_value: '{dt: .timestamp[0:10]}' },
              ]),
            }),
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameter_name: 'Delimiter', parameter_value: '\\n' }],
            },
          ],
        }),
        compression_format: 'GZIP',
      }),
    });
  });
});

describe('catalog and batch', () => {
  it('catalogs every contract table; dt-partitioned ones use partition projection', () => {
    expect(dev.json).toHaveResourceWithProperties(GlueCatalogDatabase, { name: 'tributary_dev' });
    for (const t of GLUE_TABLES) {
      expect(dev.json).toHaveResourceWithProperties(GlueCatalogTable, {
        name: t.name,
        partition_keys: t.partitionedByDt ? [expect.objectContaining({ name: 'dt', type: 'string' })] : [],
      });
    }
    expect(dev.json).toHaveResourceWithProperties(GlueCatalogTable, {
      name: 'events',
      parameters: expect.objectContaining({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'storage.location.template': `s3://tributary-dev-lake-${ACCOUNT}/events/dt=$$\{dt}/`,
      }),
      storage_descriptor: expect.objectContaining({
        input_format: 'org.apache.hadoop.mapred.TextInputFormat',
        ser_de_info: expect.objectContaining({ serialization_library: 'org.openx.data.jsonserde.JsonSerDe' }),
      }),
    });
  });

  it('runs the CRM import on Glue with bookmarks and the security configuration', () => {
    expect(dev.json).toHaveResourceWithProperties(GlueSecurityConfiguration, {
      encryption_configuration: expect.objectContaining({
        s3_encryption: { s3_encryption_mode: 'SSE-KMS', kms_key_arn: keyArn },
        job_bookmarks_encryption: { job_bookmarks_encryption_mode: 'CSE-KMS', kms_key_arn: keyArn },
      }),
    });
    expect(dev.json).toHaveResourceWithProperties(GlueJob, {
      name: 'tributary-dev-crm-import',
      glue_version: '5.0',
      command: expect.objectContaining({
        name: 'glueetl',
        script_location: expect.stringMatching(/^s3:\/\/.+\/glue-jobs\/crm_import\.py$/),
      }),
      default_arguments: expect.objectContaining({
        '--job-bookmark-option': 'job-bookmark-enable',
        '--extra-py-files': expect.stringMatching(/glue-jobs\/tributary_glue\.zip$/),
        '--additional-python-modules': 'phonenumbers==9.0.43,jsonschema==4.26.0',
      }),
    });
    expect(dev.json).toHaveResourceWithProperties(S3Object, { key: 'glue-jobs/crm_import.py' });
  });

  it('invokes the lake loader for staged import parts', () => {
    expect(dev.json).toHaveResourceWithProperties(S3BucketNotification, {
      lambda_function: [
        expect.objectContaining({
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'crm-import/',
          filter_suffix: '.txt',
        }),
      ],
    });
  });
});

describe('warehouse and analytics', () => {
  it('runs Redshift Serverless privately with a managed admin password and a usage limit', () => {
    expect(dev.json).toHaveResourceWithProperties(RedshiftserverlessNamespace, {
      manage_admin_password: true,
      admin_password_secret_kms_key_id: keyArn,
      iam_roles: [expect.stringContaining('warehouse_role')],
    });
    expect(prod.json).toHaveResourceWithProperties(RedshiftserverlessWorkgroup, {
      publicly_accessible: false,
      enhanced_vpc_routing: true,
      base_capacity: 32,
      max_capacity: 128,
    });
    expect(prod.json).toHaveResourceWithProperties(RedshiftserverlessUsageLimit, {
      usage_type: 'serverless-compute',
      amount: 2000,
      period: 'monthly',
      breach_action: 'emit-metric',
    });
  });

  it('gives the Spectrum role the Glue database, the lake tables and the key, and the refresh its ARN', () => {
    const policy = Object.entries(resourcesOf(dev.tf, 'aws_iam_role_policy')).find(([id]) =>
      id.startsWith('warehouse_role_policy'),
    )?.[1];
    const statements = JSON.parse(String(policy?.policy)).Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    const sid = (name: string) => statements.find((s) => s.Sid === name);
    const glue = sid('SpectrumReadsCatalog');
    expect(glue?.Action).toEqual(
      expect.arrayContaining(['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions']),
    );
    expect(
      glue?.Resource.every((r) =>
        /:catalog$|:database\/tributary_dev$|:table\/tributary_dev\/[a-z_]+$/.test(r),
      ),
    ).toBe(true);
    const lakeReads = sid('ReadLakeTablesAndStaging')?.Resource.filter((r) => r.includes('storage_lake'));
    expect(lakeReads).toEqual(
      GLUE_TABLES.filter((t) => t.bucket === 'lake').map((t) =>
        expect.stringMatching(new RegExp(`/${t.prefix}\\*$`)),
      ),
    );
    expect(sid('UseEnvironmentKey')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [keyArn],
    });
    const resources = statements.flatMap((s) => s.Resource);
    expect(resources).not.toContain('*');
    expect(resources.filter((r) => r.includes('storage_lake') && r.endsWith('.arn}/*'))).toEqual([]);
    const refresh = Object.values(resourcesOf(dev.tf, 'aws_lambda_function')).find(
      (f) => f.function_name === 'tributary-dev-segment-refresh',
    ) as { environment: { variables: Record<string, string> } } | undefined;
    expect(refresh?.environment.variables).toMatchObject({
      TRIBUTARY_GLUE_DATABASE: 'tributary_dev',
      TRIBUTARY_REDSHIFT_ROLE_ARN: expect.stringMatching(
        /^\$\{aws_iam_role\.warehouse_role_[0-9A-F]+\.arn\}$/,
      ),
    });
  });

  it("lets the segment refresh register the lake tables' new dt partitions, and nothing wider", () => {
    const statements = Object.values(resourcesOf(dev.tf, 'aws_iam_role_policy')).flatMap(
      (p) =>
        JSON.parse(String(p.policy)).Statement as { Sid: string; Action: string[]; Resource: string[] }[],
    );
    const register = statements.filter((s) => s.Sid === 'RegisterLakePartitions');
    const list = statements.filter((s) => s.Sid === 'ListLakeDayFolders');

    expect(register).toHaveLength(1);
    expect(register[0]?.Action).toEqual(['glue:GetTable', 'glue:GetPartitions', 'glue:BatchCreatePartition']);
    expect(register[0]?.Resource).toEqual([
      expect.stringMatching(/:catalog$/),
      expect.stringMatching(/:database\/tributary_dev$/),
      ...DT_PARTITIONED_LAKE_TABLES.map((t) =>
        expect.stringMatching(new RegExp(`:table/tributary_dev/${t}$`)),
      ),
    ]);
    expect(list).toEqual([
      expect.objectContaining({
        Action: ['s3:ListBucket'],
        Resource: [expect.stringMatching(/storage_lake.*\.arn\}$/)],
      }),
    ]);
  });

  it('adds QuickSight only behind the flag', () => {
    expect(dev.json).not.toHaveResource(QuicksightDataSource);
    expect(withAnalytics.json).toHaveResourceWithProperties(QuicksightDataSource, { type: 'REDSHIFT' });
    expect(withAnalytics.json).toHaveResourceWithProperties(QuicksightDataSet, {
      import_mode: 'DIRECT_QUERY',
    });
  });
});

describe('monitoring and outputs', () => {
  it('alarms on iterator age, errors and throttles of every function, DLQ, Firehose and throttles', () => {
    const names = Object.values(resourcesOf(dev.tf, 'aws_cloudwatch_metric_alarm')).map((a) => a.metric_name);
    for (const metric of [
      'IteratorAge',
      'Errors',
      'Throttles',
      'ApproximateNumberOfMessagesVisible',
      'DeliveryToS3.Success',
      'PartitionCountExceeded',
      'WriteProvisionedThroughputExceeded',
      'WriteThrottleEvents',
    ]) {
      expect(names).toContain(metric);
    }
    expect(names.filter((n) => n === 'Errors')).toHaveLength(FUNCTION_NAMES.length);
    expect(dev.json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      metric_name: 'IteratorAge',
      threshold: 60000,
      alarm_actions: [expect.stringContaining('aws_sns_topic')],
    });
    expect(dev.json).toHaveResource(CloudwatchDashboard);
  });

  it('outputs the API URL, stream, buckets, tables and workgroup endpoint', () => {
    expect(Object.keys(dev.tf.output)).toEqual(
      expect.arrayContaining([
        'api_url',
        'event_stream',
        'bucket_lake',
        'bucket_firehose_errors',
        'table_profiles',
        'table_checkpoints',
        'redshift_workgroup_endpoint',
      ]),
    );
  });
});

describe('every resource kind', () => {
  it('is one this file asserts on (a new kind must come with its test)', () => {
    const kinds = new Set([...Object.keys(prod.tf.resource), ...Object.keys(withAnalytics.tf.resource)]);
    expect([...kinds].sort()).toEqual(
      [
        'aws_apigatewayv2_api',
        'aws_apigatewayv2_integration',
        'aws_apigatewayv2_route',
        'aws_apigatewayv2_stage',
        'aws_cloudwatch_dashboard',
        'aws_cloudwatch_log_group',
        'aws_cloudwatch_log_stream',
        'aws_cloudwatch_metric_alarm',
        'aws_dynamodb_table',
        'aws_glue_catalog_database',
        'aws_glue_catalog_table',
        'aws_glue_job',
        'aws_glue_security_configuration',
        'aws_iam_role',
        'aws_iam_role_policy',
        'aws_kinesis_firehose_delivery_stream',
        'aws_kinesis_stream',
        'aws_kms_alias',
        'aws_kms_key',
        'aws_lambda_event_source_mapping',
        'aws_lambda_function',
        'aws_lambda_permission',
        'aws_quicksight_data_set',
        'aws_quicksight_data_source',
        'aws_redshiftserverless_namespace',
        'aws_redshiftserverless_usage_limit',
        'aws_redshiftserverless_workgroup',
        'aws_s3_bucket',
        'aws_s3_bucket_lifecycle_configuration',
        'aws_s3_bucket_notification',
        'aws_s3_bucket_ownership_controls',
        'aws_s3_bucket_policy',
        'aws_s3_bucket_public_access_block',
        'aws_s3_bucket_server_side_encryption_configuration',
        'aws_s3_bucket_versioning',
        'aws_s3_object',
        'aws_scheduler_schedule',
        'aws_scheduler_schedule_group',
        'aws_secretsmanager_secret',
        'aws_security_group',
        'aws_sns_topic',
        'aws_sns_topic_subscription',
        'aws_sqs_queue',
        'aws_vpc_security_group_egress_rule',
        'aws_vpc_security_group_ingress_rule',
      ].sort(),
    );
  });

  it('wires the kinds not covered above', () => {
    expect(prod.json).toHaveResourceWithProperties(KmsAlias, { name: 'alias/tributary-prod' });
    expect(prod.json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
    expect(prod.json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ bucket_key_enabled: true })],
    });
    expect(prod.json).toHaveResourceWithProperties(LambdaPermission, {
      principal: 'apigateway.amazonaws.com',
      function_name: expect.stringContaining('fn-collector'),
    });
    expect(prod.json).toHaveResourceWithProperties(LambdaPermission, { principal: 's3.amazonaws.com' });
    expect(prod.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      cidr_ipv4: '10.0.0.0/16',
      from_port: 5439,
      to_port: 5439,
    });
    expect(dev.json).not.toHaveResource(VpcSecurityGroupIngressRule);
    expect(prod.json).toHaveResourceWithProperties(SecurityGroup, { vpc_id: 'vpc-0123456789abcdef0' });
    expect(prod.json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { from_port: 443 });
    expect(prod.json).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: 'email',
      endpoint: 'data-platform-oncall@example.com',
    });
    expect(prod.json).toHaveResourceWithProperties(SnsTopic, { name: 'tributary-prod-alarms' });
    expect(prod.json).toHaveResourceWithProperties(SchedulerScheduleGroup, { name: 'tributary-prod' });
    expect(prod.json).toHaveResourceWithProperties(CloudwatchLogStream, { name: 'S3Delivery' });
    expect(prod.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/lambda/tributary-prod-stream-processor',
      retention_in_days: 90,
    });
    expect(prod.json).toHaveResourceWithProperties(IamRole, { name: 'tributary-prod-collector-fn' });
    expect(prod.json).toHaveResourceWithProperties(IamRolePolicy, {
      name: 'tributary-prod-collector-fn-least-privilege',
    });
    expect(prod.json).toHaveResourceWithProperties(Apigatewayv2Api, { protocol_type: 'HTTP' });
    expect(prod.json).toHaveResourceWithProperties(Apigatewayv2Integration, {
      integration_type: 'AWS_PROXY',
      payload_format_version: '2.0',
    });
  });
});

describe('config', () => {
  it('rejects a bad environment with the field path and reason', () => {
    const bad = structuredClone(DEFAULT_ENVIRONMENTS[0]) as Record<string, unknown>;
    (bad.processing as Record<string, unknown>).parallelizationFactor = 11;
    bad.name = 'Dev';
    expect(() => parseStacksConfig({ environments: [bad] })).toThrow(StacksConfigError);
    expect(() => parseStacksConfig({ environments: [bad] })).toThrow(
      /processing\.parallelizationFactor: .*10/,
    );
    expect(() => parseStacksConfig({ environments: [bad] })).toThrow(/name: /);
  });

  it('rejects duplicate environment names', () => {
    const env = DEFAULT_ENVIRONMENTS[0];
    expect(() => parseStacksConfig({ environments: [env, env] })).toThrow(/duplicate name "dev"/);
  });
});

describe('snapshots', () => {
  it('dev synthesizes to the reviewed Terraform JSON', () => {
    expect(maskHashes(dev.json)).toMatchSnapshot();
  });

  it('prod synthesizes to the reviewed Terraform JSON', () => {
    expect(maskHashes(prod.json)).toMatchSnapshot();
  });
});
