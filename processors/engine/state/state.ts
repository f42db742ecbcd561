/** Keyed state: every call is scoped to the key of the record (or timer) being processed. */
export interface State {
  /** Removes the value for the current key. */
  clear(): void;
}

/** One value per key (Flink's `ValueState<T>`); `value()` is the descriptor's default when unset. */
export interface ValueState<T> extends State {
  value(): T | undefined;
  update(value: T): void;
}

/** A map per key (Flink's `MapState<UK, UV>`). */
export interface MapState<UK, UV> extends State {
  get(key: UK): UV | undefined;
  put(key: UK, value: UV): void;
  putAll(entries: Iterable<readonly [UK, UV]>): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  entries(): IterableIterator<[UK, UV]>;
  keys(): IterableIterator<UK>;
  values(): IterableIterator<UV>;
  isEmpty(): boolean;
}

/** A list per key (Flink's `ListState<T>`). */
export interface ListState<T> extends State {
  get(): readonly T[];
  add(value: T): void;
  addAll(values: readonly T[]): void;
  update(values: readonly T[]): void;
}

/** One value per key combined on `add` with the descriptor's reduce function. */
export interface ReducingState<T> extends State {
  get(): T | undefined;
  add(value: T): void;
}
