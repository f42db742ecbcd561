"""PySpark half of bench/import/import.bench.ts: times import_crm on a local SparkSession.
Usage: spark_import_bench.py <file.csv> <rounds>; prints `SPARK_BENCH {json}`."""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLUE_JOBS = ROOT / "glue-jobs"
sys.path.insert(0, str(GLUE_JOBS))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GLUE_JOBS), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

from pyspark.sql import SparkSession  # noqa: E402
from tributary_glue.mapping import load_import_mapping  # noqa: E402
from tributary_glue.transforms import import_crm  # noqa: E402


def best(fn, rounds):
    fn()
    top = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        rows = fn()
        top = max(top, rows / (time.perf_counter() - t0))
    return top


def main():
    csv_path, rounds = sys.argv[1], int(sys.argv[2])
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    mapping = load_import_mapping((GLUE_JOBS / "mappings" / "crm-default.json").read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="spark-bench-"))

    total = {}

    def job():
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        r = import_crm(spark, csv_path, mapping, "2024-05-01T12:00:00.000Z", str(out / "staged"), str(out / "errors"))
        total["rows"] = r["accepted"] + r["rejected"]
        return total["rows"]

    def baseline():
        out = work / "base"
        shutil.rmtree(out, ignore_errors=True)
        df = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(csv_path)
        df.write.json(str(out))
        return total["rows"]

    result = {"rowsPerSecond": best(job, rounds), "baselineRowsPerSecond": best(baseline, rounds)}
    spark.stop()
    shutil.rmtree(work, ignore_errors=True)
    print("SPARK_BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
