"""Regulations: titles in 《》 (nested 《〈〉》 kept whole), a few laws named bare, and
“十四五”规划-style plans; with type, issuer and level where title or context gives them."""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache

from kg.core.data import read_table, read_words
from kg.core.records import Document, Mention, RegulationAttrs
from kg.extract.lexicon import RegionContext
from kg.text.words import alternation, trie_regex
from kg.text.regions import gazetteer
from kg.extract.names import name_start
from kg.extract.spans import Covering

TRAILING_PAREN = re.compile(r"[((][^()()]*[))]$")
UNCLOSED_YEARS = re.compile(r"[((][\d\s—–\-~至年]{4,}$")  # 规划(2021-2025年 with its bracket left open
QUOTED_PLAN = re.compile(r"“[^“”]{1,12}”[\u4e00-\u9fff]{0,4}?(?:规划|纲要)|“一规划[^“”]{1,8}”")
GENERIC_DOC_CORE = re.compile(r"^(?:本|全|今|明)?(?:年度|全年|年)?(?:重点|主要|相关|有关|各项)?(?:工作)?$")
ISSUER_HINTS = [
    (re.compile(r"^(?:中华人民共和国|国务院|全国|中共中央|中央)"), "national"),
    # the report's own body of a level, named by the level alone (省委…, 省政府2023年工作报告, 区…办法)
    (re.compile(r"^省(?:委|政府|人大|政协|级)"), "provincial"),
    (re.compile(r"^市(?:委|政府|人大|政协|级)"), "municipal"),
    (re.compile(r"^区(?:委|政府|人大|政协|级)?(?![域块划间])"), "district"),
    (re.compile(r"^县(?:委|政府|人大|政协|级)?(?![域城])"), "county"),
    (re.compile(r"^[\u4e00-\u9fff]{1,6}(?:省|自治区)"), "provincial"),
    (re.compile(r"^[\u4e00-\u9fff]{1,6}(?:市|州|盟)(?![场民])"), "municipal"),
    (re.compile(r"^[\u4e00-\u9fff]{1,6}区"), "district"),
    (re.compile(r"^[\u4e00-\u9fff]{1,6}县"), "county"),
]


@lru_cache(maxsize=1)
def publication_regex() -> re.Pattern:
    """A title ending as a publication's name (…日报, …公报): ontology/lexicon/publication_endings.txt."""
    return re.compile(f"(?:{alternation(read_words('lexicon', 'publication_endings.txt'))})$")


@lru_cache(maxsize=1)
def unquoted_end_regex() -> re.Pattern:
    """The end of a document named without book marks, with a plan's year range:
    ontology/lexicon/document_endings.txt."""
    return re.compile(f"(?:{alternation(read_words('lexicon', 'document_endings.txt'))})"
                      r"(?:[((]\d{4}[—\-–]\d{4}年?[))]?)?")


@lru_cache(maxsize=1)
def document_verb_regex() -> re.Pattern:
    """A verb taking a document, right before it: ontology/lexicon/document_verbs.txt."""
    return re.compile(f"(?:{alternation(read_words('lexicon', 'document_verbs.txt'))})了?$")


@lru_cache(maxsize=1)
def type_endings() -> list[tuple[str, str]]:
    rows = [(r[0], r[1]) for r in read_table("lexicon", "regulation_types.tsv")]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def bare_law_regex() -> re.Pattern:
    return re.compile(rf"(?:中华人民共和国)?(?:{trie_regex(read_words('lexicon', 'laws.txt'))})"
                      r"(?=[、,,。;;和及与等的》)]|法律|法规|$)")


def classify(title: str) -> str | None:
    """The regulation type of a title, or None when it does not name a legal/policy document."""
    t = _without_years(title)
    if publication_regex().search(t):
        return None
    for ending, typ in type_endings():
        if t.endswith(ending):
            if typ == "条例":
                return "地方性法规" if re.match(r"^[\u4e00-\u9fff]{2,8}(?:省|市|自治区)", t) else "行政法规"
            if typ == "规章" and re.match(r"^(?:中共|中国共产党|党)", t):
                return "党内法规"
            if typ == "法律" and t.endswith("办法"):
                return "办法"
            return typ
    return None


def level_of(title: str, issuer_level: str | None, typ: str) -> str:
    """The level of the body a title is named after: the deepest division its name opens with
    (德阳市罗江区… -> district), else what the issuer or the type says."""
    gaz = gazetteer()
    # the issuer's name after a year or the Party's prefix (2022年岳阳县…计划, 中共济宁市兖州区委…要点)
    opening = TITLE_OPENING.match(title)
    pos, deepest = (opening.end() if opening else 0), None
    while pos < len(title):
        for n in range(min(12, len(title) - pos), 1, -1):
            cands = gaz.by_name.get(title[pos:pos + n])
            if cands:
                deepest = cands[0]
                pos += n
                break
        else:
            break
    if deepest is not None:
        if deepest.level == "county":
            return "district" if deepest.kind == "district" else "county"
        if deepest.level == "city":
            return "provincial" if deepest.parent is None or deepest.name == deepest.parent.name else "municipal"
        return "provincial"
    for pat, lvl in ISSUER_HINTS:
        if pat.search(title):
            return lvl
    if issuer_level:
        return issuer_level
    if typ in ("法律", "行政法规", "党内法规"):
        return "national"
    return "unknown"


YEAR_RANGE = re.compile(r"(\d{4}年?)\s*[-\u2010-\u2015\u2212\uFF0D~～至]\s*(\d{4})")
TITLE_OPENING = re.compile(r"(?:\d{4}年度?|中共|中国共产党)+")
BOOK_MARKS = re.compile(r"[《》\n]")
# a title inside a title: 《关于印发〈…〉的通知》, and the same written with ‹›, <> or ＜＞ (folded to <>)
NESTED_TITLE = re.compile(r"[〈‹<]([^〈〉‹›<>《》]{2,80})[〉›>]")


def find_titles(body: str) -> list[tuple[int, int]]:
    """Outermost 《…》 spans, allowing nesting and 〈〉 inside."""
    out: list[tuple[int, int]] = []
    depth, start = 0, -1
    for mm in BOOK_MARKS.finditer(body):
        i, ch = mm.start(), mm.group(0)
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and i - start > 1:
                out.append((start, i + 1))
        elif ch == "\n":
            depth = 0
    if depth and len(body.rstrip()) - start > 5 and "\n" not in body[start:].rstrip():
        out.append((start, len(body.rstrip())))  # a title cut off by the end of the text
    return out


def find(doc: Document, ctx: RegionContext, departments: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Return (regulation mentions, other titles such as newspapers)."""
    body = doc.body
    regs: list[Mention] = []
    others: list[Mention] = []
    dept_end = {m.end: m for m in departments}
    dept_start: dict[int, Mention] = {}
    for m in departments:
        dept_start.setdefault(m.start, m)
    for s, e in find_titles(body):
        title = body[s + 1:e - 1 if body[e - 1] == "》" else e].strip()
        typ = classify(title)
        if typ is None or is_self_reference(title):
            # not a regulation: another kind of title, or the document naming itself (《本方案》)
            others.append(Mention("Title", s, e, body[s:e], title))
            continue
        issuer = dept_end.get(s)
        if issuer is None:
            opening = dept_start.get(s + 1)  # 《德阳市人民政府关于…》: the issuer opens the title
            issuer = opening if opening is not None and opening.end <= e else None
        opened = UNCLOSED_YEARS.search(title)
        if opened:  # 《法治清河建设规划(2021-2025年》: the years' bracket closed in the name
            title += "）" if opened.group(0)[0] == "（" else ")"
        attrs = RegulationAttrs(title, typ, True, level_of(title, issuer.attrs.level if issuer else None, typ),
                                issuer.attrs.canonical if issuer else None)
        regs.append(Mention("Regulation", s, e, body[s:e], _key(title), attrs))
        for inner in NESTED_TITLE.finditer(body[s:e]):
            ititle = inner.group(1)
            ityp = classify(ititle)
            if ityp:
                a, b = s + inner.start(), s + inner.end()
                regs.append(Mention("Regulation", a, b, body[a:b], _key(ititle),
                                    RegulationAttrs(ititle, ityp, True, level_of(ititle, None, ityp))))
    # 《实施方案》 after 《泸县法治政府建设实施方案(2022—2025年)》 is the same document
    for i, r in enumerate(regs):
        short = re.sub(TRAILING_PAREN, "", r.attrs.title)
        if len(short) > 8:
            continue
        for earlier in regs[:i]:
            full = re.sub(TRAILING_PAREN, "", earlier.attrs.title)
            if full != short and full.endswith(short):
                r.key = earlier.key
                r.attrs = replace(earlier.attrs)
                break
    titled = Covering((m.start, m.end) for m in regs + others)

    def inside(a: int, b: int) -> bool:
        return titled.covers(a, b)

    for m in bare_law_regex().finditer(body):
        if not inside(m.start(), m.end()):
            title = m.group(0)
            regs.append(Mention("Regulation", m.start(), m.end(), title, _key(title),
                                RegulationAttrs(title, "法律", False, "national")))
    for m in QUOTED_PLAN.finditer(body):
        s = m.start()
        ps = name_start(body, s, 10)
        if ps < s and not any(c in "《》“”,,。;;、" for c in body[ps:s]):
            s = ps  # 法治遂宁建设“一规划两方案”, 达州市“八五”普法规划
        if not inside(s, m.end()):
            text = body[s:m.end()]
            title = text.replace("“", "").replace("”", "")
            variants = (m.group(0),) if s < m.start() else ()
            regs.append(Mention("Regulation", s, m.end(), text, _key(title),
                                RegulationAttrs(title, "规划", False, level_of(title, None, "规划"), variants=variants)))
    # documents named without book marks after a verb: 印发依法治镇实施方案, 审定年度…工作要点
    dept_spans = sorted((d.start, d.end) for d in departments)
    dept_starts = [a for a, _ in dept_spans]
    for m in unquoted_end_regex().finditer(body):
        s = name_start(body, m.start(), 24, years=True)
        # a name that starts inside a body's name starts with that body: 省委全面依法治省委员会2022年工作要点
        i = bisect.bisect_right(dept_starts, s) - 1
        if i >= 0 and dept_spans[i][0] < s < dept_spans[i][1] <= m.start():
            s = dept_spans[i][0]
        text = body[s:m.end()]
        core = body[s:m.start()]
        if len(text) < 6 or len(core) < 3 or GENERIC_DOC_CORE.match(re.sub(r"\d{4}年度?", "", core)) or inside(s, m.end()) or any(c in "《》“”〈〉" for c in text):
            continue
        if not _after_verb(body, s):
            continue
        if not SPECIFIC_DOC.search(text):
            continue  # 纳入经济社会发展总体规划: a kind of document, not one with a year or an issuer
        typ = classify(text) or "其他"
        regs.append(Mention("Regulation", s, m.end(), text, _key(text),
                            RegulationAttrs(text, typ, False, level_of(text, None, typ))))
    for m in regs:
        # one name whatever dash the page used between the years (2021—2025年 is named 2021-2025年): the
        # same document cited by two reports is one node
        m.attrs.title = _same_years(m.attrs.title)
        # the central documents cited by title alone: their issuer, level and kind
        central = central_documents().get(_without_years(m.attrs.title))
        if central is not None:
            m.attrs.issuer, m.attrs.regulation_type = central
            m.attrs.level = "national"
    regs.sort(key=lambda x: x.start)
    return regs, others


@lru_cache(maxsize=1)
def central_documents() -> dict[str, tuple[str, str]]:
    """title -> (issuer, type) of ontology/lexicon/central_documents.tsv."""
    return {r[0]: (r[1], r[2]) for r in read_table("lexicon", "central_documents.tsv") if len(r) >= 3}


def _without_years(title: str) -> str:
    t = title.strip()
    while TRAILING_PAREN.search(t) and len(t) > 4:
        t = TRAILING_PAREN.sub("", t).strip()
    return UNCLOSED_YEARS.sub("", t).strip()


# a document named without book marks is one document when it has a year, a number or an issuer
SPECIFIC_DOC = re.compile(r"\d{4}|第[一二三四五六七八九十\d]+|^(?![各全本该])[\u4e00-\u9fff]{0,8}?(?:省|自治区|市|州|区|县|镇|乡|街道|委|政府|中央|国务院|部|厅|局)")


def is_self_reference(title: str) -> bool:
    """A document naming itself or the one just named (本方案, 该办法, 此通知, 上述规定): a
    determiner and nothing but a title ending (本溪市条例 names a city's regulation)."""
    m = re.match(r"(?:本|该|此|上述)", title)
    return bool(m) and any(title[m.end():] == ending for ending, _ in type_endings())


def _after_verb(body: str, s: int) -> bool:
    return bool(document_verb_regex().search(body, max(0, s - 6), s))


def _key(title: str) -> str:
    """What identifies a document in one report: its title without marks, quotes or spaces, with
    one dash (whatever joins its years, 至 too, as in its name)."""
    t = re.sub(r"[\s《》〈〉‹›<>“”\"']", "", title)
    return re.sub(r"[\u2010-\u2015\u2212\uFF0D\-]+", "-", _same_years(t))


def _same_years(title: str) -> str:
    """2021—2025年, 2021至2025年 -> 2021-2025年."""
    return YEAR_RANGE.sub(r"\1-\2", title)
