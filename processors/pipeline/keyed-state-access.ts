import type { KeyedStateBackend, StateBackend, StateKey, TimerService } from '../engine';

/**
 * Gives the pipeline the keyed state backend of one operator, so that it can act as another key than
 * the record's: a profile merge moves the losing profile's state into the survivor (Flink jobs do the
 * same through `KeyedStateBackend.setCurrentKey`, e.g. in `applyToAllKeys`). Wraps the environment's
 * `StateBackend` port; everything else passes through.
 */
export class KeyedStateAccess implements StateBackend {
  private backend: KeyedStateBackend | undefined;
  private timers: TimerService | undefined;

  constructor(
    private readonly inner: StateBackend,
    private readonly operatorId: string,
  ) {}

  createKeyedStateBackend(operatorId: string, deps: Parameters<StateBackend['createKeyedStateBackend']>[1]) {
    const backend = this.inner.createKeyedStateBackend(operatorId, deps);
    if (operatorId === this.operatorId) this.backend = backend;
    return backend;
  }

  /** Called by the operator's function with its timer service (the engine's keyed context). */
  bindTimers(timers: TimerService): void {
    this.timers = timers;
  }

  /** The operator's watermark (−∞ before the first record). */
  watermark(): number {
    return this.timers?.currentWatermark() ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * Runs `fn` with the operator's current key set to `key` (state handles and timer registrations
   * then address that key), and restores the previous key afterwards.
   */
  as<T>(key: StateKey, fn: (timers: TimerService | undefined) => T): T {
    const backend = this.backend;
    if (backend === undefined) throw new Error(`operator ${this.operatorId} has no keyed state yet`);
    const previous = backend.getCurrentKey();
    backend.setCurrentKey(key);
    try {
      return fn(this.timers);
    } finally {
      backend.setCurrentKey(previous);
    }
  }

  /** Every key that has a value in the named state. */
  keys(stateName: string): StateKey[] {
    return this.backend === undefined ? [] : [...this.backend.keys(stateName)];
  }
}
