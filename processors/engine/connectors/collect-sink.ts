import type { Sink, SinkWriter } from './sink';

/** A synchronous sink that keeps everything in an array, in arrival order; for tests and examples. */
export class CollectSink<T> implements Sink<T> {
  readonly values: T[] = [];
  createWriter(): SinkWriter<T> {
    return {
      write: (records) => {
        for (const r of records) this.values.push(r);
      },
    };
  }
}
