"""The PySpark job against the shared import vectors: byte-identical to the TypeScript importer."""

import hashlib
import json

import pytest
from conftest import VECTORS, read_text_output
from large_csv import generate_large_csv
from tributary_glue.mapping import load_import_mapping
from tributary_glue.transforms import import_crm, map_csv_file


def load_case(case):
    mapping = load_import_mapping((VECTORS / case["mapping"]).read_text(encoding="utf-8"))
    want_events = (VECTORS / f"{case['name']}.events.jsonl").read_text(encoding="utf-8")
    want_rejects = (VECTORS / f"{case['name']}.rejects.jsonl").read_text(encoding="utf-8")
    return mapping, want_events, want_rejects


def test_every_vector_maps_to_the_expected_lines_in_plain_python(cases):
    for case in cases["cases"]:
        # Prepare
        mapping, want_events, want_rejects = load_case(case)
        data = (VECTORS / case["csv"]).read_bytes()
        # Act
        out = list(map_csv_file(case["csv"], data, mapping, cases["importedAt"]))
        # Assess
        assert "".join(line + "\n" for kind, _, _, line in out if kind == "event") == want_events, case["name"]
        assert "".join(line + "\n" for kind, _, _, line in out if kind == "reject") == want_rejects, case["name"]


@pytest.mark.parametrize("name", ["basic", "bom-crlf", "types", "edge-cr", "edge-mixed"])
def test_spark_job_writes_byte_identical_staged_events_and_rejects(spark, cases, tmp_path, name):
    # Prepare
    case = next(c for c in cases["cases"] if c["name"] == name)
    mapping, want_events, want_rejects = load_case(case)
    # Act
    result = import_crm(
        spark, str(VECTORS / case["csv"]), mapping, cases["importedAt"], str(tmp_path / "staged"), str(tmp_path / "errors")
    )
    # Assess
    assert read_text_output(tmp_path / "staged") == want_events
    assert read_text_output(tmp_path / "errors" / f"source_file={case['csv']}") == want_rejects
    assert result == {"accepted": want_events.count("\n"), "rejected": want_rejects.count("\n")}


def test_duplicate_rows_stay_as_events_with_the_same_event_id(cases):
    # Prepare
    case = next(c for c in cases["cases"] if c["name"] == "basic")
    mapping, _, _ = load_case(case)
    # Act
    out = [json.loads(line) for kind, _, _, line in map_csv_file("basic.csv", (VECTORS / "basic.csv").read_bytes(), mapping, cases["importedAt"]) if kind == "event"]
    # Assess
    alice = [e for e in out if e["identity"]["externalIds"][0]["value"] == "C-1001"]
    assert [e["context"]["import"]["row"] for e in alice] == [1, 12]
    assert alice[0]["eventId"] == alice[1]["eventId"]


def test_large_file_matches_the_shared_expected_hashes(spark, tmp_path):
    # Prepare
    expected = json.loads((VECTORS / "large.expected.json").read_text(encoding="utf-8"))
    csv_text = generate_large_csv(expected["rows"])
    assert hashlib.sha256(csv_text.encode("utf-8")).hexdigest() == expected["csvSha256"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "large.csv").write_text(csv_text, encoding="utf-8", newline="")
    mapping = load_import_mapping((VECTORS / "../../../glue-jobs/mappings/crm-default.json").read_text(encoding="utf-8"))
    # Act
    result = import_crm(
        spark, str(tmp_path / "in"), mapping, expected["importedAt"], str(tmp_path / "staged"), str(tmp_path / "errors")
    )
    # Assess
    events = read_text_output(tmp_path / "staged")
    rejects = read_text_output(tmp_path / "errors" / "source_file=large.csv")
    assert result == {"accepted": expected["accepted"], "rejected": expected["rejected"]}
    assert hashlib.sha256(events.encode("utf-8")).hexdigest() == expected["eventsSha256"]
    assert hashlib.sha256(rejects.encode("utf-8")).hexdigest() == expected["rejectsSha256"]


def test_a_folder_with_a_bad_header_and_an_empty_file_keeps_a_trace_of_both(spark, cases, tmp_path):
    # Prepare
    case = next(c for c in cases["cases"] if c["name"] == "basic")
    mapping, want_events, want_rejects = load_case(case)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "basic.csv").write_bytes((VECTORS / "basic.csv").read_bytes())
    (folder / "other.csv").write_text("ContactID,Mail\nC-9,x@y.z\n", encoding="utf-8")
    (folder / "empty.csv").write_text("", encoding="utf-8")
    # Act
    result = import_crm(spark, str(folder), mapping, cases["importedAt"], str(tmp_path / "staged"), str(tmp_path / "errors"))
    # Assess
    assert read_text_output(tmp_path / "staged") == want_events
    assert read_text_output(tmp_path / "errors" / "source_file=basic.csv") == want_rejects
    other = json.loads(read_text_output(tmp_path / "errors" / "source_file=other.csv"))
    assert other["row"] == 0 and other["fields"] == ["ContactID", "Mail"]
    missing = "Email, FullName, Company, LifetimeValue, LastContactDate"
    assert other["reasons"][0]["reason"] == f"the CSV header lacks the mapped column(s): {missing}"
    empty = json.loads(read_text_output(tmp_path / "errors" / "source_file=empty.csv"))
    assert empty["reasons"] == [{"column": None, "reason": "the CSV is empty: no header row"}]
    assert result == {"accepted": want_events.count("\n"), "rejected": want_rejects.count("\n") + 2}
