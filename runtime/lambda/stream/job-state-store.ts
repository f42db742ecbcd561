import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { stateKey } from '../../../contracts/aws-resources';
import type { PipelineCheckpoint } from '../../../processors/pipeline';

/** Largest chunk of a serialized checkpoint per item (DynamoDB items are at most 400 KB). */
export const CHECKPOINT_CHUNK_BYTES = 350_000;

/** A loaded job state: the checkpoint (undefined before the first commit) and the version it had. */
export interface LoadedJobState {
  readonly version: number;
  readonly checkpoint: PipelineCheckpoint | undefined;
}

/** The stored job state changed under us (lease lost, or a second writer): nothing was committed. */
export class JobStateConflictError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobStateConflictError';
  }
}

/**
 * The profile job's checkpoint in the `state` table, guarded by a lease: one writer at a time holds
 * `STATE#job#<jobName>` / `HEAD`, which names the committed version and how many chunks it has.
 */
export interface JobStateStore {
  /** Takes the lease if it is free, expired or already ours; false when another owner holds it. */
  tryAcquire(owner: string, nowMs: number, leaseMs: number): Promise<boolean>;
  /** The last committed checkpoint (consistent read). */
  load(): Promise<LoadedJobState>;
  /**
   * Writes the checkpoint as version `expectedVersion + 1` and releases the lease, on condition that the
   * head is still at `expectedVersion` and the lease is `owner`'s; throws `JobStateConflictError` if not.
   */
  commit(owner: string, expectedVersion: number, checkpoint: PipelineCheckpoint): Promise<void>;
  /** Gives the lease back without committing (after a failed batch). */
  release(owner: string): Promise<void>;
}

const HEAD_SK = 'HEAD';
const chunkSk = (version: number, index: number) =>
  `CHUNK#${String(version).padStart(12, '0')}#${String(index).padStart(5, '0')}`;

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException'
  );
}

/** The checkpoint as bytes: v8 serialization (Maps, ±∞) then GZIP. */
export function encodeCheckpoint(checkpoint: PipelineCheckpoint): Buffer {
  return gzipSync(serialize(checkpoint));
}

/** The inverse of {@link encodeCheckpoint}. */
export function decodeCheckpoint(bytes: Uint8Array): PipelineCheckpoint {
  return deserialize(gunzipSync(bytes)) as PipelineCheckpoint;
}

/** The job state store on DynamoDB (`TABLES.state`): lease and version on the head, chunks beside it. */
export function createDynamoDbJobStateStore(
  config: { readonly tableName: string; readonly jobName: string },
  deps: { readonly dynamodb: Pick<DynamoDBClient, 'send'> },
): JobStateStore {
  const TableName = config.tableName;
  const pk = stateKey('job', config.jobName);
  const head = { PK: { S: pk }, SK: { S: HEAD_SK } };

  return {
    async tryAcquire(owner, nowMs, leaseMs) {
      try {
        await deps.dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: head,
            UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
            ConditionExpression:
              'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
            ExpressionAttributeValues: {
              ':owner': { S: owner },
              ':until': { N: String(nowMs + leaseMs) },
              ':now': { N: String(nowMs) },
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async load() {
      const res = await deps.dynamodb.send(
        new GetItemCommand({ TableName, Key: head, ConsistentRead: true }),
      );
      const version = Number(res.Item?.version?.N ?? '0');
      const chunks = Number(res.Item?.chunks?.N ?? '0');
      if (version === 0 || chunks === 0) return { version, checkpoint: undefined };
      const parts: Uint8Array[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await deps.dynamodb.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: {
              ':pk': { S: pk },
              ':prefix': { S: `CHUNK#${String(version).padStart(12, '0')}#` },
            },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) if (item.data?.B) parts.push(item.data.B);
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      if (parts.length !== chunks) {
        throw new JobStateConflictError(
          `job state version ${version} has ${parts.length} of ${chunks} chunks`,
        );
      }
      return { version, checkpoint: decodeCheckpoint(Buffer.concat(parts)) };
    },

    async commit(owner, expectedVersion, checkpoint) {
      const bytes = encodeCheckpoint(checkpoint);
      const next = expectedVersion + 1;
      const count = Math.max(1, Math.ceil(bytes.length / CHECKPOINT_CHUNK_BYTES));
      // Chunks of the next version first: the head only points at them once all are stored.
      for (let i = 0; i < count; i++) {
        await deps.dynamodb.send(
          new PutItemCommand({
            TableName,
            Item: {
              PK: { S: pk },
              SK: { S: chunkSk(next, i) },
              data: { B: bytes.subarray(i * CHECKPOINT_CHUNK_BYTES, (i + 1) * CHECKPOINT_CHUNK_BYTES) },
            },
          }),
        );
      }
      try {
        await deps.dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: head,
            UpdateExpression:
              'SET version = :next, chunks = :chunks, bytes = :bytes REMOVE leaseOwner, leaseUntil',
            ConditionExpression:
              expectedVersion === 0
                ? 'attribute_not_exists(version) AND leaseOwner = :owner'
                : 'version = :expected AND leaseOwner = :owner',
            ExpressionAttributeValues: {
              ':next': { N: String(next) },
              ':chunks': { N: String(count) },
              ':bytes': { N: String(bytes.length) },
              ':owner': { S: owner },
              ...(expectedVersion === 0 ? {} : { ':expected': { N: String(expectedVersion) } }),
            },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new JobStateConflictError(
            `job state moved past version ${expectedVersion} or the lease was lost; batch not committed`,
            { cause: error },
          );
        }
        throw error;
      }
      // Old chunks are garbage now; a version is only read through the head, so leaving them is safe.
      // They are removed best-effort to keep the partition small.
      if (expectedVersion > 0) await deleteVersion(expectedVersion).catch(() => {});
    },

    async release(owner) {
      try {
        await deps.dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: head,
            UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :owner',
            ExpressionAttributeValues: { ':owner': { S: owner } },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };

  async function deleteVersion(version: number): Promise<void> {
    for (let i = 0; ; i++) {
      const res = await deps.dynamodb.send(
        new DeleteItemCommand({
          TableName,
          Key: { PK: { S: pk }, SK: { S: chunkSk(version, i) } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (res.Attributes === undefined) return;
    }
  }
}
