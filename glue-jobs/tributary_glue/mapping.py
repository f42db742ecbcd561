"""The import mapping spec: validated with the JSON Schema generated from contracts/import-mapping.ts,
then with the same semantic checks as checkImportMapping there."""

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from .dates import tokenize_date_format
from .text import js_trim

SCHEMA_PATH = Path(__file__).with_name("import_mapping.schema.json")
_VALIDATOR = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
# jsonschema matches patterns with re.search, where `$` also matches before a final newline.
_FULL_PATTERNS = {
    "name": re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}"),
    "field": re.compile(r"[a-z][a-z0-9_]{0,63}"),
    "identifier": re.compile(r"[a-z][a-z0-9_]{0,63}"),
    "trait": re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}"),
}
_TIME_TOKENS = ("HH", "H", "mm", "ss", "SSS")


class ImportMappingError(ValueError):
    """A mapping file was refused; `issues` lists (path, message)."""

    def __init__(self, issues):
        self.issues = issues
        super().__init__("invalid import mapping: " + "; ".join(f"{p or '(root)'}: {m}" for p, m in issues))


def check_import_mapping(mapping: dict):
    """The semantic problems the schema cannot express, as (path, message) pairs."""
    issues = []
    fields = mapping["fields"]
    field_names, trait_names, columns, identifiers = set(), set(), set(), set()
    if not _FULL_PATTERNS["name"].fullmatch(mapping["name"]):
        issues.append(("name", "must be lower-case letters, digits, _ . -"))
    for i, f in enumerate(fields):
        for key in ("field", "identifier", "trait"):
            if key in f and not _FULL_PATTERNS[key].fullmatch(f[key]):
                issues.append((f"fields.{i}.{key}", "invalid name"))
        if f["field"] in field_names:
            issues.append((f"fields.{i}.field", f"duplicate field {f['field']}"))
        field_names.add(f["field"])
        column = js_trim(f["column"])
        if column in columns:
            issues.append((f"fields.{i}.column", f"column {f['column']} mapped twice"))
        columns.add(column)
        ident = f.get("identifier")
        if ident is not None:
            if ident in identifiers:
                issues.append((f"fields.{i}.identifier", f"identifier {ident} mapped twice"))
            identifiers.add(ident)
            if f["type"] not in ("string", "email", "phone"):
                issues.append((f"fields.{i}.identifier", "an identifier must be of type string, email or phone"))
            elif ident == "email" and f["type"] != "email":
                issues.append((f"fields.{i}.identifier", "the email identifier needs type email"))
            elif ident == "phone" and f["type"] != "phone":
                issues.append((f"fields.{i}.identifier", "the phone identifier needs type phone"))
        trait = f.get("trait")
        if trait is not None:
            if trait in trait_names:
                issues.append((f"fields.{i}.trait", f"duplicate trait {trait}"))
            trait_names.add(trait)
        if f["type"] in ("date", "datetime"):
            for j, fmt in enumerate(f["formats"]):
                path = f"fields.{i}.formats.{j}"
                parts = tokenize_date_format(fmt)
                tokens = [v for k, v in parts or [] if k == "token"]
                if parts is None:
                    issues.append((path, "unknown letter in date format"))
                elif "yyyy" not in tokens or not ("MM" in tokens or "M" in tokens):
                    issues.append((path, "a date format needs yyyy and MM (or M)"))
                elif not ("dd" in tokens or "d" in tokens):
                    issues.append((path, "a date format needs dd (or d)"))
                elif len({t[0] for t in tokens}) != len(tokens):
                    issues.append((path, "a date format uses a token twice"))
                elif f["type"] == "date" and any(t in _TIME_TOKENS for t in tokens):
                    issues.append((path, "a date format has no time tokens (use type datetime)"))
                elif f["type"] == "datetime" and not ("HH" in tokens or "H" in tokens):
                    issues.append((path, "a datetime format needs at least HH (or H)"))
        if f["type"] == "boolean":
            yes = [js_trim(v).lower() for v in f.get("trueValues", [])]
            if any(js_trim(v).lower() in yes for v in f.get("falseValues", [])):
                issues.append((f"fields.{i}", "a value is both true and false"))
    if not any("identifier" in f for f in fields):
        issues.append(("fields", "at least one field must be an identifier"))
    ts = mapping.get("timestampField")
    if ts is not None:
        target = next((f for f in fields if f["field"] == ts), None)
        if target is None or target["type"] not in ("date", "datetime"):
            issues.append(("timestampField", "must name a date or datetime field"))
    return issues


def parse_import_mapping(raw) -> dict:
    """The mapping, validated; raises ImportMappingError with every problem."""
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ImportMappingError([(".".join(map(str, e.absolute_path)), e.message) for e in errors])
    issues = check_import_mapping(raw)
    if issues:
        raise ImportMappingError(issues)
    return raw


def load_import_mapping(text: str) -> dict:
    """Parses and validates a mapping file's text."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportMappingError([("", f"not JSON: {error}")]) from error
    return parse_import_mapping(raw)
