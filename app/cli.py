"""The `kg` command line."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import csv
import socket
import unicodedata

import pyoxigraph as ox

from app.jsonout import extraction_json
from index.analysis import load_user_dictionary
from index.match import sparql_functions, with_prefilters
from index.readings import by_first_letters
from index.search import SearchError, search
from kg import __version__
from kg.core import procs, settings
from kg.core.vocab import PREFIXES
from kg.datafolder import StoreError, index_dir, manifest
from kg.extract import extract
from kg.graph.sparql_guard import Refused, check_shape, explain_syntax_error, is_update
from kg.graph.stats import stats
from kg.graph.shapes_fast import store_violations
from kg.graph.store import open_store, query
from kg.text.documents import DocumentError, iter_paths, load
from kg.core.types import ENTITY_TYPES

# Imported by the one command that needs them, so that the others start fast (a test checks):
# web (Flask), app.build and index.build (the build), kg.graph.shapes (pyshacl, for validate).

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def data_dir(args) -> Path:
    return settings.data_folder(getattr(args, "data", None))


def cmd_extract(args) -> int:
    links: list[tuple[str, str]] = []
    paths = iter_paths(args.paths, links)
    for path, reason in links:
        print(f"kg: skipped {path}: {reason}", file=sys.stderr)
    skipped = len(links)
    if not paths:
        print("kg extract: no report files in the given paths (reports are .txt, .html, .pdf or .docx)",
              file=sys.stderr)
        return 1
    out = sys.stdout
    for path in paths:
        try:
            doc = load(path)
            result = extract(doc)
        except DocumentError as e:
            print(f"kg: skipped {e.path}: {e.reason}", file=sys.stderr)
            skipped += 1
            continue
        except RecursionError:
            print(f"kg: skipped {path}: structure too deeply nested to read", file=sys.stderr)
            skipped += 1
            continue
        except Exception as e:  # a bug must not stop the other files; say which file and what
            print(f"kg: skipped {path}: internal error ({type(e).__name__}: {e}); please report it",
                  file=sys.stderr)
            skipped += 1
            continue
        for note in doc.notes:
            print(f"kg: note: {path}: {note}", file=sys.stderr)
        if args.json:
            out.write(json.dumps(extraction_json(result), ensure_ascii=False) + "\n")
        else:
            x = result
            counts = {t: sum(1 for e in x.entities if e.type == t)
                      for t in ENTITY_TYPES}
            summary = ", ".join(f"{n} {t.lower()}" for t, n in counts.items())
            out.write(f"{path}: {doc.meta.title or '(untitled)'} [{doc.meta.region or 'region unknown'}, "
                      f"{doc.meta.period or 'period unknown'}] {summary}, {len(x.metrics)} metrics, "
                      f"{len(x.facts)} facts\n")
    return 1 if skipped else 0


def cmd_build(args) -> int:
    from index.build import IndexBuildError
    from app.build import NothingToBuild, Progress, build, write_status
    paths = args.paths or [str(DEFAULT_CORPUS)]
    data = data_dir(args)
    try:
        report = build(paths, data, progress=Progress(), full=args.full, jobs=args.jobs)
    except NothingToBuild as e:
        print(f"kg build: {e}", file=sys.stderr)
        if args.status:
            write_status(Path(args.status), None, str(e), [])
        return 1
    except (StoreError, IndexBuildError) as e:
        print(f"kg build: {e}; the last good build stays current", file=sys.stderr)
        if args.status:
            write_status(Path(args.status), None, str(e), iter_paths(paths))
        return 1
    if args.status:
        write_status(Path(args.status), report)
    for warning in report.warnings:
        print(f"kg build: warning: {warning}", file=sys.stderr)
    for path, reason in report.skipped:
        print(f"kg: skipped {path}: {reason}", file=sys.stderr)
    for path, note in report.notes:
        print(f"kg: note: {path}: {note}", file=sys.stderr)
    if report.nothing_changed:
        print(f"kg build: nothing changed in {data}: {len(report.unchanged)} report(s) unchanged, "
              f"{len(report.skipped)} skipped; the current build stays (--full rebuilds everything)")
    else:
        how = "changed only what changed" if report.incremental else "from scratch"
        print(f"built {data}: {len(report.loaded)} report(s) ingested, {len(report.unchanged)} unchanged, "
              f"{report.kept} kept from the previous build, {len(report.skipped)} skipped, {report.triples} triples "
              f"in {report.seconds:.1f} s ({how})")
    return 1 if report.skipped else 0


def cmd_remove(args) -> int:
    from index.build import IndexBuildError
    from app.build import remove
    data = data_dir(args)
    try:
        report = remove(args.ids, data)
    except (StoreError, IndexBuildError) as e:
        print(f"kg remove: {e}; nothing was removed", file=sys.stderr)
        return 1
    print(f"removed {', '.join(report.removed)} from {data}: {report.kept} report(s) left, {report.triples} triples "
          f"in {report.seconds:.1f} s")
    return 0


def _open(args):
    try:
        return open_store(data_dir(args))
    except (StoreError, OSError) as e:
        raise SystemExit(f"kg: {e}")


def cmd_query(args) -> int:
    text = sys.stdin.read() if args.sparql == "-" else args.sparql
    if is_update(text):
        print("kg query: the built data is read-only: SPARQL Update is refused (change the reports and run "
              "kg build instead)", file=sys.stderr)
        return 2
    try:
        check_shape(text)
    except Refused as e:
        print(f"kg query: {e}", file=sys.stderr)
        return 2
    store = _open(args)
    try:  # zw:matches segments with the index's dictionary; other queries need no index
        load_user_dictionary(index_dir(data_dir(args)) / "userdict.txt")
    except StoreError:
        pass
    try:
        result = query(store, text, functions=sparql_functions(), rewrite=with_prefilters)
    except SyntaxError as e:
        print(f"kg query: {explain_syntax_error(text, str(e), set(PREFIXES))}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"kg query: {e}", file=sys.stderr)
        return 2
    fmt = args.format
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_term_text(t) for t in sol] for sol in result]
        if fmt == "json":
            print(json.dumps([dict(zip(variables, r)) for r in rows], ensure_ascii=False, indent=1))
        elif fmt in ("csv", "tsv"):
            w = csv.writer(sys.stdout, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            w.writerow(variables)
            w.writerows(rows)
        else:
            _print_table(variables, rows)
    elif isinstance(result, ox.QueryBoolean):
        print(json.dumps({"boolean": bool(result)}) if fmt == "json" else str(bool(result)).lower())
    else:
        sys.stdout.write(ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8"))
    return 0


def _term_text(term) -> str:
    if term is None:
        return ""
    return term.value


def _print_table(variables, rows) -> None:

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    cols = [max([width(v)] + [width(r[i]) for r in rows]) for i, v in enumerate(variables)]
    cols = [min(c, 60) for c in cols]

    def fit(s: str, w: int) -> str:
        out, n = "", 0
        for c in s:
            cw = width(c)
            if n + cw > w:
                break
            out, n = out + c, n + cw
        return out + " " * (w - n)
    print("  ".join(fit(v, w) for v, w in zip(variables, cols)))
    print("  ".join("-" * w for w in cols))
    for r in rows:
        print("  ".join(fit(x, w) for x, w in zip(r, cols)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def cmd_search(args) -> int:
    try:
        result = search(index_dir(data_dir(args)), args.query, type=args.type, limit=args.limit)
    except StoreError as e:
        raise SystemExit(f"kg: {e}")
    except SearchError as e:
        print(f"kg search: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    shown = result['query'] if len(result['query']) <= 60 else result['query'][:60] + '…'
    print(f"{result['total']} hit(s) for {shown!r}")
    if result.get("read_as"):
        others = ", ".join(result["read_as"][1:])
        how = "the first letters of pinyin" if by_first_letters(args.query) else "pinyin"
        print(f"  read as {how}: {result['read_as'][0]}" + (f" (or perhaps {others})" if others else ""))
    for h in result["hits"]:
        snippet = str(h.get("snippet") or "")
        print(f"  [{h['type']}] {h['label']}  {h['id']}")
        if h["type"] == "Passage":
            print(f"      {snippet}")
    return 0


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a TCP port (1-65535)")
    return n


def _port_free(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        return f"the host {host!r} cannot be used ({e.strerror or e})"
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            if e.errno == 98:
                return f"port {port} on {host} is in use (is another kg serve running?)"
            return f"cannot listen on {host}:{port} ({e.strerror or e})"
    return None


# waitress reads each request whole in its event loop before a thread runs the app, so clients
# that send their headers or body slowly (slowloris) hold no thread; bodies over 1 MiB are refused
# (413) before they are read, idle connections closed after a minute
SERVE_LIMITS = {"ident": "zhengwu-kg", "max_request_body_size": 1 << 20, "max_request_header_size": 64 << 10,
                "channel_timeout": 60, "connection_limit": 500, "asyncore_use_poll": True}


def cmd_serve(args) -> int:
    data = data_dir(args)
    problem = _port_free(args.host, args.port)
    if problem:
        print(f"kg serve: {problem}", file=sys.stderr)
        return 1
    os.environ["KG_DATA"] = str(data)
    workers = max(1, args.workers or 1)
    print(f"serving {data} on http://{args.host}:{args.port}/ in {workers} process(es) (Ctrl-C to stop)", flush=True)
    if workers == 1:
        _waitress(data, threads=8, host=args.host, port=args.port)
        return 0
    sock = socket.create_server((args.host, args.port), backlog=1024)
    return _prefork(sock, workers, data)


def _waitress(data: Path, threads: int, **where) -> None:
    """Serve the app on `data` with waitress until stopped (`where`: host and port, or sockets)."""
    from waitress import serve

    from web import create_app
    _raw_utf8_targets()
    serve(create_app({"DATA": str(data)}), threads=threads, **where, **SERVE_LIMITS)


def _raw_utf8_targets() -> None:
    """curl sends a query typed in Chinese as raw UTF-8 (curl "…/search?q=万安"), which waitress
    refused as "Bad URI" (it reads the request target as ASCII). Such bytes are percent-encoded
    before waitress splits the target, as a browser would have sent them."""
    import waitress.parser as parser

    split = getattr(parser, "split_uri", None)
    if split is None or getattr(split, "percent_encodes", False):
        return

    def split_uri(uri: bytes):
        if not uri.isascii():
            uri = re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m.group()[0], uri)
        return split(uri)
    split_uri.percent_encodes = True
    parser.split_uri = split_uri


def _prefork(sock: socket.socket, workers: int, data: Path) -> int:
    """`workers` processes serving one listening socket (the kernel hands each connection to one
    of them); one that dies is replaced; SIGTERM or Ctrl-C ends them all. Each process builds its
    own app after the fork (its SPARQL query processes, its caches)."""
    import signal

    procs.die_with_parent()  # a worker left behind by kill -9 of this process would hold the port
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _waitress(data, threads=4, sockets=[sock])
            except BaseException as e:  # said, then the parent starts another
                print(f"kg serve: worker {os.getpid()} stopped: {type(e).__name__}: {e}", file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        children.add(pid)

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    while children:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:
            spawn()
    return 0


def cmd_stats(args) -> int:
    try:
        m = manifest(data_dir(args))
    except StoreError as e:
        raise SystemExit(f"kg: {e}")
    s = stats(_open(args), m)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return 0
    print(f"built {s['built']} in {s['build_seconds']} s; {s['documents']} reports, {s['triples']} triples")
    for cls, n in s["classes"].items():
        print(f"  {cls:<12} {n}")
    print("most active departments:")
    for d in s["most_active_departments"]:
        print(f"  {d['facts']:>5}  {d['label']}")
    return 0


def cmd_validate(args) -> int:
    store = _open(args)
    bad = store_violations(store, query)
    for line in bad:
        print(line)
    print(f"{len(bad)} violation(s)" if bad else "conforms: the built graph satisfies ontology/shapes.ttl")
    return 1 if bad else 0


def cmd_export(args) -> int:
    formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
               "turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
    store = _open(args)
    fmt = formats[args.format]
    # Turtle and TriG with our vocabularies' prefixes (zw:, prov:, skos:…)
    opts = {"prefixes": PREFIXES} if args.format in ("turtle", "trig") else {}
    if args.format in ("turtle", "jsonld"):
        # one merged graph: the default graph, the union of all reports
        out = ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), format=fmt, **opts)
    elif isinstance(store, ox.Store):
        # datasets: each report's named graph (the default graph only repeats them)
        quads = [q for q in store.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph)]
        out = ox.serialize(quads, format=fmt, **opts)
    else:  # a remote store answers N-Quads
        out = ox.serialize(ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS), format=fmt, **opts)
    sys.stdout.buffer.write(out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="zhengwu-kg: knowledge graph of Chinese local-government reports")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract entities, metrics and facts without storing anything",
                       description="Read report files (.txt in UTF-8 or GBK, saved .html pages) or folders of them "
                                   "and print what was extracted. A bad file is reported on stderr and skipped; "
                                   "the exit status is 1 when any file was skipped.")
    e.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    e.add_argument("--json", action="store_true", help="one JSON object per document per line (see CONTRACT.md)")
    e.set_defaults(func=cmd_extract)

    def with_data(sp):
        sp.add_argument("--data", metavar="DIR", help="data folder (default: $KG_DATA or ./data)")
        return sp

    b = with_data(sub.add_parser("build", help="ingest reports into the graph store",
                                 description="Extract reports (.txt, .html, .pdf with a text layer, .docx) and load them "
                                             "into the data folder, one named graph "
                                             "per report. Re-ingesting a report replaces what it said; other reports "
                                             "stay. A report whose file is unchanged is not read again, and the new "
                                             "build starts from the current one, so adding a report costs that report; "
                                             "a build with nothing changed does nothing. The new data is built beside "
                                             "the current one and swapped in at "
                                             "the end, so a failed build leaves the last good data whole. A bad file "
                                             "is reported and skipped (exit status 1). The search index is written "
                                             "by two processes on Linux; KG_INDEX_PROCS=N sets how many."))
    b.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled corpus)")
    b.add_argument("--full", action="store_true", help="extract every report again (the previous build's too, "
                                                        "from their files where they still exist) and write the "
                                                        "store and index from scratch")
    b.add_argument("--jobs", type=int, metavar="N", help="extract in N worker processes (default: one per core) and "
                                                         "write the index in N (default: up to 2; KG_INDEX_PROCS "
                                                         "overrides)")
    b.add_argument("--status", metavar="FILE", help="write one JSON line per input file: ingested (with notes of what reading repaired), unchanged, or "
                                                   "skipped or failed with the reason (for scripts)")
    b.set_defaults(func=cmd_build)
    rm = with_data(sub.add_parser("remove", help="take reports out of the built data",
                                  description="Make a new build without the reports named by their ids (the file "
                                              "name without extension, as in /document/ID), swapped in like a build."))
    rm.add_argument("ids", nargs="+", metavar="ID", help="report ids")
    rm.set_defaults(func=cmd_remove)
    q = with_data(sub.add_parser("query", help="run a SPARQL query over the built data",
                                 description="Run SPARQL 1.1 over the union of all reports' graphs. The prefixes "
                                             "zw, eli, org, prov, skos, dcterms, foaf, rdf, rdfs and xsd are "
                                             "predeclared. CONSTRUCT and DESCRIBE print Turtle."))
    q.add_argument("sparql", metavar="SPARQL", help="the query, or - to read it from standard input")
    q.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    q.set_defaults(func=cmd_query)
    se = with_data(sub.add_parser("search", help="full-text search over the built data",
                                  description="Search entities (by Chinese name, alias, pinyin or English) and the "
                                              "statements of the reports. Words must all match; OR, \"phrases\" and "
                                              "filters type:, year:, place:, region:, department: are understood. "
                                              "A query in pinyin (xingzheng fuyi) or in the first letters of its "
                                              "syllables (xzfy) is also searched as the Chinese it spells in the "
                                              "corpus (行政复议)."))
    se.add_argument("query", metavar="QUERY")
    se.add_argument("--type", help="department, regulation, initiative, place, collective, report or passage")
    se.add_argument("--limit", type=int, default=10)
    se.add_argument("--json", action="store_true", help="the JSON shape of CONTRACT.md")
    se.set_defaults(func=cmd_search)
    sv = with_data(sub.add_parser("serve", help="serve the web UI, JSON API and SPARQL endpoint",
                                  description="Serve the built data: pages, JSON twins, entity IRIs and /sparql. "
                                              "Served by waitress (slow clients hold no thread); with --workers N > 1, N processes "
                                              "of 4 threads each share the port."))
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=_port, default=5000)
    sv.add_argument("--workers", type=int, default=1, help="server processes (production: one per core)")
    sv.set_defaults(func=cmd_serve)
    st = with_data(sub.add_parser("stats", help="counts per class, reports, build time, most active departments"))
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)
    v = with_data(sub.add_parser("validate", help="check the built graph against the SHACL shapes (exit 1 on violations)"))
    v.set_defaults(func=cmd_validate)
    x = with_data(sub.add_parser("export", help="write the built graph to standard output"))
    x.add_argument("--format", choices=["trig", "nquads", "turtle", "jsonld"], default="trig")
    x.set_defaults(func=cmd_export)
    return p


# C0 controls but tab and newline, DEL and C1 controls: ANSI/OSC escapes in a report's title
# or a file name would otherwise drive the user's terminal
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


class _TerminalSafe:
    """A text stream for a terminal: control characters are shown as U+FFFD, not obeyed."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_CONTROLS))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream.isatty() and not isinstance(stream, _TerminalSafe):
            setattr(sys, name, _TerminalSafe(stream))
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
