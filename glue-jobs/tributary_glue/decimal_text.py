"""Plain decimals, canonical text (mirror of services/importer/decimal.ts)."""

import re

_PLAIN_DECIMAL = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?")
OUT_OF_RANGE = "decimal out of range (max 15 integer, 6 fraction, 15 significant digits)"


def canonical_decimal(text: str):
    """(True, canonical text) or (False, reason): `-0012.50` -> `-12.5`, `-0` -> `0`."""
    m = _PLAIN_DECIMAL.fullmatch(text)
    if not m:
        return False, "not a plain decimal number"
    sign = "-" if m.group(1) == "-" else ""
    int_part = m.group(2).lstrip("0") or "0"
    frac_part = (m.group(3) or "").rstrip("0")
    significant = (int_part + frac_part).lstrip("0")
    if len(int_part) > 15 or len(frac_part) > 6 or len(significant) > 15:
        return False, OUT_OF_RANGE
    if not significant:
        return True, "0"
    return True, sign + int_part + ("." + frac_part if frac_part else "")
