import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** The CSV dialect the importer reads: RFC 4180 quoting, any of CRLF/LF/CR between records. */
export interface CsvDialect {
  delimiter?: string;
}

/**
 * The records of a CSV stream as arrays of cells, header first. A leading BOM is dropped, empty lines
 * are skipped, records may have any number of cells (the row mapper rejects wrong counts). The same
 * dialect as Python's `csv` module in the Glue job (glue-jobs/tributary_glue/csv_rows.py).
 */
export function readCsvRecords(input: Readable, dialect: CsvDialect = {}): AsyncIterable<string[]> {
  const parser = parse({
    bom: true,
    delimiter: dialect.delimiter ?? ',',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  input.on('error', (error) => parser.destroy(error));
  return input.pipe(parser);
}
