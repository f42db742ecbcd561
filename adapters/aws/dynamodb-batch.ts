import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_RETRY_POLICY, type RetryDeps, type RetryPolicy, sendRetryingFailed } from './retry';

/** A DynamoDB item or key in wire form. */
export type DynamoItem = Record<string, AttributeValue>;

/** The DynamoDB client (built by the entry file) and the retry loop's clock and dice. */
export interface DynamoDeps extends RetryDeps {
  readonly dynamodb: Pick<DynamoDBClient, 'send'>;
  readonly retry?: RetryPolicy;
}

/** BatchGetItem's limit per request. */
export const BATCH_GET_MAX_KEYS = 100;
/** BatchWriteItem's limit per request. */
export const BATCH_WRITE_MAX_ITEMS = 25;

/** Key string of a PK/SK key, to match answers (which come back in any order) to requests. */
export function keyString(item: DynamoItem, keyNames: readonly string[]): string {
  return keyNames.map((k) => JSON.stringify(item[k] ?? null)).join('|');
}

/**
 * Reads many items of one table with BatchGetItem (≤ 100 keys a request), retrying `UnprocessedKeys`
 * with full-jitter backoff. Answers in the order of `keys` (`undefined` where no item exists);
 * duplicate keys are read once.
 */
export async function batchGetAll(
  deps: DynamoDeps,
  table: string,
  keyNames: readonly string[],
  keys: readonly DynamoItem[],
  options: { readonly consistentRead?: boolean } = {},
): Promise<(DynamoItem | undefined)[]> {
  const found = new Map<string, DynamoItem>();
  const unique = [...new Map(keys.map((k) => [keyString(k, keyNames), k])).values()];
  for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) {
    const chunk = unique.slice(i, i + BATCH_GET_MAX_KEYS);
    await sendRetryingFailed(
      `BatchGetItem on ${table}`,
      chunk,
      async (pending) => {
        const res = await deps.dynamodb.send(
          new BatchGetItemCommand({
            RequestItems: { [table]: { Keys: [...pending], ConsistentRead: options.consistentRead ?? true } },
          }),
        );
        for (const item of res.Responses?.[table] ?? []) found.set(keyString(item, keyNames), item);
        const failed = res.UnprocessedKeys?.[table]?.Keys ?? [];
        return { failed, errorCodes: failed.map(() => 'UnprocessedKeys') };
      },
      deps.retry ?? DEFAULT_RETRY_POLICY,
      deps,
    );
  }
  return keys.map((k) => found.get(keyString(k, keyNames)));
}

/** One write of {@link batchWriteAll}: a put (full item) or a delete (key). */
export type BatchWrite = { readonly put: DynamoItem } | { readonly delete: DynamoItem };

/**
 * Writes many unconditional puts/deletes to one table with BatchWriteItem (≤ 25 a request, never two
 * writes of one key in a request), retrying `UnprocessedItems` with full-jitter backoff. Writes of the
 * same key keep their order (a later write of a key goes in a later request).
 */
export async function batchWriteAll(
  deps: DynamoDeps,
  table: string,
  keyNames: readonly string[],
  writes: readonly BatchWrite[],
): Promise<void> {
  const requests: { key: string; request: WriteRequest }[] = writes.map((w) =>
    'put' in w
      ? { key: keyString(w.put, keyNames), request: { PutRequest: { Item: w.put } } }
      : { key: keyString(w.delete, keyNames), request: { DeleteRequest: { Key: w.delete } } },
  );
  // Requests never hold one key twice: a repeated key starts a new request.
  const groups: (typeof requests)[] = [];
  let current: typeof requests = [];
  let keysInCurrent = new Set<string>();
  for (const r of requests) {
    if (current.length >= BATCH_WRITE_MAX_ITEMS || keysInCurrent.has(r.key)) {
      groups.push(current);
      current = [];
      keysInCurrent = new Set();
    }
    current.push(r);
    keysInCurrent.add(r.key);
  }
  if (current.length > 0) groups.push(current);
  for (const group of groups) {
    await sendRetryingFailed(
      `BatchWriteItem on ${table}`,
      group.map((c) => c.request),
      async (pending) => {
        const res = await deps.dynamodb.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: [...pending] } }),
        );
        const failed = res.UnprocessedItems?.[table] ?? [];
        return { failed, errorCodes: failed.map(() => 'UnprocessedItems') };
      },
      deps.retry ?? DEFAULT_RETRY_POLICY,
      deps,
    );
  }
}

/** Runs a Query to the end (or until `limit` items), following `LastEvaluatedKey`. */
export async function queryAll(
  deps: DynamoDeps,
  input: QueryCommandInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<DynamoItem[]> {
  const out: DynamoItem[] = [];
  let start: DynamoItem | undefined;
  do {
    const res = await deps.dynamodb.send(
      new QueryCommand({ ...input, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }),
    );
    out.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start !== undefined && out.length < limit);
  return out.slice(0, limit === Number.POSITIVE_INFINITY ? undefined : limit);
}
