"""Departments: government, Party, congress, court and procuratorate bodies and sub-units.

A mention is [中共] [place names] [level character] [第N届] unit [sub-unit ...], e.g.
区委 + 理论学习中心组, 德阳市罗江区 + 审计局, 万安 + 司法所. We find the unit chain
first (a trie of ontology/lexicon/units.tsv), then read the prefix leftwards with
dictionary look-ups, so one compiled pattern serves every report. National bodies come
from national.tsv. The canonical name puts the resolved region in front:
区发改局 -> 德阳市罗江区发展和改革局.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.core.data import read_table
from kg.core.records import DepartmentAttrs, Document, Mention
from kg.text.regions import Division, gazetteer
from kg.extract.lexicon import (LEVEL_WORDS, RegionContext, context_for, division_level, division_prefix,
                                global_place_names)
from kg.text.words import FUNCTION_CHARS, FUNCTION_WORDS, marked, trie_regex, word_at
from kg.text.words import verb_regex
from kg.extract.places import local_names, zone_suffix_regex

GENERIC_SUFFIX = "工作领导小组|领导小组|委员会|办公室|服务中心|中心|管委会|督察组|办事处|局"
GENERIC_BAD = set("是有、,。;:“”《》()")
# a development zone's name ends so (zone_suffixes.txt); its body is the administrative committee
ZONE_END = zone_suffix_regex()
ZONE_COMMITTEES = ("管委会",)
# words ending like a body but naming none (大局 is not a bureau), and endings too vague after a short core
NOT_BODY_ENDINGS = ("大局", "格局", "布局", "全局", "结局", "当局", "开局", "变局")
VAGUE_ENDINGS = ("新局", "破局", "中心")
SESSION = re.compile(r"第[一二三四五六七八九十]+届$")
PARTY_PREFIX = ("中国共产党", "中共")


@dataclass(frozen=True)
class Unit:
    form: str
    canonical: str
    kind: str
    use: str  # bare | prefix | sub


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for row in read_table("lexicon", "units.tsv"):
        form, canon, kind, use = (row + ["", "", "", ""])[:4]
        if "{N}" in form:
            continue
        forms = [(form.replace("{L}", ch), canon.replace("{L}", ch)) for ch in "省市区县州镇乡旗"] \
            if "{L}" in form else [(form, canon)]
        for f, c in forms:
            out[f] = Unit(f, c, kind, use)
    return out


@lru_cache(maxsize=1)
def national() -> dict[str, str]:
    return {r[0]: r[1] for r in read_table("lexicon", "national.tsv")}


@lru_cache(maxsize=1)
def national_regex() -> re.Pattern:
    """The forms of national.tsv; a form with a third column (a regular expression) counts only
    where that context follows it (中央 in 中央、省、市 or 中央关于…, not in 中央企业)."""
    rows = read_table("lexicon", "national.tsv")
    plain = [r[0] for r in rows if len(r) < 3 or not r[2]]
    contextual = [f"{re.escape(r[0])}(?={r[2]})" for r in rows if len(r) >= 3 and r[2]]
    return re.compile("|".join([trie_regex(plain), *contextual]))


@lru_cache(maxsize=1)
def chain_regex() -> re.Pattern:
    u = units()
    head = trie_regex([f for f, x in u.items() if x.use != "sub"])
    follow = trie_regex([f for f, x in u.items() if x.use in ("sub", "bare") and f != "委"
                         and x.kind not in ("bureau",)])
    return re.compile(rf"(?:{head})(?:{follow})*")


@lru_cache(maxsize=1)
def global_names() -> frozenset[str]:
    # two-character names (和县, 理县) are too often parts of words; they count only locally
    return frozenset(n for n in global_place_names() if len(n) >= 3)


@lru_cache(maxsize=1)
def global_name_ends() -> frozenset[str]:
    return frozenset(n[-1] for n in global_names())


class DepartmentRecognizer:
    def __init__(self, ctx: RegionContext, local_names: dict[str, Division]):
        self.ctx = ctx
        self.local = local_names
        self.units = units()
        self.max_unit = max(len(f) for f in self.units)
        self.max_place = 12
        self.place_ends = frozenset({n[-1] for n in local_names}) | global_name_ends()

    def find(self, doc: Document, blocked: list[tuple[int, int]] = ()) -> list[Mention]:
        body = doc.body
        taken = bytearray(len(body))
        for s, e in blocked:
            taken[s:e] = b"\x02" * (e - s)
        out: list[Mention] = []
        for m in national_regex().finditer(body):
            if marked(taken, m.start(), m.end()):
                continue
            canon = national()[m.group(0)]
            out.append(Mention("Department", m.start(), m.end(), m.group(0), canon,
                               DepartmentAttrs(canon, "national", "national", m.group(0))))
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        for m in chain_regex().finditer(body):
            if marked(taken, m.start(), m.end()):
                continue
            mention = self._interpret(body, m.start(), m.end(), m.group(0), generic=False)
            if mention is not None and not marked(taken, mention.start, mention.end):
                out.append(mention)
                taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
        for m in re.finditer(GENERIC_SUFFIX, body):
            if marked(taken, m.start(), m.end()):
                continue
            mention = self._generic(body, m.start(), m.end())
            if mention is not None and not marked(taken, mention.start, mention.end):
                out.append(mention)
                taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
        out.sort(key=lambda x: x.start)
        return out

    # ---------------------------------------------------------------- prefix parsing
    def _prefix(self, body: str, s: int, name_end: int | None = None) -> tuple[int, list[Division], str | None,
                                                                               bool, str]:
        """Read leftwards from s: [中共] places* [level] [第N届]. Returns
        (start, places, level, party, prefix_text). `name_end`: where a name the unit table does
        not know ends (区应急指挥调度中心); a level word reads as one word with a known unit (区政府,
        区委) but with an unknown name only as a whole."""
        pos = s
        m = SESSION.search(body, max(0, pos - 6), pos)
        if m:
            pos = m.start()
        level = None
        level_end = pos
        for lv in LEVEL_WORDS:
            if body.endswith(lv, max(0, pos - len(lv)), pos):
                level = lv
                pos -= len(lv)
                break
        pos, places = self._places_before(body, pos)
        if level and not places:
            # a place known only by its full name, level character and all (宜宾市司法局 in
            # another region's report): the name carries its own level
            start, named = self._places_before(body, level_end)
            if named:
                pos, places, level = start, named, None
        party = False
        for pp in PARTY_PREFIX:
            if body.endswith(pp, max(0, pos - len(pp)), pos):
                party = True
                pos -= len(pp)
                break
        if level and not places:
            # a level word on its own (区司法局) opens the name only where the segmenter reads a word
            # beginning with it (在/区/司法局, 今年/区政府): not in 社区司法局 or 产业集聚区管委会,
            # whose 区 ends another word; before a name the unit table does not know, the word must
            # be the level alone or the whole name (in 区市场监管局 the word at 市 is 市场). After a
            # function word it always begins one (和县 is a county, but 和/县人民法院 is what 和 means)
            w = (pos, level_end) if pos > 0 and body[pos - 1] in FUNCTION_WORDS else word_at(body, pos)
            if not party and (w[0] != pos or name_end is not None and w[1] not in (level_end, name_end)):
                level = None
                pos = s - (len(m.group(0)) if m else 0)
                if m:
                    pos = m.start()
        return pos, places, level, party, body[pos:s]

    def _places_before(self, body: str, pos: int) -> tuple[int, list[Division]]:
        """The places named right before `pos`, read leftwards (德阳市罗江区): (their start, them)."""
        places: list[Division] = []
        while pos > 1:
            best = None
            if not self._could_end_place(body[pos - 1]):
                break
            for n in range(min(self.max_place, pos), 1, -1):
                div = self._place(body[pos - n:pos], places[0] if places else None)
                if div is not None:
                    best = (n, div)
                    break
            if best is None:
                break
            pos -= best[0]
            places.insert(0, best[1])
        return pos, places

    def _could_end_place(self, ch: str) -> bool:
        return ch in self.place_ends

    def _place(self, name: str, right: Division | None) -> Division | None:
        if name in self.local:
            return self.local[name]
        if name in global_names():
            return gazetteer().find(name, right or self.ctx.own)
        return None

    # ---------------------------------------------------------------- interpretation
    def _chain(self, text: str) -> list[Unit]:
        out: list[Unit] = []
        pos = 0
        while pos < len(text):
            for n in range(min(self.max_unit, len(text) - pos), 0, -1):
                u = self.units.get(text[pos:pos + n])
                if u is not None:
                    out.append(u)
                    pos += n
                    break
            else:
                return []
        return out

    def _interpret(self, body: str, s: int, e: int, text: str, generic: bool) -> Mention | None:
        chain = self._chain(text)
        if not chain:
            return None
        start, places, level, party, _ = self._prefix(body, s)
        first = chain[0]
        has_prefix = bool(places or level or party)
        if not has_prefix:
            if first.use != "bare":
                return None
            if first.kind in ("group", "meeting") and s > 0 and body[s - 1] in ")）、":
                return None  # 党委(党组)理论学习中心组: every Party group, not one body
            if first.form == "党委" and (body[max(0, s - 2):s].endswith(("级", "各")) or body.startswith("(党组)", e)):
                return None
        return self._build(body, start, e, places, level, party, chain)

    def _generic(self, body: str, s: int, e: int) -> Mention | None:
        """An unlisted body such as 区应急指挥调度中心: needs a place or level prefix, except the
        administrative committee of a development zone (产业集聚区管委会), which without one is the
        report's own region's."""
        zone_at, bounded = None, False
        for k in range(2, 11):
            q = s - k
            if q < 0 or self._ends_name(body, q) or verb_regex().search(body, q, s):
                bounded = True  # the name starts right after q
                break
            start, places, level, party, _ = self._prefix(body, q, e)
            if places or level:
                return self._unlisted(body, start, q, s, e, places, level, party)
            zone_at = q
        # a zone's whole name, from where a name can start (not the tail of a longer one)
        zone = ZONE_END.search(body, zone_at, s) if zone_at is not None and bounded else None
        if zone is not None and zone.end() == s and body[s:e] in ZONE_COMMITTEES:
            return self._unlisted(body, zone_at, zone_at, s, e, [], None, False)
        return None

    def _unlisted(self, body: str, start: int, q: int, s: int, e: int, places, level, party) -> Mention | None:
        """A body the unit table lacks: prefix body[start:q], name body[q:s], ending body[s:e]
        (written in full in the canonical name: 管委会 is a 管理委员会)."""
        core = body[q:s]
        name = core + body[s:e]
        if name.endswith(NOT_BODY_ENDINGS) or (name.endswith(VAGUE_ENDINGS) and len(core) < 3):
            return None
        ending = self.units.get(body[s:e])
        canonical = core + (ending.canonical if ending is not None else body[s:e])
        unit = Unit(name, canonical, "bureau" if name.endswith("局") else "office", "prefix")
        chain = [unit]
        office = self._office_at(body, e)
        if office is not None:  # 区…领导小组办公室: the group's office, part of the group
            chain.append(office)
            e += len(office.form)
        return self._build(body, start, e, places, level, party, chain)

    @staticmethod
    def _ends_name(body: str, i: int) -> bool:
        """Whether body[i] cannot stand inside an unlisted body's name: punctuation, or a function
        character the segmenter reads as a word of its own (和, 等, 全 in 全区) rather than inside
        one (全 in 安全生产委员会, 全面依法治区委员会)."""
        c = body[i]
        if c in GENERIC_BAD:
            return True
        return c in FUNCTION_CHARS and word_at(body, i) == (i, i + 1)

    def _office_at(self, body: str, at: int) -> Unit | None:
        """An office that only stands after the body it serves (units.tsv: kind office, use sub:
        办公室, 办), written right at `at`."""
        for n in range(min(self.max_unit, len(body) - at), 0, -1):
            u = self.units.get(body[at:at + n])
            if u is not None and u.kind == "office" and u.use == "sub":
                return u
        return None

    def _build(self, body, start, end, places, level, party, chain) -> Mention | None:
        ctx = self.ctx
        div: Division | None = None
        if places:
            div = places[-1]
            if level and not div.name.endswith(level) and div.short:
                full = self._place(div.short + level, div)
                div = full or div
        elif level:
            div = ctx.by_char(level)
            if div is None:
                return None
        else:
            div = ctx.own
        first = chain[0]
        prefix = division_prefix(div) if div is not None else ""
        units_text = self._canonical_units(chain)
        party_body = party or (first.kind == "party" and first.form in ("委", "纪委", "纪委监委", "党委", "党工委"))
        if first.form == "党委":
            # 党委 is the Party committee of the place named before it, or of the report's own region
            label = "中共" + prefix + "委员会" + ("" if len(chain) == 1 else units_text[2:])
        elif party_body:
            label = "中共" + prefix + units_text
        elif first.kind in ("meeting", "group") and first.form in ("常务会议", "理论学习中心组", "党委理论学习中心组",
                                                                 "党委中心组"):
            group = units_text[2:] if units_text.startswith("党委") else units_text
            label = ("中共" + prefix + "委员会" + group) if first.kind == "group" else prefix + "人民政府" + units_text
        else:
            label = prefix + units_text
        text = body[start:end]
        chain_forms = "".join(u.form for u in chain)
        short = (level or "") + chain_forms if level else text
        lvl = division_level(div) if div is not None else "other"
        parent = None
        if len(chain) > 1:
            parent = ("中共" if party_body else "") + prefix + self._canonical_units(chain[:-1])
        elif first.kind == "subunit" and div is not None and first.form == "司法所":
            # a town's 司法所 is an office of the county's 司法局 (派出机构), not of a town bureau
            county = div.parent if div.level == "town" and div.parent is not None else div
            parent = division_prefix(county) + "司法局"
        return Mention("Department", start, end, text, label, DepartmentAttrs(label, lvl, first.kind, short, parent))

    @staticmethod
    def _canonical_units(chain: list[Unit]) -> str:
        parts = []
        for i, u in enumerate(chain):
            parts.append("委" if u.form == "委" and i < len(chain) - 1 else u.canonical)
        return "".join(parts)


@lru_cache(maxsize=512)
def recognizer_for(region: str | None) -> DepartmentRecognizer:
    ctx = context_for(region)
    return DepartmentRecognizer(ctx, local_names(ctx))
