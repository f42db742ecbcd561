import type { KeyedTableSnapshot } from '../checkpoint/keyed-table';
import type { Clock } from '../time';
import type { ListState, MapState, ReducingState, ValueState } from './state';
import type {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './state-descriptors';

/** A key as seen by the state backend. */
export type StateKey = string | number;

/**
 * The keyed state of one operator instance. Reads and writes go to the current key, set by the runtime
 * before each record or timer. Synchronous by design: the hot path must not await; durable backends
 * keep a working copy in memory and persist it at checkpoints.
 */
export interface KeyedStateBackend {
  setCurrentKey(key: StateKey): void;
  getCurrentKey(): StateKey;
  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  /** The keys that have a value in the named state. */
  keys(stateName: string): IterableIterator<StateKey>;
  /** A deep copy of every state of this operator (expired TTL values are dropped). */
  snapshot(): KeyedStateSnapshot;
  /** Replaces all state with a snapshot taken by {@link snapshot}. */
  restore(snapshot: KeyedStateSnapshot): void;
}

/** The keyed state of one operator at a checkpoint: per state name, the values per key in order. */
export interface KeyedStateSnapshot {
  readonly tables: ReadonlyArray<readonly [string, ReadonlyArray<readonly [StateKey, unknown]>]>;
  /** Incremental backends: per state name, the table's changes since the previous snapshot. */
  readonly byName?: Readonly<Record<string, KeyedTableSnapshot<StateKey>>>;
}

/** Creates the keyed state backends of operators (Flink's `StateBackend`); a port with adapters. */
export interface StateBackend {
  createKeyedStateBackend(operatorId: string, deps: { clock: Clock }): KeyedStateBackend;
}
