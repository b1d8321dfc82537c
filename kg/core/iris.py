"""Stable, readable IRIs under a configurable base (KG_BASE, default http://127.0.0.1:5000/).

The same canonical name gives the same IRI in every report, so 德阳市罗江区司法局 named by two
reports is one node: {base}department/德阳市罗江区司法局. Chinese stays readable (IRIs allow
it); only characters that IRIs forbid are percent-encoded.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote

from kg.core import settings
from kg.core.types import BY_NAME, BY_PATH



def base() -> str:
    """The base of our IRIs (KG_BASE)."""
    return settings.base()


def _iri_char(ch: str) -> bool:
    """A non-ASCII character an IRI may hold as it is (RFC 3987 ucschar), and not a space or a
    line separator of any kind (U+00A0, U+2028, U+3000 …), which would not survive copying."""
    o = ord(ch)
    if not (0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF
            or (0x10000 <= o <= 0xEFFFD and (o & 0xFFFF) <= 0xFFFD)):
        return False
    return not ch.isspace() and unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cf")


@lru_cache(maxsize=65536)
def segment(text: str) -> str:
    """One path segment: Chinese and other IRI characters kept, everything else (reserved ASCII,
    controls, spaces, separators) percent-encoded."""
    return "".join(ch if ord(ch) > 127 and _iri_char(ch) else quote(ch, safe="()-_.~") for ch in text.strip())


def mint(kind: str, *parts: str, under: str | None = None) -> str:
    """The IRI of a `kind` named by `parts`, under `under` (default: `base()`, which reads KG_BASE)."""
    return (under or base()) + BY_NAME[kind].path + "/" + "/".join(segment(p) for p in parts if p != "")


def doc_id(source: str) -> str:
    """A report's id: its file name without extension, made IRI- and file-safe."""
    stem = Path(source).stem
    return re.sub(r"[^\w\u4e00-\u9fff.-]+", "-", stem).strip("-") or "document"


def parse(iri: str) -> tuple[str, list[str]] | None:
    """(kind, path parts) of one of our IRIs, or None."""
    b = base()
    if not iri.startswith(b):
        return None
    rest = iri[len(b):]
    kind, _, path = rest.partition("/")
    if kind not in BY_PATH or not path:
        return None
    return kind, [unquote(p) for p in path.split("/")]
