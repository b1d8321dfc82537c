"""The `kg extract --json` shape of ../shared/CONTRACT.md (plus type-specific extra keys)."""
from __future__ import annotations

from typing import Any

from kg.core.records import Extraction

EXTRA_KEYS = {
    "Department": ("level", "parent", "kind"),
    "Regulation": ("regulation_type", "issuer", "level", "quoted"),
    "Place": ("place_type", "parent", "pinyin", "code"),
    "Initiative": (),
    "Collective": (),
}


def extraction_json(x: Extraction) -> dict[str, Any]:
    doc = x.document
    meta = doc.meta
    entities, inferred = [], []
    for e in x.entities:
        item: dict[str, Any] = {"id": e.id, "type": e.type, "label": e.label, "short": e.short,
                                "aliases": e.aliases,
                                "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]}
        a = e.attrs
        for k in EXTRA_KEYS.get(e.type, ()):
            if getattr(a, k, None) is not None:
                item[k] = getattr(a, k)
        if getattr(a, "implicit_only", False):
            item["implicit"] = True
        if getattr(a, "members", None):
            item["members"] = a.members
        # bodies the report never names, only inferred as likely executors, are listed apart
        (inferred if getattr(a, "inferred", False) else entities).append(item)
    metrics = [{"indicator": m.indicator, "value": m.value, "unit": m.unit, "approx": m.approx,
                "subject": m.subject, "text": m.text, "start": m.start, "end": m.end,
                "sentence": m.sentence} for m in x.metrics]
    facts = [{"agent": f.agent, "agent_implicit": f.agent_implicit, "action": f.action, "object": f.object,
              "regulations": f.regulations, "initiatives": f.initiatives, "places": f.places,
              "metrics": f.metrics, "participants": f.participants,
              "likely": [{"department": d, "basis": basis} for d, basis in f.likely], "sentence": f.sentence,
              "start": f.start, "end": f.end, "section": f.section} for f in x.facts]
    return {"document": {"source": doc.source, "title": meta.title, "region": meta.region, "year": meta.year,
                         "period": meta.period, "published": meta.published, "url": meta.url,
                         "index_no": meta.index_no, "doc_no": meta.doc_no, "publisher": meta.publisher,
                         "sections": [{"heading": s.heading, "level": s.level, "start": s.start, "end": s.end,
                                       **({"kind": s.kind} if s.kind else {})} for s in doc.sections]},
            "entities": entities, "inferred_entities": inferred, "metrics": metrics, "facts": facts}
