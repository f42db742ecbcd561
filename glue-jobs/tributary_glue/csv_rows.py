"""CSV records of one file with Python's csv module, in the importer's dialect (mirror of
services/importer/csv-records.ts): BOM dropped, RFC 4180 quotes, CRLF/LF/CR, empty lines skipped."""

import csv
import io

csv.field_size_limit(1 << 30)


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text without a leading BOM; invalid bytes become U+FFFD."""
    return data.decode("utf-8-sig", errors="replace")


def csv_records(text: str, delimiter: str = ","):
    """Yields ('record', cells) for each non-empty record, header first, and ('error', message) for
    a record with broken quoting; reading goes on with the next line after an error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    while True:
        line_before = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield "error", f"{error} (near line {reader.line_num})"
            if reader.line_num == line_before:
                return
            continue
        if record:
            yield "record", record
