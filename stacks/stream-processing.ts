import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { Construct } from 'constructs';
import type { StackContext } from './context';
import type { EventStream } from './event-stream';
import type { TributaryFunction } from './lambda-function';
import { ScheduledInvoke } from './scheduled-invoke';

/**
 * The stream processor's Kinesis event source mapping and the idle-shard tick. The mapping reports
 * partial batch failures (`ReportBatchItemFailures`: Lambda restarts from the lowest failed sequence
 * number), bisects failing batches, bounds retries and record age, and sends the metadata of records
 * it gives up on to the SQS dead-letter queue.
 */
export class StreamProcessing extends Construct {
  readonly mapping: LambdaEventSourceMapping;
  readonly idleTick: ScheduledInvoke;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly ctx: StackContext;
      readonly events: EventStream;
      readonly processor: TributaryFunction;
      readonly idleTick: TributaryFunction;
      readonly scheduleGroup: string;
    },
  ) {
    super(scope, id);
    const p = props.ctx.config.processing;
    this.mapping = new LambdaEventSourceMapping(this, 'kinesis-mapping', {
      functionName: props.processor.fn.arn,
      eventSourceArn: props.events.stream.arn,
      startingPosition: p.startingPosition,
      batchSize: p.batchSize,
      maximumBatchingWindowInSeconds: p.batchingWindowSeconds,
      parallelizationFactor: p.parallelizationFactor,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: p.maxRetryAttempts,
      maximumRecordAgeInSeconds: p.maxRecordAgeSeconds,
      destinationConfig: { onFailure: { destinationArn: props.events.deadLetterQueue.arn } },
      metricsConfig: { metrics: ['EventCount'] },
      // The role policy must exist before Lambda validates the mapping.
      dependsOn: [props.processor.role.policy],
    });
    this.idleTick = new ScheduledInvoke(this, 'idle-tick', {
      ctx: props.ctx,
      name: `${props.ctx.names.base}-idle-tick`,
      groupName: props.scheduleGroup,
      expression: props.ctx.config.schedules.idleTick,
      target: props.idleTick,
      input: { kind: 'idle-tick' },
      maxEventAgeSeconds: 60,
    });
  }
}
