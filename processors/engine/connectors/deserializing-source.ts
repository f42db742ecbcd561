import type { Offset, Source, SourceBatch, SourceReader } from './source';

/** Turns a raw record (a JSON line, a Kinesis payload) into a value (Flink's `DeserializationSchema`). */
export type DeserializationSchema<R, T> = (raw: R) => T;

/**
 * A source that deserializes the records of another one as it polls them, so timestamps and watermarks
 * can be taken from the parsed values. Offsets are the inner source's.
 */
export class DeserializingSource<R, T> implements Source<T> {
  constructor(
    private readonly inner: Source<R>,
    private readonly schema: DeserializationSchema<R, T>,
  ) {}

  partitions(): readonly string[] {
    return this.inner.partitions();
  }

  createReader(partition: string, startOffset: Offset | undefined): SourceReader<T> {
    const reader = this.inner.createReader(partition, startOffset);
    const schema = this.schema;
    const convert = (b: SourceBatch<R>): SourceBatch<T> => {
      const raw = b.records;
      const records = new Array<T>(raw.length);
      for (let i = 0; i < raw.length; i++) records[i] = schema(raw[i] as R);
      return { records, nextOffset: b.nextOffset, endOfPartition: b.endOfPartition };
    };
    return {
      poll(maxRecords) {
        const b = reader.poll(maxRecords);
        return b instanceof Promise ? b.then(convert) : convert(b);
      },
      close: () => reader.close?.(),
    };
  }
}
