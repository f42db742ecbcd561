/** When a TTL'd value's clock restarts (Flink's `StateTtlConfig.UpdateType`). */
export enum UpdateType {
  OnCreateAndWrite = 'OnCreateAndWrite',
  OnReadAndWrite = 'OnReadAndWrite',
}

/** Whether an expired value that was not cleaned up yet may still be read. */
export enum StateVisibility {
  NeverReturnExpired = 'NeverReturnExpired',
  ReturnExpiredIfNotCleanedUp = 'ReturnExpiredIfNotCleanedUp',
}

/** Time-to-live of keyed state, in processing time (Flink's `StateTtlConfig`). */
export interface StateTtlConfig {
  readonly ttl: number;
  readonly updateType: UpdateType;
  readonly stateVisibility: StateVisibility;
}

/** Builds a {@link StateTtlConfig}: `StateTtlConfig.newBuilder(ms).setUpdateType(...).build()`. */
export class StateTtlConfigBuilder {
  private updateType = UpdateType.OnCreateAndWrite;
  private visibility = StateVisibility.NeverReturnExpired;
  constructor(private readonly ttl: number) {
    if (!(ttl > 0)) throw new Error(`state TTL must be > 0 ms, got ${ttl}`);
  }
  setUpdateType(t: UpdateType): this {
    this.updateType = t;
    return this;
  }
  setStateVisibility(v: StateVisibility): this {
    this.visibility = v;
    return this;
  }
  build(): StateTtlConfig {
    return { ttl: this.ttl, updateType: this.updateType, stateVisibility: this.visibility };
  }
}

/** Flink-style entry point: `StateTtlConfig.newBuilder(ttlMs)`. */
export const StateTtlConfig = {
  newBuilder(ttl: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttl);
  },
};
