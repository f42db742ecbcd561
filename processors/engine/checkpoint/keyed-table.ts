import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';

/**
 * A keyed table in an incremental checkpoint (Flink's incremental checkpoints): either the whole table
 * (`delta: false`) or only the keys changed since the previous checkpoint (`delta: true`), whose base
 * is the table at the same place in the previous checkpoint. Values are V8-serialized (`encoding: 'v8'`,
 * so they were copied when captured and are decoded only once, after folding) or plain data (`raw`).
 */
export interface KeyedTableSnapshot<K = unknown> {
  readonly kind: 'keyed-table';
  readonly delta: boolean;
  readonly encoding: 'v8' | 'raw';
  readonly entries: ReadonlyArray<readonly [K, unknown]>;
  readonly removed: readonly K[];
}

/** True for a {@link KeyedTableSnapshot} (or a capture that becomes one). */
export function isKeyedTable(value: unknown): value is KeyedTableSnapshot {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'keyed-table' &&
    Array.isArray((value as { entries?: unknown }).entries)
  );
}

/**
 * The changes of a keyed table taken at a checkpoint barrier, serialized a chunk at a time afterwards
 * (so no single event-loop task copies the whole delta). Values captured by reference must not change
 * until serialized: the owner calls {@link copyNow} before it mutates or hands out a pending key's value
 * (copy-on-write), or captures values it never mutates.
 *
 * {@link TableCapture.ofKeys} captures only the changed keys (O(1) at the barrier): each value is read
 * when it is serialized, so the owner calls {@link copyNow} before it changes a pending key's value; a
 * key read as `undefined` then is a removal (listed in {@link removed} from then on, and by
 * {@link takeRemoved}).
 */
export class TableCapture<K = unknown> implements KeyedTableSnapshot<K> {
  readonly kind = 'keyed-table' as const;
  readonly delta = true;
  readonly encoding: 'v8' | 'raw';
  /** Serialized values (`v8`), or the values read (`raw`: the owner never changes them). */
  readonly entries: [K, unknown][] = [];
  readonly removed: K[] = [];
  // private fields: not part of what V8 serializes
  readonly #pending: Map<K, unknown> | undefined;
  /** Lazy captures: the keys not serialized yet, and how to read a key's current value. */
  readonly #keys: Set<K> | undefined;
  readonly #read: ((key: K) => unknown) | undefined;
  /** Lazy captures: turns a value read into what is serialized (`undefined`: a removal). */
  readonly #encode: ((value: unknown) => unknown) | undefined;
  /** Lazy captures of values the owner replaces but never changes: values taken by copyNow, by reference. */
  readonly #pinned: Map<K, unknown> | undefined;
  #drained = false;
  #taken = 0;
  #removedTaken = 0;

  /** `changes`: each changed key with its current value, `undefined` when the key was removed. */
  constructor(
    changes: Iterable<readonly [K, unknown]>,
    lazy?: {
      keys: Set<K>;
      read: (key: K) => unknown;
      encoding: 'v8' | 'raw';
      immutable?: boolean;
      encode?: (value: unknown) => unknown;
    },
  ) {
    this.encoding = lazy?.encoding ?? 'v8';
    if (lazy !== undefined) {
      this.#keys = lazy.keys;
      this.#read = lazy.read;
      this.#encode = lazy.encode;
      if (lazy.immutable === true && this.encoding === 'v8') this.#pinned = new Map();
      this.#drained = lazy.keys.size === 0;
      return;
    }
    this.#pending = new Map();
    for (const [key, value] of changes) {
      if (value === undefined) this.removed.push(key);
      else this.#pending.set(key, value);
    }
    this.#removedTaken = this.removed.length;
    this.#drained = this.#pending.size === 0;
  }

  /**
   * A capture of `keys` (taken over: the caller must not change the set) whose values are read with
   * `read` when serialized; the owner calls {@link copyNow} before changing a pending key's value.
   * `raw`: the values read are kept as they are (fresh values the owner never changes), not serialized.
   * `exists`, when given and cheap, lists the removed keys at once (else they are found as serialized).
   * `immutable`: the owner replaces a key's value but never changes one in place, so {@link copyNow}
   * keeps the current value by reference (serialized later, off the write path) instead of serializing it.
   * `encode`: turns a value read into what is stored, when it is serialized (`undefined`: a removal), so
   * that `read` can stay cheap on the write path.
   */
  static ofKeys<K>(
    keys: Set<K>,
    read: (key: K) => unknown,
    options: {
      encoding?: 'v8' | 'raw';
      exists?: (key: K) => boolean;
      immutable?: boolean;
      encode?: (value: unknown) => unknown;
    } = {},
  ): TableCapture<K> {
    const capture = new TableCapture<K>([], {
      keys,
      read,
      encoding: options.encoding ?? 'v8',
      ...(options.immutable === undefined ? {} : { immutable: options.immutable }),
      ...(options.encode === undefined ? {} : { encode: options.encode }),
    });
    const exists = options.exists;
    if (exists !== undefined) {
      for (const key of keys) {
        if (exists(key)) continue;
        keys.delete(key);
        capture.removed.push(key);
      }
      capture.#removedTaken = capture.removed.length;
      capture.#drained = keys.size === 0;
    }
    return capture;
  }

  /** True while some captured value is not serialized yet. */
  isPending(): boolean {
    return !this.#drained;
  }

  /** True when `key`'s captured value still waits to be serialized (it must not change before). */
  has(key: K): boolean {
    if (this.#drained) return false;
    if (this.#keys !== undefined) return this.#keys.has(key) || (this.#pinned?.has(key) ?? false);
    return this.#pending?.has(key) ?? false;
  }

  /** Serializes `key`'s captured value now (call before changing it); no-op when not pending. */
  copyNow(key: K): void {
    if (this.#drained) return;
    if (this.#keys !== undefined) {
      if (!this.#keys.delete(key)) return;
      const value = this.#read?.(key);
      if (this.#pinned !== undefined && value !== undefined) this.#pinned.set(key, value);
      else this.#store(key, value);
      if (this.#keys.size === 0 && (this.#pinned?.size ?? 0) === 0) this.#drained = true;
      return;
    }
    const pending = this.#pending as Map<K, unknown>;
    const value = pending.get(key);
    if (value === undefined) return;
    pending.delete(key);
    this.entries.push([key, serialize(value)]);
    if (pending.size === 0) this.#drained = true;
  }

  #store(key: K, read: unknown): void {
    const value = read === undefined || this.#encode === undefined ? read : this.#encode(read);
    if (value === undefined) this.removed.push(key);
    else this.entries.push([key, this.encoding === 'raw' ? value : serialize(value)]);
  }

  /** Entries serialized since the last call (for writing them out a chunk at a time). */
  takeSerialized(): [K, unknown][] {
    const out = this.entries.slice(this.#taken);
    this.#taken = this.entries.length;
    return out;
  }

  /** Removals found since the last call (lazy captures find them as they serialize). */
  takeRemoved(): K[] {
    const out = this.removed.slice(this.#removedTaken);
    this.#removedTaken = this.removed.length;
    return out;
  }

  /** Serializes up to `max` pending values; true once every value is. */
  drain(max: number): boolean {
    if (this.#drained) return true;
    let n = 0;
    if (this.#keys !== undefined) {
      for (const key of this.#keys) {
        if (n++ >= max) return false;
        this.#keys.delete(key);
        this.#store(key, this.#read?.(key));
      }
      for (const [key, value] of this.#pinned ?? []) {
        if (n++ >= max) return false;
        this.#pinned?.delete(key);
        this.#store(key, value);
      }
      this.#drained = true;
      return true;
    }
    const pending = this.#pending as Map<K, unknown>;
    for (const [key, value] of pending) {
      if (n++ >= max) return false;
      pending.delete(key);
      this.entries.push([key, serialize(value)]);
    }
    this.#drained = true;
    return true;
  }
}

/** Every {@link TableCapture} inside a checkpoint (plain objects and arrays are walked, not Maps). */
export function capturesIn(value: unknown, out: TableCapture[] = []): TableCapture[] {
  if (value instanceof TableCapture) {
    out.push(value);
    return out;
  }
  if (Array.isArray(value)) {
    // arrays of primitives (offsets, timers' numbers, identity columns) hold no capture
    if (value.length > 0 && (typeof value[0] !== 'object' || value[0] === null)) return out;
    for (const v of value) capturesIn(v, out);
    return out;
  }
  if (isPlainObject(value)) for (const v of Object.values(value)) capturesIn(v, out);
  return out;
}

/**
 * Serializes every capture of a checkpoint in chunks of `chunk` values, yielding to the event loop
 * between chunks (timers and HTTP requests run; the job may go on: captured keys are copied on write).
 */
export async function drainCaptures(checkpoint: unknown, chunk = 128): Promise<void> {
  for (const capture of capturesIn(checkpoint)) {
    while (!capture.drain(chunk)) await yieldToEventLoop();
  }
}

/** Every keyed table inside a checkpoint (captures included), in a stable walk order. */
export function tablesIn(value: unknown, out: KeyedTableSnapshot[] = []): KeyedTableSnapshot[] {
  if (isKeyedTable(value)) {
    out.push(value);
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && (typeof value[0] !== 'object' || value[0] === null)) return out;
    for (const v of value) tablesIn(v, out);
    return out;
  }
  if (isPlainObject(value)) for (const v of Object.values(value)) tablesIn(v, out);
  return out;
}

/**
 * A copy of the checkpoint's structure in which each keyed table (the n-th of {@link tablesIn}) is
 * replaced by `replace(table, n)`; everything else is shared, not copied.
 */
export function mapTables(
  value: unknown,
  replace: (table: KeyedTableSnapshot, n: number) => unknown,
): unknown {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (isKeyedTable(v)) return replace(v, n++);
    if (Array.isArray(v)) {
      if (v.length > 0 && (typeof v[0] !== 'object' || v[0] === null)) return v;
      return v.map(walk);
    }
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  // any realm's Object.prototype (V8 deserializes into the main realm, Jest runs tests in another)
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A table while deltas are folded into it. */
class FoldedTable {
  readonly map: Map<unknown, unknown>;
  constructor(
    base: KeyedTableSnapshot | undefined,
    readonly encoding: 'v8' | 'raw',
  ) {
    this.map = new Map(base?.entries ?? []);
  }
  apply(delta: KeyedTableSnapshot): void {
    for (const key of delta.removed) this.map.delete(key);
    for (const [key, value] of delta.entries) this.map.set(key, value);
  }
  toSnapshot(): KeyedTableSnapshot {
    return {
      kind: 'keyed-table',
      delta: false,
      encoding: this.encoding,
      entries: [...this.map],
      removed: [],
    };
  }
}

/**
 * Folds a chain of checkpoints (a base, or nothing, then deltas in checkpoint order) into one whole
 * checkpoint. Rule: each checkpoint of the chain is complete except for its delta tables, so the
 * result has the last checkpoint's shape and values, and each of its delta tables is the table at the
 * same path (object key, array index) of the fold so far with the delta applied.
 */
export function foldCheckpoints(chain: readonly unknown[]): unknown {
  let acc: unknown;
  for (const next of chain) acc = foldInto(acc, next, '$');
  return finish(acc);
}

function foldInto(base: unknown, next: unknown, path: string): unknown {
  if (isKeyedTable(next)) {
    if (!next.delta) return next;
    let table: FoldedTable;
    if (base instanceof FoldedTable) table = base;
    else if (base === undefined || isKeyedTable(base)) table = new FoldedTable(base, next.encoding);
    else throw new Error(`checkpoint delta at ${path} has no table to apply to`);
    if (table.encoding !== next.encoding) throw new Error(`checkpoint delta at ${path} changes encoding`);
    table.apply(next);
    return table;
  }
  if (Array.isArray(next)) {
    if (next.length > 0 && (typeof next[0] !== 'object' || next[0] === null)) return next;
    const b = Array.isArray(base) ? base : [];
    return next.map((v, i) => foldInto(b[i], v, `${path}[${i}]`));
  }
  if (isPlainObject(next)) {
    const b = isPlainObject(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next)) out[k] = foldInto(b[k], v, `${path}.${k}`);
    return out;
  }
  return next;
}

function finish(value: unknown): unknown {
  if (value instanceof FoldedTable) return value.toSnapshot();
  if (isKeyedTable(value)) return value;
  if (Array.isArray(value)) {
    if (value.length > 0 && (typeof value[0] !== 'object' || value[0] === null)) return value;
    return value.map(finish);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = finish(v);
    return out;
  }
  return value;
}

/** The entries of a whole (folded) table, values decoded. */
export function tableEntries<K, V>(table: KeyedTableSnapshot<K>): Array<[K, V]> {
  if (table.delta)
    throw new Error('a delta table cannot be read on its own: fold the checkpoint chain first');
  if (table.encoding === 'raw') return table.entries as Array<[K, V]>;
  return table.entries.map(([k, v]) => [k, deserialize(v as Uint8Array) as V]);
}

/** A table of plain values (not copied: the caller hands over values it will not change). */
export function rawTable<K>(
  entries: ReadonlyArray<readonly [K, unknown]>,
  removed: readonly K[] = [],
  delta = true,
): KeyedTableSnapshot<K> {
  return { kind: 'keyed-table', delta, encoding: 'raw', entries, removed };
}
