"""The extraction pipeline: components as peers over one document.

Each component reads the document and what earlier components put in the shared
`Annotations`, and adds its own findings there; it declares what it `requires` and what it
`assigns`, and `PIPELINE` lists them in order (checked when this module loads, as spaCy checks
its pipes). No component reaches into another's module: shared knowledge lives in the lexicon
(`kg.extract.lexicon`, `ontology/lexicon/`), name boundaries in `kg.extract.names`, and the lore
of how reports name bodies in `kg.extract.bodies`.

    collectives -> departments -> regulations -> places -> initiatives -> metrics
      -> entities (resolve) -> back-references -> author -> members and metric subjects
      -> the report's parts (problems, plans) -> facts
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from kg.core.records import Document, Entity, Extraction, Fact, Mention, Metric
from kg.extract import bodies, collectives, facts, initiatives, mandates, metrics, places, regulations
from kg.extract.departments import DepartmentRecognizer, recognizer_for
from kg.extract.lexicon import RegionContext
from kg.extract.resolve import resolve
from kg.extract.spans import Covering
from kg.text.normalize import clean_slice, in_original, original_span


@dataclass
class Annotations:
    """What the components have found in one document so far."""
    recognizer: DepartmentRecognizer
    collectives: list[Mention] = field(default_factory=list)
    departments: list[Mention] = field(default_factory=list)
    regulations: list[Mention] = field(default_factory=list)
    titles: list[Mention] = field(default_factory=list)  # titled documents that are not regulations
    places: list[Mention] = field(default_factory=list)
    initiatives: list[Mention] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    author: Entity | None = None
    plan_from: int | None = None  # where the plan a notice issues begins
    facts: list[Fact] = field(default_factory=list)

    @property
    def ctx(self) -> RegionContext:
        return self.recognizer.ctx

    def title_spans(self) -> list[tuple[int, int]]:
        """Spans taken by documents' titles: no other name may overlap them."""
        return [(m.start, m.end) for m in self.regulations + self.titles]


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[Document, Annotations], None]

    def __call__(self, doc: Document, ann: Annotations) -> None:
        self.run(doc, ann)


def component(requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    def wrap(fn: Callable[[Document, Annotations], None]) -> Component:
        return Component(fn.__name__, requires, assigns, fn)
    return wrap


@component(assigns=("collectives",))
def find_collectives(doc: Document, ann: Annotations) -> None:
    ann.collectives = collectives.find(doc, [])


@component(requires=("collectives",), assigns=("departments",))
def find_departments(doc: Document, ann: Annotations) -> None:
    rec = ann.recognizer
    depts = [m for m in rec.find(doc, [(m.start, m.end) for m in ann.collectives])
             if not bodies.HONOUR_BEFORE.search(doc.body, max(0, m.start - 2), m.start)]
    depts += bodies.sector_bureaus(doc, ann.collectives, rec)
    depts += bodies.standing_committees(doc, depts, rec)
    depts += bodies.own_groups(doc, depts, rec)
    depts += bodies.sub_units(doc, depts)
    ann.departments = depts


@component(requires=("departments", "collectives"), assigns=("regulations", "titles"))
def find_regulations(doc: Document, ann: Annotations) -> None:
    ann.regulations, ann.titles = regulations.find(doc, ann.ctx, ann.departments)
    titles = Covering(ann.title_spans())
    ann.collectives = [c for c in ann.collectives if not titles.covers(c.start, c.end)]


@component(requires=("regulations", "titles"), assigns=("places",))
def find_places(doc: Document, ann: Annotations) -> None:
    ann.places = bodies.without_title_provinces(places.find(doc, ann.ctx), ann.title_spans(), doc.meta.region)


@component(requires=("regulations", "titles", "departments"), assigns=("initiatives",))
def find_initiatives(doc: Document, ann: Annotations) -> None:
    ann.initiatives = initiatives.find(doc, ann.ctx, ann.title_spans(), [(m.start, m.end) for m in ann.departments])


@component(requires=("regulations", "titles"), assigns=("metrics",))
def find_metrics(doc: Document, ann: Annotations) -> None:
    ann.metrics = metrics.find(doc, ann.title_spans())


@component(requires=("departments", "regulations", "places", "collectives", "initiatives"), assigns=("entities",))
def resolve_entities(doc: Document, ann: Annotations) -> None:
    ann.entities = resolve(ann.departments + ann.regulations + ann.places + ann.collectives + ann.initiatives)


@component(requires=("entities",), assigns=())
def resolve_back_references(doc: Document, ann: Annotations) -> None:
    bodies.back_references(doc, ann.entities)


@component(requires=("entities",), assigns=("author",))
def find_author(doc: Document, ann: Annotations) -> None:
    ann.author = (bodies.author(doc, ann.entities, ann.recognizer)
                  or bodies.own_government_entity(ann.ctx, ann.entities))


@component(requires=("entities", "metrics"), assigns=())
def link_members_and_subjects(doc: Document, ann: Annotations) -> None:
    bodies.collective_members(ann.entities, doc)
    bodies.attach_metric_subjects(ann.metrics, ann.entities, doc)


@component(assigns=("report_parts",))
def find_report_parts(doc: Document, ann: Annotations) -> None:
    ann.plan_from = facts.mark_report_parts(doc)


@component(requires=("entities", "metrics", "author", "report_parts"), assigns=("facts",))
def assemble_facts(doc: Document, ann: Annotations) -> None:
    headings = [(s.heading_start, s.heading_end) for s in doc.sections]
    ann.facts = facts.assemble(doc, ann.entities, ann.metrics, ann.author, headings,
                               bodies.body_finder(doc, ann.entities, ann.recognizer), ann.plan_from)


@component(requires=("facts", "entities"), assigns=())
def infer_likely_executors(doc: Document, ann: Annotations) -> None:
    mandates.likely_executors(doc, ann.entities, ann.facts, ann.recognizer)


PIPELINE: tuple[Component, ...] = (find_collectives, find_departments, find_regulations, find_places,
                                   find_initiatives, find_metrics, resolve_entities, resolve_back_references,
                                   find_author, link_members_and_subjects, find_report_parts, assemble_facts,
                                   infer_likely_executors)


def check_pipeline(pipeline: tuple[Component, ...]) -> None:
    """Every component's requirements are assigned by a component before it."""
    assigned: set[str] = set()
    for c in pipeline:
        missing = [r for r in c.requires if r not in assigned]
        if missing:
            raise ValueError(f"component {c.name} requires {', '.join(missing)}, which no earlier component assigns")
        assigned.update(c.assigns)


check_pipeline(PIPELINE)


def extract(doc: Document) -> Extraction:
    ann = Annotations(recognizer_for(doc.meta.region))
    for c in PIPELINE:
        c(doc, ann)
    return in_original_offsets(Extraction(doc, ann.entities, ann.metrics, ann.facts))


def in_original_offsets(x: Extraction) -> Extraction:
    """Every offset and every text shown, put back into the report as the file gave it."""
    doc = x.document
    if doc.original is None:
        return x
    original, origin = doc.original, doc.origin

    def sp(s: int, e: int) -> tuple[int, int]:
        return original_span(origin, s, e)
    done: set[int] = set()
    for e in x.entities:
        for m in e.mentions:
            if id(m) in done:
                continue
            done.add(id(m))
            if doc.body[m.start:m.end] == m.text:
                m.start, m.end = sp(m.start, m.end)
                m.text = clean_slice(original, m.start, m.end)
            else:  # a mention that stands for text elsewhere: only its place moves
                m.start, m.end = sp(m.start, m.end)
    for mt in x.metrics:
        mt.start, mt.end = sp(mt.start, mt.end)
        mt.text = clean_slice(original, mt.start, mt.end)
        c = doc.clauses[mt.clause]
        mt.sentence = clean_slice(original, *sp(c.start, c.end))
    for f in x.facts:
        f.start, f.end = sp(f.start, f.end)
        f.sentence = clean_slice(original, f.start, f.end)
    return Extraction(in_original(doc, original, origin), x.entities, x.metrics, x.facts)
