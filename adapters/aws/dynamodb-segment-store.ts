import { QueryCommand, type TransactWriteItem, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { profileKey, segmentKey, segmentMembershipKeys } from '../../contracts/aws-resources';
import type { Page } from '../../contracts/ports/profile-store';
import type { MembershipWrite, SegmentStore, SegmentSummary } from '../../contracts/ports/segment-store';
import { SegmentMembership, type SegmentSource } from '../../contracts/profile';
import { AwsAdapterError } from './aws-adapter-error';
import { type DynamoDeps, type DynamoItem, queryAll } from './dynamodb-batch';
import { TRANSACT_MAX_ITEMS, transactWrite } from './dynamodb-transact';

/** The `segments` table of `TABLES`. */
export interface DynamoDbSegmentStoreConfig {
  readonly tableName: string;
}

/** Partition of the segment registry: one item per segment, `SEGMENTS` / `SEGMENT#<id>`, with its member count. */
export const SEGMENT_REGISTRY_PK = 'SEGMENTS';
const MARSHALL = { removeUndefinedValues: true } as const;

/**
 * Segment memberships on DynamoDB, both ways (`SEGMENT#<s>` / `PROFILE#<p>` and `PROFILE#<p>` /
 * `SEGMENT#<s>`), plus a registry item per segment that counts its members. Each change is written in
 * a transaction with both membership items and the count, conditioned on the membership's absence
 * (add) or presence (remove): applying a change twice, or a redelivered batch, has no second effect
 * and the count stays exact. Changes are grouped up to DynamoDB's 100-item limit; a change whose
 * condition fails is dropped (already applied) and the rest of its group is written again.
 */
export function createDynamoDbSegmentStore(
  config: DynamoDbSegmentStoreConfig,
  deps: DynamoDeps,
): SegmentStore {
  const table = config.tableName;

  function registryKey(segmentId: string): DynamoItem {
    return { PK: { S: SEGMENT_REGISTRY_PK }, SK: { S: segmentKey(segmentId) } };
  }

  /** The transaction items of a group of changes: two membership items each, one count update per segment. */
  function transactionOf(group: readonly MembershipWrite[]): TransactWriteItem[] {
    const items: TransactWriteItem[] = [];
    const net = new Map<string, { delta: number; source?: SegmentSource }>();
    for (const w of group) {
      const segmentId = w.kind === 'add' ? w.membership.segmentId : w.segmentId;
      const profileId = w.kind === 'add' ? w.membership.profileId : w.profileId;
      const [bySegment, byProfile] = segmentMembershipKeys(segmentId, profileId);
      const n = net.get(segmentId) ?? { delta: 0 };
      if (w.kind === 'add') {
        const body = { ...w.membership };
        items.push({
          Put: {
            TableName: table,
            Item: marshall({ ...bySegment, ...body }, MARSHALL),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        items.push({ Put: { TableName: table, Item: marshall({ ...byProfile, ...body }, MARSHALL) } });
        n.delta += 1;
        n.source ??= w.membership.source;
      } else {
        items.push({
          Delete: { TableName: table, Key: marshall(bySegment), ConditionExpression: 'attribute_exists(PK)' },
        });
        items.push({ Delete: { TableName: table, Key: marshall(byProfile) } });
        n.delta -= 1;
      }
      net.set(segmentId, n);
    }
    for (const [segmentId, { delta, source }] of net) {
      items.push({
        Update: {
          TableName: table,
          Key: registryKey(segmentId),
          UpdateExpression:
            source === undefined
              ? 'SET segmentId = :id ADD memberCount :d'
              : 'SET segmentId = :id, #source = if_not_exists(#source, :source) ADD memberCount :d',
          ExpressionAttributeValues: {
            ':id': { S: segmentId },
            ':d': { N: String(delta) },
            ...(source === undefined ? {} : { ':source': { S: source } }),
          },
          ...(source === undefined ? {} : { ExpressionAttributeNames: { '#source': 'source' } }),
        },
      });
    }
    return items;
  }

  /**
   * Groups changes so that no membership repeats in a group and a group fits one transaction. Changes
   * are taken segment by segment (a stable sort: one membership's changes keep their order), so a group
   * carries few member-count updates and more changes (a SQL sync's batches come in no order).
   */
  function groups(unordered: readonly MembershipWrite[]): MembershipWrite[][] {
    const segmentOf = (w: MembershipWrite) => (w.kind === 'add' ? w.membership.segmentId : w.segmentId);
    const writes = [...unordered].sort((a, b) =>
      segmentOf(a) < segmentOf(b) ? -1 : segmentOf(a) > segmentOf(b) ? 1 : 0,
    );
    const out: MembershipWrite[][] = [];
    let current: MembershipWrite[] = [];
    let pairs = new Set<string>();
    let segments = new Set<string>();
    for (const w of writes) {
      const segmentId = w.kind === 'add' ? w.membership.segmentId : w.segmentId;
      const pair = `${segmentId}\u0000${w.kind === 'add' ? w.membership.profileId : w.profileId}`;
      const newSegment = segments.has(segmentId) ? 0 : 1;
      if (pairs.has(pair) || 2 * (current.length + 1) + segments.size + newSegment > TRANSACT_MAX_ITEMS) {
        out.push(current);
        current = [];
        pairs = new Set();
        segments = new Set();
      }
      current.push(w);
      pairs.add(pair);
      segments.add(segmentId);
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  const toMembership = (item: DynamoItem): SegmentMembership => {
    const raw = unmarshall(item);
    const parsed = SegmentMembership.safeParse({
      segmentId: raw.segmentId,
      profileId: raw.profileId,
      source: raw.source,
      enteredAt: raw.enteredAt,
    });
    if (!parsed.success)
      throw new AwsAdapterError('stored membership is not a SegmentMembership', { cause: parsed.error });
    return parsed.data;
  };

  return {
    async defineSegment({ segmentId, source, description }) {
      await deps.dynamodb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: registryKey(segmentId),
          // The member count is left as it is; the definition is replaced.
          UpdateExpression:
            description === undefined
              ? 'SET segmentId = :id, #source = :source, #defined = :true REMOVE description'
              : 'SET segmentId = :id, #source = :source, #defined = :true, description = :description',
          ExpressionAttributeNames: { '#source': 'source', '#defined': 'defined' },
          ExpressionAttributeValues: {
            ':id': { S: segmentId },
            ':source': { S: source },
            ':true': { BOOL: true },
            ...(description === undefined ? {} : { ':description': { S: description } }),
          },
        }),
      );
    },

    async listSegments(): Promise<readonly SegmentSummary[]> {
      const items = await queryAll(deps, {
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: SEGMENT_REGISTRY_PK }, ':prefix': { S: 'SEGMENT#' } },
        ConsistentRead: true,
      });
      // A segment is listed while it is defined or has members (an undefined one that emptied is gone).
      return items.flatMap((item) => {
        const raw = unmarshall(item) as {
          segmentId: string;
          source?: SegmentSource;
          description?: string;
          memberCount?: number;
          defined?: boolean;
        };
        if (raw.defined !== true && (raw.memberCount ?? 0) <= 0) return [];
        const summary: SegmentSummary = {
          segmentId: raw.segmentId,
          source: raw.source ?? 'realtime',
          memberCount: Math.max(0, raw.memberCount ?? 0),
          ...(raw.description === undefined ? {} : { description: raw.description }),
        };
        return [summary];
      });
    },

    async listMembers(segmentId, { limit, cursor }): Promise<Page<SegmentMembership>> {
      if (limit <= 0) return { items: [] };
      const res = await deps.dynamodb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': { S: segmentKey(segmentId) }, ':prefix': { S: 'PROFILE#' } },
          Limit: limit + 1,
          ConsistentRead: true,
          ...(cursor === undefined
            ? {}
            : {
                ExclusiveStartKey: {
                  PK: { S: segmentKey(segmentId) },
                  SK: { S: profileKey(Buffer.from(cursor, 'base64url').toString('utf8')) },
                },
              }),
        }),
      );
      const all = (res.Items ?? []).map(toMembership);
      const items = all.slice(0, limit);
      const last = items[items.length - 1];
      const more = all.length > limit || (res.LastEvaluatedKey !== undefined && all.length === limit + 1);
      return more && last !== undefined
        ? { items, nextCursor: Buffer.from(last.profileId, 'utf8').toString('base64url') }
        : { items };
    },

    async getMemberships(profileId) {
      const items = await queryAll(deps, {
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: profileKey(profileId) }, ':prefix': { S: 'SEGMENT#' } },
        ConsistentRead: true,
      });
      return items.map(toMembership);
    },

    async apply(writes) {
      for (const group of groups(writes)) {
        let pending = group;
        while (pending.length > 0) {
          const res = await transactWrite(deps, transactionOf(pending));
          if (res.ok) break;
          if (!res.exact && pending.length > 1) {
            // The service did not say which condition failed: apply the changes one by one instead.
            for (const change of pending) await transactWrite(deps, transactionOf([change]));
            break;
          }
          // Item 2i is the conditional item of change i: drop the changes already applied, retry the rest.
          const applied = new Set(res.failedConditions.filter((i) => i % 2 === 0).map((i) => i / 2));
          if (applied.size === 0)
            throw new AwsAdapterError('a segment membership transaction failed a condition');
          pending = pending.filter((_, i) => !applied.has(i));
        }
      }
    },
  };
}
