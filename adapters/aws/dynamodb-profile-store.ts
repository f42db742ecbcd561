import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { PROFILE_METADATA_SK, profileEventSk, profileKey } from '../../contracts/aws-resources';
import type { ConditionalWriteResult, Page, ProfileStore } from '../../contracts/ports/profile-store';
import { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { AwsAdapterError } from './aws-adapter-error';
import { batchGetAll, batchWriteAll, type DynamoDeps, type DynamoItem, queryAll } from './dynamodb-batch';
import { transactWrite } from './dynamodb-transact';
import { describeError } from './retry';

/** Which table (the `profiles` table of `TABLES`) and which clock expires timeline entries. */
export interface DynamoDbProfileStoreConfig {
  readonly tableName: string;
  /** Wall clock (ms); `Date.now` by default. DynamoDB's TTL deletes lazily, so reads filter too. */
  readonly now?: () => number;
}

const KEYS = ['PK', 'SK'] as const;
const EVENT_PREFIX = 'EVENT#';
const MARSHALL = { removeUndefinedValues: true, convertEmptyValues: false } as const;

/** The profile document of a stored `PROFILE#<id>` / `METADATA` item (for scans and exports). */
export function profileDocumentOfItem(item: DynamoItem): ProfileDocument {
  const raw = unmarshall(item) as { documentJson?: string; version?: unknown };
  const parsed = ProfileDocument.safeParse({
    ...(parseJson(raw.documentJson) as object | undefined),
    version: raw.version,
  });
  if (!parsed.success) {
    throw new AwsAdapterError(`stored profile ${String(item.PK?.S)} does not match ProfileDocument`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The profile store on DynamoDB, in the seed's single-table shape: `PROFILE#<id>` / `METADATA` holds the
 * document (with `version` as its own attribute, the condition of every write) and
 * `PROFILE#<id>` / `EVENT#<timestamp>#<eventId>` the timeline (with `ttl`). Several writes go in one
 * transaction, so a merge (put the survivor, delete the merged) is all or nothing.
 */
export function createDynamoDbProfileStore(
  config: DynamoDbProfileStoreConfig,
  deps: DynamoDeps,
): ProfileStore {
  const table = config.tableName;
  const now = config.now ?? Date.now;
  const metadataKey = (profileId: string) => ({
    PK: { S: profileKey(profileId) },
    SK: { S: PROFILE_METADATA_SK },
  });

  function metadataItem(document: ProfileDocument): DynamoItem {
    return marshall(
      {
        PK: profileKey(document.profileId),
        SK: PROFILE_METADATA_SK,
        profileId: document.profileId,
        version: document.version,
        updatedAt: document.updatedAt,
        // JSON text, not a DynamoDB map: traits are client data, and a number DynamoDB cannot hold
        // (an integer beyond 2^53 as the SDK reads it, 1e300) must not make a profile unwritable.
        documentJson: JSON.stringify(document),
      },
      MARSHALL,
    );
  }

  type Write = Parameters<ProfileStore['write']>[0][number];
  const idOf = (w: Write) => (w.kind === 'put' ? w.document.profileId : w.profileId);

  function condition(expectedVersion: number | null) {
    return expectedVersion === null
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : {
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
        };
  }

  async function writeOne(w: Write): Promise<ConditionalWriteResult> {
    try {
      if (w.kind === 'put') {
        await deps.dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: metadataItem(w.document),
            ...condition(w.expectedVersion),
          }),
        );
      } else {
        await deps.dynamodb.send(
          new DeleteItemCommand({
            TableName: table,
            Key: metadataKey(w.profileId),
            ...condition(w.expectedVersion),
          }),
        );
      }
      return { ok: true };
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return { ok: false, reason: 'conflict', profileId: idOf(w) };
      }
      throw new AwsAdapterError(`writing profile failed: ${describeError(error)}`, { cause: error });
    }
  }

  return {
    async get(profileId) {
      const res = await deps.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: metadataKey(profileId), ConsistentRead: true }),
      );
      return res.Item === undefined ? undefined : profileDocumentOfItem(res.Item);
    },

    async getMany(profileIds) {
      const items = await batchGetAll(deps, table, KEYS, profileIds.map(metadataKey));
      return items.map((item) => (item === undefined ? undefined : profileDocumentOfItem(item)));
    },

    async write(writes) {
      if (writes.length === 0) return { ok: true };
      const ids = writes.map(idOf);
      if (new Set(ids).size !== ids.length) {
        throw new AwsAdapterError('one profile written twice in one profile-store write');
      }
      if (writes.length === 1) return writeOne(writes[0]!);
      const items: TransactWriteItem[] = writes.map((w) =>
        w.kind === 'put'
          ? { Put: { TableName: table, Item: metadataItem(w.document), ...condition(w.expectedVersion) } }
          : { Delete: { TableName: table, Key: metadataKey(w.profileId), ...condition(w.expectedVersion) } },
      );
      const res = await transactWrite(deps, items);
      if (res.ok) return { ok: true };
      return { ok: false, reason: 'conflict', profileId: ids[res.failedConditions[0] ?? 0]! };
    },

    async appendActivity(profileId, items, expiresAtMs) {
      if (items.length === 0 || expiresAtMs <= now()) return;
      const ttl = Math.floor(expiresAtMs / 1000);
      await batchWriteAll(
        deps,
        table,
        KEYS,
        items.map((item) => ({
          put: marshall(
            {
              PK: profileKey(profileId),
              SK: profileEventSk(item.timestamp, item.eventId),
              ttl,
              expiresAtMs,
              itemJson: JSON.stringify(item),
            },
            MARSHALL,
          ),
        })),
      );
    },

    async listActivity(profileId, { limit, cursor }): Promise<Page<ActivityItem>> {
      if (limit <= 0) return { items: [] };
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const items: ActivityItem[] = [];
      let lastSk: string | undefined;
      let more = false;
      // Pages of limit + 1 until limit live entries and one more are seen (expired ones are filtered out).
      let exclusive: DynamoItem | undefined =
        after === undefined ? undefined : { PK: { S: profileKey(profileId) }, SK: { S: after } };
      for (;;) {
        const res = await deps.dynamodb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            FilterExpression: 'expiresAtMs > :now',
            ExpressionAttributeValues: {
              ':pk': { S: profileKey(profileId) },
              ':prefix': { S: EVENT_PREFIX },
              ':now': { N: String(now()) },
            },
            ScanIndexForward: false,
            Limit: limit + 1,
            ConsistentRead: true,
            ...(exclusive === undefined ? {} : { ExclusiveStartKey: exclusive }),
          }),
        );
        for (const raw of res.Items ?? []) {
          if (items.length === limit) {
            more = true;
            break;
          }
          const entry = ActivityItem.safeParse(parseJson(raw.itemJson?.S));
          if (!entry.success)
            throw new AwsAdapterError(`stored activity of ${profileId} is not an ActivityItem`, {
              cause: entry.error,
            });
          items.push(entry.data);
          lastSk = raw.SK?.S;
        }
        if (more || res.LastEvaluatedKey === undefined) break;
        exclusive = res.LastEvaluatedKey;
      }
      return more && lastSk !== undefined ? { items, nextCursor: encodeCursor(lastSk) } : { items };
    },

    async moveActivity(from, into) {
      if (from === into) return;
      const entries = await queryAll(deps, {
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: profileKey(from) }, ':prefix': { S: EVENT_PREFIX } },
        ConsistentRead: true,
      });
      // Copy first, then delete: a crash in between leaves duplicates that the next move removes.
      await batchWriteAll(
        deps,
        table,
        KEYS,
        entries.map((e) => ({ put: { ...e, PK: { S: profileKey(into) } } })),
      );
      await batchWriteAll(
        deps,
        table,
        KEYS,
        entries.map((e) => ({ delete: { PK: e.PK!, SK: e.SK! } })),
      );
    },
  };
}

function encodeCursor(sk: string): string {
  return Buffer.from(sk, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(EVENT_PREFIX)) throw new AwsAdapterError('not an activity cursor');
  return sk;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
