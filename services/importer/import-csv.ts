import type { Readable } from 'node:stream';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { ImportMapping } from '../../contracts/import-mapping';
import { openCsvRecords, type SkippedRecord } from './csv-records';
import { createSummaryCounter, type ImportSummary } from './import-summary';
import { createRowMapper, type ImportHeaderError, type RejectedRow, type RowMapper } from './row-mapper';

/** Where an import's output goes; a sink may return a promise to apply backpressure. */
export interface ImportSink {
  event(event: CanonicalEvent): void | Promise<void>;
  rejected(row: RejectedRow): void | Promise<void>;
}

/** The CSV has no header row. */
export class ImportEmptyFileError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the CSV is empty: no header row', options);
    this.name = 'ImportEmptyFileError';
  }
}

/**
 * Applies a mapping to a CSV stream: every data row becomes an event or a rejected row in `sink`.
 * A record with broken quoting (e.g. an unclosed quote) becomes a rejected row that says so.
 * Fails only when the header does not fit the mapping or the file is empty.
 */
export async function importCsv(
  config: { mapping: ImportMapping; importedAt: string },
  input: Readable,
  sink: ImportSink,
  onRows?: (rows: number) => void,
): Promise<
  { ok: true; value: ImportSummary } | { ok: false; error: ImportHeaderError | ImportEmptyFileError }
> {
  const counter = createSummaryCounter();
  const { records, skipped } = openCsvRecords(input, config.mapping.csv);
  let mapper: RowMapper | undefined;
  let row = 0;
  let seen = 0;
  const reject = async (rejected: RejectedRow): Promise<void> => {
    counter.reject(rejected);
    const pending = sink.rejected(rejected);
    if (pending) await pending;
  };
  const reportSkipped = async (upTo: number): Promise<void> => {
    while (skipped.length > 0 && (skipped[0] as SkippedRecord).after <= upTo) {
      const { message } = skipped.shift() as SkippedRecord;
      row++;
      await reject({ row, fields: [], reasons: [{ column: null, reason: `unparseable CSV: ${message}` }] });
    }
  };
  try {
    for await (const record of records) {
      await reportSkipped(seen);
      seen++;
      const cells = record as string[];
      if (!mapper) {
        const created = createRowMapper(config, cells);
        if (!created.ok) {
          input.destroy();
          return created;
        }
        mapper = created.value;
        continue;
      }
      row++;
      const result = mapper(cells, row);
      if (result.ok) {
        counter.accept();
        const pending = sink.event(result.event);
        if (pending) await pending;
      } else await reject(result.rejected);
      if (onRows && (row & 1023) === 0) onRows(row);
    }
  } catch (error: unknown) {
    input.destroy();
    throw error;
  }
  if (!mapper) return { ok: false, error: new ImportEmptyFileError() };
  await reportSkipped(Number.POSITIVE_INFINITY);
  onRows?.(row);
  return { ok: true, value: counter.summary() };
}
