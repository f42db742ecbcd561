import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PipelineCheckpoint } from '../../processors/pipeline';
import {
  CHECKPOINT_CHUNK_BYTES,
  createDynamoDbJobStateStore,
  JobStateConflictError,
} from '../../runtime/lambda/stream/job-state-store';
import { describeWithAws } from './harness/aws-test-environment';

/** A checkpoint-shaped value of about `bytes` incompressible bytes (the store treats it as opaque). */
function bigCheckpoint(bytes: number, tag: string): PipelineCheckpoint {
  return {
    formatVersion: 1,
    engine: { checkpointId: 1, jobName: tag, takenAt: 0, parallelism: 1, tasks: [] },
    identity: { blob: randomBytes(bytes).toString('base64'), keyed: new Map([['k', -Infinity]]) },
    cleanupWatermark: Number.NEGATIVE_INFINITY,
  } as unknown as PipelineCheckpoint;
}

describeWithAws(
  'Lambda job state store (lease, versioned chunked checkpoint) against moto DynamoDB',
  ['dynamodb'],
  (env) => {
    afterAll(async () => {});

    async function store() {
      const { names } = await env().create({ tables: ['state'] });
      const jobState = createDynamoDbJobStateStore(
        { tableName: names.tables.state, jobName: 'profiles' },
        { dynamodb: env().clients.dynamodb },
      );
      return { jobState, table: names.tables.state };
    }

    test('a checkpoint larger than an item is split in chunks, read back whole; old versions are removed', async () => {
      // Prepare
      const { jobState, table } = await store();
      const first = bigCheckpoint(900_000, 'first');
      const second = bigCheckpoint(500_000, 'second');

      // Act
      const empty = await jobState.load();
      expect(await jobState.tryAcquire('a', 1_000, 60_000)).toBe(true);
      await jobState.commit('a', 0, first);
      const loadedFirst = await jobState.load();
      expect(await jobState.tryAcquire('a', 2_000, 60_000)).toBe(true);
      await jobState.commit('a', 1, second);
      const loadedSecond = await jobState.load();

      // Assess
      expect(empty).toEqual({ version: 0, checkpoint: undefined });
      expect(loadedFirst.version).toBe(1);
      expect(loadedFirst.checkpoint).toEqual(first);
      expect(loadedSecond).toEqual({ version: 2, checkpoint: second });
      const items = await env().clients.dynamodb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'STATE#job#profiles' } },
        }),
      );
      const chunks = (items.Items ?? []).filter((i) => i.SK?.S?.startsWith('CHUNK#'));
      expect(chunks.every((i) => i.SK?.S?.startsWith('CHUNK#000000000002#'))).toBe(true);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.every((i) => (i.data?.B?.length ?? 0) <= CHECKPOINT_CHUNK_BYTES)).toBe(true);
    });

    test('one lease holder at a time; an expired lease can be taken; a writer who lost it cannot commit', async () => {
      // Prepare
      const { jobState } = await store();

      // Act
      const a = await jobState.tryAcquire('a', 10_000, 5_000);
      const bWhileHeld = await jobState.tryAcquire('b', 12_000, 5_000);
      const aAgain = await jobState.tryAcquire('a', 12_000, 5_000);
      const bAfterExpiry = await jobState.tryAcquire('b', 20_000, 5_000);
      const lateCommit = jobState.commit('a', 0, bigCheckpoint(10, 'late'));

      // Assess
      expect([a, bWhileHeld, aAgain, bAfterExpiry]).toEqual([true, false, true, true]);
      await expect(lateCommit).rejects.toThrow(JobStateConflictError);
      await jobState.commit('b', 0, bigCheckpoint(10, 'b'));
      expect((await jobState.load()).version).toBe(1);
    });

    test('a commit on a stale version is refused, and release frees the lease only for its owner', async () => {
      // Prepare
      const { jobState } = await store();
      await jobState.tryAcquire('a', 0, 60_000);
      await jobState.commit('a', 0, bigCheckpoint(10, 'v1'));
      await jobState.tryAcquire('a', 1, 60_000);

      // Act
      const stale = jobState.commit('a', 0, bigCheckpoint(10, 'stale'));
      await expect(stale).rejects.toThrow(JobStateConflictError);
      await jobState.release('b');
      const bWhileAHolds = await jobState.tryAcquire('b', 2, 60_000);
      await jobState.release('a');
      const bAfterRelease = await jobState.tryAcquire('b', 3, 60_000);

      // Assess
      expect([bWhileAHolds, bAfterRelease]).toEqual([false, true]);
      expect((await jobState.load()).version).toBe(1);
    });
  },
);
