"""Where the data files under ontology/ live, and small readers for them."""
from __future__ import annotations

import hashlib
from pathlib import Path

from kg.core import settings



def data_path(*parts: str) -> Path:
    """A path under the ontology folder (override with KG_ONTOLOGY for an installed copy)."""
    base = settings.ontology_folder()
    return base.joinpath(*parts)


def read_table(*parts: str) -> list[list[str]]:
    """Rows of a tab-separated data file; '#' starts a comment line; blank lines skipped."""
    rows: list[list[str]] = []
    with open(data_path(*parts), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append([c.strip() for c in line.split("\t")])
    return rows


def read_words(*parts: str) -> list[str]:
    """One entry per line (first column), comments and blanks skipped."""
    return [r[0] for r in read_table(*parts) if r and r[0]]


def words_by_kind(*parts: str) -> dict[str, list[str]]:
    """A table of words and their kinds (word<TAB>kind), as kind -> its words in file order."""
    out: dict[str, list[str]] = {}
    for r in read_table(*parts):
        if len(r) >= 2 and r[0]:
            out.setdefault(r[1], []).append(r[0])
    return out


def extractor_version() -> str:
    """A fingerprint of what turns a report into triples: the library's code and the data files
    under ontology/ (lexicons, places, the ontology), not the gallery queries. A build keeps a
    report's triples only while its file and this fingerprint are unchanged."""
    h = hashlib.sha256()
    code = Path(__file__).resolve().parents[1]
    data = data_path()
    files = sorted(code.rglob("*.py")) + sorted(p for p in data.rglob("*")
                                               if p.is_file() and "queries" not in p.relative_to(data).parts)
    for f in files:
        h.update(str(f.relative_to(code if f.is_relative_to(code) else data)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def file_hash(path) -> str:
    """The content hash a build records for each report's file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
