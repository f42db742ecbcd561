/**
 * Lambda entry of the stream processor (Kinesis event source mapping with ReportBatchItemFailures →
 * profile job → DynamoDB). Reads env once, builds clients once, wires `createStreamProcessor`.
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { lazyHandler } from './shared/lazy-handler';
import { streamDepsFromEnv } from './stream/stream-deps';
import { createStreamProcessor } from './stream/stream-processor-handler';

export const handler = lazyHandler<KinesisStreamEvent, Context, KinesisStreamBatchResponse>(async () =>
  createStreamProcessor({}, streamDepsFromEnv('stream-processor', process.env)),
);
