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


def parse_csv_file(path: str, data: bytes, delimiter: str):
    """(path, row, kind, payload) for one file: ('header', cells) at row 0, then ('record', cells) and
    ('error', message) numbered 1, 2, ... in file order; a file without records gives ('empty', None)."""
    row = 0
    seen_header = False
    for kind, value in csv_records(decode_csv_bytes(data), delimiter):
        if kind == "error":
            row += 1
            yield path, row, "error", value
        elif not seen_header:
            seen_header = True
            yield path, 0, "header", value
        else:
            row += 1
            yield path, row, "record", value
    if not seen_header:
        yield path, 0, "empty", None


def first_record(data: bytes, delimiter: str):
    """The header cells of a file (its first record), or None when it has no record."""
    for kind, value in csv_records(decode_csv_bytes(data), delimiter):
        if kind == "record":
            return value
    return None


def check_headers(headers: dict, mapping: dict, imported_at: str):
    """Splits {path: header or None} into the paths whose header fits the mapping and one row-0
    reject (kind, source_file, row, line) for each file that is empty or lacks mapped columns."""
    good, rejects = {}, []
    for path, header in sorted(headers.items()):
        name = posixpath.basename(path)
        if header is None:
            rejects.append(("reject", name, 0, reject_line(0, [], [(None, "the CSV is empty: no header row")])))
            continue
        try:
            create_row_mapper(mapping, imported_at, header)
            good[path] = header
        except ImportHeaderError as error:
            rejects.append(("reject", name, 0, reject_line(0, header, [(None, str(error))])))
    return good, rejects


def map_parsed(items, mapping: dict, imported_at: str, headers: dict):
    """(kind, source_file, row, line) for parsed records and errors of files with a good header."""
    mappers = {}
    for path, row, kind, payload in items:
        header = headers.get(path)
        if header is None:
            continue
        name = posixpath.basename(path)
        if kind == "error":
            yield "reject", name, row, reject_line(row, [], [(None, f"unparseable CSV: {payload}")])
        elif kind == "record":
            map_row = mappers.get(path)
            if map_row is None:
                map_row = mappers[path] = create_row_mapper(mapping, imported_at, header)
            line_kind, line = map_row(payload, row)
            yield line_kind, name, row, line


def map_csv_file(path: str, data: bytes, mapping: dict, imported_at: str):
    """(kind, source_file, row, line) for every record of one file, without Spark (the same steps
    the job distributes). A header that lacks mapped columns, or an empty file, gives one reject at
    row 0 and nothing else; a record with broken quoting gives a reject in its place."""
    items = list(parse_csv_file(path, data, _delimiter(mapping)))
    headers = {p: payload for p, _, kind, payload in items if kind in ("header", "empty")}
    good, rejects = check_headers(headers, mapping, imported_at)
    yield from rejects
    yield from map_parsed(items, mapping, imported_at, good)


def _delimiter(mapping: dict) -> str:
    return (mapping.get("csv") or {}).get("delimiter", ",")


def read_csv_files(spark: SparkSession, input_path: str):
    """RDD of (path, bytes): every file under `input_path` (a file, folder or glob; s3:// on Glue)."""
    return spark.sparkContext.binaryFiles(input_path)


def apply_mapping(spark: SparkSession, files, mapping: dict, imported_at: str) -> DataFrame:
    """DataFrame(kind, source_file, row, line) of the events and rejects of the files. Each file is
    parsed by one task (quoted newlines make CSV unsplittable); the records are then spread over the
    cluster for mapping, with the headers broadcast."""
    sc = spark.sparkContext
    delimiter = _delimiter(mapping)
    headers = dict(files.map(lambda f: (f[0], first_record(f[1], delimiter))).collect())
    good, header_rejects = check_headers(headers, mapping, imported_at)
    good_headers = sc.broadcast(good)
    mapped = (
        files.flatMap(lambda f: parse_csv_file(f[0], f[1], delimiter))
        .filter(lambda x: x[2] in ("record", "error"))
        .repartition(max(1, sc.defaultParallelism))
        .mapPartitions(lambda items: map_parsed(items, mapping, imported_at, good_headers.value))
    )
    if header_rejects:
        mapped = mapped.union(sc.parallelize(header_rejects, 1))
    return spark.createDataFrame(mapped, OUTPUT_SCHEMA, verifySchema=False)


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
