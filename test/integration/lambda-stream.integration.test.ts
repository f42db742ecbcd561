import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createDynamoDbSegmentStore } from '../../adapters/aws/dynamodb-segment-store';
import type { ResourceNames } from '../../contracts/aws-resources';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { ProfileStore } from '../../contracts/ports/profile-store';
import { createIdleTick } from '../../runtime/lambda/stream/idle-tick-handler';
import { describeWithAws } from './harness/aws-test-environment';
import { testEvent } from './harness/fixtures';
import { createEsmDriver, readShards, type ShardRecord } from './lambda-support/kinesis-esm-driver';
import {
  comparable,
  runInProcess,
  storedActivityIds,
  storedProfiles,
  streamDepsFor,
  streamProcessorFor,
} from './lambda-support/stream-fixture';

const NOW = Date.parse('2024-05-03T00:00:00.000Z');
const ESM = { batchSize: 25, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true };
/** Hash keys at the start of each half of the hash key space: shard 0 and shard 1 of a 2-shard stream. */
const SHARD_HASH = ['0', '170141183460469231731687303715884105728'];

describeWithAws(
  'Lambda stream processor on an event source mapping, against kinesis-local and moto',
  ['kinesis', 'dynamodb', 's3', 'sqs'],
  (env) => {
    afterAll(async () => {});

    async function setUp() {
      const { names, created } = await env().create({
        tables: ['profiles', 'identities', 'segments', 'state'],
        streamShards: 2,
        buckets: ['lake'],
        deadLetterQueue: true,
      });
      const streamArn = `arn:aws:kinesis:us-east-1:123456789012:stream/${names.stream}`;
      return { names, queueUrl: created.queueUrl as string, streamArn };
    }

    /** Puts events on the stream; `shardOf` pins an event to shard 0 or 1 (default: keyed by person). */
    async function put(
      names: ResourceNames,
      events: readonly CanonicalEvent[],
      shardOf?: (e: CanonicalEvent, i: number) => number,
    ) {
      for (let i = 0; i < events.length; i += 500) {
        const chunk = events.slice(i, i + 500);
        const res = await env().clients.kinesis.send(
          new PutRecordsCommand({
            StreamName: names.stream,
            Records: chunk.map((e, k) => ({
              Data: Buffer.from(JSON.stringify(e)),
              PartitionKey: e.identity.userId ?? e.eventId,
              ...(shardOf ? { ExplicitHashKey: SHARD_HASH[shardOf(e, i + k)] } : {}),
            })),
          }),
        );
        expect(res.FailedRecordCount ?? 0).toBe(0);
      }
      return readShards(env().clients.kinesis, names.stream);
    }

    /** Asserts the stored profiles equal the in-process run's, and every timeline holds each event once. */
    async function expectSameAsInProcess(
      names: ResourceNames,
      shards: ReadonlyMap<string, readonly ShardRecord[]>,
    ) {
      const oracle = await runInProcess(shards, NOW);
      const expected = oracle.profiles.all().sort((a, b) => (a.profileId < b.profileId ? -1 : 1));
      const stored = await storedProfiles(env(), names.tables.profiles);
      expect(stored.map(comparable)).toEqual(expected.map(comparable));
      for (const doc of expected) {
        const ids = await storedActivityIds(env(), names.tables.profiles, doc.profileId, NOW);
        const want = (await oracle.profiles.listActivity(doc.profileId, { limit: 10_000 })).items.map(
          (i) => i.eventId,
        );
        expect(ids.length).toBe(new Set(ids).size);
        expect([...ids].sort()).toEqual([...want].sort());
      }
      return { expected, oracle };
    }

    const events = (count: number, users = 6, from = 0) =>
      Array.from({ length: count }, (_, i) =>
        testEvent(from + i, { identity: { userId: `user-${(from + i) % users}` } }),
      );

    async function jobVersion(names: ResourceNames): Promise<number> {
      const res = await env().clients.dynamodb.send(
        new GetItemCommand({
          TableName: names.tables.state,
          Key: { PK: { S: 'STATE#job#profiles' }, SK: { S: 'HEAD' } },
          ConsistentRead: true,
        }),
      );
      return Number(res.Item?.version?.N ?? '0');
    }

    test('every record applied exactly once: the profiles equal the same pipeline run in process', async () => {
      // Prepare
      const { names, queueUrl, streamArn } = await setUp();
      const shards = await put(names, events(90));
      const driver = createEsmDriver(ESM, {
        handler: streamProcessorFor(env(), names, NOW),
        sqs: env().clients.sqs,
        queueUrl,
        streamArn,
      });

      // Act
      for (const records of shards.values()) await driver.drainShard(records);

      // Assess
      const { expected } = await expectSameAsInProcess(names, shards);
      expect(expected).toHaveLength(6);
      expect(expected.reduce((n, d) => n + d.totalEvents, 0)).toBe(90);
      expect(driver.log).toMatchObject({ functionErrors: 0, partialFailures: 0, sentToDlq: [] });
    });

    test('the same Kinesis batch delivered twice has no second effect', async () => {
      // Prepare
      const { names, queueUrl, streamArn } = await setUp();
      const shards = await put(names, events(40));
      const driver = createEsmDriver(ESM, {
        handler: streamProcessorFor(env(), names, NOW),
        sqs: env().clients.sqs,
        queueUrl,
        streamArn,
      });
      const [first, second] = [...shards.values()];

      // Act
      await driver.deliver((first ?? []).slice(0, 25), 0);
      const afterFirst = await jobVersion(names);
      await driver.deliver((first ?? []).slice(0, 25), 0);
      const afterRedelivery = await jobVersion(names);
      await driver.drainShard(first ?? []);
      await driver.drainShard(second ?? []);
      await driver.drainShard(first ?? []);

      // Assess
      expect(afterRedelivery).toBe(afterFirst);
      const { expected } = await expectSameAsInProcess(names, shards);
      expect(expected.reduce((n, d) => n + d.totalEvents, 0)).toBe(40);
    });

    test('a crash half-way through a batch (store throws after 3 timeline writes) loses and doubles nothing', async () => {
      // Prepare
      const { names, queueUrl, streamArn } = await setUp();
      const shards = await put(names, events(60));
      let writes = 0;
      let crashed = false;
      const crashing = (store: ProfileStore): ProfileStore => ({
        ...store,
        async appendActivity(profileId, items, expiresAtMs) {
          if (!crashed && ++writes > 3) {
            crashed = true;
            throw new Error('injected crash after 3 timeline writes');
          }
          return store.appendActivity(profileId, items, expiresAtMs);
        },
      });
      const driver = createEsmDriver(ESM, {
        handler: streamProcessorFor(env(), names, NOW, { profileStore: crashing }),
        sqs: env().clients.sqs,
        queueUrl,
        streamArn,
      });

      // Act
      for (const records of shards.values()) await driver.drainShard(records);

      // Assess
      expect(crashed).toBe(true);
      expect(driver.log.functionErrors).toBe(1);
      expect(driver.log.sentToDlq).toEqual([]);
      const { expected } = await expectSameAsInProcess(names, shards);
      expect(expected.reduce((n, d) => n + d.totalEvents, 0)).toBe(60);
    });

    test('a poison record ends in the SQS dead-letter queue after bounded retries; every other event counts once', async () => {
      // Prepare: traits of ~420 KB make a profile document DynamoDB refuses (items are at most 400 KB)
      const { names, queueUrl, streamArn } = await setUp();
      const poison = testEvent(999, {
        type: 'identify',
        eventName: 'identify',
        identity: { userId: 'user-poison' },
        traits: { blob: 'x'.repeat(420 * 1024) },
      });
      const all = events(30);
      all.splice(12, 0, poison);
      const shards = await put(names, all, (_e, i) => i % 2);
      const driver = createEsmDriver(ESM, {
        handler: streamProcessorFor(env(), names, NOW),
        sqs: env().clients.sqs,
        queueUrl,
        streamArn,
      });

      // Act
      for (const records of shards.values()) await driver.drainShard(records);

      // Assess
      const poisonRecord = [...shards.values()]
        .flat()
        .find((r) => Buffer.from(r.data).toString('utf8').includes('user-poison'));
      expect(driver.log.sentToDlq).toEqual([
        {
          shardId: poisonRecord?.shardId,
          start: poisonRecord?.sequenceNumber,
          end: poisonRecord?.sequenceNumber,
          size: 1,
        },
      ]);
      const messages = await env().clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      expect(messages.Messages).toHaveLength(1);
      expect(JSON.parse(messages.Messages?.[0]?.Body ?? '{}')).toMatchObject({
        requestContext: { condition: 'RetryAttemptsExhausted' },
        KinesisBatchInfo: {
          shardId: poisonRecord?.shardId,
          startSequenceNumber: poisonRecord?.sequenceNumber,
          batchSize: 1,
        },
      });
      const withoutPoison = new Map(
        [...shards].map(([id, rs]) => [id, rs.filter((r) => r !== poisonRecord)]),
      );
      const { expected } = await expectSameAsInProcess(names, withoutPoison);
      expect(expected.reduce((n, d) => n + d.totalEvents, 0)).toBe(30);
    });

    test('two shards updating one profile at once: both invocations apply, nothing lost or counted twice', async () => {
      // Prepare
      const { names, queueUrl, streamArn } = await setUp();
      const shared = Array.from({ length: 60 }, (_, i) =>
        testEvent(i, {
          identity:
            i % 3 === 0
              ? { userId: 'u-shared', anonymousId: `dev-${i % 2}` }
              : { anonymousId: `dev-${i % 2}` },
        }),
      );
      const shards = await put(names, shared, (_e, i) => i % 2);
      const handler = streamProcessorFor(env(), names, NOW);
      const drivers = [0, 1].map(() =>
        createEsmDriver({ ...ESM, batchSize: 10 }, { handler, sqs: env().clients.sqs, queueUrl, streamArn }),
      );

      // Act
      const lists = [...shards.values()];
      await Promise.all(lists.map((records, i) => drivers[i]?.drainShard(records)));

      // Assess
      expect(lists.every((l) => l.length === 30)).toBe(true);
      const { expected } = await expectSameAsInProcess(names, shards);
      expect(expected).toHaveLength(1);
      expect(expected[0]?.totalEvents).toBe(60);
      expect(drivers.flatMap((d) => d.log.sentToDlq)).toEqual([]);
    });

    test('the idle tick fires time-driven segment changes with no new record, and commits them once', async () => {
      // Prepare: one buyer, processed at NOW; 31 days later, no record arrives
      const { names, queueUrl, streamArn } = await setUp();
      const buyer = [1, 2].map((n) =>
        testEvent(n, { eventName: 'purchase', properties: { amount: 20 }, identity: { userId: 'buyer' } }),
      );
      const shards = await put(names, buyer);
      const driver = createEsmDriver(ESM, {
        handler: streamProcessorFor(env(), names, NOW),
        sqs: env().clients.sqs,
        queueUrl,
        streamArn,
      });
      for (const records of shards.values()) await driver.drainShard(records);
      const [doc] = await storedProfiles(env(), names.tables.profiles);
      const segments = createDynamoDbSegmentStore(
        { tableName: names.tables.segments },
        { dynamodb: env().clients.dynamodb },
      );
      const before = (await segments.getMemberships(doc?.profileId ?? '')).map((m) => m.segmentId);
      const later = NOW + 31 * 24 * 60 * 60 * 1000;
      const tick = createIdleTick({}, streamDepsFor(env(), names, { now: () => later }));

      // Act
      const first = await tick();
      const second = await tick();

      // Assess
      expect(before).toEqual(['recent-repeat-buyers']);
      expect(first).toMatchObject({ ran: true, segmentChanges: 2 });
      expect(second).toMatchObject({ ran: true, segmentChanges: 0 });
      const after = (await segments.getMemberships(doc?.profileId ?? '')).map((m) => m.segmentId);
      expect(after).toEqual(['at-risk-churners']);
      const [again] = await storedProfiles(env(), names.tables.profiles);
      expect(again?.totalEvents).toBe(2);
      expect(await jobVersion(names)).toBe(3);
    });

    test('parallelization factor 2: the partition keys of one shard in batches out of sequence order lose nothing', async () => {
      // Prepare: every record on shard 0; Lambda splits a shard's records into lanes by partition key
      const { names, queueUrl, streamArn } = await setUp();
      const shards = await put(names, events(40, 4), () => 0);
      const records = [...shards.values()].flat();
      const lanes = [0, 1].map((lane) =>
        records.filter((r) => Number(r.partitionKey.slice(-1)) % 2 === lane),
      );
      const driver = createEsmDriver(
        { ...ESM, batchSize: 7 },
        {
          handler: streamProcessorFor(env(), names, NOW),
          sqs: env().clients.sqs,
          queueUrl,
          streamArn,
        },
      );

      // Act: lane 1 first, so lane 0's sequence numbers are all below what was applied from the shard
      await driver.drainShard(lanes[1] ?? []);
      await driver.drainShard(lanes[0] ?? []);

      // Assess
      expect(lanes.every((l) => l.length === 20)).toBe(true);
      const { expected } = await expectSameAsInProcess(names, shards);
      expect(expected.reduce((n, d) => n + d.totalEvents, 0)).toBe(40);
    });
  },
);
