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

/** Keyed state in JavaScript Maps: one table per state name, one entry per key. */
export class InMemoryKeyedStateBackend implements KeyedStateBackend {
  private readonly tables = new Map<string, Table>();
  private readonly ttls = new Map<string, StateTtlConfig>();
  private currentKey: StateKey = '';

  constructor(private readonly clock: Clock) {}

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
    if (ttl === undefined) return table.get(this.currentKey);
    const e = table.get(this.currentKey) as TtlValue | undefined;
    if (e === undefined) return undefined;
    const now = this.clock.now();
    if (now - e.t >= ttl.ttl) {
      if (ttl.stateVisibility === StateVisibility.NeverReturnExpired) {
        table.delete(this.currentKey);
        return undefined;
      }
      return e.v;
    }
    if (ttl.updateType === UpdateType.OnReadAndWrite) e.t = now;
    return e.v;
  }

  write(ttl: StateTtlConfig | undefined, table: Table, value: unknown): void {
    if (ttl === undefined) table.set(this.currentKey, value);
    else table.set(this.currentKey, { v: value, t: this.clock.now() } satisfies TtlValue);
  }

  /** Marks an in-place mutation of the current key's value as a write (refreshes its TTL). */
  touch(ttl: StateTtlConfig | undefined, table: Table): void {
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
        if (value === undefined) table.delete(this.currentKey);
        else this.write(ttl, table, value);
      },
      clear: () => {
        table.delete(this.currentKey);
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
        if (m.size === 0) table.delete(this.currentKey);
        else this.touch(ttl, table);
      },
      contains: (k) => get().has(k),
      entries: () => get().entries(),
      keys: () => get().keys(),
      values: () => get().values(),
      isEmpty: () => get().size === 0,
      clear: () => {
        table.delete(this.currentKey);
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
        if (vs.length === 0) table.delete(this.currentKey);
        else this.write(ttl, table, [...vs]);
      },
      clear: () => {
        table.delete(this.currentKey);
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
        table.delete(this.currentKey);
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

  restore(snapshot: KeyedStateSnapshot): void {
    // In place, so that state handles taken in `open` stay valid.
    const copy = structuredClone(snapshot);
    for (const t of this.tables.values()) t.clear();
    for (const [name, entries] of copy.tables) {
      const t = this.table(name);
      for (const [k, v] of entries) t.set(k, v);
    }
  }
}

/** The in-memory {@link StateBackend}: fast, snapshots by deep copy; durability comes from checkpoints. */
export function createInMemoryStateBackend(): StateBackend {
  return {
    createKeyedStateBackend: (_operatorId, deps) => new InMemoryKeyedStateBackend(deps.clock),
  };
}
