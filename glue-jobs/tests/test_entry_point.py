"""The Glue entry point: run(spark, args) on local paths, and main() with awsglue's three calls."""

import sys
import types

import pytest
from conftest import VECTORS, read_text_output

MAPPING = VECTORS / "../../../glue-jobs/mappings/crm-default.json"


def args_for(tmp_path, **extra):
    return {
        "input_path": str(VECTORS / "basic.csv"),
        "mapping_path": str(MAPPING.resolve()),
        "staging_path": str(tmp_path / "staged"),
        "errors_path": str(tmp_path / "errors"),
        **extra,
    }


def test_run_reads_the_mapping_and_csv_through_spark_and_writes_both_prefixes(spark, tmp_path):
    from tributary_glue.job import run

    result = run(spark, args_for(tmp_path, imported_at="2024-05-01T12:00:00Z"))

    assert result == {"accepted": 10, "rejected": 9}
    assert read_text_output(tmp_path / "staged") == (VECTORS / "basic.events.jsonl").read_text(encoding="utf-8")
    errors = read_text_output(tmp_path / "errors" / "source_file=basic.csv")
    assert errors == (VECTORS / "basic.rejects.jsonl").read_text(encoding="utf-8")


def test_run_refuses_missing_arguments_and_a_bad_import_time(spark, tmp_path):
    from tributary_glue.job import run

    with pytest.raises(ValueError, match="staging_path"):
        run(spark, {**args_for(tmp_path), "staging_path": ""})
    with pytest.raises(ValueError, match="imported_at"):
        run(spark, args_for(tmp_path, imported_at="yesterday"))


def test_glue_main_resolves_arguments_inits_runs_and_commits_the_job(spark, tmp_path, monkeypatch):
    # Prepare: awsglue exists only on Glue; these stand-ins record what main() asks of it.
    calls = []

    def get_resolved_options(argv, names):
        calls.append(("getResolvedOptions", sorted(names)))
        pairs = dict(zip(argv[1::2], argv[2::2]))
        return {n: pairs[f"--{n}"] for n in names}

    class GlueContext:
        def __init__(self, sc):
            self.spark_session = spark

    class Job:
        def __init__(self, glue_context):
            pass

        def init(self, name, args):
            calls.append(("init", name))

        def commit(self):
            calls.append(("commit",))

    modules = {
        "awsglue": types.ModuleType("awsglue"),
        "awsglue.context": types.SimpleNamespace(GlueContext=GlueContext),
        "awsglue.job": types.SimpleNamespace(Job=Job),
        "awsglue.utils": types.SimpleNamespace(getResolvedOptions=get_resolved_options),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    import crm_import

    argv = ["crm_import.py", "--JOB_NAME", "crm-import"]
    for key, value in args_for(tmp_path, imported_at="2024-05-01T12:00:00Z").items():
        argv += [f"--{key}", value]
    # Act
    crm_import.main(argv)
    # Assess
    assert calls[0][0] == "getResolvedOptions" and "imported_at" in calls[0][1]
    assert calls[1:] == [("init", "crm-import"), ("commit",)]
    assert read_text_output(tmp_path / "staged") == (VECTORS / "basic.events.jsonl").read_text(encoding="utf-8")
