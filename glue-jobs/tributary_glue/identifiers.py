"""Email and phone normalization, mirror of contracts/identifier.ts (libphonenumber on both sides)."""

import phonenumbers

from .text import js_has_whitespace, js_length, js_trim


def normalize_email(raw: str):
    """Trimmed, lower-cased address, or None when it is not one (same rules as normalizeEmail)."""
    email = js_trim(raw).lower()
    if len(email) == 0 or js_length(email) > 320:
        return None
    at = email.find("@")
    if at <= 0 or at != email.rfind("@") or at == len(email) - 1:
        return None
    if js_has_whitespace(email):
        return None
    return email


def normalize_phone(raw: str, default_country: str):
    """E.164 (`+14155552671`), or None when libphonenumber finds no valid number."""
    text = js_trim(raw)
    if len(text) == 0 or js_length(text) > 64:
        return None
    try:
        number = phonenumbers.parse(text, default_country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
