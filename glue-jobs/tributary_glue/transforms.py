"""PySpark transforms of the CRM import: CSV files -> canonical identify events + rejected rows.

CSV with quoted newlines cannot be split, so each file is read whole by one task (as Spark's own
multiLine CSV reader does) and parsed with Python's csv module; that keeps 1-based row numbers and the
cells of malformed rows, which Spark's CSV reader cannot report. Mapping rows is the same code as
the TypeScript importer's, line for line, so both write byte-identical JSON lines.
"""

import posixpath

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import IntegerType, StringType, StructField, StructType

from .csv_rows import csv_records, decode_csv_bytes
from .row_mapper import ImportHeaderError, create_row_mapper, reject_line

OUTPUT_SCHEMA = StructType(
    [
        StructField("kind", StringType(), False),
        StructField("source_file", StringType(), False),
        StructField("row", IntegerType(), False),
        StructField("line", StringType(), False),
    ]
)


def map_csv_file(path: str, data: bytes, mapping: dict, imported_at: str):
    """(kind, source_file, row, line) for every record of one file. A header that lacks mapped
    columns gives one reject at row 0; a record with broken quoting gives a reject in its place."""
    name = posixpath.basename(path)
    delimiter = (mapping.get("csv") or {}).get("delimiter", ",")
    map_row = None
    row = 0
    for kind, value in csv_records(decode_csv_bytes(data), delimiter):
        if kind == "error":
            row += 1
            yield "reject", name, row, reject_line(row, [], [(None, f"unparseable CSV: {value}")])
        elif map_row is None:
            try:
                map_row = create_row_mapper(mapping, imported_at, value)
            except ImportHeaderError as error:
                yield "reject", name, 0, reject_line(0, value, [(None, str(error))])
                return
        else:
            row += 1
            line_kind, line = map_row(value, row)
            yield line_kind, name, row, line
    if map_row is None:
        yield "reject", name, 0, reject_line(0, [], [(None, "the CSV is empty: no header row")])


def read_csv_files(spark: SparkSession, input_path: str):
    """RDD of (path, bytes): every file under `input_path` (a file, folder or glob; s3:// on Glue)."""
    return spark.sparkContext.binaryFiles(input_path)


def apply_mapping(spark: SparkSession, files, mapping: dict, imported_at: str) -> DataFrame:
    """DataFrame(kind, source_file, row, line) of the events and rejects of the files."""
    rows = files.flatMap(lambda f: map_csv_file(f[0], f[1], mapping, imported_at))
    return spark.createDataFrame(rows, OUTPUT_SCHEMA)


def write_lines(df: DataFrame, path: str, partition_by_file: bool = False) -> None:
    """Writes `line` as text in (source_file, row) order: part files concatenated in name order give
    the lines in that order. Rejects are partitioned by source file (source_file=<name>/)."""
    ordered = df.orderBy("source_file", "row")
    if partition_by_file:
        ordered.select("source_file", "line").write.partitionBy("source_file").text(path)
    else:
        ordered.select("line").write.text(path)


def import_crm(spark: SparkSession, input_path: str, mapping: dict, imported_at: str, staging_path: str, errors_path: str):
    """The whole job: read, map, write events to `staging_path` and rejects to `errors_path`;
    returns {'accepted': n, 'rejected': n}."""
    mapped = apply_mapping(spark, read_csv_files(spark, input_path), mapping, imported_at).cache()
    try:
        events = mapped.filter(mapped.kind == "event")
        rejects = mapped.filter(mapped.kind == "reject")
        write_lines(events, staging_path)
        write_lines(rejects, errors_path, partition_by_file=True)
        counts = {r["kind"]: r["count"] for r in mapped.groupBy("kind").count().collect()}
        return {"accepted": counts.get("event", 0), "rejected": counts.get("reject", 0)}
    finally:
        mapped.unpersist()
