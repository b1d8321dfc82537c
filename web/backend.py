"""What the app is given: the data folder's current build (store, index, texts), reopened
when a new build is swapped in, so readers always see one consistent build."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from kg.datafolder import StoreError, current_build, read_manifest, store_location
from kg.graph.store import open_location
from kg.core.vocab import PREFIXES

from web.sparql_runner import Runner


class NoData(Exception):
    pass


MAX_REQUEST_BYTES = 1 << 20  # a request body (a posted query or form): 1 MiB


class Backend:
    def __init__(self, data: Path, sparql_timeout: float = 10.0, sparql_max_rows: int = 10000,
                 sparql_max_bytes: int = 32 << 20, sparql_max_memory: int = 2 << 30, sparql_procs: int = 2):
        self.data = Path(data)
        self.runner = Runner(sparql_timeout, sparql_max_rows, sparql_max_bytes, sparql_max_memory, sparql_procs)
        self._lock = threading.Lock()
        self._build: Path | None = None
        self._store = None
        self._location = ""
        self._manifest: dict = {}
        self._checked = 0.0

    def _refresh(self) -> Path:
        # look for a newly swapped-in build at most every half second
        now = time.monotonic()
        if self._build is not None and now - self._checked < 0.5:
            return self._build
        self._checked = now
        try:
            build = current_build(self.data)
            if build is None:
                raise NoData(f"no built data in {self.data}: run `kg build` first")
            with self._lock:
                if build != self._build:
                    location = store_location(self.data)
                    store = open_location(location)
                    self._manifest = read_manifest(build)
                    self._location, self._store, self._build = location, store, build
        except StoreError as e:
            self._build = None
            raise NoData(str(e)) from None
        return build

    def available(self) -> bool:
        """Whether there is built data to serve (else the app's pages explain how to build it)."""
        try:
            self._refresh()
        except NoData:
            return False
        return True

    @property
    def build(self) -> Path:
        return self._refresh()

    @property
    def store(self):
        self._refresh()
        return self._store

    @property
    def manifest(self) -> dict:
        self._refresh()
        return self._manifest

    @property
    def base(self) -> str:
        return self.manifest.get("base", "")

    @property
    def location(self) -> str:
        """The store folder or remote store URL of the current build (for the query runner)."""
        self._refresh()
        return self._location

    def query(self, sparql: str):
        return self.store.query(sparql, prefixes=PREFIXES)

    def rows(self, sparql: str) -> list[dict]:
        res = self.query(sparql)
        names = [v.value for v in res.variables]
        # a solution's terms in the order of its variables (asking it by Variable is 2-3x slower:
        # 0.45 s against 0.07 s for 40k rows)
        return [dict(zip(names, [None if t is None else t.value for t in sol])) for sol in res]

    def text(self, docid: str) -> str | None:
        p = self.build / "docs" / f"{docid}.txt"
        return p.read_text(encoding="utf-8") if p.exists() else None

    def mentions(self, docid: str) -> list[dict]:
        p = self.build / "docs" / f"{docid}.mentions.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else []
