"""A synthetic Concordance production: families (a parent and its attachments, by BEGATTACH /
ENDATTACH), three custodians and a share of duplicate families (same MD5s, other custodian),
dense or sparse (most optional fields empty). Deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nexus.documents.infrastructure.load_files import DatWriter

COLUMNS = (
    "BEGDOC",
    "ENDDOC",
    "BEGATTACH",
    "ENDATTACH",
    "CUSTODIAN",
    "MD5HASH",
    "FROM",
    "TO",
    "CC",
    "SUBJECT",
    "DATESENT",
    "TITLE",
    "AUTHOR",
    "FILENAME",
    "FILEEXT",
    "FILESIZE",
    "FOLDERPATH",
    "DOCTYPE",
)
CUSTODIANS = ("Alice Archer", "Bob Brenner", "Carol Chen")
DENSE_ONLY = ("FROM", "TO", "CC", "SUBJECT", "DATESENT", "TITLE", "AUTHOR", "FOLDERPATH")


def _document(rng: random.Random, number: int, md5: str, sparse: bool) -> dict[str, str]:
    row = {
        "MD5HASH": md5,
        "FROM": f"sender{number % 97}@example.org",
        "TO": f"a{number % 13}@example.org; b{number % 7}@example.org",
        "CC": f"c{number % 11}@example.org",
        "SUBJECT": f'Quarterly review {number} \u00fe \u00ae; "quoted"',
        "DATESENT": f"2019-{1 + number % 12:02d}-{1 + number % 28:02d} 10:{number % 60:02d}:00",
        "TITLE": f"Memo {number}",
        "AUTHOR": f"Author {number % 31}",
        "FILENAME": f"DOC{number:08d}.msg",
        "FILEEXT": "msg",
        "FILESIZE": str(1000 + rng.randrange(100_000)),
        "FOLDERPATH": f"\\\\mail\\inbox\\{number % 50}",
        "DOCTYPE": "efile",
    }
    if sparse:
        for column in DENSE_ONLY:
            row[column] = ""
    return row


def families(
    count: int, *, duplicates: float = 0.3, sparse: bool = False, seed: int = 7
) -> Iterator[dict[str, str]]:
    """`count` records: families of 1 to 3 documents, about `duplicates` of them repeating an
    earlier family's MD5s under another custodian."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    templates: list[list[str]] = []
    number = 0
    while number < count:
        if templates and rng.random() < duplicates:
            md5s = templates[rng.randrange(len(templates))]
        else:
            size = 1 if rng.random() < 0.7 else rng.choice((2, 3))
            md5s = [f"{rng.getrandbits(128):032x}" for _ in range(size)]
            templates.append(md5s)
        md5s = md5s[: count - number]
        custodian = CUSTODIANS[rng.randrange(len(CUSTODIANS))]
        first, last = f"DOC{number + 1:08d}", f"DOC{number + len(md5s):08d}"
        for md5 in md5s:
            number += 1
            row = _document(rng, number, md5, sparse)
            row["BEGDOC"] = row["ENDDOC"] = f"DOC{number:08d}"
            row["BEGATTACH"], row["ENDATTACH"] = (first, last) if len(md5s) > 1 else ("", "")
            row["CUSTODIAN"] = custodian
            yield row


def write_production(path: str | Path, count: int, **options: Any) -> Path:
    """Write `families(count, **options)` as a DAT file with a header row."""
    target = Path(path)
    with target.open("wb") as stream:
        writer = DatWriter(stream, COLUMNS)
        writer.write_header()
        for row in families(count, **options):
            writer.write(row)
    return target
