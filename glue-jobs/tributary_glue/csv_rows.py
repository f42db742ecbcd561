"""CSV records of one file with Python's csv module, in the importer's dialect (mirror of
services/importer/csv-records.ts): BOM dropped, RFC 4180 quotes, CRLF/LF/CR, empty lines skipped."""

import csv
import io

csv.field_size_limit(1 << 30)


class CsvParseError(ValueError):
    """The file stops being CSV (e.g. an unclosed quote); records before it were returned."""


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text without a leading BOM; invalid bytes become U+FFFD."""
    return data.decode("utf-8-sig", errors="replace")


def csv_records(text: str, delimiter: str = ","):
    """Yields each non-empty record as a list of cells, header first; raises CsvParseError."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    try:
        for record in reader:
            if record:
                yield record
    except csv.Error as error:
        raise CsvParseError(f"{error} (near line {reader.line_num})") from error
