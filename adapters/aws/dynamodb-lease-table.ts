import { GetItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LeaseItem } from '../../contracts/aws-resources';
import { AwsAdapterError } from './aws-adapter-error';
import type { DynamoDeps } from './dynamodb-batch';
import { describeError } from './retry';

/** KCL's checkpoint value for "nothing processed yet: start at the oldest record". */
export const TRIM_HORIZON = 'TRIM_HORIZON';

/** The `checkpoints` table of `TABLES` and who this consumer is. */
export interface DynamoDbLeaseTableConfig {
  readonly tableName: string;
  /** This worker's id (KCL's `leaseOwner`). */
  readonly owner: string;
}

/** Outcome of a lease write: `lease-lost` when another worker holds the shard's lease now. */
export type LeaseWriteResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'lease-lost'; readonly shardId: string };

/**
 * A consumer's checkpoints in a DynamoDB table of the KCL lease-table shape (one `LeaseItem` per shard,
 * `leaseKey` = shard id, `checkpoint` = last processed sequence number, `leaseCounter` bumped on every
 * write), so KCL tooling can read it. Checkpoints are written only while this worker holds the lease.
 */
export interface DynamoDbLeaseTable {
  list(): Promise<LeaseItem[]>;
  /** The last processed sequence number of a shard, or {@link TRIM_HORIZON}. */
  checkpointOf(shardId: string): Promise<string>;
  /**
   * Takes the shard's lease: a new lease, one this worker holds, or (as the KCL does with an expired
   * lease) one whose `leaseCounter` is still `observedCounter` (its holder stopped renewing it).
   */
  take(shardId: string, observedCounter?: number): Promise<LeaseWriteResult>;
  /** Records the last processed sequence number of each shard given, each only if the lease is ours. */
  checkpoint(lastProcessed: ReadonlyMap<string, string>): Promise<LeaseWriteResult>;
}

/** Creates the DynamoDB lease table adapter. */
export function createDynamoDbLeaseTable(
  config: DynamoDbLeaseTableConfig,
  deps: DynamoDeps,
): DynamoDbLeaseTable {
  const table = config.tableName;
  const parse = (item: Record<string, unknown>): LeaseItem => {
    const parsed = LeaseItem.safeParse(item);
    if (!parsed.success)
      throw new AwsAdapterError(`lease ${String(item.leaseKey)} is not a LeaseItem`, { cause: parsed.error });
    return parsed.data;
  };
  const update = async (
    shardId: string,
    input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>,
  ) => {
    try {
      await deps.dynamodb.send(
        new UpdateItemCommand({ TableName: table, Key: { leaseKey: { S: shardId } }, ...input }),
      );
      return { ok: true } as const;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        return { ok: false, reason: 'lease-lost', shardId } as const;
      }
      throw new AwsAdapterError(`lease write for ${shardId} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  };

  return {
    async list() {
      const out: LeaseItem[] = [];
      let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const res = await deps.dynamodb.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of res.Items ?? []) out.push(parse(unmarshall(item)));
        start = res.LastEvaluatedKey;
      } while (start !== undefined);
      return out.sort((a, b) => a.leaseKey.localeCompare(b.leaseKey));
    },

    async checkpointOf(shardId) {
      const res = await deps.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { leaseKey: { S: shardId } }, ConsistentRead: true }),
      );
      return res.Item === undefined ? TRIM_HORIZON : parse(unmarshall(res.Item)).checkpoint;
    },

    async take(shardId, observedCounter) {
      // KCL counts an owner switch only when the lease had another owner.
      const set = (ownerSwitch: 0 | 1) => ({
        UpdateExpression:
          'SET leaseOwner = :me, checkpoint = if_not_exists(checkpoint, :trim), ' +
          'checkpointSubSequenceNumber = if_not_exists(checkpointSubSequenceNumber, :zero), ' +
          `ownerSwitchesSinceCheckpoint = if_not_exists(ownerSwitchesSinceCheckpoint, :zero) + :switch ` +
          'ADD leaseCounter :one',
        values: {
          ':me': { S: config.owner },
          ':trim': { S: TRIM_HORIZON },
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':switch': { N: String(ownerSwitch) },
        },
      });
      const mine = set(0);
      const res = await update(shardId, {
        UpdateExpression: mine.UpdateExpression,
        ConditionExpression:
          'attribute_not_exists(leaseKey) OR leaseOwner = :me OR attribute_not_exists(leaseOwner)',
        ExpressionAttributeValues: mine.values,
      });
      if (res.ok || observedCounter === undefined) return res;
      const takeover = set(1);
      return update(shardId, {
        UpdateExpression: takeover.UpdateExpression,
        ConditionExpression: 'leaseCounter = :observed',
        ExpressionAttributeValues: { ...takeover.values, ':observed': { N: String(observedCounter) } },
      });
    },

    async checkpoint(lastProcessed) {
      for (const [shardId, sequence] of lastProcessed) {
        const res = await update(shardId, {
          UpdateExpression:
            'SET leaseOwner = :me, checkpoint = :seq, checkpointSubSequenceNumber = :zero, ' +
            'ownerSwitchesSinceCheckpoint = :zero ADD leaseCounter :one',
          ConditionExpression:
            'attribute_not_exists(leaseKey) OR leaseOwner = :me OR attribute_not_exists(leaseOwner)',
          ExpressionAttributeValues: {
            ':me': { S: config.owner },
            ':seq': { S: sequence },
            ':zero': { N: '0' },
            ':one': { N: '1' },
          },
        });
        if (!res.ok) return res;
      }
      return { ok: true };
    },
  };
}
