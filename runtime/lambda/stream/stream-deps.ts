import { createDynamoDbProfileStore } from '../../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../../adapters/aws/dynamodb-segment-store';
import type { FunctionName } from '../../../contracts/aws-resources';
import { systemClock } from '../../../processors/engine';
import { createSegmentEvaluator, DEFAULT_SEGMENT_DEFINITIONS } from '../../../processors/segments';
import { buildLambdaClients } from '../shared/aws-clients';
import { readLambdaEnv } from '../shared/lambda-env';
import { createObservability } from '../shared/observability';
import { createDynamoDbJobStateStore } from './job-state-store';
import { createS3SideOutputWriter } from './s3-side-output-writer';
import type { StreamProcessorDeps } from './stream-processor-handler';

/** Name of the profile job; its state lives at `STATE#job#<name>`. */
export const PROFILE_JOB = 'profiles';

/**
 * The stream processor's and idle tick's dependencies from the function's environment (read once by
 * the entry file): DynamoDB job state, profile and segment stores, S3 side outputs, the default
 * real-time segments, the system clock.
 */
export function streamDepsFromEnv(
  fn: FunctionName,
  processEnv: Readonly<Record<string, string | undefined>>,
): StreamProcessorDeps {
  const env = readLambdaEnv(processEnv, [
    'environment',
    'profilesTable',
    'segmentsTable',
    'stateTable',
    'lakeBucket',
  ]);
  const clients = buildLambdaClients();
  const dynamo = { dynamodb: clients.dynamodb() };
  return {
    ...createObservability(fn, env.environment),
    jobState: createDynamoDbJobStateStore({ tableName: env.stateTable, jobName: PROFILE_JOB }, dynamo),
    profileStore: createDynamoDbProfileStore({ tableName: env.profilesTable }, dynamo),
    segmentStore: createDynamoDbSegmentStore({ tableName: env.segmentsTable }, dynamo),
    lakeWriter: createS3SideOutputWriter({ bucket: env.lakeBucket }, { s3: clients.s3() }),
    clock: systemClock,
    segments: createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS),
  };
}
