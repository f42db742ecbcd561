import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { FUNCTION_NAMES } from '../contracts/aws-resources';
import type { StackContext } from './context';
import type { EventStream } from './event-stream';

/** What the monitoring watches. */
export interface MonitoredResources {
  readonly events: EventStream;
  readonly firehoseName: string;
  readonly apiId: string;
  /** Table name by role (`profiles` → `tributary-dev-profiles`). */
  readonly tableNames: Readonly<Record<string, string>>;
}

/**
 * Alarms to an encrypted SNS topic (e-mail subscriptions from the config) and one dashboard: iterator
 * age of the stream processor, errors and throttles of every function, DLQ depth, Firehose delivery
 * and conversion failures and freshness, Kinesis write throttling, DynamoDB throttles, API 5xx.
 */
export class Monitoring extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: { readonly ctx: StackContext; readonly watch: MonitoredResources },
  ) {
    super(scope, id);
    const { ctx, watch } = props;
    this.topic = new SnsTopic(this, 'topic', { name: ctx.names.alarmTopic, kmsMasterKeyId: ctx.keyArn });
    ctx.config.alarms.emails.forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      });
    });
    const alarm = (
      uid: string,
      a: {
        description: string;
        namespace: string;
        metricName: string;
        dimensions: Record<string, string>;
        statistic: 'Sum' | 'Maximum' | 'Minimum';
        threshold: number;
        comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold';
        periodSeconds?: number;
        evaluationPeriods?: number;
        treatMissingData?: 'notBreaching' | 'breaching';
      },
    ) => {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, uid, {
          alarmName: `${ctx.names.base}-${uid}`,
          alarmDescription: a.description,
          namespace: a.namespace,
          metricName: a.metricName,
          dimensions: a.dimensions,
          statistic: a.statistic,
          period: a.periodSeconds ?? 300,
          evaluationPeriods: a.evaluationPeriods ?? 1,
          threshold: a.threshold,
          comparisonOperator: a.comparison,
          treatMissingData: a.treatMissingData ?? 'notBreaching',
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
      );
    };
    const processorName = ctx.names.functions['stream-processor'];
    alarm('iterator-age', {
      description: 'Stream processor is falling behind the event stream',
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      dimensions: { FunctionName: processorName },
      statistic: 'Maximum',
      threshold: ctx.config.alarms.iteratorAgeMs,
      comparison: 'GreaterThanThreshold',
      periodSeconds: 60,
      evaluationPeriods: 5,
    });
    for (const name of FUNCTION_NAMES) {
      const dims = { FunctionName: ctx.names.functions[name] };
      alarm(`${name}-errors`, {
        description: `${name}: invocations failed`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: dims,
        statistic: 'Sum',
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
      });
      alarm(`${name}-throttles`, {
        description: `${name}: invocations throttled`,
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensions: dims,
        statistic: 'Sum',
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
      });
    }
    alarm('dlq-depth', {
      description: 'Records the stream processor gave up on are waiting in the dead-letter queue',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: ctx.names.deadLetterQueue },
      statistic: 'Maximum',
      threshold: ctx.config.alarms.dlqDepth,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
    alarm('stream-write-throttled', {
      description: 'Kinesis refused writes (provisioned throughput exceeded)',
      namespace: 'AWS/Kinesis',
      metricName: 'WriteProvisionedThroughputExceeded',
      dimensions: { StreamName: ctx.names.stream },
      statistic: 'Sum',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
    const firehose = { DeliveryStreamName: watch.firehoseName };
    alarm('firehose-delivery-failed', {
      description: 'Firehose could not deliver to S3',
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.Success',
      dimensions: firehose,
      statistic: 'Minimum',
      threshold: 1,
      comparison: 'LessThanThreshold',
      evaluationPeriods: 3,
    });
    alarm('firehose-partitioning-failed', {
      description: 'Firehose could not partition records by event date (they went to errors/events/)',
      namespace: 'AWS/Firehose',
      metricName: 'PartitionCountExceeded',
      dimensions: firehose,
      statistic: 'Sum',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
    alarm('firehose-freshness', {
      description: 'Oldest record in Firehose is older than two buffer intervals plus 15 minutes',
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensions: firehose,
      statistic: 'Maximum',
      threshold: 2 * ctx.config.lake.bufferIntervalSeconds + 900,
      comparison: 'GreaterThanThreshold',
    });
    alarm('api-5xx', {
      description: 'HTTP API answered 5xx',
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: watch.apiId },
      statistic: 'Sum',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
    for (const [role, table] of Object.entries(watch.tableNames)) {
      for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents'] as const) {
        alarm(`${role}-table-${metric === 'ReadThrottleEvents' ? 'read' : 'write'}-throttles`, {
          description: `DynamoDB ${role} table: ${metric}`,
          namespace: 'AWS/DynamoDB',
          metricName: metric,
          dimensions: { TableName: table },
          statistic: 'Sum',
          threshold: 1,
          comparison: 'GreaterThanOrEqualToThreshold',
        });
      }
    }

    const region = ctx.region;
    const metricWidget = (title: string, metrics: unknown[][], x: number, y: number) => ({
      type: 'metric',
      x,
      y,
      width: 12,
      height: 6,
      properties: { title, region, metrics, period: 60, stat: 'Sum', view: 'timeSeries' },
    });
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: ctx.names.dashboard,
      dashboardBody: JSON.stringify({
        widgets: [
          metricWidget(
            'Events into the stream',
            [['AWS/Kinesis', 'IncomingRecords', 'StreamName', ctx.names.stream]],
            0,
            0,
          ),
          metricWidget(
            'Stream processor iterator age (ms)',
            [['AWS/Lambda', 'IteratorAge', 'FunctionName', processorName, { stat: 'Maximum' }]],
            12,
            0,
          ),
          metricWidget(
            'Function errors',
            FUNCTION_NAMES.map((n) => ['AWS/Lambda', 'Errors', 'FunctionName', ctx.names.functions[n]]),
            0,
            6,
          ),
          metricWidget(
            'Function throttles',
            FUNCTION_NAMES.map((n) => ['AWS/Lambda', 'Throttles', 'FunctionName', ctx.names.functions[n]]),
            12,
            6,
          ),
          metricWidget(
            'Lake delivery',
            [
              ['AWS/Firehose', 'DeliveryToS3.Records', 'DeliveryStreamName', watch.firehoseName],
              ['AWS/Firehose', 'FailedConversion.Records', 'DeliveryStreamName', watch.firehoseName],
            ],
            0,
            12,
          ),
          metricWidget(
            'Dead-letter queue depth',
            [
              [
                'AWS/SQS',
                'ApproximateNumberOfMessagesVisible',
                'QueueName',
                ctx.names.deadLetterQueue,
                { stat: 'Maximum' },
              ],
            ],
            12,
            12,
          ),
          metricWidget(
            'API requests and errors',
            [
              ['AWS/ApiGateway', 'Count', 'ApiId', watch.apiId],
              ['AWS/ApiGateway', '4xx', 'ApiId', watch.apiId],
              ['AWS/ApiGateway', '5xx', 'ApiId', watch.apiId],
            ],
            0,
            18,
          ),
        ],
      }),
    });
  }
}
