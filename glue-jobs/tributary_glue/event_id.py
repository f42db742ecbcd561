"""Deterministic event ids, mirror of services/importer/event-id.ts."""

import hashlib

from .text import to_json


def import_event_id(mapping_name: str, cells) -> str:
    """UUID version 8 from SHA-256 of the mapping name and the row's cells (same id for same row)."""
    digest = bytearray(hashlib.sha256(f"{mapping_name}\n{to_json(list(cells))}".encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
