import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** The CSV dialect the importer reads: RFC 4180 quoting, any of CRLF/LF/CR between records. */
export interface CsvDialect {
  delimiter?: string;
}

/** A record the parser could not read, and how many records (header included) came before it. */
export interface SkippedRecord {
  after: number;
  message: string;
}

/**
 * The records of a CSV stream as arrays of cells, header first. A leading BOM is dropped, empty lines
 * are skipped, records may have any number of cells (the row mapper rejects wrong counts). A record
 * with broken quoting is skipped and listed in `skipped` (the parser goes on with the next one), so
 * the importer can report it in place. Python's `csv` module reads the same dialect in the Glue job
 * (glue-jobs/tributary_glue/csv_rows.py).
 */
export function openCsvRecords(
  input: Readable,
  dialect: CsvDialect = {},
): { records: AsyncIterable<string[]>; skipped: SkippedRecord[] } {
  const skipped: SkippedRecord[] = [];
  const parser = parse({
    bom: true,
    delimiter: dialect.delimiter ?? ',',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on('skip', (error: Error & { records?: number }) => {
    skipped.push({ after: error.records ?? 0, message: error.message });
  });
  input.on('error', (error) => parser.destroy(error));
  return { records: input.pipe(parser), skipped };
}
