"""SPARQL execution with a time limit and a row cap, in a child process that can be killed.

Oxigraph cannot interrupt a running query, so each web worker keeps one child process with
the store open; a query that runs past the limit gets its child terminated and replaced.
The server never follows SERVICE clauses and never runs updates.
"""
from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import queue
import time
from xml.sax.saxutils import escape

from kg.graph.sparql_guard import Refused as QueryRefused
from kg.graph.sparql_guard import check, explain_syntax_error
from kg.core.vocab import PREFIXES
from index.match import with_prefilters
from index.analysis import load_user_dictionary
from index.match import sparql_functions
from kg.graph.store import open_location

RESULT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml"}


SPIN_SECONDS = 0.005


# ---------------------------------------------------------------- result serialisers

def _term_json(t) -> dict:
    import pyoxigraph as ox  # noqa: F811
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def _csv_cell(t, tsv: bool) -> str:
    if t is None:
        return ""
    if tsv:
        return str(t)  # TSV uses the N-Triples-like term syntax
    v = t.value
    if any(c in v for c in ',"\n\r'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def serialize_solutions(variables: list[str], rows: list[list], fmt: str, truncated: bool) -> bytes:
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if truncated:
            doc["head"]["link"] = ["#truncated"]
            doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = io.StringIO()
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
        for v in variables:
            out.write(f'<variable name="{escape(v)}"/>')
        if truncated:
            out.write('<link href="#truncated"/>')
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>")
            for v, t in zip(variables, row):
                if t is None:
                    continue
                j = _term_json(t)
                if j["type"] == "uri":
                    inner = f"<uri>{escape(j['value'])}</uri>"
                elif j["type"] == "bnode":
                    inner = f"<bnode>{escape(j['value'])}</bnode>"
                else:
                    attrs = ""
                    if "xml:lang" in j:
                        attrs = f' xml:lang="{escape(j["xml:lang"])}"'
                    elif "datatype" in j:
                        attrs = f' datatype="{escape(j["datatype"])}"'
                    inner = f"<literal{attrs}>{escape(j['value'])}</literal>"
                out.write(f'<binding name="{escape(v)}">{inner}</binding>')
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode("utf-8")
    tsv = fmt == "tsv"
    sep = "\t" if tsv else ","
    lines = [sep.join(("?" + v) if tsv else v for v in variables)]
    lines += [sep.join(_csv_cell(t, tsv) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _size(term) -> int:
    return len(term.value) if term is not None else 0


def _execute(store, query: str, fmt: str, graph_fmt: str, max_rows: int, functions=None,
             max_bytes: int = 32 << 20, base_iri: str | None = None):
    """Run a query and serialise its results: at most `max_rows` rows or triples, and stopping
    (as truncated) once the values reach `max_bytes` characters."""
    import pyoxigraph as ox
    if isinstance(store, ox.Store):
        # relative IRIs in a query (CONSTRUCT { <s> <p> 1 }) resolve against the endpoint's IRI
        result = store.query(with_prefilters(query), prefixes=PREFIXES, custom_functions=functions,
                             base_iri=base_iri or None)
    else:  # a remote store: our functions are not available there
        result = store.query(query, prefixes=PREFIXES)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated, size = [], False, 0
        for sol in result:
            if len(rows) >= max_rows or size > max_bytes:
                truncated = True
                break
            row = list(sol)  # its terms in the order of the variables (faster than by name)
            size += sum(_size(t) for t in row)
            if size > max_bytes and rows:
                truncated = True
                break
            rows.append(row)
        if size > max_bytes and len(rows) == 1:
            raise ResultTooLarge(f"one row of the result holds {size >> 20} MiB, over the limit of "
                                 f"{max_bytes >> 20} MiB")
        return RESULT_TYPES[fmt], serialize_solutions(variables, rows, fmt, truncated), truncated, len(rows)
    if isinstance(result, ox.QueryBoolean):
        b = bool(result)
        if fmt == "xml":
            body = ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                    f"<boolean>{str(b).lower()}</boolean></sparql>\n").encode()
            return RESULT_TYPES["xml"], body, False, 1
        return RESULT_TYPES["json"], json.dumps({"head": {}, "boolean": b}).encode(), False, 1
    triples, truncated, size = [], False, 0
    for t in result:
        if len(triples) >= max_rows or size > max_bytes:
            truncated = True
            break
        size += _size(t.subject) + _size(t.predicate) + _size(t.object)
        triples.append(t)
    rdf_fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[graph_fmt]
    body = ox.serialize(triples, format=rdf_fmt) if triples else b""
    if truncated and graph_fmt in ("turtle", "ntriples"):
        body += f"# truncated: only the first {max_rows} triples are shown\n".encode()
    return GRAPH_TYPES[graph_fmt], body, truncated, len(triples)


class ResultTooLarge(Exception):
    pass


def _limit_memory(max_memory: int) -> None:
    """Cap the child's address space: a query that builds huge values (CONCAT doubled 24 times
    makes 268 MB) ends the child, not the machine."""
    if max_memory > 0:
        import resource
        try:
            resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
        except (ValueError, OSError):
            pass


def _child(conn, max_memory: int = 0) -> None:
    from pathlib import Path
    functions = sparql_functions()
    _limit_memory(max_memory)
    store, path = None, None
    while True:
        # queries come in bursts: stay awake briefly (yielding to anything runnable) before
        # blocking, as waking a sleeping process costs more than the pause itself
        spin_until = time.monotonic() + SPIN_SECONDS
        while not conn.poll(0) and time.monotonic() < spin_until:
            os.sched_yield()
        try:
            msg = conn.recv()
        except EOFError:
            return
        store_path, query, fmt, graph_fmt, max_rows, max_bytes, base_iri = msg
        try:
            if store is None or store_path != path:
                store, path = open_location(store_path), store_path
                if not store_path.startswith(("http://", "https://")):
                    load_user_dictionary(Path(store_path).parent / "index" / "userdict.txt")
            conn.send(("ok",) + _execute(store, query, fmt, graph_fmt, max_rows, functions, max_bytes, base_iri))
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except (ResultTooLarge, MemoryError) as e:
            conn.send(("large", str(e) or "the query needed more memory than the endpoint allows"))
        except Exception as e:  # an evaluation error is the query's problem, not the server's
            conn.send(("error", f"{type(e).__name__}: {e}"))


class _Slot:
    """One killable child process with the store open."""

    def __init__(self, max_memory: int):
        self.max_memory = max_memory
        self.proc = None
        self.conn = None

    def ensure(self) -> None:
        if self.proc is None or not self.proc.is_alive():
            self.kill()
            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe()
            self.proc = ctx.Process(target=_child, args=(child, self.max_memory), daemon=True)
            self.proc.start()
            self.conn = parent

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
        self.proc = self.conn = None


class Runner:
    """A small pool of killable children per web worker process. A query waits for a free
    child at most until its time limit, which counts from its arrival, so a slow query holds
    one child only and the others keep answering; a query past its limit has its child killed
    (Oxigraph cannot interrupt a query) and replaced."""

    def __init__(self, timeout: float = 10.0, max_rows: int = 10000, max_bytes: int = 32 << 20,
                 max_memory: int = 2 << 30, procs: int = 2):
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.max_memory = max_memory
        self._free: queue.LifoQueue = queue.LifoQueue()  # the warmest child first
        self._slots = [_Slot(max_memory) for _ in range(max(1, procs))]
        for slot in self._slots:
            self._free.put(slot)

    def run(self, store_path: str, query: str, fmt: str = "json", graph_fmt: str = "turtle",
            base_iri: str | None = None):
        """Returns (content type, body bytes, truncated, count, seconds)."""
        check(query)
        arrived = time.monotonic()
        try:
            slot = self._free.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryRefused(503, f"every query process was busy for the time limit of {self.timeout:g} s; "
                                    "please try again") from None
        try:
            reply = self._ask(slot, arrived, (store_path, query, fmt, graph_fmt, self.max_rows, self.max_bytes,
                                              base_iri))
        finally:
            self._free.put(slot)
        seconds = time.monotonic() - arrived
        if reply[0] == "syntax":
            raise QueryRefused(400, "SPARQL " + explain_syntax_error(query, reply[1], set(PREFIXES)))
        if reply[0] == "large":
            raise QueryRefused(503, f"the result is too large: {reply[1]}")
        if reply[0] == "error":
            raise QueryRefused(400, f"the query could not be evaluated: {reply[1]}")
        return reply[1], reply[2], reply[3], reply[4], seconds

    def _ask(self, slot: _Slot, arrived: float, message: tuple):
        slot.ensure()
        try:
            slot.conn.send(message)
            spin_until = time.monotonic() + SPIN_SECONDS  # most answers come within milliseconds
            while not slot.conn.poll(0) and time.monotonic() < spin_until:
                os.sched_yield()
            left = max(0.0, self.timeout - (time.monotonic() - arrived))
            if not slot.conn.poll(left):
                slot.kill()
                raise QueryRefused(503, f"the query ran longer than the time limit of {self.timeout:g} s "
                                        "and was stopped")
            return slot.conn.recv()
        except (EOFError, OSError):
            slot.proc.join(2)
            aborted = slot.proc.exitcode is not None and slot.proc.exitcode < 0
            slot.kill()
            if aborted:  # the engine aborts when the memory cap refuses it an allocation
                raise QueryRefused(503, f"the query needed more than the endpoint's {self.max_memory >> 20} MiB "
                                        "of memory and was stopped") from None
            raise QueryRefused(500, "the query worker stopped unexpectedly; please try again") from None

    def close(self) -> None:
        for slot in self._slots:
            slot.kill()
