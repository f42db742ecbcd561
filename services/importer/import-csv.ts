import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import type { CanonicalEvent } from '../../contracts/canonical-event';
import type { ImportMapping } from '../../contracts/import-mapping';
import { readCsvRecords } from './csv-records';
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
 * A CSV syntax error (e.g. an unclosed quote) ends the import with a rejected row that says so.
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
  let mapper: RowMapper | undefined;
  let row = 0;
  try {
    for await (const record of readCsvRecords(input, config.mapping.csv)) {
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
      } else {
        counter.reject(result.rejected);
        const pending = sink.rejected(result.rejected);
        if (pending) await pending;
      }
      if (onRows && (row & 1023) === 0) onRows(row);
    }
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    if (!isCsvError(error)) throw error;
    const rejected: RejectedRow = {
      row: row + 1,
      fields: [],
      reasons: [{ column: null, reason: `unparseable CSV: ${message}` }],
    };
    counter.reject(rejected);
    counter.parseError(message);
    const pending = sink.rejected(rejected);
    if (pending) await pending;
  }
  if (!mapper) return { ok: false, error: new ImportEmptyFileError() };
  onRows?.(row);
  return { ok: true, value: counter.summary() };
}

function isCsvError(error: unknown): boolean {
  return error instanceof CsvError;
}
