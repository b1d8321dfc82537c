"""The build: reports read, extracted, turned into triples, checked and loaded into a new store
beside the current data, then the full-text index written from that store, then the swap.
The one place that knows both the graph and the index."""
from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from index.build import build_index
from kg.core import iris
from kg.core.data import data_path
from kg.core.vocab import ONTOLOGY_IRI
from kg.datafolder import StoreError, current_build, lock, new_build, read_manifest, swap
from kg.extract import extract
from kg.graph.rdf import entity_iri, to_ntriples
from kg.graph.remote import RemoteStore, remote_url
from kg.graph.shapes_fast import violations
from kg.graph.store import ONTOLOGY_GRAPH, Loader, open_location, query, release_free_memory
from kg.text.documents import DocumentError, iter_paths, load
from kg.core.types import ENTITY_TYPES



@dataclass
class BuildReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    kept: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0


def build(paths: list[str], data: Path, progress=None) -> BuildReport:
    """Ingest `paths` into a new build that keeps every other report of the current one. One build
    at a time per data folder (BuildLocked otherwise); a build that fails leaves no trace."""
    with lock(data):
        skipped: list[tuple[str, str]] = []
        files = iter_paths(paths, skipped)
        if not files and not skipped:
            raise NothingToBuild(f"no report files in {', '.join(paths)} (reports are .txt, .html, .pdf or "
                                 ".docx); nothing was built")
        new = new_build(data)
        try:
            return _build(files, skipped, data, new, progress)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise


class NothingToBuild(StoreError):
    pass


def _build(files: list[str], skipped: list[tuple[str, str]], data: Path, new: Path, progress) -> BuildReport:
    t0 = time.time()
    report = BuildReport()
    remote = remote_url()
    if remote:
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

    report.skipped.extend(skipped)
    loader = Loader(store)
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
        onto = ox.serialize(ox.parse(path=str(data_path("zhengwu.ttl")), format=ox.RdfFormat.TURTLE),
                            format=ox.RdfFormat.N_TRIPLES)
        loader.add(iris.base() + ONTOLOGY_GRAPH, onto)
        loader.close()
    except BaseException:
        loader.abandon()  # its thread would wait for batches for ever
        raise
    release_free_memory()
    if remote:
        # the remote default graph: the union of all report graphs, recomputed
        store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    else:
        store.optimize()
        store.flush()
    # the full-text index, from this very store, so graph and index come from one build
    build_index(store, new / "index", query, new / "docs")
    report.triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                               use_default_graph_as_union=False)))["n"].value)
    report.seconds = time.time() - t0
    (new / "manifest.json").write_text(json.dumps({
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(report.seconds, 2),
        "base": iris.base(), "ontology": ONTOLOGY_IRI, "triples": report.triples, "store": remote,
        "documents": documents}, ensure_ascii=False, indent=1), encoding="utf-8")
    del store
    swap(data, new)
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
                            for t in ENTITY_TYPES},
                    metrics=len(x.metrics), facts=len(x.facts))
        mentions = json.dumps(_mentions(x), ensure_ascii=False)
    except DocumentError as e:
        return e.path, e.reason
    except RecursionError:
        return path, "structure too deeply nested to read"
    except Exception as e:  # a bug must not stop the build or lose the other reports
        return path, f"internal error ({type(e).__name__}: {e}); please report it"
    return path, Prepared(iris.doc_id(doc.source), doc.body, mentions, meta, gname, nt)


def _mentions(x) -> list[dict]:
    """Where each entity is named in the report, for the document reader."""
    docid = iris.doc_id(x.document.source)
    base = iris.base()
    out = []
    for e in x.entities:
        node = entity_iri(e, docid, base) if e.mentions else None
        for m in e.mentions:
            out.append({"start": m.start, "end": m.end, "iri": node, "type": e.type, "label": e.label})
    return sorted(out, key=lambda m: (m["start"], -m["end"]))


class Progress:
    """Progress of a build people can follow: on a terminal one line redrawn with the rate and
    the time left; elsewhere (a log, CI) a plain line every `every` reports and at the end."""

    def __init__(self, stream=None, every: int = 100):
        self.stream = stream or sys.stderr
        self.every = every
        self.t0 = time.monotonic()

    def __call__(self, n: int, total: int, path: str) -> None:
        elapsed = max(time.monotonic() - self.t0, 1e-6)
        rate = n / elapsed
        left = (total - n) / rate if rate else 0
        line = f"[{n}/{total}] {rate:.1f} reports/s, {int(left) // 60}:{int(left) % 60:02d} left"
        if self.stream.isatty():
            if total >= 20:
                print(f"\r{line}  {path[-50:]:<50}", end="", file=self.stream, flush=True)
                if n == total:
                    print(file=self.stream)
        elif total >= self.every and (n % self.every == 0 or n == total):
            print(line, file=self.stream, flush=True)


def write_status(path: Path, report: BuildReport | None, files_error: str | None = None,
                 files: list[str] = ()) -> None:
    """One JSON line per input file for scripts: ingested, or skipped with the reason; every file
    failed with the reason when the build as a whole failed."""
    with open(path, "w", encoding="utf-8") as out:
        if report is None:
            for f in files:
                out.write(json.dumps({"file": f, "status": "failed", "reason": files_error}, ensure_ascii=False) + "\n")
            return
        for f in report.loaded:
            out.write(json.dumps({"file": str(f), "status": "ingested"}, ensure_ascii=False) + "\n")
        for f, reason in report.skipped:
            status = "failed" if "internal error" in reason else "skipped"
            out.write(json.dumps({"file": str(f), "status": status, "reason": reason}, ensure_ascii=False) + "\n")
