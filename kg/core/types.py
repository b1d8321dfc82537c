"""The kinds of things in the graph, listed once: each with its class in the ontology, the
path of its IRIs, its name in the search index and its labels in both languages. Everything
that lists types (IRIs, the index, pages, counts, output) reads this table."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str          # the class's local name in zw:, and the record type (Department)
    path: str          # the IRI path segment (department/…)
    index: str | None  # the search index's type (None: not indexed as an entity)
    zh: str
    en: str
    entity: bool       # a named entity of extraction (kg extract --json "entities")
    id_prefix: str = ""  # an entity's id within one extraction: D1, R2…
    browse: str | None = None  # the page listing them all (/departments)


KINDS: tuple[Kind, ...] = (
    Kind("Department", "department", "department", "部门", "Department", True, "D", "/departments"),
    Kind("Regulation", "regulation", "regulation", "法规文件", "Regulation", True, "R", "/regulations"),
    Kind("Initiative", "initiative", "initiative", "举措", "Initiative", True, "I", "/initiatives"),
    Kind("Place", "place", "place", "地点", "Place", True, "P", "/places"),
    Kind("Collective", "collective", "collective", "部门集合", "Collective", True, "C"),
    Kind("Report", "document", "report", "报告", "Report", False),
    Kind("Fact", "fact", None, "事实", "Fact", False, browse="/facts"),
    Kind("Metric", "metric", None, "指标", "Metric", False),
    Kind("Section", "section", None, "章节", "Section", False),
    Kind("Graph", "graph", None, "图", "Graph", False),
)

BY_NAME = {k.name: k for k in KINDS}
BY_PATH = {k.path: k for k in KINDS}
ENTITY_TYPES = tuple(k.name for k in KINDS if k.entity)
BROWSE_PAGES = {k.name: k.browse for k in KINDS if k.browse}  # kind -> the page listing them


def entity_id(kind: str, n: int) -> str:
    """The id of the n-th entity of a kind in one extraction (D3: the third department)."""
    return f"{BY_NAME[kind].id_prefix}{n}"

# what an entity page is served for: the entities, facts and metrics (reports have pages of their own)
PAGE_PATHS = tuple(k.path for k in KINDS if k.entity or k.name in ("Fact", "Metric"))
# the search index's types: entities, reports, and the passages of report text
INDEX_TYPES = {k.name: k.index for k in KINDS if k.index}
INDEX_TYPE_NAMES = frozenset(INDEX_TYPES.values()) | {"passage"}
