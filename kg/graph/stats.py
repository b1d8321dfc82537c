"""What the built data holds: counts per class, reports, build time, most active departments."""
from __future__ import annotations

from kg.graph.store import query
from kg.core.vocab import ACTED_BY
from kg.core.types import ENTITY_TYPES

CLASSES = ("Report", *ENTITY_TYPES, "Fact", "Metric")


def stats(store, manifest: dict, top: int = 10) -> dict:
    counts = {}
    for cls in CLASSES:
        r = list(query(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a zw:{cls} }}"))
        counts[cls] = int(r[0]["n"].value)
    active = [{"iri": s["d"].value, "label": s["label"].value, "facts": int(s["n"].value)}
              for s in query(store, f"""
        SELECT ?d (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          ?f zw:agentImplicit false ; {ACTED_BY} ?d . ?d a zw:Department ; skos:prefLabel ?l .
        }} GROUP BY ?d ORDER BY DESC(?n) LIMIT {int(top)}""")]
    return {"built": manifest.get("built"), "build_seconds": manifest.get("seconds"),
            "documents": len(manifest.get("documents", {})), "triples": manifest.get("triples"),
            "classes": counts, "most_active_departments": active}
