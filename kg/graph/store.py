"""The graph store: an on-disk Oxigraph store (one named graph per report, and the default
graph as their union without duplicates) or a remote SPARQL 1.1 store; opening it, loading
reports into it, and querying it. The full-text functions of SPARQL are not known here: whoever
has an index passes them to `query`."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kg.core.vocab import PREFIXES
from kg.datafolder import REBUILD, StoreError, store_location
from kg.graph.remote import RemoteStore

ONTOLOGY_GRAPH = "graph/ontology"


def open_location(location: str):
    if location.startswith(("http://", "https://")):
        return RemoteStore(location)
    try:
        return ox.Store.read_only(location)
    except (OSError, RuntimeError) as e:  # RocksDB reports damage as RuntimeError
        raise StoreError(f"the store {location} cannot be opened ({str(e).splitlines()[0][:160]}): {REBUILD}") from None


def open_store(data: Path):
    return open_location(store_location(data))


class Loader:
    """Loads report graphs into the new store: each into its named graph and into the default
    graph, which, being a set, becomes the union of all reports without duplicates. (Querying
    the union of named graphs instead would see an entity's description once per report naming
    it and multiply every join.) The embedded store gets them in batches through Oxigraph's
    bulk loader, on a thread of its own (the loader releases the GIL, so the next reports are
    prepared meanwhile) with one batch waiting at most; a remote store one graph at a time
    through the Graph Store Protocol."""

    BATCH_BYTES = 16 << 20  # the bulk loader needs several times its input in memory

    def __init__(self, store):
        self.store = store
        self.embedded = isinstance(store, ox.Store)
        self.batch: list[bytes] = []
        self.size = 0
        self._thread = None
        self._error: BaseException | None = None
        if self.embedded:
            import queue
            import threading
            self._queue: queue.Queue = queue.Queue(maxsize=1)
            self._thread = threading.Thread(target=self._run, name="bulk-load", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                except BaseException as e:  # raised again in the build's own thread
                    self._error = e

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def add(self, graph: str, ntriples: bytes) -> None:
        if not self.embedded:
            self.store.put_graph(graph, ntriples)
            return
        # an N-Triples line "<s> <p> <o> ." becomes the N-Quads line "<s> <p> <o> <g> ."
        named = ntriples.replace(b" .\n", f" <{graph}> .\n".encode())
        self.batch += (named, ntriples)
        self.size += len(named) + len(ntriples)
        if self.size >= self.BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        self._check()
        if self.batch:
            self._queue.put(b"".join(self.batch))
            self.batch, self.size = [], 0

    def abandon(self) -> None:
        """Stop the loader's thread without loading what is left (the build failed)."""
        if self._thread is not None and self._thread.is_alive():
            self._error = self._error or RuntimeError("abandoned")
            self._queue.put(None)

    def close(self) -> None:
        """Load what is left and wait for the loader; its error, if any, is raised here."""
        if self.embedded:
            self.flush()
            self._queue.put(None)
            self._thread.join()
            self._check()


UNSAFE_IRI = re.compile(r"[<>\"{}|^`\\\s]")  # characters an IRI may not hold in SPARQL's <…>


def iri_values(iris, size: int = 1000):
    """IRIs as the bodies of VALUES blocks of at most `size` each, so that the store starts from
    exactly these (a join left to it may read the whole corpus first); IRIs that could not be
    written between <…> are left out."""
    plain = [i for i in iris if i and not UNSAFE_IRI.search(i)]
    for k in range(0, len(plain), size):
        yield " ".join(f"<{i}>" for i in plain[k:k + size])


def remove_graphs(store, graphs) -> None:
    """Take report graphs out of a store: each named graph, and its share of the default graph
    (the union): a triple stays there while any other graph still states it. Run before the
    graphs' new versions are loaded."""
    for g in graphs:
        store.update(f"""DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }}
                           FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{g}>) }} }} ;
                         DROP SILENT GRAPH <{g}>""")


def release_free_memory() -> None:
    """Hand the memory freed by the bulk loader's thread (its own malloc arena) back to the
    system before the index writers fork, so that it is not carried through the indexing."""
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def query(store, sparql: str, functions: dict | None = None, rewrite=None):
    """Run SPARQL over the default graph (the union of all reports' graphs, without duplicates),
    with our prefixes predeclared. Each report's own statements stay queryable with
    GRAPH <…/graph/ID>. `functions` are custom SPARQL functions (pyoxigraph's form) and
    `rewrite` a function of the query text run first; both only for the embedded store."""
    if not isinstance(store, ox.Store):
        return store.query(sparql, prefixes=PREFIXES)
    return store.query(rewrite(sparql) if rewrite else sparql, prefixes=PREFIXES, custom_functions=functions)
