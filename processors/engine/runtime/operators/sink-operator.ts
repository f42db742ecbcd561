import type { SinkWriter } from '../../connectors/sink';
import type { StreamOperator } from './stream-operator';

/**
 * Buffers records for a {@link SinkWriter} and writes them in batches, one write at a time. `pending()`
 * (buffered + in flight) is what the task compares with `capacity` to pause the source: a slow sink
 * stops the input instead of growing memory.
 */
export class SinkOperator implements StreamOperator {
  private buffer: unknown[] = [];
  private inFlight = 0;
  private writing: Promise<void> | undefined;
  private failure: unknown;
  /** Records handed to the writer and acknowledged. */
  written = 0;
  /** Highest `pending()` seen; for tests of the memory bound. */
  maxPending = 0;

  constructor(
    readonly id: string,
    private readonly writer: SinkWriter<unknown>,
    readonly batchSize: number,
    readonly capacity: number,
  ) {
    if (!(batchSize >= 1) || !(capacity >= batchSize)) {
      throw new Error(`sink ${id}: need batchSize >= 1 and capacity >= batchSize`);
    }
  }

  open(): void {}

  processElement(value: unknown): void {
    this.buffer.push(value);
    const p = this.buffer.length + this.inFlight;
    if (p > this.maxPending) this.maxPending = p;
    if (this.buffer.length >= this.batchSize) this.dispatch();
  }

  processWatermark(): void {}
  onProcessingTime(): void {}

  /** Records buffered or being written. */
  pending(): number {
    return this.buffer.length + this.inFlight;
  }

  /** Starts a write of what is buffered if none is in flight (called at the end of each round). */
  dispatch(): void {
    this.throwIfFailed();
    if (this.writing !== undefined || this.buffer.length === 0) return;
    let batch: unknown[];
    if (this.buffer.length <= this.batchSize) {
      batch = this.buffer;
      this.buffer = [];
    } else batch = this.buffer.splice(0, this.batchSize);
    const r = this.writer.write(batch);
    if (r === undefined) {
      this.written += batch.length;
      if (this.buffer.length >= this.batchSize) this.dispatch();
      return;
    }
    this.inFlight = batch.length;
    this.writing = r.then(
      () => {
        this.written += batch.length;
        this.inFlight = 0;
        this.writing = undefined;
        if (this.buffer.length >= this.batchSize) this.dispatch();
      },
      (err: unknown) => {
        this.failure = err;
        this.inFlight = 0;
        this.writing = undefined;
      },
    );
  }

  /** True if a write is in flight. */
  isWriting(): boolean {
    return this.writing !== undefined;
  }

  /** Waits for the current write (if any) to settle. */
  async waitForWrite(): Promise<void> {
    if (this.writing !== undefined) await this.writing;
    this.throwIfFailed();
  }

  /** Writes everything buffered and waits until the writer acknowledged all of it. */
  async flush(): Promise<void> {
    for (;;) {
      this.dispatch();
      if (this.writing === undefined && this.buffer.length === 0) return;
      await this.waitForWrite();
    }
  }

  /** Writes everything buffered with a synchronous writer; throws if the writer is asynchronous. */
  flushSync(): void {
    this.dispatch();
    if (this.writing !== undefined || this.buffer.length > 0) {
      throw new Error(
        `sink ${this.id} is asynchronous: use run()/checkpointAsync() instead of the sync methods`,
      );
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) {
      throw new Error(`sink ${this.id} failed to write`, { cause: this.failure });
    }
  }

  snapshotState(): unknown {
    return null;
  }
  restoreState(): void {}
  close(): void {
    void this.writer.close?.();
  }
}
