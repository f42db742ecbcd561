"""Applies a mapping to CSV rows: mirror of services/importer/row-mapper.ts, emitting the same JSON lines."""

import re

from .event_id import import_event_id
from .fields import create_field_parser
from .text import js_trim, to_json

_IMPORTED_AT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,3}))?Z")
_BUILTIN_IDS = {"user_id": "userId", "anonymous_id": "anonymousId", "email": "email", "phone": "phone"}


class ImportHeaderError(ValueError):
    """The CSV header lacks columns the mapping reads."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(f"the CSV header lacks the mapped column(s): {', '.join(missing)}")


def normalize_imported_at(text: str):
    """`2024-05-01T12:00:00Z` -> `2024-05-01T12:00:00.000Z`; None when not UTC ISO-8601."""
    m = _IMPORTED_AT.fullmatch(text)
    if not m:
        return None
    return f"{m.group(1)}.{(m.group(2) or '').ljust(3, '0')}Z"


def clean_header(cells):
    """Header names without BOM, trimmed."""
    return [js_trim(c.removeprefix("\ufeff")) for c in cells]


def reject_line(row: int, cells, reasons) -> str:
    """A rejected row as its JSON line: row number, cells as read, reasons with their column."""
    return to_json({"row": row, "fields": list(cells), "reasons": [{"column": c, "reason": r} for c, r in reasons]})


def create_row_mapper(mapping: dict, imported_at: str, header):
    """A function (cells, row) -> ('event', json line) | ('reject', json line) for one file's header."""
    names = clean_header(header)
    missing = [js_trim(f["column"]) for f in mapping["fields"] if js_trim(f["column"]) not in names]
    if missing:
        raise ImportHeaderError(missing)
    columns = [
        {
            "index": names.index(js_trim(f["column"])),
            "column": js_trim(f["column"]),
            "parse": create_field_parser(f),
            "required": f.get("required") is True,
            "identifier": f.get("identifier"),
            "trait": f.get("trait"),
            "is_timestamp": f["field"] == mapping.get("timestampField"),
            "is_date": f["type"] == "date",
        }
        for f in mapping["fields"]
    ]
    width = len(names)
    name = mapping["name"]
    source = mapping["source"]

    def map_row(cells, row: int):
        if len(cells) != width:
            return "reject", reject_line(row, cells, [(None, f"expected {width} columns, found {len(cells)}")])
        reasons = []
        traits = {}
        ids = {}
        timestamp = imported_at
        for c in columns:
            ok, value = c["parse"](cells[c["index"]])
            if not ok:
                reasons.append((c["column"], value))
                continue
            if value is None:
                if c["required"]:
                    reasons.append((c["column"], "required value is empty"))
                continue
            if c["identifier"] is not None:
                ids[c["identifier"]] = str(value)
            if c["trait"] is not None:
                traits[c["trait"]] = value
            if c["is_timestamp"]:
                timestamp = f"{value}T00:00:00.000Z" if c["is_date"] else value
        if not reasons and not ids:
            reasons.append((None, "row has no identifier"))
        if reasons:
            return "reject", reject_line(row, cells, reasons)
        identity = {}
        for id_type, key in _BUILTIN_IDS.items():
            if id_type in ids:
                identity[key] = ids[id_type]
        external = [
            {"type": c["identifier"], "value": ids[c["identifier"]]}
            for c in columns
            if c["identifier"] is not None and c["identifier"] not in _BUILTIN_IDS and c["identifier"] in ids
        ]
        if external:
            identity["externalIds"] = external
        event = {
            "eventId": import_event_id(name, cells),
            "type": "identify",
            "eventName": "identify",
            "timestamp": timestamp,
            "receivedAt": imported_at,
            "source": source,
            "identity": identity,
            "properties": {},
            "traits": traits,
            "context": {"import": {"mapping": name, "row": row}},
        }
        return "event", to_json(event)

    return map_row
