/** The lake's tables (Glue tables in AWS, folders under `<data>/lake/` locally). */
export type LakeTable = 'events' | 'identity_links' | 'identity_merges' | 'late_events' | 'segment_changes';

/** One row for the lake, with the event time that picks its `dt=YYYY-MM-DD` partition. */
export interface LakeRecord {
  readonly table: LakeTable;
  /** ISO-8601 UTC; its date is the partition. */
  readonly timestamp: string;
  /**
   * One JSON line. `events` and `late_events`: the canonical event exactly as the stream carries it
   * (late events add `watermark`, `operator`); the other tables: the columns of `GLUE_TABLES`.
   */
  readonly row: Readonly<Record<string, unknown>>;
  /**
   * `row` as its JSON text, one line, when the producer has it (an `events` row made from the event's
   * own record): writers write it as is instead of serializing `row`.
   */
  readonly line?: string;
}

/** The JSON line a writer writes for a row. */
export function lakeLine(record: LakeRecord): string {
  return record.line ?? JSON.stringify(record.row);
}

/**
 * Lands rows in the lake as GZIP JSON lines under `<table>/dt=YYYY-MM-DD/` (Firehose → S3 in AWS, a
 * local folder in the embedded runtime). `write` buffers; `flush` resolves once everything written
 * before it is durable.
 */
export interface LakeWriter {
  write(records: readonly LakeRecord[]): Promise<void>;
  flush(): Promise<void>;
}
