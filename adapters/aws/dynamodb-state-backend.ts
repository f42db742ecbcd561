import { deserialize, serialize } from 'node:v8';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { stateKey, ttlEpochSeconds } from '../../contracts/aws-resources';
import { InMemoryKeyedStateBackend } from '../../processors/engine/state/in-memory-state-backend';
import type { KeyedStateBackend, StateBackend, StateKey } from '../../processors/engine/state/state-backend';
import type { StateTtlConfig } from '../../processors/engine/state/state-ttl-config';
import type { Clock } from '../../processors/engine/time';
import { AwsAdapterError } from './aws-adapter-error';
import { batchGetAll, type DynamoDeps, type DynamoItem } from './dynamodb-batch';
import { isAlreadyApplied, withAppliedSequence } from './kinesis-sequence';
import { describeError } from './retry';

/** The `state` table of `TABLES`, and how long untouched state lives (DynamoDB TTL). */
export interface DynamoDbStateConfig {
  readonly tableName: string;
  /** Days after its last write an item may expire; none when undefined. */
  readonly retentionDays?: number;
  /** Wall clock for `ttl`; `Date.now` by default. */
  readonly now?: () => number;
  /** Keys written in parallel by `commit`; 16 by default. */
  readonly writeConcurrency?: number;
}

/** Sort key of an operator's keyed state item (`STATE#<operator>#<key>` / `KEYED`). */
export const KEYED_STATE_SK = 'KEYED';
/** DynamoDB's item limit, less room for keys and attributes. */
const MAX_VALUE_BYTES = 390 * 1024;

/** One stored value with its version and the last applied sequence number per shard. */
export interface StateItem<T> {
  readonly value: T;
  readonly version: number;
  readonly appliedSequences: Readonly<Record<string, string>>;
}

/** Where a write comes from: the shard and sequence number of the last record it includes. */
export interface ShardPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** Outcome of a conditional state write. */
export type StateWriteResult =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly reason: 'conflict' };

/**
 * Versioned items of the state table (`STATE#<scope>#<key>` / `<namespace>`): values are V8-serialized
 * (Maps and Dates survive), every write is conditioned on the version read and records the last
 * applied sequence number of the shard it came from. For per-shard watermarks, timers and any other
 * operator state kept between Lambda invocations.
 */
export interface DynamoDbStateItems {
  get<T>(scope: string, key: StateKey, namespace: string): Promise<StateItem<T> | undefined>;
  getMany<T>(
    scope: string,
    keys: readonly StateKey[],
    namespace: string,
  ): Promise<(StateItem<T> | undefined)[]>;
  /** Writes `value` if the stored version is `expectedVersion` (`null`: must not exist). */
  put<T>(
    scope: string,
    key: StateKey,
    namespace: string,
    value: T,
    expected: { version: number | null; appliedSequences?: Readonly<Record<string, string>> },
    position?: ShardPosition,
  ): Promise<StateWriteResult>;
  /** Deletes the item if the stored version is `expectedVersion`. */
  delete(scope: string, key: StateKey, namespace: string, expectedVersion: number): Promise<StateWriteResult>;
}

/** Creates {@link DynamoDbStateItems} over the state table. */
export function createDynamoDbStateItems(config: DynamoDbStateConfig, deps: DynamoDeps): DynamoDbStateItems {
  const table = config.tableName;
  const now = config.now ?? Date.now;
  const keyOf = (scope: string, key: StateKey, namespace: string): DynamoItem => ({
    PK: { S: stateKey(scope, String(key)) },
    SK: { S: namespace },
  });
  const decode = <T>(item: DynamoItem): StateItem<T> => ({
    value: deserialize(item.value?.B ?? new Uint8Array()) as T,
    version: Number(item.version?.N ?? '0'),
    appliedSequences: Object.fromEntries(
      Object.entries(item.appliedSequences?.M ?? {}).map(([k, v]) => [k, v.S ?? '']),
    ),
  });
  const conditionOn = (version: number | null) =>
    version === null
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(version) } } };
  const conflictOr = (error: unknown, what: string): StateWriteResult => {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException')
      return { ok: false, reason: 'conflict' };
    throw new AwsAdapterError(`${what} failed: ${describeError(error)}`, { cause: error });
  };

  return {
    async get(scope, key, namespace) {
      const [item] = await batchGetAll(deps, table, ['PK', 'SK'], [keyOf(scope, key, namespace)]);
      return item === undefined ? undefined : decode(item);
    },
    async getMany(scope, keys, namespace) {
      const items = await batchGetAll(
        deps,
        table,
        ['PK', 'SK'],
        keys.map((k) => keyOf(scope, k, namespace)),
      );
      return items.map((item) => (item === undefined ? undefined : decode(item)));
    },
    async put(scope, key, namespace, value, expected, position) {
      const bytes = serialize(value);
      if (bytes.byteLength > MAX_VALUE_BYTES) {
        throw new AwsAdapterError(
          `state ${scope}/${namespace} of one key is ${bytes.byteLength} bytes, more than a DynamoDB item holds (${MAX_VALUE_BYTES})`,
        );
      }
      const applied =
        position === undefined
          ? { ...(expected.appliedSequences ?? {}) }
          : withAppliedSequence(expected.appliedSequences ?? {}, position.shardId, position.sequenceNumber);
      const version = (expected.version ?? 0) + 1;
      try {
        await deps.dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: {
              ...keyOf(scope, key, namespace),
              value: { B: bytes },
              version: { N: String(version) },
              appliedSequences: {
                M: Object.fromEntries(Object.entries(applied).map(([k, v]) => [k, { S: v }])),
              },
              ...(config.retentionDays === undefined
                ? {}
                : { ttl: { N: String(ttlEpochSeconds(now(), config.retentionDays)) } }),
            },
            ...conditionOn(expected.version),
          }),
        );
        return { ok: true, version };
      } catch (error) {
        return conflictOr(error, `writing state ${scope}`);
      }
    },
    async delete(scope, key, namespace, expectedVersion) {
      try {
        await deps.dynamodb.send(
          new DeleteItemCommand({
            TableName: table,
            Key: keyOf(scope, key, namespace),
            ...conditionOn(expectedVersion),
          }),
        );
        return { ok: true, version: expectedVersion };
      } catch (error) {
        return conflictOr(error, `deleting state ${scope}`);
      }
    },
  };
}

/** The engine's keyed state with DynamoDB behind it: load before a batch, commit after it. */
export interface DynamoDbStateBackend extends StateBackend {
  /**
   * Loads the stored state of `keys` into the operator's working copy (replacing what it held for
   * them). Call before processing a batch; keys not loaded are treated as new when committed.
   */
  load(operatorId: string, keys: readonly StateKey[]): Promise<void>;
  /** Whether the record at `position` was already applied to `key`'s stored state (skip it on redelivery). */
  isApplied(operatorId: string, key: StateKey, position: ShardPosition): boolean;
  /**
   * Writes every key whose state changed since `load`, each conditioned on the version loaded and
   * recording `position` as its last applied record of that shard. Keys that lost the race are
   * answered as conflicts (reload them and process their records again); the others are durable.
   */
  commit(operatorId: string, position: ShardPosition): Promise<KeyedCommitResult>;
  /** Forgets the operator's working copy (between batches of a warm Lambda, to bound memory). */
  release(operatorId: string): void;
}

/** Outcome of {@link DynamoDbStateBackend.commit}. */
export type KeyedCommitResult =
  | { readonly ok: true; readonly written: number }
  | {
      readonly ok: false;
      readonly reason: 'conflict';
      readonly written: number;
      readonly conflicts: readonly StateKey[];
    };

/** The in-memory backend, remembering every state name its operator uses (commit reads them all). */
class NameTrackingStateBackend extends InMemoryKeyedStateBackend {
  readonly names = new Set<string>();
  override table(name: string, ttl?: StateTtlConfig): Map<StateKey, unknown> {
    this.names.add(name);
    return super.table(name, ttl);
  }
}

interface Loaded {
  version: number | null;
  bytes: Buffer | undefined;
  appliedSequences: Readonly<Record<string, string>>;
}

/**
 * Creates the DynamoDB state backend: each operator works on an in-memory copy (the engine's hot path
 * is synchronous), one item per operator and key (`STATE#<operator>#<key>` / `KEYED`) holds all of
 * that key's named states, and `commit` writes the changed ones conditionally (version + last applied
 * sequence number per shard), so a redelivered batch is recognized and has no second effect.
 */
export function createDynamoDbStateBackend(
  config: DynamoDbStateConfig,
  deps: DynamoDeps,
): DynamoDbStateBackend {
  const items = createDynamoDbStateItems(config, deps);
  const backends = new Map<string, NameTrackingStateBackend>();
  const loaded = new Map<string, Map<StateKey, Loaded>>();
  const stateNames = new Map<string, Set<string>>();

  const backendOf = (operatorId: string): NameTrackingStateBackend => {
    const b = backends.get(operatorId);
    if (b === undefined)
      throw new AwsAdapterError(`no keyed state backend was created for operator ${operatorId}`);
    return b;
  };

  /** The named states of one key, as stored: `[name, value]` pairs in name order. */
  function valuesOf(
    backend: InMemoryKeyedStateBackend,
    operatorId: string,
    key: StateKey,
  ): [string, unknown][] {
    const names = [...(stateNames.get(operatorId) ?? [])].sort();
    const out: [string, unknown][] = [];
    for (const name of names) {
      const table = backend.table(name);
      if (table.has(key)) out.push([name, table.get(key)]);
    }
    return out;
  }

  /** Every key with a value in any state of the operator. */
  function liveKeys(backend: InMemoryKeyedStateBackend, operatorId: string): Set<StateKey> {
    const keys = new Set<StateKey>();
    for (const name of stateNames.get(operatorId) ?? []) for (const k of backend.keys(name)) keys.add(k);
    return keys;
  }

  return {
    createKeyedStateBackend(operatorId: string, d: { clock: Clock }): KeyedStateBackend {
      const backend = new NameTrackingStateBackend(d.clock);
      backends.set(operatorId, backend);
      stateNames.set(operatorId, backend.names);
      loaded.set(operatorId, new Map());
      return backend;
    },

    release(operatorId) {
      const backend = backends.get(operatorId);
      if (backend !== undefined) for (const name of backend.names) backend.table(name).clear();
      loaded.get(operatorId)?.clear();
    },

    async load(operatorId, keys) {
      const backend = backendOf(operatorId);
      const unique = [...new Set(keys)];
      const stored = await items.getMany<[string, unknown][]>(operatorId, unique, KEYED_STATE_SK);
      const seen = loaded.get(operatorId)!;
      unique.forEach((key, i) => {
        const item = stored[i];
        for (const name of stateNames.get(operatorId) ?? []) backend.table(name).delete(key);
        for (const [name, value] of item?.value ?? []) backend.table(name).set(key, value);
        seen.set(key, {
          version: item?.version ?? null,
          // Serialized from the working copy, as commit will: V8's bytes for a value depend on how it was built.
          bytes: item === undefined ? undefined : serialize(valuesOf(backend, operatorId, key)),
          appliedSequences: item?.appliedSequences ?? {},
        });
      });
    },

    isApplied(operatorId, key, position) {
      const l = loaded.get(operatorId)?.get(key);
      return (
        l !== undefined && isAlreadyApplied(l.appliedSequences, position.shardId, position.sequenceNumber)
      );
    },

    async commit(operatorId, position) {
      const backend = backendOf(operatorId);
      const seen = loaded.get(operatorId)!;
      const keys = new Set([...seen.keys(), ...liveKeys(backend, operatorId)]);
      const work: (() => Promise<{ key: StateKey; ok: boolean; written: boolean }>)[] = [];
      for (const key of keys) {
        const before = seen.get(key) ?? { version: null, bytes: undefined, appliedSequences: {} };
        const values = valuesOf(backend, operatorId, key);
        const bytes = values.length === 0 ? undefined : serialize(values);
        if (bytes === undefined ? before.bytes === undefined : before.bytes?.equals(bytes)) continue;
        work.push(async () => {
          if (bytes === undefined) {
            const res = await items.delete(operatorId, key, KEYED_STATE_SK, before.version!);
            if (res.ok) seen.set(key, { version: null, bytes: undefined, appliedSequences: {} });
            return { key, ok: res.ok, written: res.ok };
          }
          const res = await items.put(
            operatorId,
            key,
            KEYED_STATE_SK,
            values,
            { version: before.version, appliedSequences: before.appliedSequences },
            position,
          );
          if (res.ok) {
            seen.set(key, {
              version: res.version,
              bytes,
              appliedSequences: withAppliedSequence(
                before.appliedSequences,
                position.shardId,
                position.sequenceNumber,
              ),
            });
          }
          return { key, ok: res.ok, written: res.ok };
        });
      }
      const results = await runLimited(work, config.writeConcurrency ?? 16);
      const conflicts = results.filter((r) => !r.ok).map((r) => r.key);
      const written = results.filter((r) => r.written).length;
      return conflicts.length === 0
        ? { ok: true, written }
        : { ok: false, reason: 'conflict', written, conflicts };
    },
  };
}

/** Runs tasks `limit` at a time; when some fail, waits for the others to settle, then throws the first error. */
async function runLimited<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]!();
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}
