"""Python twin of test/fixtures/crm-import/large-csv.ts: the same 100,000-row CSV, byte for byte
(large.expected.json pins its SHA-256)."""

import hashlib
import re

FIRST = ["Alice", "Bob", "Carol", "Dave", "Émile", "Zoë", "Łukasz", "Søren", "José", "李", "Анна", "Mia"]
FIRST_ASCII = ["alice", "bob", "carol", "dave", "emile", "zoe", "lukasz", "soren", "jose", "li", "anna", "mia"]
LAST = ["Martin", "Smith", "Núñez", "Müller", "王", "Ivanova", "O'Brien", "García", "Kowalski", "Dubois"]
LAST_ASCII = ["martin", "smith", "nunez", "muller", "wang", "ivanova", "obrien", "garcia", "kowalski", "dubois"]
COMPANY = [
    "Acme Corp",
    "Stone & Sons, Ltd.",
    "Globex",
    "Initech",
    'Umbrella "Health"',
    "北京科技有限公司",
    "Müller GmbH",
    "Multi\nLine Co",
    "",
]
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _cell(s: str) -> str:
    return '"' + s.replace('"', '""') + '"' if _NEEDS_QUOTES.search(s) else s


def generate_large_csv(rows: int = 100_000) -> str:
    """The CSV text with `rows` data rows."""
    lines = ["ContactID,Email,FullName,Company,LifetimeValue,LastContactDate"]
    prev = ""
    for i in range(rows):
        if i > 0 and i % 50 == 0:
            lines.append(prev)
            continue
        b = hashlib.sha256(f"crm-large:{i}".encode()).digest()
        f = b[0] % len(FIRST)
        last = b[1] % len(LAST)
        local = f"{FIRST_ASCII[f]}.{LAST_ASCII[last]}{i}"
        variant = b[3] % 10
        if i % 193 == 0:
            email = f"{local}@"
        elif variant == 0:
            email = ""
        elif variant == 1:
            email = f"  {local.upper()}@Example.COM "
        else:
            email = f"{local}@example.com"
        value = "n/a" if i % 97 == 0 else f"{b[4] * 256 + b[5]}.{b[6] % 100:02d}"
        year, month, day = 2019 + b[7] % 6, 1 + b[8] % 12, 1 + b[9] % 28
        if i % 89 == 0:
            date = "2023-02-30"
        elif b[10] % 4 == 0:
            date = f"{month}/{day}/{year}"
        else:
            date = f"{year}-{month:02d}-{day:02d}"
        cells = [f"C{i + 1:07d}", email, f"{FIRST[f]} {LAST[last]}", COMPANY[b[2] % len(COMPANY)], value, date]
        prev = ",".join(_cell(c) for c in cells)
        lines.append(prev)
    return "\n".join(lines) + "\n"
