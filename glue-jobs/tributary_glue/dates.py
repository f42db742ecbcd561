"""Date formats of the mapping spec (mirror of contracts/import-mapping.ts and date-format.ts)."""

import re

DATE_FORMAT_TOKENS = ("yyyy", "SSS", "MM", "dd", "HH", "mm", "ss", "M", "d", "H")
_TOKEN_PATTERN = {
    "yyyy": "([0-9]{4})",
    "SSS": "([0-9]{3})",
    "MM": "([0-9]{2})",
    "dd": "([0-9]{2})",
    "HH": "([0-9]{2})",
    "mm": "([0-9]{2})",
    "ss": "([0-9]{2})",
    "M": "([0-9]{1,2})",
    "d": "([0-9]{1,2})",
    "H": "([0-9]{1,2})",
}


def tokenize_date_format(fmt: str):
    """[('token', 'yyyy') | ('literal', '-'), ...], or None for an unknown letter or open quote."""
    parts = []
    i = 0
    while i < len(fmt):
        for token in DATE_FORMAT_TOKENS:
            if fmt.startswith(token, i):
                parts.append(("token", token))
                i += len(token)
                break
        else:
            ch = fmt[i]
            if ch == "'":
                end = fmt.find("'", i + 1)
                if end < 0 or end == i + 1:
                    return None
                parts.append(("literal", fmt[i + 1 : end]))
                i = end + 1
                continue
            if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
                return None
            parts.append(("literal", ch))
            i += 1
    return parts


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def compile_date_format(fmt: str):
    """A reader: text -> (y, M, d, H, m, s, S) tuple, 'no-match' or 'not-a-date'."""
    parts = tokenize_date_format(fmt)
    if parts is None:
        raise ValueError(f"invalid date format {fmt}")
    tokens = []
    source = ""
    for kind, value in parts:
        if kind == "token":
            tokens.append(value)
            source += _TOKEN_PATTERN[value]
        else:
            source += re.escape(value)
    pattern = re.compile(source)

    def read(text: str):
        m = pattern.fullmatch(text)
        if not m:
            return "no-match"
        d = {"y": 0, "M": 0, "d": 0, "H": 0, "m": 0, "s": 0, "S": 0}
        for i, token in enumerate(tokens):
            n = int(m.group(i + 1))
            key = {"yyyy": "y", "MM": "M", "M": "M", "dd": "d", "d": "d", "HH": "H", "H": "H"}.get(token)
            if key is None:
                key = {"mm": "m", "ss": "s", "SSS": "S"}[token]
            d[key] = n
        if d["y"] < 1 or d["M"] < 1 or d["M"] > 12 or d["d"] < 1 or d["d"] > _days_in_month(d["y"], d["M"]):
            return "not-a-date"
        if d["H"] > 23 or d["m"] > 59 or d["s"] > 59:
            return "not-a-date"
        return (d["y"], d["M"], d["d"], d["H"], d["m"], d["s"], d["S"])

    return read


def format_date(p) -> str:
    """YYYY-MM-DD."""
    return f"{p[0]:04d}-{p[1]:02d}-{p[2]:02d}"


def format_datetime(p) -> str:
    """YYYY-MM-DDTHH:mm:ss.SSSZ."""
    return f"{format_date(p)}T{p[3]:02d}:{p[4]:02d}:{p[5]:02d}.{p[6]:03d}Z"
