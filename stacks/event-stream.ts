import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { DEAD_LETTER_QUEUE } from '../contracts/aws-resources';
import type { StackContext } from './context';

/**
 * The event log: a Kinesis stream (on-demand or provisioned per environment, SSE with the environment
 * key, configured retention, shard-level metrics for the alarms) and the stream processor's on-failure
 * dead-letter queue (SQS, same key, 14 days).
 */
export class EventStream extends Construct {
  readonly stream: KinesisStream;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, ctx: StackContext) {
    super(scope, id);
    const cfg = ctx.config.stream;
    this.stream = new KinesisStream(this, 'stream', {
      name: ctx.names.stream,
      streamModeDetails: { streamMode: cfg.mode },
      ...(cfg.mode === 'PROVISIONED' ? { shardCount: cfg.shardCount } : {}),
      retentionPeriod: cfg.retentionHours,
      encryptionType: 'KMS',
      kmsKeyId: ctx.keyArn,
      shardLevelMetrics: ['IncomingRecords', 'IteratorAgeMilliseconds', 'WriteProvisionedThroughputExceeded'],
      enforceConsumerDeletion: false,
    });
    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: ctx.names.deadLetterQueue,
      kmsMasterKeyId: ctx.keyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: DEAD_LETTER_QUEUE.messageRetentionSeconds,
    });
  }
}
