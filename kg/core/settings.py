"""Every environment variable the project reads, in one place, with what it means.

| variable | default | what it sets |
| --- | --- | --- |
| `KG_DATA` | `./data` | the data folder (builds, the current link); `--data` on a command wins |
| `KG_BASE` | `http://127.0.0.1:5000/` | the base under which IRIs are minted |
| `KG_ONTOLOGY` | `ontology/` of the checkout | where the ontology, shapes, lexicons and queries are read |
| `KG_STORE` | unset (the embedded store) | a SPARQL 1.1 store to keep the graph in (`http://host:port`) |
| `KG_STORE_QUERY`, `KG_STORE_UPDATE`, `KG_STORE_GSP` | Oxigraph server's `/query`, `/update`, `/store` | its endpoints |
| `KG_INDEX_PROCS` | up to 2 (the cores) | processes writing the full-text index |
| `KG_SPARQL_TIMEOUT` | 10 | seconds a query at `/sparql` may run |
| `KG_SPARQL_MAX_ROWS` | 10000 | rows (or triples) a query at `/sparql` returns at most |
| `KG_SPARQL_MAX_BYTES` | 33554432 (32 MiB) | characters of values a query at `/sparql` returns at most |
| `KG_SPARQL_MAX_MEMORY` | 2147483648 (2 GiB) | address space of each process that runs `/sparql` queries |
| `KG_SPARQL_PROCS` | 2 | processes per web worker that run `/sparql` queries (a slow query holds one) |

Each is read when asked for (commands and tests set them per process), and nowhere else.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_BASE = "http://127.0.0.1:5000/"
CHECKOUT = Path(__file__).resolve().parents[2]


def _number(name: str, default, kind=int):
    """A numeric variable, or `default` when unset; a clear exit when it is no number."""
    value = os.environ.get(name, "").strip()
    try:
        return kind(value) if value else default
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a {'whole ' if kind is int else ''}number") from None


def data_folder(given: str | os.PathLike | None = None) -> Path:
    """`given` (a --data option), else KG_DATA, else ./data."""
    return Path(given or os.environ.get("KG_DATA") or "./data")


def base() -> str:
    b = os.environ.get("KG_BASE") or DEFAULT_BASE
    return b if b.endswith("/") else b + "/"


def ontology_folder() -> Path:
    return Path(os.environ.get("KG_ONTOLOGY") or CHECKOUT / "ontology")


def remote_store() -> str | None:
    return os.environ.get("KG_STORE") or None


def remote_endpoints(base_url: str) -> tuple[str, str, str]:
    """(query, update, graph store) URLs of a remote store."""
    return (os.environ.get("KG_STORE_QUERY") or base_url + "/query",
            os.environ.get("KG_STORE_UPDATE") or base_url + "/update",
            os.environ.get("KG_STORE_GSP") or base_url + "/store")


def index_procs() -> int | None:
    """KG_INDEX_PROCS when set (at least 1), else None: the build decides from the cores."""
    value = os.environ.get("KG_INDEX_PROCS", "").strip()
    return max(1, int(value)) if value.isdigit() else None


def report_seconds() -> float:
    """The most time one report may take to be read and extracted before it is skipped."""
    return _number("KG_REPORT_SECONDS", 120.0, float)


def report_memory() -> int:
    """The most memory (bytes) one report may take beyond what the build had when it began."""
    return _number("KG_REPORT_MEMORY", 1 << 30)


def sparql_timeout() -> float:
    return _number("KG_SPARQL_TIMEOUT", 10.0, float)


def sparql_max_rows() -> int:
    return _number("KG_SPARQL_MAX_ROWS", 10000)


def sparql_max_bytes() -> int:
    return _number("KG_SPARQL_MAX_BYTES", 32 << 20)


def sparql_max_memory() -> int:
    return _number("KG_SPARQL_MAX_MEMORY", 2 << 30)


def sparql_procs() -> int:
    return max(1, _number("KG_SPARQL_PROCS", 2))
