"""From an extraction to RDF: one graph per report (its named graph in the store).

Everything a report says lives in its own graph, entity descriptions included, so that
re-ingesting the report replaces exactly what it said.

The build writes a report's triples straight as N-Triples lines from pyoxigraph terms (which
check every IRI and escape every literal): building the same triples in an rdflib graph and
serialising it took some twelve times as long (100 generated reports: 4.2 s against 0.33 s),
and the store and the shape check only ever read the N-Triples. `to_graph` gives the same triples as an
rdflib graph for modelling and tests.
"""
from __future__ import annotations

import bisect
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.core import iris
from kg.core.records import Entity, Extraction
from kg.core.vocab import CLASS_OF, DCTERMS, ELI, FOAF, ORG, PREFIXES, PROV, RDF, RDFS, SKOS, XSD, ZW
from kg.text.regions import gazetteer, place_type_of_name
from kg.text.structure import is_page_chrome


def _iri(value: str) -> str:
    """An IRI in N-Triples (<…>); ValueError when it is not a valid IRI."""
    return str(ox.NamedNode(value))


# the N-Triples form of every term we use, resolved once
T = {name: _iri(str(term)) for name, term in {
    "DCTERMS_identifier": DCTERMS.identifier, "DCTERMS_isPartOf": DCTERMS.isPartOf,
    "DCTERMS_issued": DCTERMS.issued, "DCTERMS_publisher": DCTERMS.publisher,
    "DCTERMS_source": DCTERMS.source, "DCTERMS_title": DCTERMS.title,
    "ELI_LegalResource": ELI.LegalResource, "ELI_passed_by": ELI.passed_by, "ELI_title": ELI.title,
    "FOAF_Document": FOAF.Document, "ORG_Organization": ORG.Organization,
    "ORG_subOrganizationOf": ORG.subOrganizationOf, "PROV_Activity": PROV.Activity,
    "PROV_atLocation": PROV.atLocation, "PROV_wasAssociatedWith": PROV.wasAssociatedWith,
    "PROV_wasDerivedFrom": PROV.wasDerivedFrom, "RDF_type": RDF.type, "RDF_value": RDF.value,
    "RDFS_label": RDFS.label, "SKOS_Concept": SKOS.Concept, "SKOS_altLabel": SKOS.altLabel,
    "SKOS_prefLabel": SKOS.prefLabel, "ZW_Department": ZW.Department, "ZW_Fact": ZW.Fact,
    "ZW_Metric": ZW.Metric, "ZW_Place": ZW.Place, "ZW_Report": ZW.Report, "ZW_Section": ZW.Section,
    **{f"ZW_{p}": ZW[p] for p in (
        "action", "agentImplicit", "approximate", "divisionCode", "documentNumber", "end",
        "headingLevel", "headingNames", "indexNumber", "indicator", "initiative", "kind", "level", "member",
        "likelyBasis", "likelyExecutor", "mentionedIn", "metric", "object", "participant", "period", "pinyin",
        "partKind", "placeType", "region", "text",
        "regulation", "regulationType", "section", "sentence", "start", "subject", "unit", "within",
        "year")},
}.items()}
CLASS_NT = {k: _iri(str(v)) for k, v in CLASS_OF.items()}
XSD_DATE = ox.NamedNode(str(XSD.date))
TRUE = f'"true"^^{_iri(str(XSD.boolean))}'
FALSE = f'"false"^^{_iri(str(XSD.boolean))}'
INTEGER = f'^^{_iri(str(XSD.integer))}'
DECIMAL = f'^^{_iri(str(XSD.decimal))}'


def _text(value: str, lang: str | None = None) -> str:
    return str(ox.Literal(value, language=lang) if lang else ox.Literal(value))


def _int(value: int) -> str:
    return f'"{int(value)}"{INTEGER}'


def _bool(value) -> str:
    return TRUE if value else FALSE


def _decimal(value) -> str:
    return f'"{format(Decimal(str(value)), "f")}"{DECIMAL}'


def entity_iri(e: Entity, docid: str, base: str | None = None) -> str:
    """The IRI of an entity a report names (`base`: KG_BASE, read once by callers in a loop)."""
    base = base or iris.base()
    if e.type == "Place":
        a = e.attrs
        path = a.path or (a.parent or "", e.label)
        if a.place_type in ("zone", "community") and not a.path:
            path = [p for p in (a.parent, e.label) if p]
        return iris.mint("Place", *path, under=base)
    if e.type == "Collective":
        return iris.mint("Collective", docid, e.label, under=base)
    return iris.mint(e.type, e.label, under=base)


class _Triples:
    """A report's triples as an ordered set of N-Triples lines."""

    def __init__(self) -> None:
        self.lines: dict[str, None] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self.lines[f"{s} {p} {o} .\n"] = None

    def ntriples(self) -> bytes:
        return "".join(self.lines).encode("utf-8")


def to_ntriples(x: Extraction) -> tuple[str, bytes, int]:
    """(graph IRI, N-Triples, number of triples) for one report."""
    doc = x.document
    meta = doc.meta
    docid = doc.docid
    base = iris.base()

    def mint(kind: str, *parts: str) -> str:
        return _iri(iris.mint(kind, *parts, under=base))

    g = _Triples()
    add = g.add
    report = mint("Report", docid)
    add(report, T["RDF_type"], T["ZW_Report"])
    add(report, T["RDF_type"], T["FOAF_Document"])
    add(report, T["DCTERMS_title"], _text(meta.title or docid))
    add(report, T["DCTERMS_identifier"], _text(docid))
    if meta.published:
        add(report, T["DCTERMS_issued"], str(ox.Literal(meta.published, datatype=XSD_DATE)))
    if meta.year:
        add(report, T["ZW_year"], _int(meta.year))
    if meta.period:
        add(report, T["ZW_period"], _text(meta.period))
    if meta.url:
        try:
            source = _iri(meta.url) if meta.url.startswith("http") else _text(meta.url)
        except ValueError:  # not a valid IRI: kept as text
            source = _text(meta.url)
        add(report, T["DCTERMS_source"], source)
    if meta.index_no:
        add(report, T["ZW_indexNumber"], _text(meta.index_no))
    if meta.doc_no:
        add(report, T["ZW_documentNumber"], _text(meta.doc_no))
    if meta.publisher:
        add(report, T["DCTERMS_publisher"], _text(meta.publisher))

    # sections
    section_iris = []
    for i, s in enumerate(doc.sections):
        si = mint("Report", docid, "section", str(s.start))  # where its heading starts: stable
        section_iris.append(si)
        add(si, T["RDF_type"], T["ZW_Section"])
        add(si, T["RDFS_label"], _text(s.heading))
        add(si, T["ZW_headingLevel"], _int(s.level))
        add(si, T["ZW_start"], _int(s.start))
        add(si, T["ZW_end"], _int(s.end))
        add(si, T["DCTERMS_isPartOf"], section_iris[s.parent] if s.parent is not None else report)
        if s.kind is not None:
            # its statements are no facts, so its words are kept here: what the report says is wrong
            # or still to do
            add(si, T["ZW_partKind"], _text(s.kind))
            if s.parent is None or doc.sections[s.parent].kind is None:
                words = "\n".join(ln for ln in doc.body[s.heading_end:s.end].splitlines() if not is_page_chrome(ln))
                add(si, T["ZW_text"], _text(words.strip(), "zh"))

    # entities
    by_id: dict[str, str] = {}
    labels = {e.label for e in x.entities if e.type == "Department"}
    place_label: dict[str, str] = {}  # place node -> its label, for places named only as parents
    place_typed: set[str] = set()
    within: dict[str, tuple[str, ...]] = {}  # nodes of the place hierarchy (in order) and their paths

    def label_place(node: str, text: str) -> None:
        add(node, T["SKOS_prefLabel"], _text(text, "zh"))
        place_label.setdefault(node, text)

    for e in x.entities:
        node = _iri(entity_iri(e, docid, base))
        by_id[e.id] = node
        add(node, T["RDF_type"], CLASS_NT[e.type])
        if e.type == "Place":
            label_place(node, e.label)
        else:
            add(node, T["SKOS_prefLabel"], _text(e.label, "zh"))
        if e.mentions:
            add(node, T["ZW_mentionedIn"], report)
        for alias in dict.fromkeys(([e.short] if e.short and e.short != e.label else []) + e.aliases):
            add(node, T["SKOS_altLabel"], _text(alias, "zh"))
        a = e.attrs
        if e.type == "Department":
            add(node, T["RDF_type"], T["ORG_Organization"])
            if a.level:
                add(node, T["ZW_level"], _text(a.level))
            if a.kind:
                add(node, T["ZW_kind"], _text(a.kind))
            if a.parent and a.parent != e.label and a.parent in labels:
                add(node, T["ORG_subOrganizationOf"], mint("Department", a.parent))
        elif e.type == "Regulation":
            add(node, T["RDF_type"], T["ELI_LegalResource"])
            add(node, T["ELI_title"], _text(e.label, "zh"))
            if a.regulation_type:
                add(node, T["ZW_regulationType"], _text(a.regulation_type))
            if a.level:
                add(node, T["ZW_level"], _text(a.level))
            if a.issuer:
                issuer = mint("Department", a.issuer)
                add(node, T["ELI_passed_by"], issuer)
                add(issuer, T["RDF_type"], T["ZW_Department"])
                add(issuer, T["SKOS_prefLabel"], _text(a.issuer, "zh"))
        elif e.type == "Initiative":
            add(node, T["RDF_type"], T["SKOS_Concept"])
        elif e.type == "Place":
            add(node, T["ZW_placeType"], _text(a.place_type or "other"))
            place_typed.add(node)
            if a.pinyin:
                add(node, T["ZW_pinyin"], _text(a.pinyin))
            if a.code:
                add(node, T["ZW_divisionCode"], _text(a.code))
            path = a.path
            if path and len(path) > 1:
                # the whole chain up to the province, so the hierarchy is in the graph
                for depth in range(len(path) - 1, 0, -1):
                    child = mint("Place", *path[:depth + 1])
                    parent = mint("Place", *path[:depth])
                    add(child, T["ZW_within"], parent)
                    within.setdefault(child, tuple(path[:depth + 1]))
                    within.setdefault(parent, tuple(path[:depth]))
                    if depth < len(path) - 1 or child != node:
                        add(child, T["RDF_type"], T["ZW_Place"])
                        label_place(child, path[depth])
                top = mint("Place", path[0])
                add(top, T["RDF_type"], T["ZW_Place"])
                label_place(top, path[0])
        elif e.type == "Collective":
            for member in a.members or ():
                add(node, T["ZW_member"], mint("Department", member))
    # what a heading names (二、继续深化“放管服”改革): the work reported under it is about that
    headings = sorted((s.heading_start, s.heading_end, section_iris[i]) for i, s in enumerate(doc.sections)
                      if s.level <= 3)  # not list items (一是…): those are statements
    heading_starts = [h[0] for h in headings]
    for e in x.entities:
        if e.type not in ("Initiative", "Regulation"):
            continue
        for m in e.mentions:
            k = bisect.bisect_right(heading_starts, m.start) - 1
            if k >= 0 and m.end <= headings[k][1]:
                add(headings[k][2], T["ZW_headingNames"], by_id[e.id])
    # places named only as parents need a type and a label for the shapes
    for s in within:
        if s not in place_label:
            parsed = iris.parse(s[1:-1])
            label_place(s, parsed[1][-1] if parsed else s[1:-1])
        if s not in place_typed:
            add(s, T["ZW_placeType"], _text(_place_type(within[s], place_label[s])))
            place_typed.add(s)
        add(s, T["RDF_type"], T["ZW_Place"])

    # metrics
    metric_iris = []
    period = _text(meta.period) if meta.period else None
    for i, m in enumerate(x.metrics):
        mi = mint("Metric", docid, f"{m.start}-{m.end}")  # its place in the report: stable
        metric_iris.append(mi)
        add(mi, T["RDF_type"], T["ZW_Metric"])
        add(mi, T["RDF_value"], _decimal(m.value))
        add(mi, T["ZW_unit"], _text(m.unit))
        add(mi, T["ZW_indicator"], _text(m.indicator))
        add(mi, T["ZW_approximate"], _bool(m.approx))
        add(mi, T["RDFS_label"], _text(f"{m.indicator} {m.text}"))
        add(mi, T["ZW_sentence"], _text(m.sentence))
        add(mi, T["ZW_start"], _int(m.start))
        add(mi, T["ZW_end"], _int(m.end))
        add(mi, T["PROV_wasDerivedFrom"], report)
        if period:
            add(mi, T["ZW_period"], period)
        if m.subject in by_id:
            add(mi, T["ZW_subject"], by_id[m.subject])

    # facts: named by the clause's place in the report, and by the agent where one clause states
    # several facts, so a link to a fact keeps its statement whatever else changes
    label_of = {e.id: e.label for e in x.entities}
    spans: dict[tuple[int, int], int] = {}
    for f in x.facts:
        spans[f.start, f.end] = spans.get((f.start, f.end), 0) + 1
    fact_iris, seen = [], set()
    for f in x.facts:
        parts = [docid, f"{f.start}-{f.end}"]
        if spans[f.start, f.end] > 1:
            parts.append(label_of.get(f.agent, f.agent))
        iri = mint("Fact", *parts)
        n = 2
        while iri in seen:  # the same clause and agent twice: never in practice, but IRIs stay distinct
            iri = mint("Fact", *parts, str(n))
            n += 1
        seen.add(iri)
        fact_iris.append(iri)
    for i, f in enumerate(x.facts):
        fi = fact_iris[i]
        add(fi, T["RDF_type"], T["ZW_Fact"])
        add(fi, T["RDF_type"], T["PROV_Activity"])
        add(fi, T["PROV_wasAssociatedWith"], by_id[f.agent])
        add(fi, T["ZW_agentImplicit"], _bool(f.agent_implicit))
        add(fi, T["ZW_action"], _text(f.action))
        if f.object:
            add(fi, T["ZW_object"], _text(f.object))
        add(fi, T["RDFS_label"], _text(f.sentence[:60]))
        add(fi, T["ZW_sentence"], _text(f.sentence))
        add(fi, T["ZW_start"], _int(f.start))
        add(fi, T["ZW_end"], _int(f.end))
        add(fi, T["PROV_wasDerivedFrom"], report)
        sec = doc.clauses[f.clause].section
        if sec is not None:
            add(fi, T["ZW_section"], section_iris[sec])
        for r in f.regulations:
            add(fi, T["ZW_regulation"], by_id[r])
        for r in f.initiatives:
            add(fi, T["ZW_initiative"], by_id[r])
        for r in f.places:
            add(fi, T["PROV_atLocation"], by_id[r])
        for r in f.participants:
            add(fi, T["ZW_participant"], by_id[r])
        for d, basis in f.likely[:1]:  # an inference, kept apart from the agent and the participants
            add(fi, T["ZW_likelyExecutor"], by_id[d])
            add(fi, T["ZW_likelyBasis"], _text(basis))
        for mi in f.metrics:
            add(fi, T["ZW_metric"], metric_iris[mi])
    # the report's own region
    own = next((e for e in x.entities if e.type == "Place" and e.attrs.path
                and "/".join(e.attrs.path) == (meta.region or "")), None)
    if own is not None:
        add(report, T["ZW_region"], by_id[own.id])
    return iris.mint("Graph", docid, under=base), g.ntriples(), len(g.lines)


def to_graph(x: Extraction) -> tuple[URIRef, Graph]:
    """(graph IRI, rdflib graph) for one report: the triples of `to_ntriples`."""
    gname, nt, _ = to_ntriples(x)
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    g.parse(data=nt, format="nt")
    return URIRef(gname), g


def _place_type(path: tuple[str, ...] | None, name: str) -> str:
    """A division's type from the division table (天津市 is a province-level municipality in
    every report), else guessed from the name's ending."""
    if path:
        divs = gazetteer().resolve_path("/".join(path))
        if len(divs) == len(path) and divs[-1].name == path[-1]:
            return divs[-1].kind
    return place_type_of_name(name)
