"""From an extraction to RDF: one rdflib graph per report (its named graph in the store).

Everything a report says lives in its own graph, entity descriptions included, so that
re-ingesting the report replaces exactly what it said.
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from . import iris
from .records import Entity, Extraction
from .vocab import CLASS_OF, DCTERMS, ELI, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD, ZW, PREFIXES


def entity_iri(e: Entity, docid: str) -> URIRef:
    if e.type == "Place":
        path = e.info.get("path") or [e.info.get("parent") or "", e.label]
        if e.info.get("place_type") in ("zone", "community") and not e.info.get("path"):
            path = [p for p in (e.info.get("parent"), e.label) if p]
        return URIRef(iris.mint("Place", *path))
    if e.type == "Collective":
        return URIRef(iris.mint("Collective", docid, e.label))
    return URIRef(iris.mint(e.type, e.label))


def department_iri(label: str) -> URIRef:
    return URIRef(iris.mint("Department", label))


def to_graph(x: Extraction) -> tuple[URIRef, Graph]:
    """Return (graph IRI, graph) for one report."""
    doc = x.document
    meta = doc.meta
    docid = iris.doc_id(doc.source)
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    report = URIRef(iris.mint("Report", docid))
    g.add((report, RDF.type, ZW.Report))
    g.add((report, RDF.type, FOAF.Document))
    g.add((report, DCTERMS.title, Literal(meta.title or docid)))
    g.add((report, DCTERMS.identifier, Literal(docid)))
    if meta.published:
        g.add((report, DCTERMS.issued, Literal(meta.published, datatype=XSD.date)))
    if meta.year:
        g.add((report, ZW.year, Literal(int(meta.year))))
    if meta.period:
        g.add((report, ZW.period, Literal(meta.period)))
    if meta.url:
        g.add((report, DCTERMS.source, URIRef(meta.url) if meta.url.startswith("http") else Literal(meta.url)))
    if meta.index_no:
        g.add((report, ZW.indexNumber, Literal(meta.index_no)))
    if meta.doc_no:
        g.add((report, ZW.documentNumber, Literal(meta.doc_no)))
    if meta.publisher:
        g.add((report, DCTERMS.publisher, Literal(meta.publisher)))

    # sections
    section_iris = []
    for i, s in enumerate(doc.sections):
        si = URIRef(iris.mint("Report", docid, "section", str(i + 1)))
        section_iris.append(si)
        g.add((si, RDF.type, ZW.Section))
        g.add((si, RDFS.label, Literal(s.heading)))
        g.add((si, ZW.headingLevel, Literal(s.level)))
        g.add((si, ZW.start, Literal(s.start)))
        g.add((si, ZW.end, Literal(s.end)))
        g.add((si, DCTERMS.isPartOf, section_iris[s.parent] if s.parent is not None else report))

    # entities
    by_id: dict[str, URIRef] = {}
    labels = {e.label for e in x.entities if e.type == "Department"}
    for e in x.entities:
        node = entity_iri(e, docid)
        by_id[e.id] = node
        g.add((node, RDF.type, CLASS_OF[e.type]))
        g.add((node, SKOS.prefLabel, Literal(e.label, lang="zh")))
        if e.mentions:
            g.add((node, ZW.mentionedIn, report))
        for alias in dict.fromkeys(([e.short] if e.short and e.short != e.label else []) + e.aliases):
            g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        info = e.info
        if e.type == "Department":
            g.add((node, RDF.type, ORG.Organization))
            if info.get("level"):
                g.add((node, ZW.level, Literal(info["level"])))
            if info.get("kind"):
                g.add((node, ZW.kind, Literal(info["kind"])))
            parent = info.get("parent")
            if parent and parent != e.label and parent in labels:
                g.add((node, ORG.subOrganizationOf, department_iri(parent)))
        elif e.type == "Regulation":
            g.add((node, RDF.type, ELI.LegalResource))
            g.add((node, ELI.title, Literal(e.label, lang="zh")))
            if info.get("regulation_type"):
                g.add((node, ZW.regulationType, Literal(info["regulation_type"])))
            if info.get("level"):
                g.add((node, ZW.level, Literal(info["level"])))
            if info.get("issuer"):
                issuer = department_iri(info["issuer"])
                g.add((node, ELI.passed_by, issuer))
                g.add((issuer, RDF.type, ZW.Department))
                g.add((issuer, SKOS.prefLabel, Literal(info["issuer"], lang="zh")))
        elif e.type == "Initiative":
            g.add((node, RDF.type, SKOS.Concept))
        elif e.type == "Place":
            g.add((node, ZW.placeType, Literal(info.get("place_type") or "other")))
            if info.get("pinyin"):
                g.add((node, ZW.pinyin, Literal(info["pinyin"])))
            if info.get("code"):
                g.add((node, ZW.divisionCode, Literal(info["code"])))
            path = info.get("path")
            if path and len(path) > 1:
                # the whole chain up to the province, so the hierarchy is in the graph
                for depth in range(len(path) - 1, 0, -1):
                    child = URIRef(iris.mint("Place", *path[:depth + 1]))
                    parent = URIRef(iris.mint("Place", *path[:depth]))
                    g.add((child, ZW.within, parent))
                    if depth < len(path) - 1 or child != node:
                        g.add((child, RDF.type, ZW.Place))
                        g.add((child, SKOS.prefLabel, Literal(path[depth], lang="zh")))
                top = URIRef(iris.mint("Place", path[0]))
                g.add((top, RDF.type, ZW.Place))
                g.add((top, SKOS.prefLabel, Literal(path[0], lang="zh")))
            elif info.get("parent") and info.get("place_type") in ("zone", "community"):
                pass
        elif e.type == "Collective":
            for member in info.get("members", ()):
                g.add((node, ZW.member, department_iri(member)))
    # places named only as parents need a type and a label for the shapes
    for s in set(g.subjects(ZW.within, None)) | set(g.objects(None, ZW.within)):
        if (s, SKOS.prefLabel, None) not in g:
            parsed = iris.parse(str(s))
            g.add((s, SKOS.prefLabel, Literal(parsed[1][-1] if parsed else str(s), lang="zh")))
        if (s, ZW.placeType, None) not in g:
            g.add((s, ZW.placeType, Literal(_guess_place_type(str(g.value(s, SKOS.prefLabel))))))
        g.add((s, RDF.type, ZW.Place))

    # metrics
    metric_iris = []
    for i, m in enumerate(x.metrics):
        mi = URIRef(iris.mint("Metric", docid, str(i + 1)))
        metric_iris.append(mi)
        g.add((mi, RDF.type, ZW.Metric))
        g.add((mi, RDF.value, Literal(Decimal(str(m.value)), datatype=XSD.decimal)))
        g.add((mi, ZW.unit, Literal(m.unit)))
        g.add((mi, ZW.indicator, Literal(m.indicator)))
        g.add((mi, ZW.approximate, Literal(bool(m.approx))))
        g.add((mi, RDFS.label, Literal(f"{m.indicator} {m.text}")))
        g.add((mi, ZW.sentence, Literal(m.sentence)))
        g.add((mi, ZW.start, Literal(m.start)))
        g.add((mi, ZW.end, Literal(m.end)))
        g.add((mi, PROV.wasDerivedFrom, report))
        if meta.period:
            g.add((mi, ZW.period, Literal(meta.period)))
        if m.subject in by_id:
            g.add((mi, ZW.subject, by_id[m.subject]))

    # facts
    for i, f in enumerate(x.facts):
        fi = URIRef(iris.mint("Fact", docid, str(i + 1)))
        g.add((fi, RDF.type, ZW.Fact))
        g.add((fi, RDF.type, PROV.Activity))
        agent = by_id[f.agent]
        g.add((fi, PROV.wasAssociatedWith, agent))
        g.add((fi, ZW.agentImplicit, Literal(bool(f.agent_implicit))))
        g.add((fi, ZW.action, Literal(f.action)))
        if f.object:
            g.add((fi, ZW.object, Literal(f.object)))
        g.add((fi, RDFS.label, Literal(f.sentence[:60])))
        g.add((fi, ZW.sentence, Literal(f.sentence)))
        g.add((fi, ZW.start, Literal(f.start)))
        g.add((fi, ZW.end, Literal(f.end)))
        g.add((fi, PROV.wasDerivedFrom, report))
        sec = doc.clauses[f.clause].section
        if sec is not None:
            g.add((fi, ZW.section, section_iris[sec]))
        for r in f.regulations:
            g.add((fi, ZW.regulation, by_id[r]))
        for r in f.initiatives:
            g.add((fi, ZW.initiative, by_id[r]))
        for r in f.places:
            g.add((fi, PROV.atLocation, by_id[r]))
        for r in f.participants:
            g.add((fi, ZW.participant, by_id[r]))
        for mi in f.metrics:
            g.add((fi, ZW.metric, metric_iris[mi]))
    # the report's own region
    own = next((e for e in x.entities if e.type == "Place" and e.info.get("path")
                and "/".join(e.info["path"]) == (meta.region or "")), None)
    if own is not None:
        g.add((report, ZW.region, by_id[own.id]))
    return URIRef(iris.mint("Graph", docid)), g


def _guess_place_type(name: str) -> str:
    for suffix, typ in (("省", "province"), ("自治区", "province"), ("市", "city"), ("州", "city"),
                        ("区", "district"), ("县", "county"), ("镇", "town"), ("乡", "township"),
                        ("街道", "street"), ("社区", "community"), ("村", "village")):
        if name.endswith(suffix):
            return typ
    return "other"
