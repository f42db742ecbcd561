import type { ReduceFunction } from '../functions';
import type { StateTtlConfig } from './state-ttl-config';

abstract class StateDescriptor<T> {
  ttlConfig: StateTtlConfig | undefined;
  abstract readonly kind: 'value' | 'map' | 'list' | 'reducing';
  /** Phantom field carrying the state's type. */
  declare readonly __type?: T;
  constructor(readonly name: string) {
    if (name.length === 0) throw new Error('state name must not be empty');
  }
  /** Expires values `ttl` ms (processing time) after they were written (or read, per config). */
  enableTimeToLive(config: StateTtlConfig): this {
    this.ttlConfig = config;
    return this;
  }
}

/** Describes a {@link ValueState}: one value per key. */
export class ValueStateDescriptor<T> extends StateDescriptor<T> {
  readonly kind = 'value' as const;
  constructor(
    name: string,
    readonly defaultValue?: T,
  ) {
    super(name);
  }
}

/** Describes a {@link MapState}: a map per key. */
export class MapStateDescriptor<UK, UV> extends StateDescriptor<Map<UK, UV>> {
  readonly kind = 'map' as const;
}

/** Describes a {@link ListState}: a list per key. */
export class ListStateDescriptor<T> extends StateDescriptor<T[]> {
  readonly kind = 'list' as const;
}

/** Describes a {@link ReducingState}: one value per key, combined on `add` with `reduce`. */
export class ReducingStateDescriptor<T> extends StateDescriptor<T> {
  readonly kind = 'reducing' as const;
  constructor(
    name: string,
    readonly reduce: ReduceFunction<T>,
  ) {
    super(name);
  }
}

/** Any state descriptor. */
export type AnyStateDescriptor =
  | ValueStateDescriptor<unknown>
  | MapStateDescriptor<unknown, unknown>
  | ListStateDescriptor<unknown>
  | ReducingStateDescriptor<unknown>;
