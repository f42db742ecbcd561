"""Cell parsers per field type, mirror of services/importer/field-parsers.ts (same reasons, same values)."""

from .dates import compile_date_format, format_date, format_datetime
from .decimal_text import canonical_decimal
from .identifiers import normalize_email, normalize_phone
from .text import RawNumber, js_trim

DEFAULT_TRUE = ["true", "yes", "y", "1"]
DEFAULT_FALSE = ["false", "no", "n", "0"]
EMPTY = (True, None)


def create_field_parser(field: dict):
    """A parser: raw cell -> (True, value or None for empty) | (False, reason)."""
    kind = field["type"]

    def with_text(parse):
        def parser(raw: str):
            text = js_trim(raw)
            return EMPTY if len(text) == 0 else parse(text)

        return parser

    if kind == "string":
        return with_text(lambda text: (True, text))
    if kind == "email":

        def email(text):
            value = normalize_email(text)
            return (False, "not an email address") if value is None else (True, value)

        return with_text(email)
    if kind == "phone":
        country = field["defaultCountry"]
        reason = f"not a valid phone number (default country {country})"

        def phone(text):
            value = normalize_phone(text, country)
            return (False, reason) if value is None else (True, value)

        return with_text(phone)
    if kind == "decimal":

        def decimal(text):
            ok, value = canonical_decimal(text)
            return (True, RawNumber(value)) if ok else (False, value)

        return with_text(decimal)
    if kind == "boolean":
        yes = [js_trim(v).lower() for v in field.get("trueValues", DEFAULT_TRUE)]
        no = [js_trim(v).lower() for v in field.get("falseValues", DEFAULT_FALSE)]
        reason = f"not a boolean (expected one of {', '.join(yes + no)})"

        def boolean(text):
            v = text.lower()
            if v in yes:
                return True, True
            if v in no:
                return True, False
            return False, reason

        return with_text(boolean)
    if kind in ("date", "datetime"):
        readers = [compile_date_format(f) for f in field["formats"]]
        fmt = format_date if kind == "date" else format_datetime
        plural = "s" if len(field["formats"]) > 1 else ""
        no_match = f"does not match the date format{plural} {' | '.join(field['formats'])}"

        def date(text):
            saw_impossible = False
            for read in readers:
                d = read(text)
                if d == "no-match":
                    continue
                if d == "not-a-date":
                    saw_impossible = True
                    continue
                return True, fmt(d)
            return False, ("not a calendar date" if saw_impossible else no_match)

        return with_text(date)
    raise ValueError(f"unknown field type {kind}")
