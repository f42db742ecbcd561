import { TableCapture, tableEntries } from '../checkpoint/keyed-table';
import type { Clock } from '../time';
import type { ListState, MapState, ReducingState, ValueState } from './state';
import type { KeyedStateBackend, KeyedStateSnapshot, StateBackend, StateKey } from './state-backend';
import type {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './state-descriptors';
import { type StateTtlConfig, StateVisibility, UpdateType } from './state-ttl-config';

type Table = Map<StateKey, unknown>;

/** A value stored with its last-access time when its state has a TTL. */
interface TtlValue {
  v: unknown;
  t: number;
}

/** Options of the in-memory backend. */
export interface InMemoryStateBackendOptions {
  /**
   * Incremental checkpoints (Flink's `incremental` option of its RocksDB backend): a snapshot holds
   * only the keys read or written since the previous one, as a {@link TableCapture} that is serialized
   * after the barrier, a chunk at a time, while processing goes on (a key still pending is copied
   * before it is touched). The storage folds the deltas onto a base (`keyed-table.ts`).
   */
  readonly incremental?: boolean;
}

/** Keyed state in JavaScript Maps: one table per state name, one entry per key. */
export class InMemoryKeyedStateBackend implements KeyedStateBackend {
  private readonly tables = new Map<string, Table>();
  private readonly ttls = new Map<string, StateTtlConfig>();
  private currentKey: StateKey = '';
  /** Incremental mode: keys accessed since the last snapshot, per table. */
  private readonly changed: Map<Table, Set<StateKey>> | undefined;
  /** Incremental mode: the last snapshot's captures, until serialized. */
  private captures: Map<Table, TableCapture<StateKey>> | undefined;
  /**
   * Incremental mode: the (table, key) {@link touched} last recorded since the last snapshot or restore
   * (a read and the write back of the same key, as most functions do per record, record it once).
   */
  private lastTouchedTable: Table | undefined;
  private lastTouchedKey: StateKey | undefined;

  constructor(
    private readonly clock: Clock,
    options: InMemoryStateBackendOptions = {},
  ) {
    if (options.incremental === true) this.changed = new Map();
  }

  /** Incremental mode: records that the current key of `table` may change (copy-on-write first). */
  private touched(table: Table): void {
    if (this.changed === undefined) return;
    if (table === this.lastTouchedTable && this.currentKey === this.lastTouchedKey) return;
    this.lastTouchedTable = table;
    this.lastTouchedKey = this.currentKey;
    const capture = this.captures?.get(table);
    if (capture?.has(this.currentKey)) capture.copyNow(this.currentKey);
    let keys = this.changed.get(table);
    if (keys === undefined) {
      keys = new Set();
      this.changed.set(table, keys);
    }
    keys.add(this.currentKey);
  }

  private remove(table: Table): void {
    this.touched(table);
    table.delete(this.currentKey);
  }

  setCurrentKey(key: StateKey): void {
    this.currentKey = key;
  }
  getCurrentKey(): StateKey {
    return this.currentKey;
  }

  /** The table of a state name (created on first use); for the engine's own operators. */
  table(name: string, ttl?: StateTtlConfig): Table {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = new Map();
      this.tables.set(name, t);
    }
    if (ttl !== undefined) this.ttls.set(name, ttl);
    return t;
  }

  // Reads go through `read`/`write` so TTL is applied in one place; without TTL they are one Map call.
  read(ttl: StateTtlConfig | undefined, table: Table): unknown {
    if (this.changed !== undefined) this.touched(table);
    if (ttl === undefined) return table.get(this.currentKey);
    const e = table.get(this.currentKey) as TtlValue | undefined;
    if (e === undefined) return undefined;
    const now = this.clock.now();
    if (now - e.t >= ttl.ttl) {
      if (ttl.stateVisibility === StateVisibility.NeverReturnExpired) {
        this.remove(table);
        return undefined;
      }
      return e.v;
    }
    if (ttl.updateType === UpdateType.OnReadAndWrite) e.t = now;
    return e.v;
  }

  write(ttl: StateTtlConfig | undefined, table: Table, value: unknown): void {
    if (this.changed !== undefined) this.touched(table);
    if (ttl === undefined) table.set(this.currentKey, value);
    else table.set(this.currentKey, { v: value, t: this.clock.now() } satisfies TtlValue);
  }

  /** Marks an in-place mutation of the current key's value as a write (refreshes its TTL). */
  touch(ttl: StateTtlConfig | undefined, table: Table): void {
    if (this.changed !== undefined) this.touched(table);
    if (ttl === undefined) return;
    const e = table.get(this.currentKey) as TtlValue | undefined;
    if (e !== undefined) e.t = this.clock.now();
  }

  getValueState<T>(d: ValueStateDescriptor<T>): ValueState<T> {
    const table = this.table(d.name, d.ttlConfig);
    const ttl = d.ttlConfig;
    return {
      value: () => {
        const v = this.read(ttl, table) as T | undefined;
        return v === undefined ? d.defaultValue : v;
      },
      update: (value: T) => {
        if (value === undefined) this.remove(table);
        else this.write(ttl, table, value);
      },
      clear: () => {
        this.remove(table);
      },
    };
  }

  getMapState<UK, UV>(d: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    const table = this.table(d.name, d.ttlConfig);
    const ttl = d.ttlConfig;
    const empty = new Map<UK, UV>();
    const get = () => (this.read(ttl, table) as Map<UK, UV> | undefined) ?? empty;
    const getOrCreate = () => {
      let m = this.read(ttl, table) as Map<UK, UV> | undefined;
      if (m === undefined) {
        m = new Map();
        this.write(ttl, table, m);
      } else this.touch(ttl, table);
      return m;
    };
    return {
      get: (k) => get().get(k),
      put: (k, v) => {
        getOrCreate().set(k, v);
      },
      putAll: (entries) => {
        const m = getOrCreate();
        for (const [k, v] of entries) m.set(k, v);
      },
      remove: (k) => {
        const m = this.read(ttl, table) as Map<UK, UV> | undefined;
        if (m === undefined) return;
        m.delete(k);
        if (m.size === 0) this.remove(table);
        else this.touch(ttl, table);
      },
      contains: (k) => get().has(k),
      entries: () => get().entries(),
      keys: () => get().keys(),
      values: () => get().values(),
      isEmpty: () => get().size === 0,
      clear: () => {
        this.remove(table);
      },
    };
  }

  getListState<T>(d: ListStateDescriptor<T>): ListState<T> {
    const table = this.table(d.name, d.ttlConfig);
    const ttl = d.ttlConfig;
    const getOrCreate = () => {
      let l = this.read(ttl, table) as T[] | undefined;
      if (l === undefined) {
        l = [];
        this.write(ttl, table, l);
      } else this.touch(ttl, table);
      return l;
    };
    return {
      get: () => (this.read(ttl, table) as T[] | undefined) ?? [],
      add: (v) => {
        getOrCreate().push(v);
      },
      addAll: (vs) => {
        getOrCreate().push(...vs);
      },
      update: (vs) => {
        if (vs.length === 0) this.remove(table);
        else this.write(ttl, table, [...vs]);
      },
      clear: () => {
        this.remove(table);
      },
    };
  }

  getReducingState<T>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    const table = this.table(d.name, d.ttlConfig);
    const ttl = d.ttlConfig;
    return {
      get: () => this.read(ttl, table) as T | undefined,
      add: (v) => {
        const cur = this.read(ttl, table) as T | undefined;
        this.write(ttl, table, cur === undefined ? v : d.reduce(cur, v));
      },
      clear: () => {
        this.remove(table);
      },
    };
  }

  keys(stateName: string): IterableIterator<StateKey> {
    return (this.tables.get(stateName) ?? new Map<StateKey, unknown>()).keys();
  }

  /** Number of (state, key) entries; for tests that check cleanup. */
  size(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  snapshot(): KeyedStateSnapshot {
    if (this.changed !== undefined) return this.snapshotChanges(this.changed);
    const now = this.clock.now();
    const tables: Array<[string, Array<[StateKey, unknown]>]> = [];
    for (const [name, table] of this.tables) {
      const ttl = this.ttls.get(name);
      const entries: Array<[StateKey, unknown]> = [];
      for (const [k, v] of table) {
        if (ttl !== undefined && now - (v as TtlValue).t >= ttl.ttl) continue; // cleanup in full snapshot
        entries.push([k, v]);
      }
      tables.push([name, entries]);
    }
    return structuredClone({ tables });
  }

  /** Incremental mode: the keys accessed since the last snapshot, captured for copy-on-write. */
  private snapshotChanges(changed: Map<Table, Set<StateKey>>): KeyedStateSnapshot {
    // an earlier capture still pending is finished first (its keys would lose copy-on-write)
    for (const c of this.captures?.values() ?? []) c.drain(Number.POSITIVE_INFINITY);
    const byName: Record<string, TableCapture<StateKey>> = {};
    const captures = new Map<Table, TableCapture<StateKey>>();
    for (const [name, table] of this.tables) {
      // the changed keys only (values are read as they are serialized; `touched` copies first)
      const capture = TableCapture.ofKeys<StateKey>(changed.get(table) ?? new Set(), (k) => table.get(k), {
        exists: (k) => table.has(k),
      });
      byName[name] = capture;
      captures.set(table, capture);
    }
    changed.clear();
    this.lastTouchedTable = undefined;
    this.captures = captures;
    return { tables: [], byName };
  }

  restore(snapshot: KeyedStateSnapshot): void {
    // In place, so that state handles taken in `open` stay valid.
    for (const t of this.tables.values()) t.clear();
    this.changed?.clear();
    this.lastTouchedTable = undefined;
    this.captures = undefined;
    if (snapshot.byName !== undefined) {
      for (const [name, table] of Object.entries(snapshot.byName)) {
        const t = this.table(name);
        for (const [k, v] of tableEntries<StateKey, unknown>(table)) t.set(k, v);
      }
      return;
    }
    const copy = structuredClone(snapshot);
    for (const [name, entries] of copy.tables) {
      const t = this.table(name);
      for (const [k, v] of entries) t.set(k, v);
      // incremental mode restored from a whole snapshot: the next delta starts a new chain, so it holds all
      if (this.changed !== undefined) this.changed.set(t, new Set(t.keys()));
    }
  }
}

/** The in-memory {@link StateBackend}: fast, snapshots by deep copy; durability comes from checkpoints. */
export function createInMemoryStateBackend(options: InMemoryStateBackendOptions = {}): StateBackend {
  return {
    createKeyedStateBackend: (_operatorId, deps) => new InMemoryKeyedStateBackend(deps.clock, options),
  };
}
