import type { Offset, Source, SourceBatch, SourceReader } from './source';

/** Turns a raw record (a JSON line, a Kinesis payload) into a value (Flink's `DeserializationSchema`). */
export type DeserializationSchema<R, T> = (raw: R) => T;

/**
 * A polled batch whose records are still raw: the task deserializes each one right before it goes
 * through the chain (`raw` + `deserialize`), so a value lives while its record is processed, not from
 * the poll to the end of the round (a round's values of every partition would otherwise all survive
 * the young generation's collections). Anyone else reading `records` gets the values (made once).
 */
export class DeserializingBatch<R, T> implements SourceBatch<T> {
  readonly endOfPartition?: boolean;
  #records: readonly T[] | undefined;

  constructor(
    readonly raw: readonly R[],
    readonly deserialize: DeserializationSchema<R, T>,
    readonly nextOffset: Offset,
    endOfPartition: boolean | undefined,
  ) {
    if (endOfPartition !== undefined) this.endOfPartition = endOfPartition;
  }

  get records(): readonly T[] {
    this.#records ??= this.raw.map((r) => this.deserialize(r));
    return this.#records;
  }
}

/** Number of records of a batch, without deserializing a {@link DeserializingBatch}. */
export function batchSize(batch: SourceBatch<unknown>): number {
  return batch instanceof DeserializingBatch ? batch.raw.length : batch.records.length;
}

/**
 * A source that deserializes the records of another one, so timestamps and watermarks can be taken from
 * the parsed values. Offsets are the inner source's. Its batches are {@link DeserializingBatch}es: the
 * task deserializes each record as it reaches it.
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
    const convert = (b: SourceBatch<R>): SourceBatch<T> =>
      new DeserializingBatch(b.records, schema, b.nextOffset, b.endOfPartition);
    return {
      poll(maxRecords) {
        const b = reader.poll(maxRecords);
        return b instanceof Promise ? b.then(convert) : convert(b);
      },
      close: () => reader.close?.(),
    };
  }
}
