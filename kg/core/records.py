"""Records that flow through the pipeline: document -> mentions -> entities, metrics, facts.

Every span carries code-point offsets into the document body, so any record can be traced
back to the text it rests on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.core import iris


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Section:
    """A heading and the text it governs: 一、 (level 1), (一) (2), 1. (3), 一是 (4)."""
    start: int
    end: int
    heading: str
    heading_start: int
    heading_end: int
    level: int
    parent: int | None = None  # index into Document.sections
    kind: str | None = None  # a part that reports no work: "problems" or "plans" (set by extraction)


@dataclass
class Sentence:
    start: int
    end: int
    section: int | None  # index of the innermost section containing it


@dataclass
class Clause:
    start: int
    end: int
    sentence: int  # index into Document.sentences
    section: int | None


@dataclass
class Metadata:
    title: str | None = None
    region: str | None = None  # "四川省/德阳市/罗江区"
    year: int | None = None
    period: str | None = None  # "2022-H1", "2023"
    published: str | None = None  # YYYY-MM-DD
    url: str | None = None
    index_no: str | None = None  # 索引号
    doc_no: str | None = None  # 文号
    publisher: str | None = None  # 来源

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Document:
    """A report. While it is extracted, `body` is the normalised text the recognisers read
    (kg.text.normalize) and `original` the text as the file gave it, with `origin` mapping each
    normalised offset to an original one; extraction ends by putting every offset back into the
    original (`original` is then None)."""
    source: str
    body: str
    meta: Metadata
    paragraphs: list[Span] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    original: str | None = None
    origin: list[int] | None = None
    id: str | None = None  # the report's id, when the build chose one (else from the file name)
    notes: list[str] = field(default_factory=list)  # what reading it had to repair (said to the user)

    @property
    def docid(self) -> str:
        return self.id or iris.doc_id(self.source)

    def text(self, span: Span | Sentence | Clause | Section) -> str:
        return self.body[span.start:span.end]


@dataclass
class DepartmentAttrs:
    canonical: str  # the full name: 德阳市罗江区司法局
    level: str  # national | province | city | district | county | township | other
    kind: str  # the kind of body (ontology/lexicon/unit_kinds.tsv): government, bureau, party, unit…
    short: str | None = None  # as the report's own level names it: 区司法局
    parent: str | None = None  # the canonical name of the body it belongs to
    implicit_only: bool = False  # the report never names it, only implies it (its author, 我局)
    inferred: bool = False  # never named: inferred as the likely executor of a mandate


@dataclass
class RegulationAttrs:
    title: str  # without 《》
    regulation_type: str  # 法律, 条例, 规划, 方案, 通知… (the title's ending)
    quoted: bool  # named in 《》
    level: str = "unknown"
    issuer: str | None = None  # the canonical name of the body that issued it
    variants: tuple[str, ...] = ()  # other surface forms of the title


@dataclass
class PlaceAttrs:
    name: str
    place_type: str  # province | city | district | county | township | village | zone | community
    pinyin: str
    parent: str | None = None  # the division it lies in
    code: str | None = None  # the division code, for places of the division table
    path: tuple[str, ...] | None = None  # province, city, … down to the place


@dataclass
class InitiativeAttrs:
    name: str  # the initiative without quotes and trailing generic words
    variants: tuple[str, ...] = ()


@dataclass
class CollectiveAttrs:
    label: str  # 9个部门, 各镇(街道)
    sectors: bool = False  # a list of sector words (应急、气象、水利等部门)
    members: list[str] | None = None  # canonical names of the departments it stands for


Attrs = DepartmentAttrs | RegulationAttrs | PlaceAttrs | InitiativeAttrs | CollectiveAttrs


@dataclass(eq=False)
class Mention:
    """A recognised surface string. `key` groups mentions of one entity; `attrs` holds what the
    recogniser learned of it, typed by kind (None for a document title that is not a regulation)."""
    type: str  # Department | Regulation | Initiative | Place | Collective | Title
    start: int
    end: int
    text: str
    key: str
    attrs: Attrs | None = None


@dataclass(eq=False)
class Entity:
    id: str
    type: str
    label: str
    short: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attrs: Attrs | None = None


@dataclass
class Metric:
    indicator: str
    value: float | int
    unit: str
    approx: bool
    text: str
    start: int
    end: int
    sentence: str
    clause: int  # index into Document.clauses
    subject: str | None = None  # entity id


@dataclass
class Fact:
    agent: str  # entity id
    agent_implicit: bool
    action: str
    object: str
    sentence: str
    start: int
    end: int
    clause: int
    section: str | None
    regulations: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    metrics: list[int] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)  # bodies the clause names without making them act
    likely: list[tuple[str, str]] = field(default_factory=list)  # (entity id, basis): inferred by mandate


@dataclass
class Extraction:
    document: Document
    entities: list[Entity]
    metrics: list[Metric]
    facts: list[Fact]
