import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { S3_PREFIXES } from '../contracts/aws-resources';
import type { StackContext } from './context';
import type { EventStream } from './event-stream';
import { allow, ServiceRole } from './iam';

/** The JQ query that gives each record its `dt` partition: the event date of `timestamp` (UTC ISO). */
export const DT_EXTRACTION_QUERY = '{dt: .timestamp[0:10]}';

/**
 * Firehose from the Kinesis stream into the lake: records land as GZIP JSON lines (one canonical event
 * per line, the local lake's format) under `events/dt=<event date>/` (dynamic partitioning on the
 * event's own timestamp, not the arrival time); records it cannot partition go to
 * `errors/events/<error type>/` in the lake, and a GZIP copy of every source record goes to the
 * firehose-errors bucket so failures can be replayed. Delivery errors are logged to CloudWatch.
 */
export class LakeDelivery extends Construct {
  readonly firehose: KinesisFirehoseDeliveryStream;
  readonly role: ServiceRole;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly events: EventStream;
      readonly lake: S3Bucket;
      readonly rawBackup: S3Bucket;
    },
  ) {
    super(scope, id);
    const { ctx, lake, rawBackup } = props;
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/kinesisfirehose/${ctx.names.firehose}`,
      retentionInDays: ctx.config.logRetentionDays,
      kmsKeyId: ctx.keyArn,
    });
    const deliveryLog = new CloudwatchLogStream(this, 'delivery-log', {
      name: 'S3Delivery',
      logGroupName: logGroup.name,
    });
    const backupLog = new CloudwatchLogStream(this, 'backup-log', {
      name: 'S3Backup',
      logGroupName: logGroup.name,
    });
    this.role = new ServiceRole(this, 'role', {
      name: `${ctx.names.firehose}-firehose`,
      service: 'firehose.amazonaws.com',
      statements: [
        allow(
          'ReadEventStream',
          [
            'kinesis:DescribeStream',
            'kinesis:DescribeStreamSummary',
            'kinesis:GetShardIterator',
            'kinesis:GetRecords',
            'kinesis:ListShards',
          ],
          [props.events.stream.arn],
        ),
        allow(
          'WriteLakeAndBackup',
          [
            's3:AbortMultipartUpload',
            's3:GetBucketLocation',
            's3:GetObject',
            's3:ListBucket',
            's3:ListBucketMultipartUploads',
            's3:PutObject',
          ],
          [
            lake.arn,
            `${lake.arn}/${S3_PREFIXES.events}*`,
            `${lake.arn}/${S3_PREFIXES.firehoseErrors}*`,
            rawBackup.arn,
            `${rawBackup.arn}/*`,
          ],
        ),
        allow('UseEnvironmentKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [ctx.keyArn]),
        allow('WriteDeliveryLogs', ['logs:PutLogEvents'], [`${logGroup.arn}:log-stream:*`]),
      ],
    });
    const roleArn = this.role.role.arn;
    const cfg = ctx.config.lake;
    this.firehose = new KinesisFirehoseDeliveryStream(this, 'firehose', {
      name: ctx.names.firehose,
      destination: 'extended_s3',
      kinesisSourceConfiguration: { kinesisStreamArn: props.events.stream.arn, roleArn },
      extendedS3Configuration: {
        roleArn,
        bucketArn: lake.arn,
        prefix: `${S3_PREFIXES.events}dt=!{partitionKeyFromQuery:dt}/`,
        errorOutputPrefix: `${S3_PREFIXES.firehoseErrors}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        bufferingSize: cfg.bufferSizeMiB,
        bufferingInterval: cfg.bufferIntervalSeconds,
        compressionFormat: 'GZIP',
        kmsKeyArn: ctx.keyArn,
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.name,
          logStreamName: deliveryLog.name,
        },
        dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: DT_EXTRACTION_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }],
            },
          ],
        },
        s3BackupMode: 'Enabled',
        s3BackupConfiguration: {
          roleArn,
          bucketArn: rawBackup.arn,
          prefix: `${S3_PREFIXES.firehoseRawBackup}dt=!{timestamp:yyyy-MM-dd}/`,
          errorOutputPrefix: `${S3_PREFIXES.firehoseRawBackup}errors/!{firehose:error-output-type}/`,
          compressionFormat: 'GZIP',
          kmsKeyArn: ctx.keyArn,
          bufferingSize: 64,
          bufferingInterval: cfg.bufferIntervalSeconds,
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: logGroup.name,
            logStreamName: backupLog.name,
          },
        },
      },
      dependsOn: [this.role.policy],
    });
  }
}
