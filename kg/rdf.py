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

# rdflib's DefinedNamespace attribute look-ups are slow; resolve the terms we use once
DCTERMS_identifier = DCTERMS.identifier
DCTERMS_isPartOf = DCTERMS.isPartOf
DCTERMS_issued = DCTERMS.issued
DCTERMS_publisher = DCTERMS.publisher
DCTERMS_source = DCTERMS.source
DCTERMS_title = DCTERMS.title
ELI_LegalResource = ELI.LegalResource
ELI_passed_by = ELI.passed_by
ELI_title = ELI.title
FOAF_Document = FOAF.Document
ORG_Organization = ORG.Organization
ORG_subOrganizationOf = ORG.subOrganizationOf
PROV_Activity = PROV.Activity
PROV_atLocation = PROV.atLocation
PROV_wasAssociatedWith = PROV.wasAssociatedWith
PROV_wasDerivedFrom = PROV.wasDerivedFrom
RDF_type = RDF.type
RDF_value = RDF.value
RDFS_label = RDFS.label
SKOS_Concept = SKOS.Concept
SKOS_altLabel = SKOS.altLabel
SKOS_prefLabel = SKOS.prefLabel
XSD_date = XSD.date
XSD_decimal = XSD.decimal
ZW_Department = ZW.Department
ZW_Fact = ZW.Fact
ZW_Metric = ZW.Metric
ZW_Place = ZW.Place
ZW_Report = ZW.Report
ZW_Section = ZW.Section
ZW_action = ZW.action
ZW_agentImplicit = ZW.agentImplicit
ZW_approximate = ZW.approximate
ZW_divisionCode = ZW.divisionCode
ZW_documentNumber = ZW.documentNumber
ZW_end = ZW.end
ZW_headingLevel = ZW.headingLevel
ZW_indexNumber = ZW.indexNumber
ZW_indicator = ZW.indicator
ZW_initiative = ZW.initiative
ZW_kind = ZW.kind
ZW_level = ZW.level
ZW_member = ZW.member
ZW_mentionedIn = ZW.mentionedIn
ZW_metric = ZW.metric
ZW_object = ZW.object
ZW_participant = ZW.participant
ZW_period = ZW.period
ZW_pinyin = ZW.pinyin
ZW_placeType = ZW.placeType
ZW_region = ZW.region
ZW_regulation = ZW.regulation
ZW_regulationType = ZW.regulationType
ZW_section = ZW.section
ZW_sentence = ZW.sentence
ZW_start = ZW.start
ZW_subject = ZW.subject
ZW_unit = ZW.unit
ZW_within = ZW.within
ZW_year = ZW.year


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
    # one report's triples, without contexts: rdflib's SimpleMemory store adds them in half the
    # time of the default store (which keeps a context index this graph never uses)
    g = Graph(store="SimpleMemory")
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    report = URIRef(iris.mint("Report", docid))
    g.add((report, RDF_type, ZW_Report))
    g.add((report, RDF_type, FOAF_Document))
    g.add((report, DCTERMS_title, Literal(meta.title or docid)))
    g.add((report, DCTERMS_identifier, Literal(docid)))
    if meta.published:
        g.add((report, DCTERMS_issued, Literal(meta.published, datatype=XSD_date)))
    if meta.year:
        g.add((report, ZW_year, Literal(int(meta.year))))
    if meta.period:
        g.add((report, ZW_period, Literal(meta.period)))
    if meta.url:
        g.add((report, DCTERMS_source, URIRef(meta.url) if meta.url.startswith("http") else Literal(meta.url)))
    if meta.index_no:
        g.add((report, ZW_indexNumber, Literal(meta.index_no)))
    if meta.doc_no:
        g.add((report, ZW_documentNumber, Literal(meta.doc_no)))
    if meta.publisher:
        g.add((report, DCTERMS_publisher, Literal(meta.publisher)))

    # sections
    section_iris = []
    for i, s in enumerate(doc.sections):
        si = URIRef(iris.mint("Report", docid, "section", str(i + 1)))
        section_iris.append(si)
        g.add((si, RDF_type, ZW_Section))
        g.add((si, RDFS_label, Literal(s.heading)))
        g.add((si, ZW_headingLevel, Literal(s.level)))
        g.add((si, ZW_start, Literal(s.start)))
        g.add((si, ZW_end, Literal(s.end)))
        g.add((si, DCTERMS_isPartOf, section_iris[s.parent] if s.parent is not None else report))

    # entities
    by_id: dict[str, URIRef] = {}
    labels = {e.label for e in x.entities if e.type == "Department"}
    for e in x.entities:
        node = entity_iri(e, docid)
        by_id[e.id] = node
        g.add((node, RDF_type, CLASS_OF[e.type]))
        g.add((node, SKOS_prefLabel, Literal(e.label, lang="zh")))
        if e.mentions:
            g.add((node, ZW_mentionedIn, report))
        for alias in dict.fromkeys(([e.short] if e.short and e.short != e.label else []) + e.aliases):
            g.add((node, SKOS_altLabel, Literal(alias, lang="zh")))
        info = e.info
        if e.type == "Department":
            g.add((node, RDF_type, ORG_Organization))
            if info.get("level"):
                g.add((node, ZW_level, Literal(info["level"])))
            if info.get("kind"):
                g.add((node, ZW_kind, Literal(info["kind"])))
            parent = info.get("parent")
            if parent and parent != e.label and parent in labels:
                g.add((node, ORG_subOrganizationOf, department_iri(parent)))
        elif e.type == "Regulation":
            g.add((node, RDF_type, ELI_LegalResource))
            g.add((node, ELI_title, Literal(e.label, lang="zh")))
            if info.get("regulation_type"):
                g.add((node, ZW_regulationType, Literal(info["regulation_type"])))
            if info.get("level"):
                g.add((node, ZW_level, Literal(info["level"])))
            if info.get("issuer"):
                issuer = department_iri(info["issuer"])
                g.add((node, ELI_passed_by, issuer))
                g.add((issuer, RDF_type, ZW_Department))
                g.add((issuer, SKOS_prefLabel, Literal(info["issuer"], lang="zh")))
        elif e.type == "Initiative":
            g.add((node, RDF_type, SKOS_Concept))
        elif e.type == "Place":
            g.add((node, ZW_placeType, Literal(info.get("place_type") or "other")))
            if info.get("pinyin"):
                g.add((node, ZW_pinyin, Literal(info["pinyin"])))
            if info.get("code"):
                g.add((node, ZW_divisionCode, Literal(info["code"])))
            path = info.get("path")
            if path and len(path) > 1:
                # the whole chain up to the province, so the hierarchy is in the graph
                for depth in range(len(path) - 1, 0, -1):
                    child = URIRef(iris.mint("Place", *path[:depth + 1]))
                    parent = URIRef(iris.mint("Place", *path[:depth]))
                    g.add((child, ZW_within, parent))
                    if depth < len(path) - 1 or child != node:
                        g.add((child, RDF_type, ZW_Place))
                        g.add((child, SKOS_prefLabel, Literal(path[depth], lang="zh")))
                top = URIRef(iris.mint("Place", path[0]))
                g.add((top, RDF_type, ZW_Place))
                g.add((top, SKOS_prefLabel, Literal(path[0], lang="zh")))
            elif info.get("parent") and info.get("place_type") in ("zone", "community"):
                pass
        elif e.type == "Collective":
            for member in info.get("members", ()):
                g.add((node, ZW_member, department_iri(member)))
    # places named only as parents need a type and a label for the shapes
    for s in set(g.subjects(ZW_within, None)) | set(g.objects(None, ZW_within)):
        if (s, SKOS_prefLabel, None) not in g:
            parsed = iris.parse(str(s))
            g.add((s, SKOS_prefLabel, Literal(parsed[1][-1] if parsed else str(s), lang="zh")))
        if (s, ZW_placeType, None) not in g:
            g.add((s, ZW_placeType, Literal(_guess_place_type(str(g.value(s, SKOS_prefLabel))))))
        g.add((s, RDF_type, ZW_Place))

    # metrics
    metric_iris = []
    for i, m in enumerate(x.metrics):
        mi = URIRef(iris.mint("Metric", docid, str(i + 1)))
        metric_iris.append(mi)
        g.add((mi, RDF_type, ZW_Metric))
        g.add((mi, RDF_value, Literal(Decimal(str(m.value)), datatype=XSD_decimal)))
        g.add((mi, ZW_unit, Literal(m.unit)))
        g.add((mi, ZW_indicator, Literal(m.indicator)))
        g.add((mi, ZW_approximate, Literal(bool(m.approx))))
        g.add((mi, RDFS_label, Literal(f"{m.indicator} {m.text}")))
        g.add((mi, ZW_sentence, Literal(m.sentence)))
        g.add((mi, ZW_start, Literal(m.start)))
        g.add((mi, ZW_end, Literal(m.end)))
        g.add((mi, PROV_wasDerivedFrom, report))
        if meta.period:
            g.add((mi, ZW_period, Literal(meta.period)))
        if m.subject in by_id:
            g.add((mi, ZW_subject, by_id[m.subject]))

    # facts
    for i, f in enumerate(x.facts):
        fi = URIRef(iris.mint("Fact", docid, str(i + 1)))
        g.add((fi, RDF_type, ZW_Fact))
        g.add((fi, RDF_type, PROV_Activity))
        agent = by_id[f.agent]
        g.add((fi, PROV_wasAssociatedWith, agent))
        g.add((fi, ZW_agentImplicit, Literal(bool(f.agent_implicit))))
        g.add((fi, ZW_action, Literal(f.action)))
        if f.object:
            g.add((fi, ZW_object, Literal(f.object)))
        g.add((fi, RDFS_label, Literal(f.sentence[:60])))
        g.add((fi, ZW_sentence, Literal(f.sentence)))
        g.add((fi, ZW_start, Literal(f.start)))
        g.add((fi, ZW_end, Literal(f.end)))
        g.add((fi, PROV_wasDerivedFrom, report))
        sec = doc.clauses[f.clause].section
        if sec is not None:
            g.add((fi, ZW_section, section_iris[sec]))
        for r in f.regulations:
            g.add((fi, ZW_regulation, by_id[r]))
        for r in f.initiatives:
            g.add((fi, ZW_initiative, by_id[r]))
        for r in f.places:
            g.add((fi, PROV_atLocation, by_id[r]))
        for r in f.participants:
            g.add((fi, ZW_participant, by_id[r]))
        for mi in f.metrics:
            g.add((fi, ZW_metric, metric_iris[mi]))
    # the report's own region
    own = next((e for e in x.entities if e.type == "Place" and e.info.get("path")
                and "/".join(e.info["path"]) == (meta.region or "")), None)
    if own is not None:
        g.add((report, ZW_region, by_id[own.id]))
    return URIRef(iris.mint("Graph", docid)), g


def _guess_place_type(name: str) -> str:
    for suffix, typ in (("省", "province"), ("自治区", "province"), ("市", "city"), ("州", "city"),
                        ("区", "district"), ("县", "county"), ("镇", "town"), ("乡", "township"),
                        ("街道", "street"), ("社区", "community"), ("村", "village")):
        if name.endswith(suffix):
            return typ
    return "other"
