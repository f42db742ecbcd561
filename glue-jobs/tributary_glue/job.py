"""`run(spark, args)`: the CRM import job given resolved arguments; crm_import.py's Glue main calls it,
tests call it with local paths."""

from datetime import datetime, timezone

from pyspark.sql import SparkSession

from .mapping import load_import_mapping
from .row_mapper import normalize_imported_at
from .transforms import import_crm

REQUIRED_ARGS = ["input_path", "mapping_path", "staging_path", "errors_path"]


def read_text(spark: SparkSession, path: str) -> str:
    """The whole text of one file (local or s3:// on Glue) through Spark's file system layer."""
    files = spark.sparkContext.wholeTextFiles(path).collect()
    if len(files) != 1:
        raise ValueError(f"expected exactly one file at {path}, found {len(files)}")
    return files[0][1]


def run(spark: SparkSession, args: dict) -> dict:
    """Imports the CSV files at args['input_path'] with the mapping at args['mapping_path'];
    `imported_at` (UTC ISO-8601) defaults to now. Returns the accepted/rejected counts."""
    missing = [a for a in REQUIRED_ARGS if not args.get(a)]
    if missing:
        raise ValueError(f"missing job arguments: {', '.join(missing)}")
    raw_time = args.get("imported_at") or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    imported_at = normalize_imported_at(raw_time)
    if imported_at is None:
        raise ValueError("imported_at must be UTC ISO-8601, e.g. 2024-05-01T12:00:00Z")
    mapping = load_import_mapping(read_text(spark, args["mapping_path"]))
    return import_crm(spark, args["input_path"], mapping, imported_at, args["staging_path"], args["errors_path"])
