import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { stateKey } from '../../contracts/aws-resources';
import type { Checkpoint, CheckpointStorage } from '../../processors/engine/checkpoint/checkpoint';
import { AwsAdapterError } from './aws-adapter-error';
import { batchGetAll, batchWriteAll, type DynamoDeps, queryAll } from './dynamodb-batch';
import { describeError } from './retry';

/** The `state` table of `TABLES` and how many completed checkpoints per job to keep. */
export interface DynamoDbCheckpointStorageConfig {
  readonly tableName: string;
  /** Completed checkpoints kept per job (older parts are deleted); default 3. */
  readonly retain?: number;
  /** Bytes per part item (under DynamoDB's 400 KB item limit); default 350 KiB. */
  readonly partBytes?: number;
}

const LATEST_SK = 'CHECKPOINT#LATEST';
const PART_PREFIX = 'CHECKPOINT#';
const partSk = (id: number, part: number) =>
  `${PART_PREFIX}${String(id).padStart(12, '0')}#${String(part).padStart(5, '0')}`;

/** The engine's checkpoint port, asynchronous as DynamoDB is. */
export interface DynamoDbCheckpointStorage extends CheckpointStorage {
  store(checkpoint: Checkpoint): Promise<void>;
  latest(jobName: string): Promise<Checkpoint | undefined>;
}

/**
 * The engine's `CheckpointStorage` in the state table, for a job whose checkpoints outgrow a local
 * disk (the local runtime reading Kinesis on a machine that may be replaced). A checkpoint is V8-
 * serialized (Maps survive), gzipped and split into part items `STATE#checkpoint#<job>` /
 * `CHECKPOINT#<id>#<part>`; it becomes the latest only when the pointer item `CHECKPOINT#LATEST` is
 * written, conditioned on a smaller id, so a half-written checkpoint is never read and a stale writer
 * (a zombie after a failover) cannot replace a newer checkpoint: its `store` throws.
 */
export function createDynamoDbCheckpointStorage(
  config: DynamoDbCheckpointStorageConfig,
  deps: DynamoDeps,
): DynamoDbCheckpointStorage {
  const table = config.tableName;
  const retain = config.retain ?? 3;
  const partBytes = config.partBytes ?? 350 * 1024;
  if (!Number.isInteger(retain) || retain < 1) throw new RangeError('retain must be an integer ≥ 1');
  const pk = (jobName: string) => ({ S: stateKey('checkpoint', jobName) });

  return {
    async store(checkpoint: Checkpoint) {
      const bytes = gzipSync(serialize(checkpoint));
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.byteLength; i += partBytes) parts.push(bytes.subarray(i, i + partBytes));
      if (parts.length === 0) parts.push(Buffer.alloc(0));
      const id = checkpoint.checkpointId;
      await batchWriteAll(
        deps,
        table,
        ['PK', 'SK'],
        parts.map((data, i) => ({
          put: { PK: pk(checkpoint.jobName), SK: { S: partSk(id, i) }, data: { B: data } },
        })),
      );
      try {
        await deps.dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: {
              PK: pk(checkpoint.jobName),
              SK: { S: LATEST_SK },
              checkpointId: { N: String(id) },
              parts: { N: String(parts.length) },
              takenAt: { N: String(checkpoint.takenAt) },
            },
            ConditionExpression: 'attribute_not_exists(PK) OR checkpointId < :id',
            ExpressionAttributeValues: { ':id': { N: String(id) } },
          }),
        );
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
          throw new AwsAdapterError(
            `checkpoint ${id} of ${checkpoint.jobName} is not newer than the stored one (another writer took over?)`,
            { cause: error },
          );
        }
        throw new AwsAdapterError(`storing checkpoint ${id} failed: ${describeError(error)}`, {
          cause: error,
        });
      }
      // Retention: parts of checkpoints older than the last `retain` ones go.
      const stored = await queryAll(deps, {
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk(checkpoint.jobName), ':prefix': { S: PART_PREFIX } },
        ProjectionExpression: 'PK, SK',
      });
      const ids = [
        ...new Set(
          stored.flatMap((i) => {
            const m = /^CHECKPOINT#(\d{12})#/.exec(i.SK?.S ?? '');
            return m ? [Number(m[1])] : [];
          }),
        ),
      ].sort((a, b) => a - b);
      const keep = new Set(ids.filter((i) => i <= id).slice(-retain));
      const drop = stored.filter((i) => {
        const m = /^CHECKPOINT#(\d{12})#/.exec(i.SK?.S ?? '');
        return m !== null && Number(m[1]) < id && !keep.has(Number(m[1]));
      });
      await batchWriteAll(
        deps,
        table,
        ['PK', 'SK'],
        drop.map((i) => ({ delete: { PK: i.PK!, SK: i.SK! } })),
      );
    },

    async latest(jobName: string) {
      const res = await deps.dynamodb.send(
        new GetItemCommand({
          TableName: table,
          Key: { PK: pk(jobName), SK: { S: LATEST_SK } },
          ConsistentRead: true,
        }),
      );
      if (res.Item === undefined) return undefined;
      const id = Number(res.Item.checkpointId?.N);
      const count = Number(res.Item.parts?.N);
      const parts = await batchGetAll(
        deps,
        table,
        ['PK', 'SK'],
        Array.from({ length: count }, (_, i) => ({ PK: pk(jobName), SK: { S: partSk(id, i) } })),
      );
      if (parts.some((p) => p === undefined)) {
        throw new AwsAdapterError(`checkpoint ${id} of ${jobName} is missing parts`);
      }
      return deserialize(gunzipSync(Buffer.concat(parts.map((p) => Buffer.from(p!.data!.B!))))) as Checkpoint;
    },
  };
}
