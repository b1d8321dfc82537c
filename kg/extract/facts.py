"""Facts: "agent did action (to object)", linked to what the statement mentions.

A statement is a clause, or several clauses of one sentence read together where the first
only frames the action (按照…要求, 在…下, a bare date) or the next only reports its result
(…达到100%, 从而…). The agent is the department or collective that opens the statement
(before its first verb and not governed by a preposition); failing that, one named earlier
in the same sentence (carried); failing that, the report's own government, marked implicit.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg.core.data import read_table, read_words, words_by_kind
from kg.core.records import Document, Entity, Fact, Metric
from kg.text.words import MANNER_ADVERBS, alternation, ends_a_word, verb_regex, word_at

PREPOSITIONS = "".join(read_words("lexicon", "prepositions.txt"))
PREPOSITION_RE = re.compile(f"[{re.escape(PREPOSITIONS)}]")
# a body right after one of these does what the verb says (经区政府同意, 被省司法厅评为, 由区司法局牵头)
AGENT_MARKER = re.compile(f"(?:{alternation(sorted(read_words('lexicon', 'agent_markers.txt'), key=len, reverse=True))})$")
LIST_JOINERS = ("、", "和", "及", "与", "以及", "")
MAX_OBJECT = 40
LEAD_ADVERBS = f"(?:{alternation(MANNER_ADVERBS)})*"
# a conjunction opening the next act of the same subject (…,并按照…要求,…: the frame after it is one)
AND = "(?:并且?|且|同时)?"
FRAME = re.compile(f"^{AND}{LEAD_ADVERBS}(?:{alternation(read_words('lexicon', 'frame_openers.txt'))})")
LEAD_IN = re.compile(f"^{AND}{LEAD_ADVERBS}(?:{alternation(read_words('lexicon', 'lead_ins.txt'))})")
FRAME_END = re.compile(f"(?:{alternation(read_words('lexicon', 'frame_endings.txt'))})$")
CONTINUATION = re.compile(r"^(?:从而|进而|以此)")
RESULT = re.compile(r"(?:达到|达|取得|提升明显|明显|良好|获评|进入|实现率|率为|率达|成效|进展|增长|下降|同比)")
# the report speaking of itself (FACTS.md: a document describing itself is framing): 现将…报告如下,
# 本年度报告中所列数据…, 全文包括…
SELF_REFERENCE = re.compile(r"^(?:[^,，。]{0,12}[,，])?(?:现将|特此|以上|本(?:年度)?(?:报告|方案|通知|意见|办法)|全文)")
# the report announcing itself (现将…报告如下, 特此): the sentence it ends is the report's preamble
# (根据《…督察工作规定》(厅字〔2019〕28号)要求,现将…情况报告如下)
REPORTING_NOW = re.compile(r"(?:现将|特此)")
SHORT_CLAUSE = 10
COPULA = re.compile(r"(?<![一二三四五六七八九十就还也更而即正别其但凡或于总要像])是(?!否)|位于")
CAPTION_MAX = 30
SENTENCE_END = re.compile(r"[。;;!!??]")
QUOTED = re.compile(r"《[^《》]*》|“[^“”]*”")


@lru_cache(maxsize=1)
def report_parts() -> list[tuple[re.Pattern, str]]:
    """(heading pattern, kind) of the parts of a report that report no work: problems, plans."""
    return [(re.compile(r[0]), r[1]) for r in read_table("lexicon", "report_parts.tsv") if len(r) >= 2]


HEADING_MARKS = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十百零〇\d]+[、.．]|[((][一二三四五六七八九十\d]+[))]|"
                           r"[一二三四五六七八九十]+是)?|[。.::;;,,!!\s]+$")


# the document a notice issues (…关于印发西平县2020年度法治政府建设工作安排的通知)
ISSUED = re.compile(r"印发(?P<name>[^《》]{4,60}?)的通知")


def mark_report_parts(doc: Document) -> int | None:
    """Mark the sections that are a report's problems or plans (ontology/lexicon/report_parts.tsv),
    and every section inside them, with their kind. For a notice issuing a plan, where the plan
    begins (the end of the line that names it; every section after it is plans), else None."""
    parts = [(p, kind) for p, kind in report_parts() if kind != "plan_document"]
    for s in doc.sections:
        heading = HEADING_MARKS.sub("", s.heading)
        s.kind = (doc.sections[s.parent].kind if s.parent is not None else None) \
            or next((kind for p, kind in parts if p.search(heading)), None)
    plan_from = _issued_plan_start(doc)
    if plan_from is not None:
        for s in doc.sections:
            if s.start >= plan_from:
                s.kind = s.kind or "plans"
    return plan_from


def _issued_plan_start(doc: Document) -> int | None:
    m = ISSUED.search(re.sub(r"\s", "", doc.meta.title or ""))
    if m is None or not any(p.search(m.group("name")) for p, kind in report_parts() if kind == "plan_document"):
        return None
    name = re.sub(r"[《》\s]", "", m.group("name"))
    pos = 0
    for line in doc.body.split("\n"):
        if re.sub(r"[《》\s]", "", line) == name:
            return pos + len(line)
        pos += len(line) + 1
    return None


@lru_cache(maxsize=1)
def plan_markers() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(modal words, the future 将, plan openers) of ontology/lexicon/plan_markers.tsv."""
    words = words_by_kind("lexicon", "plan_markers.tsv")
    return (re.compile(alternation(words["modal"])),
            re.compile(f"(?:{alternation(words['future'])})(?={alternation(words['after_future'])})"),
            re.compile(f"{LEAD_ADVERBS}(?:{alternation(words['opener'])})"))


def is_plan(body: str, start: int, verb_at: int) -> bool:
    """An instruction or a plan: a modal of obligation before the verb, as a word of its own
    (各部门要围绕…, 必须坚持…), the future 将 before an adverb of going on or 以 (我区将以…为契机,
    区司法局将继续…), or an opening time word of plans (下一步, 今后); anywhere before the verb,
    lead-ins included."""
    modal, future, opener = plan_markers()
    if opener.match(body, start):
        return True
    quoted = [(q.start(), q.end()) for q in QUOTED.finditer(body, start, verb_at)]  # not in 《今日要情》
    for marker in (modal, future):
        for m in marker.finditer(body, start, verb_at):
            if word_at(body, m.start()) == (m.start(), m.end()) and not any(a < m.start() < b for a, b in quoted):
                return True
    return False


@lru_cache(maxsize=1)
def formulas() -> list[tuple[re.Pattern, re.Pattern, str]]:
    """(verb, object ending, "role" | "result" | "") of the standing formulas
    (ontology/lexicon/formulas.tsv)."""
    return [(re.compile(f"{LEAD_ADVERBS}(?:{r[0]})"), re.compile(f"(?:{r[1]})[\"”’)）]*$"), r[2] if len(r) > 2 else "")
            for r in read_table("lexicon", "formulas.tsv") if len(r) >= 2]


@lru_cache(maxsize=1)
def region_statistic() -> re.Pattern:
    """The indicators of a region's statistics (ontology/lexicon/region_statistics.txt)."""
    return re.compile(alternation(sorted(read_words("lexicon", "region_statistics.txt"), key=len, reverse=True)))


@lru_cache(maxsize=1)
def weak_verbs() -> tuple[re.Pattern, re.Pattern]:
    """(the weak verbs after manner adverbs, the vague object endings) of ontology/lexicon/weak_verbs.tsv."""
    words = words_by_kind("lexicon", "weak_verbs.tsv")
    return (re.compile(f"{LEAD_ADVERBS}(?:{alternation(words['verb'])})"),
            re.compile(f"(?:{alternation(words['vague_ending'])})$"))


@lru_cache(maxsize=1)
def principle_verbs() -> tuple[re.Pattern, re.Pattern]:
    """(坚持 after manner adverbs, the working systems it may keep) of ontology/lexicon/weak_verbs.tsv."""
    words = words_by_kind("lexicon", "weak_verbs.tsv")
    return (re.compile(f"{LEAD_ADVERBS}(?:{alternation(words['principle'])})"),
            re.compile(f"(?:{alternation(words['kept_system'])})$"))


def _trimmed_end(body: str, start: int, end: int) -> int:
    while end > start and body[end - 1] in " ,,。;;:":
        end -= 1
    return end


@lru_cache(maxsize=1)
def _any_formula_ending() -> re.Pattern:
    return re.compile("|".join(f"(?:{e.pattern})" for _, e, _ in formulas()))


def formula_ending(body: str, start: int, clause_end: int) -> bool:
    """Whether the clause ends as a standing formula's object does (精神, 部署, 职责…): the cheap
    test before the verb is read."""
    return _any_formula_ending().search(body, start, _trimmed_end(body, start, clause_end)) is not None


def formula_at(body: str, vm: re.Match, clause_end: int, names_body: bool) -> bool:
    """贯彻落实…决策部署, 履行…第一责任人职责, 发挥…作用 from the verb `vm` (after manner adverbs, or
    within it: 充分发挥) to the clause's end: loyalty or duty, not work done (`names_body`: the
    object names a body or place, whose role 发挥…作用 is)."""
    end = _trimmed_end(body, vm.start(), clause_end)
    for verb, ending, how in formulas():
        if how == "result":  # the result is the clause's predicate, wherever its verb stands
            m = verb.search(body, vm.start(), end)
            if m and ending.match(body, m.end(), end):
                return True
            continue
        m = verb.match(body, vm.start(), end) or verb.search(body, vm.start(), vm.end())
        if m and ending.search(body, m.end(), end) and not (how == "role" and names_body):
            return True
    return False


@lru_cache(maxsize=1)
def boilerplate() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in read_words("lexicon", "boilerplate.txt")))


def _clause_finder(doc: Document):
    starts = [c.start for c in doc.clauses]

    def find(offset: int):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and doc.clauses[i].start <= offset < doc.clauses[i].end:
            return i
        return None
    return find


def statements(doc: Document, heading_spans: list[tuple[int, int]],
               verbs_at: list | None = None, counted: set[int] | frozenset = frozenset(),
               subjected: set[int] | frozenset = frozenset()) -> list[list[int]]:
    """Group clause indices into statements (see module docstring). `verbs_at`, if given,
    receives each clause's first verb match (or None); `counted`: the clauses with a metric;
    `subjected`: the clauses that open with a body's name."""
    body = doc.body
    vrx = verb_regex()
    if verbs_at is not None:
        verbs_at.extend(_clause_verb(body, c.start, c.end) for c in doc.clauses)
    groups: list[list[int]] = []
    prev_frame = False
    in_heading = bytearray(len(body) + 1)
    for hs, he in heading_spans:
        in_heading[hs:he] = b"\x01" * (he - hs)
    for para in doc.paragraphs:
        # a short line without a sentence's end is a caption or an unnumbered heading
        # (高举旗帜 强化统筹, 新闻发布会现场), not a statement
        if para.end - para.start <= CAPTION_MAX and not SENTENCE_END.search(body, para.start, para.end):
            in_heading[para.start:para.end] = b"\x01" * (para.end - para.start)
    for ci, c in enumerate(doc.clauses):
        text = body[c.start:c.end]
        if in_heading[c.start] and in_heading[c.end - 1]:
            prev_frame = False
            continue
        has_verb = (verbs_at[ci] if verbs_at is not None else vrx.search(text)) is not None
        same_sentence = bool(groups) and doc.clauses[groups[-1][-1]].sentence == c.sentence \
            and groups[-1][-1] == ci - 1
        merge = False
        if same_sentence:
            if prev_frame:
                merge = True
            elif CONTINUATION.match(text):
                merge = True
            elif RESULT.search(text) and not verb_regex().match(text) and len(text) <= 30:
                merge = True
            elif len(text) <= SHORT_CLAUSE and not (has_verb and (ci in counted or ci in subjected)):
                # 狠抓落实, 严格履职: a short clause completes the one before; one that counts its own
                # work (新收7件…,受理6件) or has a subject of its own (…,区司法局印发通知) is a
                # statement of its own
                merge = True
        if merge:
            groups[-1].append(ci)
        else:
            groups.append([ci])
        # a clause without a verb frames the next one, unless it counts (新收7件: a statement)
        prev_frame = (not has_verb and ci not in counted) or _frames(text)
    return groups


# a verb that one of these continues into one word names who does it (负责人, 调解员, 主要负责同志):
# no verb of the clause (保障人民: two words, and 保障 is the verb)
DOER = re.compile(r"人|员|者|同志")


def _verbs(body: str, start: int, end: int):
    """Every verb match of body[start:end], one at each position where one starts."""
    pos = start
    while (m := verb_regex().search(body, pos, end)) is not None:
        yield m
        pos = m.start() + 1


def _clause_verb(body: str, start: int, end: int) -> re.Match | None:
    """The clause's first verb that no DOER continues into a name for people."""
    return next((m for m in _verbs(body, start, end)
                 if not (DOER.match(body, m.end()) and not ends_a_word(body, m.end()))), None)


def first_verb(body: str, start: int, end: int) -> re.Match | None:
    """The first verb of body[start:end] that is not inside a longer word (负责 in 负责人, 主要负责同志)."""
    return next((m for m in _verbs(body, start, end) if ends_a_word(body, m.end())), None)


def _frames(text: str) -> bool:
    """A clause that only frames what follows: 按照…要求, 在…方面, 为…, and a lead-in whatever its end
    (围绕…, 结合…, 依托…: lead_ins.txt)."""
    return _frames_by_form(text) or bool(len(text) <= 12 and FRAME.match(text))


def _frames_by_form(text: str) -> bool:
    """A frame by its ending or its lead-in opener (按照…要求, 围绕…), not merely by being short."""
    return bool(FRAME.match(text) and (FRAME_END.search(text) or LEAD_IN.match(text)))


# verbs of carrying out a regulation: 执行, 贯彻落实, 实施, 施行, 遵照
IMPLEMENTING = re.compile(r"(?:执行|贯彻|实施|施行|遵照|遵循)")


def assemble(doc: Document, entities: list[Entity], metrics: list[Metric], own_gov: Entity,
             heading_spans: list[tuple[int, int]], body_of_post=None, plan_from: int | None = None) -> list[Fact]:
    """`body_of_post(short)`, if given, finds the body a leader's post names (县政府 for 县长);
    `plan_from`: where the plan a notice issues begins (no facts after it)."""
    body = doc.body
    clause_of = _clause_finder(doc)
    by_clause: dict[int, list[tuple[int, int, Entity]]] = {}
    # at one offset the longer mention first: a collective before the sector bureaus inside it
    for start_, end_, e in sorted(((m.start, m.end, e) for e in entities for m in e.mentions),
                                  key=lambda x: (x[0], -x[1])):
        ci = clause_of(start_)
        if ci is not None and end_ <= doc.clauses[ci].end:
            by_clause.setdefault(ci, []).append((start_, end_, e))
    metrics_by_clause: dict[int, list[int]] = {}
    for i, mt in enumerate(metrics):
        metrics_by_clause.setdefault(mt.clause, []).append(i)
    facts: list[Fact] = []
    carried: tuple[int, list[Entity]] | None = None
    carried_regs: tuple[int, list[str]] | None = None  # regulations a sentence opens by implementing
    planned: int | None = None  # the sentence whose statements are asked for or planned
    verbs_at: list = []
    subjected = {ci for ci, ms in by_clause.items()
                 if any(x[2].type in ("Department", "Collective") and not body[doc.clauses[ci].start:x[0]].strip()
                        for x in ms)}
    # a sentence that announces the report (…,现将…情况报告如下) is its preamble throughout, however
    # long the frame before it (以…为指导,全面贯彻…,扎实推进…,现将…报告如下)
    announcing = {c.sentence for c in doc.clauses if REPORTING_NOW.match(body, c.start)}
    for group in statements(doc, heading_spans, verbs_at, set(metrics_by_clause), subjected):
        first, last = doc.clauses[group[0]], doc.clauses[group[-1]]
        start, end = first.start, last.end
        text = body[start:end]
        framing = bool(SELF_REFERENCE.match(text) or boilerplate().search(text)
                       or first.sentence in announcing) \
            or (first.section is not None and doc.sections[first.section].kind is not None) \
            or (plan_from is not None and start >= plan_from)
        # the subject opens the first clause after those that only frame it
        # (在队伍建设方面,区司法局创新…)
        lead = 0
        while lead < len(group) - 1 and _frames(body[doc.clauses[group[lead]].start:doc.clauses[group[lead]].end]):
            lead += 1
        # nor is the verb in a frame after a time phrase (2025年以来,在县委…的精准指导下,深入…: not 指导)
        acting = lead
        while acting < len(group) - 1 and (verbs_at[group[acting]] is None or _frames(
                body[doc.clauses[group[acting]].start:doc.clauses[group[acting]].end])):
            acting += 1
        vm = next((verbs_at[ci] for ci in group[acting:] if verbs_at[ci] is not None), None) \
            or next((verbs_at[ci] for ci in group if verbs_at[ci] is not None), None)
        if vm is None or lead == len(group) - 1 and _frames_by_form(body[last.start:last.end]):
            continue  # no verb, or frames with nothing to frame (…,并按照《…》要求。)
        if COPULA.search(body, start, vm.start()):
            continue  # what something is (2020年是…收官之年, 宜宾位于…), not what was done
        found = [x for ci in group for x in by_clause.get(ci, ())]  # clauses in order, each sorted
        # a verb inside a body's name or a document's title is not the clause's verb: 调研组 (调研),
        # 行政审批局 (审批), 《实施方案》 (实施)
        named = next((x for x in found if x[0] <= vm.start() < x[1]
                      and x[2].type in ("Department", "Collective", "Regulation")), None) \
            or next(((t.start(), t.end()) for t in QUOTED.finditer(body, start, end) if t.start() < vm.start() < t.end()),
                    None)
        if named is not None:
            vm = verb_regex().search(body, named[1], end) or vm
        agents = []
        # the subject opens the acting clause, or the first after the frames (区司法局,认真开展…)
        for opening in dict.fromkeys((group[acting], group[lead])):
            subject_at = doc.clauses[opening].start if vm.start() >= doc.clauses[opening].start else start
            agents = _leader(body, subject_at, vm.start(), body_of_post) \
                or _subjects(body, subject_at, vm.start(), [x for x in found if x[0] >= subject_at])
            if agents:
                break
        implicit = False
        if agents:
            # a framing clause is no fact, but its subject still acts in the rest of its
            # sentence (我市各级各部门坚持以…为指导,深刻学习领会…)
            carried = (first.sentence, agents)
        if planned == first.sentence or is_plan(body, start, vm.start()):
            # a modal's or the future's scope runs to the end of its sentence (各部门要围绕目标,
            # 不断完善…,大力提升…: every one of them is asked for, none is reported done)
            planned = first.sentence
            continue
        if framing:
            continue
        # a standing formula, when nothing else in the statement acts or counts
        vci = next((k for k, ci in enumerate(group) if doc.clauses[ci].start <= vm.start() < doc.clauses[ci].end), 0)
        verb_clause_end = doc.clauses[group[vci]].end
        # what keeps a formula, a weak verb or a principle a fact: a count, or another act after it
        counts = any(metrics_by_clause.get(ci) for ci in group)
        acts_after = any(verbs_at[ci] is not None for ci in group[vci + 1:])
        if formula_ending(body, vm.start(), verb_clause_end) and not counts and not acts_after:
            names_body = any(vm.end() <= s < verb_clause_end and ent.type in ("Department", "Place", "Collective")
                             for s, _, ent in found)
            fv = first_verb(body, vm.start(), verb_clause_end)  # not 负责 in 主要负责人
            if fv is not None and formula_at(body, fv, verb_clause_end, names_body):
                continue
        # a statistic of the region as the subject (地区生产总值增长6.5%): nobody did it
        if region_statistic().search(body, subject_at, vm.start()) and not agents:
            continue
        # a weak verb with a vague object (坚持高位推动法治政府建设工作, 持续提升…整体水平)
        weak, vague = weak_verbs()
        if weak.match(body, vm.start()) and vague.search(body, vm.end(), _trimmed_end(body, vm.end(), verb_clause_end)) \
                and not counts and not acts_after and not any(vm.end() <= s for s, _, _ in found):
            continue
        # a principle kept to (坚持问题导向, 坚持以…确保…, 坚持…一体建设) unless what is kept is a working
        # system (坚持集体讨论决策制度), or another act follows in the clause (坚持推广…)
        principle, kept_system = principle_verbs()
        if principle.match(body, vm.start()):
            obj_end = _trimmed_end(body, vm.end(), verb_clause_end)
            if not (kept_system.search(body, vm.end(), obj_end)
                    or (not body.startswith("以", vm.end()) and verb_regex().search(body, vm.end(), obj_end))
                    or counts or acts_after):
                continue
        if not agents:
            if carried is not None and carried[0] == first.sentence:
                agents = carried[1]
            else:
                agents = [own_gov]
                implicit = True
        obj = body[vm.end():end].strip(" ,,")[:MAX_OBJECT]
        sec = doc.sections[first.section].heading if first.section is not None else None
        linked: dict[str, list[str]] = {"Regulation": [], "Initiative": [], "Place": []}
        participants: list[str] = []
        for s, e, ent in found:
            if ent.type in linked:
                if ent.id not in linked[ent.type]:
                    linked[ent.type].append(ent.id)
            elif ent not in agents and ent.id not in participants:
                participants.append(ent.id)
        # a sentence that opens by implementing a regulation (严格执行新修订的《行政处罚法》,区公安局…
        # 等9个部门…落实…) acts under it in the statement that follows too
        # (the next statement only: further on, the sentence has moved to other work)
        if carried_regs is not None and carried_regs[0] == first.sentence:
            linked["Regulation"] += [r for r in carried_regs[1] if r not in linked["Regulation"]]
            carried_regs = None
        elif IMPLEMENTING.search(vm.group(0)) and linked["Regulation"] and lead == 0 \
                and start == doc.sentences[first.sentence].start:
            carried_regs = (first.sentence, list(linked["Regulation"]))
        else:
            carried_regs = None
        mets = [i for ci in group for i in metrics_by_clause.get(ci, [])]
        for agent in agents:
            facts.append(Fact(agent=agent.id, agent_implicit=implicit, action=vm.group(0), object=obj,
                              sentence=text, start=start, end=end, clause=group[0], section=sec,
                              regulations=list(linked["Regulation"]), initiatives=list(linked["Initiative"]),
                              places=list(linked["Place"]), metrics=mets, participants=participants))
    return facts


# a person named by posts before the verb: 县委副书记、县长曹阳主持召开…, 省委常委、市委书记林宝金主持…;
# the post written last, next to the name, is the one they act in
LEADER = re.compile(r"(?:(?P<party>[省市区县镇乡州])委(?:副?书记|常委)|(?:常务)?副?(?P<gov>[省市区县镇乡州])长)"
                    rf"[\u4e00-\u9fff]{{2,3}}?(?:同志)?{LEAD_ADVERBS}$")  # …市长吴贤德多次研究


def _leader(body: str, start: int, verb_at: int, body_of_post) -> list[Entity]:
    if body_of_post is None or verb_at - start > 40:
        return []
    m = LEADER.search(body, start, verb_at)
    if m is None or m.end() != verb_at:
        return []
    short = m.group("party") + "委" if m.group("party") else m.group("gov") + "政府"
    found = body_of_post(short)
    return [found] if found is not None else []


# a short adverbial of each subject's own before the next (区委常委会每半年、政府常务会每季度听取…:
# FACTS.md's "two agents that each act")
# (its frequency or period: 每季度, 每月, 全年, 上半年, 2022年), not a post (副主任、: one person's two posts)
OWN_ADVERBIAL = re.compile(r"(?:每[\u4e00-\u9fff\d]{1,4}|全年|[上下]半年|\d{4}年)[、和及与]")


def _own_adverbial(gap: str) -> bool:
    return bool(OWN_ADVERBIAL.fullmatch(gap)) and verb_regex().search(gap) is None


def _subjects(body: str, start: int, verb_at: int, found) -> list[Entity]:
    """Departments/collectives before the verb, not governed by a preposition; a list
    joined by 、/和/及 gives several agents."""
    agents: list[Entity] = []
    last_end = None
    for s, e, ent in found:
        if ent.type not in ("Department", "Collective"):
            continue
        if s >= verb_at:
            break
        if last_end is not None and s < last_end:
            continue  # inside the agent just taken (the bureaus of 应急、气象等部门)
        if last_end is None:
            lead = body[start:s]
            marker = AGENT_MARKER.search(lead)
            # a title or a quoted name before the marker counts as one word (《…》被司法部刊登)
            if marker is not None and not PREPOSITION_RE.search(QUOTED.sub("", lead[:marker.start()])) \
                    and len(QUOTED.sub("《》", lead)) <= 14:
                pass  # 方案已经区政府同意, 由区司法局牵头: the marked body acts
            elif len(lead) > 14 or PREPOSITION_RE.search(lead):
                break
        else:
            gap = body[last_end:s]
            if gap == "等" and ent.type == "Collective":
                # 区公安局、交通局…等9个部门: the listed bodies act as the collective they make up
                return [ent]
            if AGENT_MARKER.fullmatch(gap):
                agents = []  # 区司法局被省司法厅评为…: in a passive, the body after 被 acts
            elif gap not in LIST_JOINERS and not _own_adverbial(gap):
                break
        if ent not in agents:
            agents.append(ent)
        last_end = e
    return agents
