"""Where the data files under ontology/ live, and small readers for them."""
from __future__ import annotations

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
