"""The extraction pipeline: document -> mentions -> entities, metrics, facts.

Each recogniser reads the document (and what earlier steps found) and returns new records;
none reaches back into another's output.
"""
from __future__ import annotations

from functools import lru_cache

from ..records import Document, Entity, Extraction, Mention
from . import collectives, facts, initiatives, metrics, places, regulations
from .departments import DepartmentRecognizer
from .lexicon import RegionContext, context_for
from .resolve import own_government, resolve


@lru_cache(maxsize=64)
def _departments_for(region: str | None) -> tuple[DepartmentRecognizer, RegionContext]:
    ctx = context_for(region)
    local = set()
    county = ctx.county()
    if county is not None:
        from ..regions import gazetteer
        for t in gazetteer().towns_of(county):
            local.add(t.name)
            if len(t.short) >= 2:
                local.add(t.short)
    for d in ctx.path:
        local.add(d.name)
        if len(d.short) >= 2:
            local.add(d.short)
    return DepartmentRecognizer(tuple(sorted(local))), ctx


def extract(doc: Document) -> Extraction:
    recognizer, ctx = _departments_for(doc.meta.region)
    depts = recognizer.find(doc, ctx)
    regs, other_titles = regulations.find(doc, ctx, depts)
    title_spans = [(m.start, m.end) for m in regs + other_titles]
    plcs = places.find(doc, ctx)
    cols = collectives.find(doc, [(m.start, m.end) for m in depts] + title_spans)
    inits = initiatives.find(doc, ctx, title_spans + [(m.start, m.end) for m in depts])
    mets = metrics.find(doc, title_spans)
    mentions: list[Mention] = depts + regs + plcs + cols + inits
    entities = resolve(mentions)
    gov_label, gov_short, gov_level = own_government(ctx)
    gov = next((e for e in entities if e.type == "Department" and e.label == gov_label), None)
    if gov is None:
        gov = Entity(f"D{sum(1 for e in entities if e.type == 'Department') + 1}", "Department",
                     gov_label, gov_short, [], [], {"canonical": gov_label, "level": gov_level,
                                                    "kind": "government", "implicit_only": True})
        entities.append(gov)
    _attach_metric_subjects(mets, entities, doc)
    headings = [(s.heading_start, s.heading_end) for s in doc.sections]
    fs = facts.assemble(doc, entities, mets, gov, headings)
    return Extraction(doc, entities, mets, fs)


def _attach_metric_subjects(mets, entities: list[Entity], doc: Document) -> None:
    """A metric is about the department, collective or place its clause opens with."""
    for mt in mets:
        clause = doc.clauses[mt.clause]
        best = None
        for e in entities:
            if e.type not in ("Department", "Collective", "Place"):
                continue
            for m in e.mentions:
                if clause.start <= m.start < mt.start and (best is None or m.start < best[0]):
                    best = (m.start, e.id)
        mt.subject = best[1] if best else None
