"""The built data folder: an Oxigraph store (one named graph per report), the report texts,
and a manifest; built next to the current data and swapped in atomically.

    DATA/current -> builds/<id>      (a symlink, replaced atomically at the end of a build)
    DATA/builds/<id>/store/          pyoxigraph on-disk store
    DATA/builds/<id>/docs/<doc>.txt  report bodies (offsets in facts point into these)
    DATA/builds/<id>/manifest.json   documents, counts, build time

A build that fails or is killed leaves `current` pointing at the last good build.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .vocab import ONTOLOGY_IRI

ONTOLOGY_GRAPH = "graph/ontology"


class StoreError(Exception):
    pass


def data_dir(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("KG_DATA") or "./data")


REBUILD = "run `kg build` to build afresh beside it"


def current_build(data: Path) -> Path | None:
    """The current build's folder; None when nothing was built. StoreError when `current` is
    there but is not a link to a build folder (a file or folder put in its place, a dangling
    link)."""
    link = data / "current"
    if link.is_symlink():
        target = link.resolve()
        if not target.is_dir():
            raise StoreError(f"{link} points at {target}, which is not a build folder: {REBUILD}")
        return target
    if link.exists():
        raise StoreError(f"{link} is not a link to a build (a {'folder' if link.is_dir() else 'file'} is in its "
                         f"place): {REBUILD}")
    return None


def read_manifest(build: Path) -> dict:
    """A build's manifest; StoreError when it is missing or damaged."""
    path = build / "manifest.json"
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path} is missing: {REBUILD}") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(f"{path} cannot be read ({type(e).__name__}): {REBUILD}") from None
    if not isinstance(m, dict) or not isinstance(m.get("documents"), dict):
        raise StoreError(f"{path} is not a build manifest: {REBUILD}")
    return m


def store_location(data: Path) -> str:
    """Where the current build's graph lives: a local store folder or a remote store URL."""
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    remote = read_manifest(build).get("store")
    if not remote and not (build / "store").is_dir():
        raise StoreError(f"{build / 'store'} is missing: {REBUILD}")
    return remote or str(build / "store")


def open_location(location: str):
    if location.startswith(("http://", "https://")):
        from .remote import RemoteStore
        return RemoteStore(location)
    try:
        return ox.Store.read_only(location)
    except (OSError, RuntimeError) as e:  # RocksDB reports damage as RuntimeError
        raise StoreError(f"the store {location} cannot be opened ({str(e).splitlines()[0][:160]}): {REBUILD}") from None


def open_store(data: Path):
    return open_location(store_location(data))


def index_dir(data: Path) -> Path:
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    if not (build / "index").is_dir():
        raise StoreError(f"{build / 'index'} is missing: {REBUILD}")
    return build / "index"


def manifest(data: Path) -> dict:
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    return read_manifest(build)


@dataclass
class BuildReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    kept: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0


class BuildLocked(StoreError):
    pass


def _lock(data: Path):
    """Hold the data folder's build lock (an flock, released by the system even when the build is
    killed); refuse at once when another build holds it: two builds would delete each other's work."""
    import fcntl
    fd = os.open(data / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise BuildLocked(f"another kg build (pid {holder or '?'}) is running on {data}: "
                          "wait for it to finish, then build again") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def build(paths: list[str], data: Path, progress=None) -> BuildReport:
    """Ingest `paths` into a new build that keeps every other report of the current one. One build
    at a time per data folder (BuildLocked otherwise); a build that fails leaves no trace."""
    try:
        data.mkdir(parents=True, exist_ok=True)
        lock = _lock(data)
    except PermissionError as e:
        raise StoreError(f"cannot write to {data} ({e.strerror}): choose another --data folder or fix its "
                         "permissions") from None
    try:
        builds = data / "builds"
        builds.mkdir(exist_ok=True)
        new = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        try:
            return _build(paths, data, new, progress)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    finally:
        os.close(lock)


def _build(paths: list[str], data: Path, new: Path, progress) -> BuildReport:
    from .documents import iter_paths

    t0 = time.time()
    report = BuildReport()
    (new / "docs").mkdir(parents=True)
    from .remote import remote_url
    remote = remote_url()
    if remote:
        from .remote import RemoteStore
        store = RemoteStore(remote)
    else:
        store = ox.Store(str(new / "store"))
    try:
        old_build = current_build(data)
        old_manifest = read_manifest(old_build) if old_build else {"documents": {}}
        if old_build is not None and not old_manifest.get("store"):
            open_location(str(old_build / "store"))
    except StoreError as e:  # a damaged data folder: build afresh beside it
        report.warnings.append(f"the current build cannot be read, so none of its reports are kept ({e})")
        old_build, old_manifest = None, {"documents": {}}
    documents: dict = {}

    files = iter_paths(paths, report.skipped)
    loader = _Loader(store)
    new_docs: dict[str, str] = {}  # id -> the file it came from
    try:
        for n, (path, result) in enumerate(map(prepare, files), 1):
            if progress:
                progress(n, len(files), path)
            if isinstance(result, str):
                report.skipped.append((path, result))
                continue
            if result.docid in new_docs:
                report.skipped.append((path, f"its id {result.docid!r} is already taken by "
                                             f"{new_docs[result.docid]} (reports need distinct file names)"))
                continue
            (new / "docs" / f"{result.docid}.txt").write_text(result.body, encoding="utf-8")
            (new / "docs" / f"{result.docid}.mentions.json").write_text(result.mentions, encoding="utf-8")
            loader.add(result.graph, result.ntriples)
            new_docs[result.docid] = str(path)
            documents[result.docid] = result.meta
            report.loaded.append(path)

        # keep the reports of the current build that were not re-ingested
        if old_build is not None:
            old_remote = old_manifest.get("store")
            old = None if remote and old_remote == remote else open_location(old_manifest.get("store") or
                                                                                 str(old_build / "store"))
            for docid, meta in old_manifest["documents"].items():
                if docid in new_docs:
                    continue
                if old is not None:  # a remote store already holds them
                    gnode = ox.NamedNode(meta["graph"])
                    loader.add(meta["graph"], old.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=gnode))
                for suffix in (".txt", ".mentions.json"):
                    if (old_build / "docs" / f"{docid}{suffix}").exists():
                        shutil.copy2(old_build / "docs" / f"{docid}{suffix}", new / "docs" / f"{docid}{suffix}")
                documents[docid] = meta
                report.kept += 1
            del old
        # the ontology, for labels and class hierarchy in queries
        from .data import data_path
        onto = ox.serialize(ox.parse(path=str(data_path("zhengwu.ttl")), format=ox.RdfFormat.TURTLE),
                            format=ox.RdfFormat.N_TRIPLES)
        loader.add(iris.base() + ONTOLOGY_GRAPH, onto)
        loader.close()
    except BaseException:
        loader.abandon()  # its thread would wait for batches for ever
        raise
    _release_free_memory()
    if remote:
        # the remote default graph: the union of all report graphs, recomputed
        store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    else:
        store.optimize()
        store.flush()
    # the full-text index, from this very store, so graph and index come from one build
    from index.build import build_index
    build_index(store, new / "index", query, new / "docs")
    report.triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                               use_default_graph_as_union=False)))["n"].value)
    report.seconds = time.time() - t0
    (new / "manifest.json").write_text(json.dumps({
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(report.seconds, 2),
        "base": iris.base(), "ontology": ONTOLOGY_IRI, "triples": report.triples, "store": remote,
        "documents": documents}, ensure_ascii=False, indent=1), encoding="utf-8")
    del store
    _swap(data, new)
    return report


@dataclass
class Prepared:
    """A report read, extracted, turned into triples and checked against the shapes."""
    docid: str
    body: str
    mentions: str  # JSON, for the document reader
    meta: dict
    graph: str
    ntriples: bytes


def prepare(path: str) -> tuple[str, Prepared | str]:
    """(the file named in errors, the prepared report or why it is left out)."""
    from .documents import DocumentError, load
    from .extract import extract
    from .rdf import to_ntriples
    from .shapes_fast import violations
    try:
        doc = load(path)
        x = extract(doc)
        gname, nt, n_triples = to_ntriples(x)
        bad = violations(nt)
        if bad:
            raise DocumentError(path, f"its graph violates the shapes ({len(bad)}): {bad[0]}")
        meta = doc.meta.as_dict()
        meta.update(source=str(path), graph=gname, triples=n_triples,
                    counts={t: sum(1 for e in x.entities if e.type == t)
                            for t in ("Department", "Regulation", "Initiative", "Place", "Collective")},
                    metrics=len(x.metrics), facts=len(x.facts))
        mentions = json.dumps(_mentions(x), ensure_ascii=False)
    except DocumentError as e:
        return e.path, e.reason
    except RecursionError:
        return path, "structure too deeply nested to read"
    except Exception as e:  # a bug must not stop the build or lose the other reports
        return path, f"internal error ({type(e).__name__}: {e}); please report it"
    return path, Prepared(iris.doc_id(doc.source), doc.body, mentions, meta, gname, nt)


class _Loader:
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


def _release_free_memory() -> None:
    """Hand the memory freed by the bulk loader's thread (its own malloc arena) back to the
    system before the index writers fork, so that it is not carried through the indexing."""
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _mentions(x) -> list[dict]:
    """Where each entity is named in the report, for the document reader."""
    from .rdf import entity_iri
    docid = iris.doc_id(x.document.source)
    base = iris.base()
    out = []
    for e in x.entities:
        node = entity_iri(e, docid, base) if e.mentions else None
        for m in e.mentions:
            out.append({"start": m.start, "end": m.end, "iri": node, "type": e.type, "label": e.label})
    return sorted(out, key=lambda m: (m["start"], -m["end"]))


def _swap(data: Path, new: Path) -> None:
    """Point DATA/current at the new build atomically, then remove older builds. The build just
    replaced is kept until the next swap, so readers still holding it can finish."""
    link = data / "current"
    try:
        previous = current_build(data)
    except StoreError:  # a file or folder in the place of the link: moved aside, not deleted
        previous = None
        if link.exists() and not link.is_symlink():
            link.rename(data / f"current.broken-{time.strftime('%Y%m%dT%H%M%S')}")
        elif link.is_symlink():
            link.unlink()
    tmp = data / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(new, data), tmp)
    os.replace(tmp, link)
    # compared as resolved paths: `data` may be relative, `previous` is resolved
    keep = {new.resolve(), previous.resolve() if previous else None}
    for old in (data / "builds").iterdir():
        if old.resolve() not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def query(store, sparql: str):
    """Run SPARQL over the default graph (the union of all reports' graphs, without duplicates),
    with our prefixes predeclared and the full-text functions zw:matches / zw:score available.
    Each report's own statements stay queryable with GRAPH <…/graph/ID>."""
    from index.match import sparql_functions, with_prefilters
    from .vocab import PREFIXES
    if not isinstance(store, ox.Store):
        return store.query(sparql, prefixes=PREFIXES)
    return store.query(with_prefilters(sparql), prefixes=PREFIXES, custom_functions=sparql_functions())


def progress_printer(n: int, total: int, path: str) -> None:
    if total >= 20 and sys.stderr.isatty():
        print(f"\r[{n}/{total}] {path[-60:]:<60}", end="", file=sys.stderr, flush=True)
        if n == total:
            print(file=sys.stderr)
