import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  DT_PARTITIONED_LAKE_TABLES,
  FUNCTION_ENV,
  type FunctionName,
  resourceNames,
  S3_PREFIXES,
} from '../contracts/aws-resources';
import { Analytics } from './analytics';
import { BatchImport, type GlueJobAssets } from './batch-import';
import { Catalog } from './catalog';
import type { EnvironmentConfig } from './config';
import type { StackContext, StackNames } from './context';
import { Encryption } from './encryption';
import { EventStream } from './event-stream';
import { allow, type PolicyStatement } from './iam';
import { ApiKeys, IngestionApi } from './ingestion-api';
import { LakeDelivery } from './lake-delivery';
import { LakeStorage } from './lake-storage';
import type { LambdaBundles } from './lambda-bundles';
import { TributaryFunction } from './lambda-function';
import { Monitoring } from './monitoring';
import { ScheduledInvoke } from './scheduled-invoke';
import { ServingTables } from './serving-tables';
import { StreamProcessing } from './stream-processing';
import { Warehouse } from './warehouse';

/** Inputs of one environment's stack: its config and the built artifacts it deploys. */
export interface TributaryStackProps {
  readonly config: EnvironmentConfig;
  readonly bundles: LambdaBundles;
  readonly glueAssets: GlueJobAssets;
}

/**
 * One environment of Tributary on AWS: encryption, ingestion API, stream, processing, serving tables,
 * lake and catalog, batch import, warehouse, segment refresh, optional analytics, monitoring, outputs.
 * Each capability is its own construct; this class wires them and writes each function's IAM policy.
 */
export class TributaryStack extends TerraformStack {
  readonly names: StackNames;

  constructor(scope: Construct, id: string, props: TributaryStackProps) {
    super(scope, id);
    const { config, bundles } = props;
    const tags = { application: 'tributary', environment: config.name, 'managed-by': 'cdktf' };
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags }] });
    if (config.backend) {
      new S3Backend(this, {
        bucket: config.backend.bucket,
        key: config.backend.key,
        region: config.backend.region,
        encrypt: true,
        ...(config.backend.dynamodbTable ? { dynamodbTable: config.backend.dynamodbTable } : {}),
      });
    }
    const identity = new DataAwsCallerIdentity(this, 'current');
    const partition = new DataAwsPartition(this, 'partition').partition;
    const accountId = identity.accountId;
    const base = resourceNames({ prefix: config.prefix, environment: config.name, accountId });
    this.names = base as StackNames;
    const region = config.region;
    const encryption = new Encryption(this, 'encryption', {
      alias: base.kmsAlias,
      accountId,
      region,
      partition,
    });
    const ctx: StackContext = {
      config,
      names: this.names,
      accountId,
      region,
      partition,
      keyArn: encryption.key.arn,
      arn: (service, resource) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`,
      tags,
    };
    const names = this.names;

    const storage = new LakeStorage(this, 'storage', ctx);
    const { lake, imports, staging, artifacts } = storage.buckets;
    const events = new EventStream(this, 'events', ctx);
    const serving = new ServingTables(this, 'serving', ctx);
    const keys = new ApiKeys(this, 'keys', ctx);
    const catalog = new Catalog(this, 'catalog', { ctx, bucketNames: names.buckets });
    const warehouse = new Warehouse(this, 'warehouse', { ctx, lake, staging });

    const stream = events.stream.arn;
    const t = serving.tables;
    const tableArns = (...roles: (keyof typeof t)[]) =>
      roles.flatMap((r) => [t[r].arn, `${t[r].arn}/index/*`]);
    const kmsUse = allow('UseEnvironmentKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [ctx.keyArn]);
    const putRecords = allow(
      'PutEvents',
      ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStreamSummary'],
      [stream],
    );
    const lakePrefixes = (...prefixes: string[]) => prefixes.map((p) => `${lake.arn}/${p}*`);
    const readItems = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ];
    const writeItems = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:TransactWriteItems',
    ];
    const workgroupArn = warehouse.workgroup.arn;

    const statements: Readonly<Record<FunctionName, readonly PolicyStatement[]>> = {
      collector: [
        putRecords,
        allow('ReadWriteKeys', ['secretsmanager:GetSecretValue'], [keys.writeKeys.arn]),
        kmsUse,
      ],
      'stream-processor': [
        allow(
          'ReadEventStream',
          [
            'kinesis:DescribeStream',
            'kinesis:DescribeStreamSummary',
            'kinesis:GetRecords',
            'kinesis:GetShardIterator',
            'kinesis:ListShards',
          ],
          [stream],
        ),
        allow(
          'ReadWriteServingAndState',
          [...readItems, ...writeItems],
          tableArns('profiles', 'identities', 'segments', 'state', 'checkpoints'),
        ),
        allow('SendFailuresToDlq', ['sqs:SendMessage'], [events.deadLetterQueue.arn]),
        allow(
          'WriteSideOutputs',
          ['s3:PutObject'],
          lakePrefixes(
            S3_PREFIXES.identityLinks,
            S3_PREFIXES.identityMerges,
            S3_PREFIXES.lateEvents,
            S3_PREFIXES.segmentChanges,
          ),
        ),
        kmsUse,
      ],
      'profile-api': [
        allow('ReadProfiles', readItems, tableArns('profiles', 'identities', 'segments')),
        allow('ReadReadKeys', ['secretsmanager:GetSecretValue'], [keys.readKeys.arn]),
        kmsUse,
      ],
      'segment-refresh': [
        allow(
          'RunSegmentModels',
          ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
          [workgroupArn],
        ),
        allow('GetWorkgroupCredentials', ['redshift-serverless:GetCredentials'], [workgroupArn]),
        {
          Sid: 'DataApiStatementResultsHaveNoResourceLevelPermissions',
          Effect: 'Allow',
          Action: [
            'redshift-data:DescribeStatement',
            'redshift-data:GetStatementResult',
            'redshift-data:CancelStatement',
          ],
          Resource: ['*'],
        },
        allow('SyncSegments', [...readItems, ...writeItems], tableArns('segments')),
        allow('ReadProfilesForSync', readItems, tableArns('profiles')),
        allow('WriteSegmentChanges', ['s3:PutObject'], lakePrefixes(S3_PREFIXES.segmentChanges)),
        // Spectrum reads catalog partitions only: the refresh adds the lake's new dt folders first.
        allow('ListLakeDayFolders', ['s3:ListBucket'], [lake.arn]),
        allow(
          'RegisterLakePartitions',
          ['glue:GetTable', 'glue:GetPartitions', 'glue:BatchCreatePartition'],
          [
            ctx.arn('glue', 'catalog'),
            ctx.arn('glue', `database/${names.glueDatabase}`),
            ...DT_PARTITIONED_LAKE_TABLES.map((t) => ctx.arn('glue', `table/${names.glueDatabase}/${t}`)),
          ],
        ),
        putRecords,
        kmsUse,
      ],
      'lake-loader': [
        allow('ReadStagedImports', ['s3:GetObject'], [`${staging.arn}/${S3_PREFIXES.crmStaged}*`]),
        putRecords,
        kmsUse,
      ],
      // Fires due event-time timers of idle shards straight against the state (injecting tick records
      // into the stream would send them on to Firehose and the lake).
      'idle-tick': [
        allow('ListShards', ['kinesis:ListShards', 'kinesis:DescribeStreamSummary'], [stream]),
        allow('ReadIdentities', readItems, tableArns('identities')),
        allow(
          'FireTimersIntoServingAndState',
          [...readItems, ...writeItems],
          tableArns('profiles', 'segments', 'state', 'checkpoints'),
        ),
        allow('WriteSegmentChanges', ['s3:PutObject'], lakePrefixes(S3_PREFIXES.segmentChanges)),
        kmsUse,
      ],
    };
    const environment: Record<string, string> = {
      [FUNCTION_ENV.environment]: config.name,
      [FUNCTION_ENV.stream]: names.stream,
      [FUNCTION_ENV.profilesTable]: names.tables.profiles,
      [FUNCTION_ENV.identitiesTable]: names.tables.identities,
      [FUNCTION_ENV.segmentsTable]: names.tables.segments,
      [FUNCTION_ENV.checkpointsTable]: names.tables.checkpoints,
      [FUNCTION_ENV.stateTable]: names.tables.state,
      [FUNCTION_ENV.lakeBucket]: names.buckets.lake,
      [FUNCTION_ENV.stagingBucket]: names.buckets.staging,
      [FUNCTION_ENV.writeKeysSecret]: names.writeKeysSecret,
      [FUNCTION_ENV.readKeysSecret]: names.readKeysSecret,
      [FUNCTION_ENV.workgroup]: names.redshiftWorkgroup,
      [FUNCTION_ENV.database]: names.redshiftDatabase,
      [FUNCTION_ENV.glueDatabase]: names.glueDatabase,
      [FUNCTION_ENV.redshiftRole]: warehouse.role.role.arn,
    };
    const fn = (name: FunctionName) =>
      new TributaryFunction(this, `fn-${name}`, {
        ctx,
        name,
        bundle: bundles[name],
        statements: statements[name],
        environment,
      });
    const functions = {
      collector: fn('collector'),
      'stream-processor': fn('stream-processor'),
      'profile-api': fn('profile-api'),
      'segment-refresh': fn('segment-refresh'),
      'lake-loader': fn('lake-loader'),
      'idle-tick': fn('idle-tick'),
    } satisfies Record<FunctionName, TributaryFunction>;

    const api = new IngestionApi(this, 'ingestion', {
      ctx,
      collector: functions.collector,
      profileApi: functions['profile-api'],
    });
    const scheduleGroup = new SchedulerScheduleGroup(this, 'schedules', { name: names.scheduleGroup });
    new StreamProcessing(this, 'processing', {
      ctx,
      events,
      processor: functions['stream-processor'],
      idleTick: functions['idle-tick'],
      scheduleGroup: scheduleGroup.name,
    });
    const delivery = new LakeDelivery(this, 'lake-delivery', {
      ctx,
      events,
      lake,
      rawBackup: storage.buckets['firehose-errors'],
    });
    new BatchImport(this, 'batch-import', {
      ctx,
      assets: props.glueAssets,
      artifacts,
      imports,
      staging,
      catalog,
      lakeLoader: functions['lake-loader'],
    });
    new ScheduledInvoke(this, 'segment-refresh', {
      ctx,
      name: `${names.base}-segment-refresh`,
      groupName: scheduleGroup.name,
      expression: config.schedules.segmentRefresh,
      target: functions['segment-refresh'],
      input: { kind: 'segment-refresh' },
      maxEventAgeSeconds: 900,
    });
    if (config.analytics.enabled) {
      new Analytics(this, 'analytics', { ctx, config: config.analytics, warehouse });
    }
    const monitoring = new Monitoring(this, 'monitoring', {
      ctx,
      watch: {
        events,
        firehoseName: delivery.firehose.name,
        apiId: api.api.id,
        tableNames: names.tables,
      },
    });

    const output = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output('api_url', api.stage.invokeUrl, 'Collector and Profile API base URL');
    output('event_stream', events.stream.name, 'Kinesis stream name');
    output('dead_letter_queue_url', events.deadLetterQueue.url, 'Stream processor DLQ');
    for (const [role, bucket] of Object.entries(storage.buckets)) {
      output(`bucket_${role.replace(/-/g, '_')}`, bucket.bucket, `${role} bucket`);
    }
    for (const [role, table] of Object.entries(serving.tables)) {
      output(`table_${role}`, table.name, `${role} table`);
    }
    output('glue_database', catalog.database.name, 'Glue database of the lake');
    output('crm_import_job', names.glueCrmImportJob, 'Glue CRM import job');
    output(
      'redshift_workgroup_endpoint',
      warehouse.workgroup.endpoint.get(0).address,
      'Redshift workgroup endpoint',
    );
    output(
      'redshift_admin_secret_arn',
      warehouse.namespace.adminPasswordSecretArn,
      'Managed admin password secret',
    );
    output('write_keys_secret', keys.writeKeys.name, 'Collector write keys secret');
    output('read_keys_secret', keys.readKeys.name, 'Profile API read keys secret');
    output('alarm_topic_arn', monitoring.topic.arn, 'Alarm SNS topic');
    output('kms_key_arn', encryption.key.arn, 'Environment KMS key');
  }
}
