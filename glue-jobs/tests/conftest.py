"""One local SparkSession for the whole test session (small, UI off) and the shared vectors' paths."""

import json
import os
import sys
from pathlib import Path

import pytest

GLUE_JOBS = Path(__file__).resolve().parents[1]
REPO = GLUE_JOBS.parent
VECTORS = REPO / "test" / "fixtures" / "crm-import"
sys.path.insert(0, str(GLUE_JOBS))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Python workers import tributary_glue too (on Glue it comes with --extra-py-files).
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GLUE_JOBS), os.environ.get("PYTHONPATH")]))
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tributary-glue-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.sources.default", "parquet")
        .config("spark.driver.extraJavaOptions", "-Dderby.system.home=/tmp/tributary-derby")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def cases():
    """cases.json of the shared vectors."""
    return json.loads((VECTORS / "cases.json").read_text(encoding="utf-8"))


def read_text_output(path: Path) -> str:
    """Concatenates the part files Spark wrote under `path`, in name order (empty when none)."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(path.glob("part-*")))
