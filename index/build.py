"""Build the index from the graph store, so index and graph never drift.

Entities (label, aliases, pinyin spellings, English name, type, region) and passages (the
statements facts rest on, with document, section, departments, places, region, year).
"""
from __future__ import annotations

import bisect
import gc
import os
import pickle
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path

from whoosh import index as windex
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from index.analysis import use_user_words
from index.readings import READINGS, texts_of_cards, write_readings
from index.schema import schema
from kg.core import procs, settings
from kg.core.data import read_table
from kg.core.types import ENTITY_TYPES, INDEX_TYPES
from kg.core.vocab import ZW_IRI, sparql_string
from kg.text.documents import structure
from kg.text.words import trie_regex
from kg.text.english import english_name
from kg.text.pinyin import syllables
from kg.text.regions import place_endings
# place-name endings whose stem still names the place (罗江区 -> 罗江): ontology/lexicon/place_endings.tsv
LEVEL_SUFFIXES = tuple(e.ending for e in place_endings() if e.stem_names_place)
LEVEL_SUFFIX = re.compile(f"({'|'.join(LEVEL_SUFFIXES)})$")


@lru_cache(maxsize=65536)
def pinyin_forms(text: str) -> list[str]:
    """wanan, wan an (syllables) for 万安; the whole label run together too."""
    syl = [s.lower() for s in syllables(text) if re.match(r"^[a-z]+$", s.lower())]
    if not syl:
        return []
    out = ["".join(syl), " ".join(syl)]
    stem = LEVEL_SUFFIX.sub("", text)
    if stem != text and len(stem) >= 2:
        out.append("".join(s.lower() for s in syllables(stem)))
    return out


def index_procs(jobs: int | None = None) -> int:
    """How many processes write the index: `KG_INDEX_PROCS`, else `jobs` (the build's --jobs),
    else up to two where the machine has the cores (fork is needed, so the writers share the
    loaded user dictionary)."""
    return procs.count(settings.index_procs() or jobs)


class BatchedRunPool(PostingPool):
    """whoosh's pool of postings, its sorted runs written and read a batch of postings per
    pickle call instead of one (the same postings in the same order; calling pickle once per
    posting was a quarter of the index's time). Merging runs holds one batch of each."""

    BATCH = 4096

    def _write_run(self, f, items) -> None:
        items = iter(items)
        while batch := list(islice(items, self.BATCH)):
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch
        finally:
            f.close()
            self._remove_run(path)


class _LengthsRead:
    """The per-document reader a segment writer finishes its segment with, each field's
    lengths read into memory once: whoosh looked a length up in the column file for every
    posting (two million at 200 reports, a sixth of the index's time). Same lengths."""

    def __init__(self, pdr) -> None:
        self._pdr = pdr

    def doc_field_length_reader(self, fieldname, default=0):
        column = _lenfield(fieldname)
        if not self._pdr.has_column(column):
            return lambda docnum: default
        return [_LENGTH_OF_BYTE[b] for b in self._pdr.column_reader(column, LENGTHS_COLUMN).load()].__getitem__

    def __getattr__(self, name):
        return getattr(self._pdr, name)


_LENGTH_OF_BYTE = [byte_to_length(b) if b else None for b in range(256)]  # as whoosh3 decodes them


class _Writer(SegmentWriter):
    def per_document_reader(self):
        return _LengthsRead(super().per_document_reader())


def _writer(ix, part: bool = False):
    """whoosh's writer with a pool of 128 MB (more memory only saves merge passes), or, for one
    of several writer processes (`part`), a writer of one more segment that leaves the index's
    lock and table of contents to the process that started it, with 32 MB."""
    limitmb = 32 if part else 128
    writer = _Writer(ix, _lk=not part, limitmb=limitmb)
    # whoosh 2.7 (whoosh3, pinned) takes a `poolclass` but makes a PostingPool regardless
    writer.pool = BatchedRunPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    return writer


def _tidy(writer, segments):
    """The merge policy of an update (whoosh's `mergetype`): a segment all of whose cards were
    deleted is dropped, and when `MOST_SEGMENTS` would be reached the smallest are merged into
    the segment being written, leaving half as many. Reports coming and going all year thus
    leave neither emptied segments nor an ever longer list of small ones for every search to
    read, and a merge (of the small segments only) comes once in several updates. (whoosh's
    own policy keeps them: by its rule a few hundred cards are never small.)"""
    live = [seg for seg in segments if seg.doc_count()]
    if len(live) + 1 < MOST_SEGMENTS:  # with the one being written
        return live
    smallest = sorted(live, key=lambda seg: seg.doc_count())[:len(live) + 1 - MOST_SEGMENTS // 2]
    for seg in smallest:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in live if seg not in smallest]


MOST_SEGMENTS = 10


def _cancel(writer) -> None:
    """Give up a writer (nothing it wrote is kept)."""
    writer.cancel()


def build_index(store, out: Path, query, docs_dir: Path | None = None, jobs: int | None = None,
                reopen=None, ready=None) -> int:
    """Write the index for everything in `store` into `out` (in `index_procs(jobs)` processes);
    returns the number of documents. `reopen()` gives a writer process its own handle on the
    store (an embedded store opened read-only; by default the same object, as for a remote one).
    `ready()`, if given, is called once the entities are read, before any card is written: it
    waits for whatever must end before the writers read the store (its compaction)."""
    out.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(out), schema())
    entities = _entities(store, query)
    _add_regions(store, query, entities)
    # the user dictionary: our names, so that segmentation keeps them whole (and finds
    # their parts as sub-words); loaded before anything is analysed (and before the writers fork)
    words = _words(entities)
    use_user_words(words)
    reports = _report_rows(store, query)
    if ready is not None:
        ready()
    n = index_procs(jobs)
    if n > 1 and procs.die_with_parent():
        cards = list(entities.items())

        def share(writer, k: int) -> int:
            own = reopen() if reopen is not None else store
            mine = cards[k::n]
            for iri, e in mine:
                _add_entity(writer, iri, e)
            return len(mine) + _add_reports(writer, own, query, docs_dir, reports[k::n])
        written = _write_shares(ix, n, share)
    else:
        writer = _writer(ix)
        try:
            for iri, e in entities.items():
                _add_entity(writer, iri, e)
            written = len(entities) + _add_reports(writer, store, query, docs_dir, reports)
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
    _check(out, written)
    _write_words(out, words)
    write_readings(ix, out)
    return written - len(reports)


def _write_shares(ix, n: int, share) -> int:
    """`share(writer, k)` for k in 0..n-1, each in a forked process writing its own segment,
    the segments then committed together; returns the cards written. Each process computes its
    share of the cards itself (pinyin, the facts of its reports), so nothing is passed between
    processes but the segments' descriptions: whoosh's MpWriter sends every card, pickled, from
    one feeding process, which at two writers was a third of the index's time."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    parent = ix.writer()  # holds the index's lock; writes nothing itself
    workers: list = []
    # what the writers inherit stays shared only while nobody writes to it: frozen objects are
    # left alone by the writers' garbage collector
    gc.freeze()
    try:
        for k in range(n):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_write_share, args=(ix, share, k, send), daemon=True)
            proc.start()
            send.close()
            workers.append((proc, receive))
        results = []
        for proc, receive in workers:
            try:
                results.append(receive.recv())
            except EOFError:
                proc.join(5)
                results.append(("error", f"its process stopped (exit {proc.exitcode})"))
            proc.join()
        errors = [r[1] for r in results if r[0] == "error"]
        if errors:
            raise IndexBuildError(f"an index writer failed: {errors[0]}")
        parent._close_segment()
        parent._commit_toc([r[1] for r in results if r[1] is not None])
        parent._finish()
        return sum(r[2] for r in results)
    except BaseException:
        for proc, _ in workers:
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        if not parent.is_closed:
            parent.cancel()
        raise
    finally:
        gc.unfreeze()


def _write_share(ix, share, k: int, send) -> None:
    """A writer process: its share of the cards into a segment of its own."""
    try:
        writer = _writer(ix, part=True)
        written = share(writer, k)
        if written:
            send.send(("ok", writer._finalize_segment(), written))
        else:  # an empty segment is no segment
            writer._close_segment()
            send.send(("ok", None, 0))
    except BaseException as e:  # said by the build, which fails
        send.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        send.close()


def entities_in(store, query, graphs) -> set[str]:
    """The entities the index has a card for among what the named `graphs` state."""
    if not graphs:
        return set()
    return {r["e"].value for r in query(store, """SELECT DISTINCT ?e WHERE { VALUES ?g { %s } VALUES ?t { %s }
                                                    GRAPH ?g { ?e a ?t } }""" % (
        " ".join(f"<{g}>" for g in graphs), " ".join(f"zw:{t}" for t in ENTITY_TYPES)))}


def unusable(folder: Path) -> str | None:
    """Why an index cannot be the start of an incremental build (missing, damaged), or None."""
    if not (folder / "userdict.txt").is_file():
        return f"{folder} is missing or incomplete"
    try:
        with windex.open_dir(str(folder)).reader() as r:
            r.doc_count()
            list(r.field_terms("kind"))
    except Exception as e:  # whoosh raises its own errors, OSError and struct errors on damage
        return f"{folder} cannot be read ({type(e).__name__})"
    return None


def entity_words(store, query, entities: set[str]) -> set[str]:
    """The user-dictionary words that `entities` give, as `store` describes them."""
    return _words(_entities(store, query, only=entities, aliases_only=True), lexicon=False)


def update_index(store, previous: Path, out: Path, query, docs_dir: Path, reports: set[str],
                 entities: set[str], words_before: set[str]) -> int:
    """Write into `out` the index of `store` made from the `previous` build's index: its segment
    files linked, not copied (whoosh never changes a written file), then only the cards of
    `reports` (IRIs of the reports added, replaced or removed) and of `entities` (those their
    graphs named, before and after; `words_before`: the dictionary words they gave before)
    deleted and written again. Passages of other reports, and other entities, whose text a
    changed user dictionary now segments differently are written again too, so the result
    answers as a build from scratch would. Returns the number of cards written."""
    out.mkdir(parents=True, exist_ok=True)
    for f in previous.iterdir():
        if f.is_file() and not f.name.endswith("LOCK") and f.name not in ("userdict.txt", READINGS):
            os.link(f, out / f.name)
    ix = windex.open_dir(str(out))
    before = ix.doc_count()
    # the dictionary changes only by the words of the entities these reports name: those that
    # came, and those that went unless another entity still gives them
    try:
        old_words = set((previous / "userdict.txt").read_text(encoding="utf-8").splitlines())
    except OSError:
        old_words = set()
    entities = set(entities)
    cards = _entities(store, query, only=entities)
    words_after = _words(cards, lexicon=False)
    went = {w for w in words_before - words_after if not _still_given(store, query, w)}
    words = (old_words - went) | words_after
    moved = words ^ old_words
    reports = set(reports)
    present = _report_ids(store, query)
    if moved:  # words that segment differently now: the texts holding them are written again
        has_word = re.compile(trie_regex(moved))
        for doc, docid in present.items():
            body = docs_dir / f"{docid}.txt"
            if doc not in reports and body.exists() and has_word.search(body.read_text(encoding="utf-8")):
                reports.add(doc)
        more = _named_with(store, query, moved) - entities
        entities |= more
        cards.update(_entities(store, query, only=more))
    _add_regions(store, query, cards, only=entities)
    use_user_words(words)
    writer = _writer(ix)
    try:
        # what the cards about to go said (words of the corpus may go with them)
        gone = texts_of_cards(writer.searcher().reader(),
                              [("id", iri) for iri in entities | reports] + [("document", d) for d in reports])
        deleted = sum(writer.delete_by_term("id", iri) for iri in entities | reports)
        deleted += sum(writer.delete_by_term("document", doc) for doc in reports)
        for iri, e in cards.items():
            _add_entity(writer, iri, e)
        rows = _report_rows(store, query, only=reports & set(present))
        written = len(cards) + _add_reports(writer, store, query, docs_dir, rows)
        written_now = writer.newsegment.segment_id()
        writer.commit(mergetype=_tidy)
    except BaseException:
        _cancel(writer)
        raise
    _check(out, before - deleted + written)
    _write_words(out, words)
    write_readings(ix, out, previous, gone, written_now)
    return written - len(rows)


def _still_given(store, query, word: str) -> bool:
    """Does any entity still give `word` to the dictionary (its label or alias, a place's name
    without its level, a standard short form)?"""
    if word in _lexicon_words():
        return True
    # names are tagged as Chinese (@zh) in our graph; plain strings are asked for too
    names = f"{sparql_string(word)} {sparql_string(word)}@zh"
    places = " ".join(f"{sparql_string(word + suffix)} {sparql_string(word + suffix)}@zh"
                      for suffix in LEVEL_SUFFIXES)
    return bool(list(query(store, f"""SELECT ?e WHERE {{
        {{ VALUES ?n {{ {names} }} ?e skos:prefLabel|skos:altLabel ?n }}
        UNION {{ VALUES ?l {{ {places} }} ?e a zw:Place ; skos:prefLabel ?l }} }} LIMIT 1""")))


def _named_with(store, query, words: set[str]) -> set[str]:
    """Entities whose label or an alias contains one of `words` (their cards are cut anew)."""
    found: set[str] = set()
    ordered = sorted(words)
    for i in range(0, len(ordered), 500):
        pattern = "|".join(re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", w) for w in ordered[i:i + 500])
        found.update(r["e"].value for r in query(store, f"""SELECT DISTINCT ?e WHERE {{
            ?e skos:prefLabel|skos:altLabel ?l FILTER(REGEX(?l, {sparql_string(pattern)})) }}"""))
    return found


def _values(var: str, iris) -> str:
    return "VALUES ?%s { %s }" % (var, " ".join(f"<{i}>" for i in iris)) if iris is not None else ""


def _entities(store, query, only: set[str] | None = None, aliases_only: bool = False) -> dict[str, dict]:
    """iri -> type, label, aliases and pinyin spellings of the index's entities (or of `only`).
    An entity typed or labelled twice (by two reports) takes the first type and label in
    sorted order, the same in every build."""
    if only is not None and not only:
        return {}
    entities: dict[str, dict] = {}
    # an entity is described in the graph of every report naming it: ask for distinct values,
    # one property at a time, so the union of graphs does not multiply rows (and no VALUES of
    # types: the store would join every typed node with them before `only`)
    kinds = {ZW_IRI + t: t for t in ENTITY_TYPES}
    for r in query(store, f"SELECT DISTINCT ?e ?t ?l WHERE {{ {_values('e', only)} ?e a ?t ; skos:prefLabel ?l }}"):
        kind = kinds.get(r["t"].value)
        if kind is None:
            continue
        key = (kind, r["l"].value)
        e = entities.get(r["e"].value)
        if e is None or key < (e["type"], e["label"]):
            entities[r["e"].value] = {"type": kind, "label": key[1], "aliases": set(), "pinyin": set()}
    props = (("skos:altLabel", "aliases"),) if aliases_only else (("skos:altLabel", "aliases"),
                                                                  ("zw:pinyin", "pinyin"))
    for prop, key in props:
        for r in query(store, f"SELECT DISTINCT ?e ?v WHERE {{ {_values('e', only)} ?e {prop} ?v }}"):
            e = entities.get(r["e"].value)
            if e is not None:
                e[key].add(r["v"].value)
    return entities


def _add_regions(store, query, entities: dict[str, dict], only: set[str] | None = None) -> None:
    """The regions of the reports naming each entity (for the region filter)."""
    for e in entities.values():
        e["regions"] = set()
    if only is not None and not only:
        return
    if only is None:
        rows = ((r["e"].value, r["region"].value) for r in query(store, """SELECT DISTINCT ?e ?region WHERE {
            ?e zw:mentionedIn ?doc . ?doc zw:region ?p . ?p skos:prefLabel ?region }"""))
    else:  # the reports' regions first: joined in the store, `only` would come last
        region = {r["doc"].value: r["region"].value for r in query(store, """SELECT ?doc ?region WHERE {
            ?doc a zw:Report ; zw:region ?p . ?p skos:prefLabel ?region }""")}
        # one row per entity with its reports (an entity of every report would be a row each)
        rows = ((r[0].value, region[doc]) for r in query(
            store, f"SELECT ?e (GROUP_CONCAT(DISTINCT STR(?doc); separator=' ') AS ?docs) "
                   f"WHERE {{ {_values('e', only)} ?e zw:mentionedIn ?doc }} GROUP BY ?e")
            for doc in r[1].value.split() if doc in region)
    for node, name in rows:
        e = entities.get(node)
        if e is not None:
            e["regions"].add(name)


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    """The standard short forms of bodies (so 发改局 is findable inside 区发改局) and national bodies."""
    return frozenset([r[0] for r in read_table("lexicon", "units.tsv") if "{" not in r[0] and len(r[0]) >= 2]
                     + [r[0] for r in read_table("lexicon", "national.tsv")])


def _words(entities: dict[str, dict], lexicon: bool = True) -> set[str]:
    """The user dictionary: entity labels, short aliases, place names without their level, and
    (with `lexicon`) the standard short forms of bodies."""
    words = set()
    for e in entities.values():
        words.add(e["label"])
        words.update(a for a in e["aliases"] if len(a) <= 20 and not a.startswith(("《", "“")))
        stem = LEVEL_SUFFIX.sub("", e["label"])
        if e["type"] == "Place" and len(stem) >= 2:
            words.add(stem)
    if lexicon:
        words |= _lexicon_words()
    return words


def _write_words(out: Path, words: set[str]) -> None:
    tmp = out / "userdict.txt.tmp"
    tmp.write_text("\n".join(sorted(words)), encoding="utf-8")
    os.replace(tmp, out / "userdict.txt")


def _add_entity(writer, iri: str, e: dict) -> None:
    label = e["label"]
    pys = set(pinyin_forms(label))
    for a in e["aliases"]:
        if len(a) <= 12:
            pys.update(pinyin_forms(a))
    for p in e["pinyin"]:
        pys.add(p.lower())
        pys.add(re.sub(r"[^a-z ]", "", p.lower().replace("'", "")))
    writer.add_document(id=iri, kind="entity", type=INDEX_TYPES[e["type"]], label=label,
                        aliases=" ".join(sorted(e["aliases"])), pinyin=" ".join(sorted(pys)),
                        english=english_name(label, e["type"]),
                        region=",".join(sorted(e["regions"])))


def _report_ids(store, query) -> dict[str, str]:
    return {r["d"].value: r["i"].value
            for r in query(store, "SELECT ?d (SAMPLE(?id) AS ?i) WHERE { ?d a zw:Report ; dcterms:identifier ?id } "
                                  "GROUP BY ?d")}


# a collective agent brings its members (区公安局、交通局…等9个部门): one row each
FACTS_QUERY = """SELECT DISTINCT ?start ?end ?agentLabel ?placeLabel ?sec WHERE {
      ?f prov:wasDerivedFrom <%s> ; a zw:Fact ; zw:start ?start ; zw:end ?end .
      OPTIONAL { ?f prov:wasAssociatedWith/(skos:prefLabel|(zw:member/skos:prefLabel)) ?agentLabel }
      OPTIONAL { ?f prov:atLocation/skos:prefLabel ?placeLabel }
      OPTIONAL { ?f zw:section/rdfs:label ?sec } }"""


def _report_rows(store, query, only: set[str] | None = None) -> list[tuple]:
    """(IRI, id, title, year, region) of the reports (all, or `only`), in the store's order."""
    if only is not None and not only:
        return []
    return [(r["doc"].value, r["id"].value, r["title"].value, _year(r["year"]), _v(r["region"]) or "")
            for r in query(store, """SELECT ?doc (SAMPLE(?i) AS ?id) (SAMPLE(?t) AS ?title) (SAMPLE(?y) AS ?year)
                               (SAMPLE(?rg) AS ?region) WHERE { %s ?doc a zw:Report ; dcterms:identifier ?i ;
                               dcterms:title ?t . OPTIONAL { ?doc zw:year ?y }
                               OPTIONAL { ?doc zw:region/skos:prefLabel ?rg } } GROUP BY ?doc""" % _values("doc", only))]


def _add_reports(writer, store, query, docs_dir: Path | None, reports: list[tuple]) -> int:
    """The cards of `reports` (rows of `_report_rows`) and of their passages: every sentence,
    with the departments and places of the facts in it (a collective agent brings its members:
    区公安局、交通局…等9个部门). The facts are read one report at a time, so memory does not grow
    with the corpus. Returns the cards written."""
    written = 0
    for doc, docid, title, year, region in reports:
        writer.add_document(id=doc, kind="entity", type="report", label=title, year=year)
        written += 1
        body_file = docs_dir / f"{docid}.txt" if docs_dir else None
        if body_file is None or not body_file.exists():
            continue
        body = body_file.read_text(encoding="utf-8")
        doc_facts = [(int(f["start"].value), int(f["end"].value), _v(f["agentLabel"]), _v(f["placeLabel"]),
                      _v(f["sec"])) for f in query(store, FACTS_QUERY % doc)]
        doc_facts.sort(key=lambda f: (f[0], f[1]))
        fact_starts = [f[0] for f in doc_facts]
        for sent_start, sent_end, section in _sentences(body):
            depts, places, sec = set(), set(), section
            # facts are statements inside one sentence: those starting within it
            lo = bisect.bisect_left(fact_starts, sent_start)
            hi = bisect.bisect_left(fact_starts, sent_end)
            for fs, fe, agent, place, fsec in doc_facts[lo:hi]:
                if agent:
                    depts.add(agent)
                if place:
                    places.add(place)
                sec = sec or fsec
            writer.add_document(id=f"{doc}#c{sent_start}", kind="passage", type="passage",  # the page anchor
                                text=body[sent_start:sent_end], document=doc, doc_title=title,
                                section=sec, start=sent_start, end=sent_end, region=region,
                                year=year, departments=",".join(sorted(depts)), places=",".join(sorted(places)))
            written += 1
    return written


def _check(out: Path, expected: int) -> None:
    written = windex.open_dir(str(out)).doc_count()
    if written != expected:  # whoosh's writer processes drop their segment when they fail
        raise IndexBuildError(f"the full-text index holds {written} of its {expected} documents: "
                              "an index writer failed (see the messages above)")


class IndexBuildError(Exception):
    """The index could not be written whole; the build that wrote it must not be used."""


def _year(term) -> int | None:
    """A year for the index's numeric field (reports are checked when read; this keeps a graph
    from elsewhere from failing the writers)."""
    v = term.value if term is not None else ""
    return int(v) if len(v) == 4 and v.isascii() and v.isdigit() else None


def _v(term) -> str | None:
    return term.value if term is not None else None


def _sentences(body: str):
    """(start, end, section heading) of each sentence, segmented as extraction does."""
    doc = structure(body)
    for s in doc.sentences:
        yield s.start, s.end, doc.sections[s.section].heading if s.section is not None else None
