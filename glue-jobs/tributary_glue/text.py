"""String helpers that behave exactly like their JavaScript counterparts, so both engines agree."""

from json.encoder import encode_basestring as _encode_string

# The characters String.prototype.trim() removes (WhiteSpace + LineTerminator in ECMA-262). Python's
# str.strip() differs: it keeps U+FEFF and removes U+001C..U+001F.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def js_trim(text: str) -> str:
    """Trims like JavaScript's String.prototype.trim()."""
    return text.strip(JS_WHITESPACE)


def js_has_whitespace(text: str) -> bool:
    """True when the text has a character JavaScript's /\\s/ matches."""
    return any(ch in JS_WHITESPACE for ch in text)


def js_length(text: str) -> int:
    """The length JavaScript reports: UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class RawNumber(str):
    """A number already in its canonical JSON text (written without quotes)."""


def to_json(value) -> str:
    """JSON text as JavaScript's JSON.stringify writes it for our events: no spaces, keys in dict
    order, non-ASCII kept, control characters escaped the same way (json's own string encoder, as
    json.dumps(ensure_ascii=False) uses)."""
    t = type(value)
    if t is str:
        return _encode_string(value)
    if t is RawNumber:
        return str.__str__(value)
    if t is dict:
        return "{" + ",".join([_encode_string(k) + ":" + to_json(v) for k, v in value.items()]) + "}"
    if t is list or t is tuple:
        return "[" + ",".join([to_json(v) for v in value]) + "]"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if t is int:
        return str(value)
    raise TypeError(f"cannot write {t.__name__} as JSON")
