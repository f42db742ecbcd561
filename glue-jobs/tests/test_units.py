"""Field parsing, mapping validation and CSV edge cases of the Glue job's pure Python parts."""

import copy
import json

import pytest
from conftest import VECTORS
from tributary_glue.dates import compile_date_format
from tributary_glue.decimal_text import canonical_decimal
from tributary_glue.identifiers import normalize_email, normalize_phone
from tributary_glue.mapping import ImportMappingError, load_import_mapping, parse_import_mapping
from tributary_glue.row_mapper import normalize_imported_at
from tributary_glue.text import js_trim, to_json
from tributary_glue.transforms import map_csv_file

DEFAULT = json.loads((VECTORS / "../../../glue-jobs/mappings/crm-default.json").read_text(encoding="utf-8"))
NOW = "2024-05-01T12:00:00.000Z"


def test_phone_vectors_agree_with_the_typescript_side():
    phones = json.loads((VECTORS / "phones.json").read_text(encoding="utf-8"))
    for v in phones["agree"]:
        assert normalize_phone(v["input"], v["defaultCountry"]) == v["e164"], v
    for v in phones["disagree"]:
        assert normalize_phone(v["input"], v["defaultCountry"]) == v["python"], v


@pytest.mark.parametrize(
    ("text", "want"),
    [("1234.50", "1234.5"), ("-0012.50", "-12.5"), ("-0.00", "0"), ("+7", "7"), ("0.000001", "0.000001"), ("100", "100")],
)
def test_decimals_have_one_canonical_text(text, want):
    assert canonical_decimal(text) == (True, want)


@pytest.mark.parametrize("text", ["1,234.50", "1e5", "12abc", ".5", "5.", " 5", "NaN", "１２"])
def test_non_plain_decimals_are_refused(text):
    assert canonical_decimal(text) == (False, "not a plain decimal number")


def test_decimals_beyond_exact_double_range_are_refused():
    assert canonical_decimal("1234567890123456")[0] is False
    assert canonical_decimal("0.0000001")[0] is False
    assert canonical_decimal("12345678901234.56")[0] is False
    assert canonical_decimal("123456789012345")[0] is True


def test_dates_are_checked_against_the_calendar():
    read = compile_date_format("yyyy-MM-dd")
    assert read("2024-02-29") == (2024, 2, 29, 0, 0, 0, 0)
    assert read("2023-02-29") == "not-a-date"
    assert read("2024-2-29") == "no-match"
    assert compile_date_format("M/d/yyyy")("3/7/2024") == (2024, 3, 7, 0, 0, 0, 0)
    assert compile_date_format("yyyy-MM-dd'T'HH:mm")("2024-03-07T23:59") == (2024, 3, 7, 23, 59, 0, 0)
    assert compile_date_format("yyyy-MM-dd")("２０２４-01-01") == "no-match"


def test_email_and_trim_follow_javascript():
    assert normalize_email("  Bob.Stone@Example.COM ") == "bob.stone@example.com"
    assert normalize_email("a@b@c") is None
    assert normalize_email("bad-email@") is None
    assert js_trim("\ufeff x \u3000") == "x"
    assert js_trim("\x1c x") == "\x1c x"


def test_json_text_matches_json_stringify_escaping():
    assert to_json({"a": "q\"\\\n\t\x01\x7f\u2028é😀", "b": [True, False, None, 3]}) == (
        '{"a":"q\\"\\\\\\n\\t\\u0001\x7f\u2028é😀","b":[true,false,null,3]}'
    )


def test_imported_at_is_normalized_to_milliseconds():
    assert normalize_imported_at("2024-05-01T12:00:00Z") == "2024-05-01T12:00:00.000Z"
    assert normalize_imported_at("2024-05-01T12:00:00.5Z") == "2024-05-01T12:00:00.500Z"
    assert normalize_imported_at("2024-05-01T12:00:00+02:00") is None


def test_the_default_mapping_is_valid():
    assert load_import_mapping(json.dumps(DEFAULT))["name"] == "crm-default"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda m: m["fields"][0].update(type="number"), "fields.0"),
        (lambda m: m["fields"][5].update(formats=["yyyy-MM-dd hh"]), "fields.5.formats.0"),
        (lambda m: m["fields"][5].update(formats=["yyyy-MM-dd HH"]), "fields.5.formats.0"),
        (lambda m: m["fields"][1].update(identifier="phone"), "fields.1.identifier"),
        (lambda m: m["fields"][2].update(trait="email"), "fields.2.trait"),
        (lambda m: m.update(timestampField="company"), "timestampField"),
        (lambda m: m["fields"][0].update(traits="typo"), "fields.0"),
        (lambda m: m.update(name="crm\n"), "name"),
    ],
)
def test_bad_mappings_are_refused_with_the_path(change, path):
    mapping = copy.deepcopy(DEFAULT)
    change(mapping)
    with pytest.raises(ImportMappingError) as error:
        parse_import_mapping(mapping)
    assert any(p == path for p, _ in error.value.issues), error.value.issues


def test_a_header_without_the_mapped_columns_is_one_reject_at_row_zero():
    out = list(map_csv_file("x.csv", b"ContactID,Mail\nC-1,a@b.c\n", DEFAULT, NOW))
    assert len(out) == 1
    kind, name, row, line = out[0]
    assert (kind, name, row) == ("reject", "x.csv", 0)
    assert "FullName" in json.loads(line)["reasons"][0]["reason"]


def test_an_unclosed_quote_is_a_reject_after_the_last_good_row():
    data = b'ContactID,Email,FullName,Company,LifetimeValue,LastContactDate\nC-1,a@b.c,A,B,1,2024-01-01\nC-2,"open\n'
    out = list(map_csv_file("x.csv", data, DEFAULT, NOW))
    assert [(k, r) for k, _, r, _ in out] == [("event", 1), ("reject", 2)]
    assert json.loads(out[1][3])["reasons"][0]["reason"].startswith("unparseable CSV")


def test_an_empty_file_is_reported():
    out = list(map_csv_file("x.csv", b"", DEFAULT, NOW))
    assert json.loads(out[0][3])["reasons"][0]["reason"] == "the CSV is empty: no header row"
