"""Department lore: how reports name their bodies beyond a plain name, as functions the
pipeline's components call. The report's author (a bureau at the head of its title, 我局 in its
text), the own government as the implicit agent, 县人大及其常委会, a leading group named without its
place, sector words standing for bureaus (应急、气象等部门), the members listed before a collective,
the subject of a metric, and the body a leader's post heads."""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache

from kg.core.data import read_table
from kg.core.records import DepartmentAttrs, Document, Entity, Mention
from kg.core.types import entity_id
from kg.extract.lexicon import RegionContext
from kg.extract.names import name_start
from kg.extract.resolve import own_government
from kg.extract.spans import Covering
from kg.text.structure import is_page_chrome
from kg.text.words import alternation


SELF_NAMES = {"局": ("我局", "本局"), "委": ("我委", "本委"), "会": ("我委", "本委"), "办": ("我办", "本办"),
              "室": ("我办", "本办"), "厅": ("我厅", "本厅"), "院": ("我院", "本院"), "心": ("我中心", "本中心")}


AUTHOR_KINDS = ("bureau", "office", "center")
# an honour's name is no body: “全省公安机关执法质量先进公安局”, 全国优秀司法所
HONOUR_BEFORE = re.compile(r"(?:先进|优秀|模范|标兵|示范)$")
GOVERNMENT_OFFICE = re.compile(r"(?:人民政府|政府)办公[室厅]$")


def _namesauthor(title: str, at: int, length: int) -> bool:
    """A body named at the head of the title (莆田市司法局2022年…报告) or in closing brackets
    at its end (…工作情况(市司法局)) is the report's author."""
    if 0 <= at <= 6 and at + length < len(title):
        return True
    return at > 0 and title[at - 1] in "(（" and title[at + length:].strip() in (")", "）")


# the date under a sign-off (GB/T 9704-2012, 7.3.5: 成文日期 in Arabic figures; older papers in
# Chinese ones): 2023年3月1日, 二〇二三年三月一日
DATE_LINE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月"
                       r"[\d一二三四五六七八九十]{1,3}日$")
SIGN_OFF_LINES = 6  # lines from the end (after page chrome) a sign-off may take
HEAD_LINES = 6  # lines from the start (after page chrome and the title) the author's line may take


def _department_spans(doc: Document, entities: list[Entity]) -> tuple[list[tuple[int, int, Entity]], list[int]]:
    """(start, end, entity) of the departments named in the text, in order, and their starts."""
    spans = sorted(((m.start, m.end, e) for e in entities if e.type == "Department" for m in e.mentions
                    if doc.body[m.start:m.end] == m.text), key=lambda x: (x[0], x[1]))
    return spans, [s for s, _, _ in spans]


def _names_only(spans, starts, body: str, start: int, end: int) -> list[Entity]:
    """The bodies named on body[start:end] when the line holds nothing else (blanks aside)."""
    names, covered = [], 0
    for s, e, ent in spans[bisect.bisect_left(starts, start):]:
        if s >= end:
            break
        names.append(ent)
        covered += e - s
    return names if names and covered == len(re.sub(r"\s", "", body[start:end])) else []


def _is_date(line: str) -> bool:
    return bool(DATE_LINE.match(re.sub(r"[\s()（）]", "", line)))


def signers(doc: Document, entities: list[Entity]) -> list[Entity]:
    """The bodies that sign the report at its end (发文机关署名, GB/T 9704-2012, 7.3.5): the last
    lines, above a date or not, that hold nothing but names of bodies (one line each, or several
    on one line: 中共禹王台区委 禹王台区人民政府). Page chrome after them (责任编辑:区司法局, 相关附件)
    is passed over; it names who posted the page, not who wrote the report."""
    spans, starts = _department_spans(doc, entities)
    body, pos, seen, found = doc.body, len(doc.body), 0, []
    while pos > 0 and seen < SIGN_OFF_LINES:
        start = body.rfind("\n", 0, pos) + 1
        line = body[start:pos].strip()
        end, pos = pos, start - 1
        if not line:
            continue
        seen += 1
        if is_page_chrome(line) or (not found and _is_date(line)):
            continue
        names = _names_only(spans, starts, body, start, end)
        if not names:
            break
        found = names + found
    return found


def heading_signers(doc: Document, entities: list[Entity]) -> list[Entity]:
    """The bodies named under the title, before the text begins: a line that holds nothing but
    names of bodies, with or without the date under it (…情况的报告 / 岳阳县司法局 / (2023年1月10日)),
    as reports printed from a speech or a submission put their author. The title repeated at the
    top and page chrome are passed over; an addressee line (各乡镇人民政府,县直各单位:) is not an
    author's."""
    spans, starts = _department_spans(doc, entities)
    title = re.sub(r"\s", "", doc.meta.title or "")
    body, pos, seen, found = doc.body, 0, 0, []
    while pos < len(body) and seen < HEAD_LINES:
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        start, pos = pos, end + 1
        line = re.sub(r"\s", "", body[start:end])
        if not line:
            continue
        seen += 1
        if is_page_chrome(line) or _is_date(line) or (title and not found and (line in title or title in line)):
            continue
        names = _names_only(spans, starts, body, start, end)
        if not names:
            break
        found += names
    return found


def author(doc: Document, entities: list[Entity], recognizer) -> Entity | None:
    """The body that wrote the report is the implicit agent when it is not the government (a
    bureau, an office): named at the head of the title, or else on its own line under the title,
    or else signing the report at its end (where the government signs too, as in a joint report
    of Party committee and government, the government is the author). 我局 in the text is that body."""
    title = doc.meta.title or ""
    author = None
    for e in entities:
        if e.type != "Department" or e.attrs.kind not in AUTHOR_KINDS:
            continue
        for m in e.mentions:
            at = title.find(m.text)
            if at >= 0 and _namesauthor(title, at, len(m.text)):
                author = e
                break
        if author is not None:
            break
    named_in_title = False
    if author is None and title:
        for m in recognizer.find(Document(source=doc.source, body=title, meta=doc.meta)):
            if _namesauthor(title, m.start, m.end - m.start):
                named_in_title = True  # the title says who wrote it (a government: the default)
                if m.attrs.kind in AUTHOR_KINDS:
                    author = department_entity(entities, m)  # perhaps named only in the title
                    break
    if author is None and not named_in_title:
        # under the title, else at the end: where the government signs too (a joint report of
        # Party committee and government), the government is the author
        signed = heading_signers(doc, entities) or signers(doc, entities)
        if signed and not any(e.attrs.kind == "government" for e in signed):
            author = signed[0]
    if author is not None and "印发" in title and GOVERNMENT_OFFICE.search(author.label):
        # the government's office only issues the government's plan (…办公室关于印发…的通知):
        # what the plan says is the government's to do
        author = None
    if author is not None:
        for word in SELF_NAMES.get(author.label[-1], ()):
            for mm in re.finditer(word, doc.body):
                author.mentions.append(Mention("Department", mm.start(), mm.end(), word, author.label,
                                               _attrs_of(author)))
                if word not in author.aliases:
                    author.aliases.append(word)
    return author


def _attrs_of(e: Entity) -> DepartmentAttrs:
    """A copy of what is known of a department, for a new mention of it."""
    return replace(e.mentions[0].attrs if e.mentions else e.attrs)


def department_entity(entities: list[Entity], m: Mention) -> Entity:
    """The report's entity for the department `m` names; a department the text names only
    indirectly (in the title, by a leader's post) becomes an entity without mentions."""
    label = m.attrs.canonical
    e = next((e for e in entities if e.type == "Department" and e.label == label), None)
    if e is None:
        e = Entity(entity_id("Department", sum(1 for e in entities if e.type == "Department") + 1), "Department",
                   label, m.text, [m.text] if m.text != label else [], [], replace(m.attrs, implicit_only=True))
        entities.append(e)
    return e


def whole_name(recognizer, doc: Document, text: str) -> Mention | None:
    """The department `text` names as a whole, read in this report's region (县政府, 区应急局)."""
    found = recognizer.find(Document(source=doc.source, body=text, meta=doc.meta))
    return found[0] if found and found[0].start == 0 and found[0].end == len(text) else None


def body_finder(doc: Document, entities: list[Entity], recognizer):
    """For a leader's post (县长, 市委书记): the body it heads, as an entity of this report."""
    cache: dict[str, Entity | None] = {}

    def find(short: str) -> Entity | None:
        if short not in cache:
            m = whole_name(recognizer, doc, short)
            cache[short] = department_entity(entities, m) if m is not None else None
        return cache[short]
    return find


def own_government_entity(ctx: RegionContext, entities: list[Entity]) -> Entity:
    label, short, level = own_government(ctx)
    gov = next((e for e in entities if e.type == "Department" and e.label == label), None)
    if gov is not None:
        return gov
    own = ctx.own
    aliases = [short]
    if own is not None and (own.level != "town" or own.kind != "street"):
        aliases.append(own.name + "人民政府")
    gov = Entity(entity_id("Department", sum(1 for e in entities if e.type == "Department") + 1), "Department",
                 label, short, [a for a in aliases if a and a != label], [],
                 DepartmentAttrs(label, level, "government", implicit_only=True))
    entities.append(gov)
    return gov


def without_title_provinces(plcs: list[Mention], title_spans: list[tuple[int, int]],
                             own_region: str | None) -> list[Mention]:
    """A province named only inside a document's title (《湖南省法治政府建设实施纲要》) is the
    title's, not a place the report is about (unless it is the report's own region)."""
    titles = Covering(title_spans)

    def in_title(m: Mention) -> bool:
        return titles.covers(m.start, m.end, strict=True)
    named_outside = {m.key for m in plcs if not in_title(m)}
    return [m for m in plcs if m.attrs.place_type != "province" or m.key in named_outside
            or "/".join(m.attrs.path or ()) == (own_region or "")]


def standing_committees(doc: Document, depts: list[Mention], recognizer) -> list[Mention]:
    """县人大及其常委会 names two bodies: the congress and its standing committee (常委会)."""
    out = []
    for m in depts:
        if m.text.endswith("人大") and doc.body.startswith("及其常委会", m.end):
            sc = whole_name(recognizer, doc, m.text + "常委会")
            if sc is not None:
                at = m.end + len("及其")
                out.append(Mention("Department", at, at + len("常委会"), "常委会", sc.key, replace(sc.attrs)))
    return out


GROUP = re.compile(r"领导小组(?!办)")


def own_groups(doc: Document, depts: list[Mention], recognizer) -> list[Mention]:
    """A leading group named without its place (成立了以区长为组长的法治政府建设工作领导小组) is
    the report's own: read with the own level's prefix (区法治政府建设工作领导小组)."""
    taken = [(m.start, m.end) for m in depts]
    short = own_government(recognizer.ctx)[1]
    prefix = re.sub(r"(?:人民)?政府$|办(?:事处)?$", "", short)
    if not prefix:
        return []
    out = []
    for g in GROUP.finditer(doc.body):
        if any(a <= g.start() < b for a, b in taken):
            continue
        s = name_start(doc.body, g.start(), 14)
        if g.start() - s < 2:
            continue
        found = whole_name(recognizer, doc, prefix + doc.body[s:g.end()])
        if found is not None:
            out.append(Mention("Department", s, g.end(), doc.body[s:g.end()], found.key, replace(found.attrs)))
    return out


SECTOR_FORMS = ("局", "中心")


def sector_bureaus(doc: Document, cols: list[Mention], recognizer) -> list[Mention]:
    """应急、气象、水利、自然资源等部门: each sector word stands for the report's own bureau of that
    sector (区应急局, 区气象局…) where the table of short forms knows one; they are the members."""
    own = recognizer.ctx.own
    level = own.name[-1] if own is not None else ""
    out: list[Mention] = []
    for c in cols:
        if not c.attrs.sectors:
            continue
        pos, members = c.start, []
        for item in c.text.split("等")[0].split("、"):
            for form in SECTOR_FORMS:
                if item + form not in recognizer.units:
                    continue  # only bureaus the table of standard forms knows (社保局 is none)
                f = whole_name(recognizer, doc, level + item + form)
                if f is not None:
                    out.append(Mention("Department", pos, pos + len(item), item, f.key, replace(f.attrs)))
                    members.append(f.attrs.canonical)
                    break
            pos += len(item) + 1
        if members:
            c.attrs = replace(c.attrs, members=members)
    return out


def collective_members(entities: list[Entity], doc: Document) -> None:
    """区公安局、交通局…等9个部门: the departments listed right before a collective are its members."""
    ending_at: dict[int, tuple[int, str]] = {}  # end -> (start, label) of the last-starting mention ending there
    for s, e, dept in sorted(((m.start, m.end, e) for e in entities if e.type == "Department" for m in e.mentions),
                             key=lambda x: x[0]):
        ending_at[e] = (s, dept.label)
    for c in entities:
        if c.type != "Collective":
            continue
        members: list[str] = []
        for m in c.mentions:
            pos = m.start
            if doc.body[max(0, pos - 1):pos] == "等":
                pos -= 1
            # the departments ending right where the list goes on, read backwards
            while (dept := ending_at.get(pos)) is not None:
                s, label = dept
                if label not in members:
                    members.insert(0, label)
                pos = s - 1 if doc.body[s - 1:s] in ("、", "和", "及") else s
        if members:
            c.attrs = replace(c.attrs, members=members)


def attach_metric_subjects(mets, entities: list[Entity], doc: Document) -> None:
    """A metric is about the first department, collective or place of its clause."""
    spots = sorted((m.start, e.id) for e in entities if e.type in ("Department", "Collective", "Place")
                   for m in e.mentions)
    starts = [s for s, _ in spots]
    for mt in mets:
        clause = doc.clauses[mt.clause]
        i = bisect.bisect_left(starts, clause.start)
        mt.subject = spots[i][1] if i < len(spots) and spots[i][0] < mt.start else None


# an internal unit set up inside a body: 在区司法局设立行政复议与应诉股, 在县法院内设立诉调对接中心
SUB_UNIT = re.compile(r"(?:内|中|里)?(?:设立|成立|组建|增设|新设)了?([\u4e00-\u9fff]{2,14}?(?:股|科|室|中心|所|队|站|组))"
                      r"(?=[,,。;;、\s]|$)")


def sub_units(doc: Document, depts: list[Mention]) -> list[Mention]:
    """A unit the text sets up inside a body named just before (在区司法局设立行政复议与应诉股) is that
    body's sub-unit: 德阳市罗江区司法局行政复议与应诉股, part of 德阳市罗江区司法局."""
    out = []
    for m in depts:
        if doc.body[max(0, m.start - 1):m.start] != "在":
            continue
        u = SUB_UNIT.match(doc.body, m.end)
        if u is None:
            continue
        parent = m.attrs.canonical
        name = u.group(1)
        out.append(Mention("Department", u.start(1), u.end(1), name, parent + name,
                           DepartmentAttrs(parent + name, m.attrs.level, "unit", parent=parent)))
    return out


BACK_REFERENCE_REACH = 400  # characters back to the body a short name stands for
CLAUSE_OPENERS = "。;;,,::!!??\n"


@lru_cache(maxsize=1)
def _back_references() -> tuple[re.Pattern, dict[str, str]]:
    table = {r[0]: r[1] for r in read_table("lexicon", "back_references.tsv") if len(r) >= 2}
    return re.compile(alternation(sorted(table, key=len, reverse=True))), table


def back_references(doc: Document, entities: list[Entity]) -> None:
    """A short name opening a clause (常委会, 办公室, 调研组; ontology/lexicon/back_references.tsv)
    stands for the nearest body named before it that it can refer to: a body whose name ends so,
    or, for a group a body sends out, the last body named (区政协组成调研组。调研组走访企业…). It
    becomes a mention of that body, so that the clause has its agent."""
    pattern, table = _back_references()
    spans, starts = _department_spans(doc, entities)
    body = doc.body
    for w in pattern.finditer(body):
        s = w.start()
        k = bisect.bisect_right(starts, s) - 1
        if k >= 0 and spans[k][1] > s:
            continue  # part of a body's own name (区人大常委会)
        j = s
        while j > 0 and body[j - 1] in " \t\u3000":
            j -= 1
        if j > 0 and body[j - 1] not in CLAUSE_OPENERS:
            continue  # not a clause's subject: 设立办公室
        want = table[w.group(0)]
        for i in range(k, -1, -1):
            a, b, ent = spans[i]
            if s - b > BACK_REFERENCE_REACH:
                break
            if want == "*" or ent.label.endswith(want):
                ent.mentions.append(Mention("Department", s, w.end(), w.group(0), ent.label, _attrs_of(ent)))
                break
