"""The build: reports read, extracted, turned into triples, checked and loaded into a new store
beside the current data, then the full-text index written from that store, then the swap.
The one place that knows both the graph and the index."""
from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from index.build import build_index, entities_in, entity_words, unusable, update_index
from kg.core import iris, procs, settings
from kg.core.data import data_path, extractor_version, file_hash
from kg.core.vocab import ONTOLOGY_IRI
from kg.datafolder import StoreError, current_build, lock, new_build, read_manifest, swap
from kg.extract import extract
from kg.graph.rdf import entity_iri, to_ntriples
from kg.graph.remote import RemoteStore, remote_url
from kg.graph.shapes_fast import violations
from kg.graph.store import ONTOLOGY_GRAPH, Loader, open_location, query, release_free_memory, remove_graphs
from kg.text.documents import DocumentError, iter_paths, load
from kg.core.types import ENTITY_TYPES



@dataclass
class BuildReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # files whose report is already built as it is
    removed: list[str] = field(default_factory=list)  # report ids taken out
    kept: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, what reading it repaired)
    seconds: float = 0.0
    triples: int = 0
    incremental: bool = False  # made from the current build, changing only what changed
    nothing_changed: bool = False  # no new build was made: the current one stays


def build(paths: list[str], data: Path, progress=None, full: bool = False, jobs: int | None = None) -> BuildReport:
    """Ingest `paths` into a new build that keeps every other report of the current one. A file
    whose report is already built from the same content by the same extractor is not read
    again; the new build is the current one with only the changed reports replaced, unless
    `full` (everything extracted again, store and index written from scratch). One build at a
    time per data folder (BuildLocked otherwise); a build that fails leaves no trace."""
    with lock(data):
        skipped: list[tuple[str, str]] = []
        files = iter_paths(paths, skipped)
        if not files and not skipped:
            raise NothingToBuild(f"no report files in {', '.join(paths)} (reports are .txt, .html, .pdf or "
                                 ".docx); nothing was built")
        return _run(data, files, skipped, (), progress, full, jobs)


def remove(ids: list[str], data: Path) -> BuildReport:
    """A new build without the reports `ids` (StoreError naming an id the current build lacks)."""
    with lock(data):
        build = current_build(data)
        known = read_manifest(build)["documents"] if build else {}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise StoreError(f"no report {', '.join(map(repr, unknown))} in {data} (`kg stats` lists the reports)")
        return _run(data, [], [], ids, None, False, 1)


REWRITE_SHARE = 0.3  # beyond this share of reports replaced or removed, a build writes everything afresh


class NothingToBuild(StoreError):
    pass


@dataclass
class _Previous:
    """The current build, which the new one starts from."""
    folder: Path | None
    manifest: dict
    store: object = None  # opened read-only (or the remote store)

    @property
    def documents(self) -> dict:
        return self.manifest["documents"]


def _previous(data: Path, remote: str | None, report: BuildReport) -> _Previous:
    try:
        folder = current_build(data)
        if folder is None:
            return _Previous(None, {"documents": {}})
        manifest = read_manifest(folder)
        old_remote = manifest.get("store")
        if old_remote:
            store = RemoteStore(old_remote) if old_remote != remote else None
        else:
            store = open_location(str(folder / "store"))
        return _Previous(folder, manifest, store)
    except StoreError as e:  # a damaged data folder: build afresh beside it
        report.warnings.append(f"the current build cannot be read, so none of its reports are kept ({e})")
        return _Previous(None, {"documents": {}})


def _run(data: Path, files: list[str], skipped, gone, progress, full: bool, jobs: int | None) -> BuildReport:
    t0 = time.time()
    report = BuildReport()
    report.skipped.extend(skipped)
    remote = remote_url()
    prev = _previous(data, remote, report)
    extractor = extractor_version()
    ontology = file_hash(data_path("zhengwu.ttl"))
    # the new build starts from the current one where it can: same store kind, its index there
    report.incremental = incremental = (
        not full and prev.folder is not None and (prev.manifest.get("store") or None) == remote)
    if incremental and (why := unusable(prev.folder / "index")):
        report.warnings.append(f"the current build's index is damaged, so it is written afresh ({why})")
        report.incremental = incremental = False
    if full and prev.folder is not None:  # everything again: the kept reports too, from their files
        given = set(_ids(files, prev.documents).values())
        files = files + [m.get("path") or m["source"] for d, m in prev.documents.items()
                         if d not in given and Path(m.get("path") or m.get("source", "")).is_file()]
    ids = _ids(files, prev.documents)
    todo: list[str] = []
    for path in files:
        meta = prev.documents.get(ids[path])
        if (incremental and meta and meta.get("extractor") == extractor and meta.get("hash")
                and meta["hash"] == _hash_or_none(path)):
            report.unchanged.append(path)
        else:
            todo.append(path)
    if incremental and not todo and not gone and prev.manifest.get("ontology_file") == ontology:
        report.nothing_changed = True
        report.kept = len(prev.documents)
        report.seconds = time.time() - t0
        return report
    # replacing most of the reports one graph at a time costs more than writing all afresh
    # (a new extractor reads every report again)
    replacing = len({ids[f] for f in todo} & set(prev.documents)) + len(gone)
    if incremental and replacing > max(20, len(prev.documents) * REWRITE_SHARE):
        report.incremental = incremental = False
    new = new_build(data)
    try:
        manifest = _write(new, prev, todo, ids, set(gone), report, remote, extractor, ontology, progress, jobs)
    except BaseException as e:
        # the new store must close before its folder goes: open, RocksDB goes on flushing and
        # compacting into it, and the failed build's folder came back with its files
        traceback.clear_frames(e.__traceback__)
        gc.collect()
        shutil.rmtree(new, ignore_errors=True)
        raise
    report.seconds = time.time() - t0
    _manifest(new, report, manifest)
    swap(data, new)
    return report


def _ids(files: list[str], old_docs: dict) -> dict[str, str]:
    """Each file's report id: the one its file had in the current build (the manifest records
    each report's file), else its file name's (re-ingesting a report of that name replaces it).
    Two files of one build with the same name (a/report.txt, b/report.txt) are two reports: the
    later one's id takes its folder's name too (report, b-report)."""
    by_path = {m["path"]: d for d, m in old_docs.items() if m.get("path")}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for f in files:  # a file that had an id keeps it
        d = by_path.get(os.path.abspath(f))
        if d and d not in taken:
            ids[f] = d
            taken.add(d)
    for f in files:
        if f in ids:
            continue
        docid = iris.doc_id(f)
        if docid in taken:
            here = os.path.abspath(f)
            stem = iris.doc_id(f"{Path(f).parent.name}-{Path(f).name}")
            docid, n = stem, 2
            # not an id of this build, nor of another file's report in the current one
            while docid in taken or old_docs.get(docid, {}).get("path", here) != here:
                docid, n = f"{stem}-{n}", n + 1
        ids[f] = docid
        taken.add(docid)
    return ids


def _hash_or_none(path: str) -> str | None:
    try:
        return file_hash(path)
    except OSError:
        return None


def _write(new: Path, prev: _Previous, todo: list[str], ids: dict[str, str], gone: set[str], report: BuildReport,
           remote: str | None,
           extractor: str, ontology: str, progress, jobs: int | None) -> dict:
    incremental = report.incremental
    old_docs = prev.documents
    replaced = {ids[f] for f in todo} & set(old_docs)
    onto_graph = iris.base() + ONTOLOGY_GRAPH
    onto_changed = prev.manifest.get("ontology_file") != ontology
    # what the reports to be replaced or removed said, before anything changes
    touched = [old_docs[d]["graph"] for d in replaced | gone]
    old_entities, old_words = set(), set()
    if incremental:
        before = prev.store or RemoteStore(remote)
        old_entities = entities_in(before, query, touched)
        old_words = entity_words(before, query, old_entities)
    if remote:
        store = RemoteStore(remote)
    elif incremental:
        prev.store.backup(str(new / "store"))  # hard links to the current build's immutable files
        store = ox.Store(str(new / "store"))
    else:
        store = ox.Store(str(new / "store"))
    if incremental:
        # out first; a report whose new version fails is put back from the current build below
        remove_graphs(store, [old_docs[d]["graph"] for d in gone | (replaced if not remote else set())]
                      + ([onto_graph] if onto_changed and not remote else []))
    elif remote:
        remove_graphs(store, [old_docs[d]["graph"] for d in gone])
    documents: dict = {}
    loader = Loader(store)
    new_docs: dict[str, str] = {}  # id -> the file it came from
    try:
        for n, (path, result) in enumerate(_prepared([(f, ids[f]) for f in todo], jobs), 1):
            if progress:
                progress(n, len(todo), path)
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
            documents[result.docid] = dict(result.meta, path=os.path.abspath(path), hash=_hash_or_none(path),
                                           extractor=extractor)
            report.loaded.append(path)
            report.notes.extend((path, note) for note in result.notes)
        # keep the reports of the current build that were not re-ingested or removed
        for docid, meta in old_docs.items():
            if docid in new_docs or docid in gone:
                continue
            # still there: in the remote store both builds share, or in the copy of the current one
            in_store = bool(remote and prev.manifest.get("store") == remote) or (incremental and docid not in replaced)
            if not in_store and prev.store is not None:
                gnode = ox.NamedNode(meta["graph"])
                loader.add(meta["graph"], prev.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=gnode))
            for suffix in (".txt", ".mentions.json"):
                _link(prev.folder / "docs" / f"{docid}{suffix}", new / "docs" / f"{docid}{suffix}")
            documents[docid] = meta
            report.kept += 1
        # the ontology, for labels and class hierarchy in queries
        if not incremental or onto_changed or remote:
            onto = ox.serialize(ox.parse(path=str(data_path("zhengwu.ttl")), format=ox.RdfFormat.TURTLE),
                                format=ox.RdfFormat.N_TRIPLES)
            loader.add(onto_graph, onto)
        loader.close()
    except BaseException:
        loader.abandon()  # its thread would wait for batches for ever
        raise
    release_free_memory()
    report.removed = sorted(gone)
    if remote:
        # the remote default graph: the union of all report graphs, recomputed
        store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        compacted = None
    elif incremental:
        store.flush()
        compacted = None
    else:
        # a full compaction, worth it once (too slow for one report); RocksDB runs it without
        # the GIL, so the index reads the entities meanwhile, and waits for it before any writer
        # opens a handle of its own on the store
        compacted = _in_background(lambda: (store.optimize(), store.flush()), "compaction")
    # the full-text index, from this very store, so graph and index come from one build
    if incremental:
        changed = {iris.mint("Report", d) for d in set(new_docs) | gone}
        new_entities = entities_in(store, query, [documents[d]["graph"] for d in new_docs])
        update_index(store, prev.folder / "index", new / "index", query, new / "docs", changed,
                     old_entities | new_entities, old_words)
    else:
        # each index writer process reads the store through a handle of its own
        reopen = (lambda: ox.Store.read_only(str(new / "store"))) if isinstance(store, ox.Store) else None
        try:
            build_index(store, new / "index", query, new / "docs", jobs, reopen, ready=compacted)
        finally:
            if compacted is not None:  # a failed build's folder goes only once nothing writes into it
                compacted(quiet=True)
    if incremental and not onto_changed and isinstance(prev.manifest.get("triples"), int):
        # counted, not queried: every report's triples are in the manifest (a count over the
        # store reads every quad, seconds at a million)
        report.triples = prev.manifest["triples"] + sum(
            documents[d]["triples"] - (old_docs[d]["triples"] if d in old_docs else 0) for d in new_docs) - sum(
            old_docs[d]["triples"] for d in gone)
    else:
        report.triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                   use_default_graph_as_union=False)))["n"].value)
    return {"base": iris.base(), "ontology_iri": ONTOLOGY_IRI, "ontology": ontology, "store": remote,
            "documents": documents}


def _in_background(work, name: str):
    """`work()` on a thread of its own; returns `wait(quiet=False)`, which waits for it to end and
    raises what it raised (unless quiet)."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # raised again by wait(), in the build's own thread
            failed.append(e)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def wait(quiet: bool = False) -> None:
        thread.join()
        if failed and not quiet:
            raise failed[0]
    return wait


def _link(source: Path, target: Path) -> None:
    """A file of the current build in the new one: a hard link (neither build writes into a file
    it did not make), a copy across file systems."""
    if not source.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _prepared(files: list[tuple[str, str]], jobs: int | None):
    """(path, prepared report or why not) for each (path, id), in order, in `jobs` worker
    processes (default: one per core), each report within the time and memory budget of
    KG_REPORT_SECONDS and KG_REPORT_MEMORY: a report over it, or whose worker dies, is skipped
    with the reason and costs nothing else."""
    if not files:
        return
    if not procs.can_fork():
        yield from (prepare(*f) for f in files)
        return
    seconds, memory = settings.report_seconds(), settings.report_memory()
    n = procs.count(jobs, most=os.cpu_count() or 1)
    for (path, _), out in zip(files, procs.budgeted_map(_prepare_pair, files, n, seconds, memory)):
        if isinstance(out, procs.OverBudget):
            yield path, (f"{out} to read and extract, over the budget of one report (KG_REPORT_SECONDS="
                         f"{seconds:g}, KG_REPORT_MEMORY={memory >> 20} MB); skipped")
        else:
            yield out


def _prepare_pair(f: tuple[str, str]):
    return prepare(*f)


def _manifest(new: Path, report: BuildReport, m: dict) -> None:
    (new / "manifest.json").write_text(json.dumps({
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(report.seconds, 2),
        "base": m["base"], "ontology": m["ontology_iri"], "ontology_file": m["ontology"],
        "triples": report.triples, "store": m["store"], "incremental": report.incremental,
        "documents": m["documents"]}, ensure_ascii=False, indent=1), encoding="utf-8")



@dataclass
class Prepared:
    """A report read, extracted, turned into triples and checked against the shapes."""
    docid: str
    body: str
    mentions: str  # JSON, for the document reader
    meta: dict
    graph: str
    ntriples: bytes
    notes: list[str] = field(default_factory=list)  # what reading it repaired


def prepare(path: str, docid: str | None = None) -> tuple[str, Prepared | str]:
    """(the file named in errors, the prepared report or why it is left out); `docid` is the id
    the build gave the report (default: from its file name)."""
    try:
        doc = load(path)
        doc.id = docid
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
    except MemoryError:
        return path, (f"needs more than {settings.report_memory() >> 20} MB of memory to read and extract, over the "
                      "budget of one report (KG_REPORT_MEMORY); skipped")
    except SystemError as e:  # a C extension that could not allocate, under the memory budget
        return path, (f"failed inside the interpreter ({e}), most likely out of the memory budget of one report "
                      f"({settings.report_memory() >> 20} MB, KG_REPORT_MEMORY); skipped")
    except Exception as e:  # a bug must not stop the build or lose the other reports
        return path, f"internal error ({type(e).__name__}: {e}); please report it"
    return path, Prepared(doc.docid, doc.body, mentions, meta, gname, nt, doc.notes)


def _mentions(x) -> list[dict]:
    """Where each entity is named in the report, for the document reader."""
    docid = x.document.docid
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
    """One JSON line per input file for scripts: ingested, unchanged, or skipped with the reason; every file
    failed with the reason when the build as a whole failed."""
    with open(path, "w", encoding="utf-8") as out:
        if report is None:
            for f in files:
                out.write(json.dumps({"file": f, "status": "failed", "reason": files_error}, ensure_ascii=False) + "\n")
            return
        notes: dict[str, list[str]] = {}
        for f, note in report.notes:
            notes.setdefault(str(f), []).append(note)
        for f in report.loaded:
            line = {"file": str(f), "status": "ingested"}
            if str(f) in notes:
                line["notes"] = notes[str(f)]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        for f in report.unchanged:
            out.write(json.dumps({"file": str(f), "status": "unchanged"}, ensure_ascii=False) + "\n")
        for f, reason in report.skipped:
            status = "failed" if "internal error" in reason else "skipped"
            out.write(json.dumps({"file": str(f), "status": status, "reason": reason}, ensure_ascii=False) + "\n")
