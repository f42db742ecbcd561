import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createDynamoDbProfileStore } from '../../../adapters/aws/dynamodb-profile-store';
import { createDynamoDbSegmentStore } from '../../../adapters/aws/dynamodb-segment-store';
import { createMemoryProfileStore } from '../../../adapters/local/memory-profile-store';
import { createMemorySegmentStore } from '../../../adapters/local/memory-segment-store';
import type { ResourceNames } from '../../../contracts/aws-resources';
import type { ProfileStore } from '../../../contracts/ports/profile-store';
import type { ProfileDocument } from '../../../contracts/profile';
import { type Clock, InMemorySource } from '../../../processors/engine';
import { createProfilePipeline, type PipelineInput } from '../../../processors/pipeline';
import { createSegmentEvaluator, DEFAULT_SEGMENT_DEFINITIONS } from '../../../processors/segments';
import { createObservability } from '../../../runtime/lambda/shared/observability';
import { createDynamoDbJobStateStore } from '../../../runtime/lambda/stream/job-state-store';
import { createS3SideOutputWriter } from '../../../runtime/lambda/stream/s3-side-output-writer';
import {
  createStreamProcessor,
  type StreamProcessorDeps,
} from '../../../runtime/lambda/stream/stream-processor-handler';
import type { AwsTestEnvironment } from '../harness/aws-test-environment';
import type { ShardRecord } from './kinesis-esm-driver';

/** The real-time segments both runtimes evaluate. */
export const SEGMENT_RULES = createSegmentEvaluator(DEFAULT_SEGMENT_DEFINITIONS);

/** The stream processor's dependencies over the emulators' tables and lake bucket, with a given clock. */
export function streamDepsFor(
  env: AwsTestEnvironment,
  names: ResourceNames,
  clock: Clock,
  wrap: { profileStore?: (store: ProfileStore) => ProfileStore } = {},
): StreamProcessorDeps {
  const dynamo = { dynamodb: env.clients.dynamodb };
  const profileStore = createDynamoDbProfileStore(
    { tableName: names.tables.profiles, now: () => clock.now() },
    dynamo,
  );
  return {
    ...createObservability('stream-processor', 'it'),
    jobState: createDynamoDbJobStateStore({ tableName: names.tables.state, jobName: 'profiles' }, dynamo),
    profileStore: wrap.profileStore ? wrap.profileStore(profileStore) : profileStore,
    segmentStore: createDynamoDbSegmentStore({ tableName: names.tables.segments }, dynamo),
    lakeWriter: createS3SideOutputWriter({ bucket: names.buckets!.lake }, { s3: env.clients.s3! }),
    clock,
    segments: SEGMENT_RULES,
  };
}

/** The stream processor over the emulators' tables and lake bucket, with a fixed clock. */
export function streamProcessorFor(
  env: AwsTestEnvironment,
  names: ResourceNames,
  now: number,
  wrap: { profileStore?: (store: ProfileStore) => ProfileStore } = {},
) {
  return createStreamProcessor({ leaseWaitMs: 60_000 }, streamDepsFor(env, names, { now: () => now }, wrap));
}

/** Every profile document in the profiles table. */
export async function storedProfiles(env: AwsTestEnvironment, table: string): Promise<ProfileDocument[]> {
  const out: ProfileDocument[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await env.clients.dynamodb.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'SK = :m',
        ExpressionAttributeValues: { ':m': { S: 'METADATA' } },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const raw = unmarshall(item) as { document: ProfileDocument; version: number };
      out.push({ ...raw.document, version: raw.version });
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start !== undefined);
  return out.sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
}

/** Timeline event ids of a profile in the DynamoDB store (all of them, newest first). */
export async function storedActivityIds(
  env: AwsTestEnvironment,
  table: string,
  profileId: string,
  now: number,
): Promise<string[]> {
  const store = createDynamoDbProfileStore(
    { tableName: table, now: () => now },
    { dynamodb: env.clients.dynamodb },
  );
  const page = await store.listActivity(profileId, { limit: 10_000 });
  return page.items.map((i) => i.eventId);
}

/** A document without what legitimately differs between two runs (write time, store version). */
export function comparable(doc: ProfileDocument): Omit<ProfileDocument, 'updatedAt' | 'version'> {
  const { updatedAt: _u, version: _v, ...rest } = doc;
  return rest;
}

/**
 * The oracle: the same records through the same pipeline in process (memory stores, same clock and
 * segments, no event source mapping, no DynamoDB), stepped until every record was read.
 */
export async function runInProcess(shards: ReadonlyMap<string, readonly ShardRecord[]>, now: number) {
  const inputs = new Map<string, PipelineInput[]>();
  for (const [shardId, records] of shards) {
    inputs.set(
      shardId,
      records.map((r) => ({
        shardId,
        sequenceNumber: r.sequenceNumber,
        data: Buffer.from(r.data).toString('utf8'),
      })),
    );
  }
  const profiles = createMemoryProfileStore({ now: () => now });
  const segments = createMemorySegmentStore();
  const pipeline = createProfilePipeline(
    { idlenessMs: 60_000 },
    {
      source: new InMemorySource(inputs, { bounded: false }),
      profileStore: profiles,
      segmentStore: segments,
      lakeWriter: { write: async () => {}, flush: async () => {} },
      clock: { now: () => now },
      segments: SEGMENT_RULES,
    },
  );
  const total = [...inputs.values()].reduce((n, l) => n + l.length, 0);
  for (let round = 0; round < total + 2; round++) await pipeline.step();
  await pipeline.flush();
  return { profiles, segments, pipeline };
}
