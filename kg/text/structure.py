"""Sections, paragraphs, sentences and clauses, all as code-point offsets into the body.

Reports number their parts 一、 / (一) / 1. and, inside paragraphs, 一是…二是…; headings
often run straight into the first sentence without punctuation, so a heading ends at the
first full stop, colon or line end, or after HEADING_MAX characters. An 一是… item heads what
follows when it is a topic (一是强化组织领导。, 一是健全学习机制,…); one whose first clause names
something done (三是制定了试点实施方案,…) is a clause of its paragraph, no heading.
"""
from __future__ import annotations

import re

from kg.core.records import Clause, Document, Section, Sentence, Span
from kg.text.words import MANNER_ADVERBS, alternation, verb_regex

NUM = "一二三四五六七八九十百零〇"
HEADING_PATTERNS = [
    (1, re.compile(rf"[ \t\u3000]*[{NUM}]+[、.．]")),
    (2, re.compile(rf"[ \t\u3000]*[((][{NUM}]+[))]")),
    (3, re.compile(r"[ \t\u3000]*\d{1,2}(?:[、．]|\.(?!\d))")),
    (3, re.compile(r"[ \t\u3000]*[((]\d{1,2}[))]")),
]
ITEM_RE = re.compile(rf"(?:(?<=^)|(?<=[。;;\n]))[ \t\u3000]*([{NUM}]{{1,3}}是)")
HEADING_MAX = 40
RESIDUE_MAX = 4
CJK = re.compile(r"[\u4e00-\u9fff]")
SENT_END = re.compile(r"[。!?!?;;]+[”’」』)]?|\n+")
CLAUSE_END = re.compile(r"[,,::]")
NOISE_LINE = re.compile(
    r"^(?:索\s*引\s*号|文\s*号|发布时间|发布日期|成文日期|来源|公开形式|公开方式|发布机构|浏览次数|点击数|字体|"
    r"分享|打印|关闭|当前位置|首页|无障碍|责任编辑|主题分类|信息来源|时间)|字体大小|[【\[]\s*(?:打印|关闭)")


ADVERBS = re.compile(f"(?:{alternation(MANNER_ADVERBS)})+$")


def _heading_end(body: str, start: int, line_end: int, marker_end: int) -> int:
    """Headings end at punctuation; when a heading runs into its first sentence without
    any, it ends where the first action verb (with its adverbs) begins."""
    stop = re.compile(r"[。::;;!!??,,]")
    m = stop.search(body, start, line_end)
    if m and m.start() - start <= HEADING_MAX and body[m.start()] not in ",,":
        return m.end()
    if line_end - start <= HEADING_MAX and not m:
        return line_end
    limit = min(line_end, start + HEADING_MAX)
    for vm in verb_regex().finditer(body, marker_end + 4, limit):
        cut = vm.start()
        adv = ADVERBS.search(body, marker_end, cut)
        if adv:
            cut = adv.start()
        if cut - marker_end >= 4:
            if m and body[m.start()] in ",," and m.start() - cut <= RESIDUE_MAX and m.start() - start <= HEADING_MAX:
                return m.start()  # 三是推动政务云上部署,…: no two-word residue (部署) of the heading
            return cut
    if m and m.start() - start <= HEADING_MAX:
        return m.start()
    return marker_end


ITEM_TOPIC_MAX = 11  # an item's topic: a verb and its abstract noun (健全常态化学习机制)
SPECIFIC = re.compile(r"[\d《“了]")


def _names_a_thing(clause: str) -> bool:
    """Whether an item's first clause says something done rather than a topic: longer than a topic
    is, or with a number, a title, a quotation or a completed action (了)."""
    return len(clause) > ITEM_TOPIC_MAX or SPECIFIC.search(clause) is not None


SLOGAN_PART_MAX = 10


def _slogan_end(body: str, marker_end: int, line_end: int) -> int | None:
    """A numbered heading of two or three short phrases (（一）加强组织学习，坚持政治引领。)
    ends at its full stop, not at its first comma: where it ends, or None."""
    m = re.compile(r"[。::;;!!??]|$").search(body, marker_end, line_end)
    stop = m.start() if m and m.start() < line_end else line_end
    parts = re.split(r"[,,]", body[marker_end:stop])
    if not 2 <= len(parts) <= 3 or any(not 2 <= len(p) <= SLOGAN_PART_MAX for p in parts) \
            or re.search(r"\d", body[marker_end:stop]):
        return None
    return m.end() if m and m.start() < line_end else line_end


# a page's list of attachments after the text (相关附件:, 附件:1.…)
ATTACHMENTS = re.compile(r"^(?:相关)?附件")


def is_page_chrome(line: str) -> bool:
    """A line of the web page around the report (责任编辑:…, 发布时间, 打印, 相关附件), not of the report."""
    s = line.strip()
    return bool(NOISE_LINE.search(s) or ATTACHMENTS.match(s))


def is_content_line(line: str) -> bool:
    """Prose rather than page furniture or metadata."""
    s = line.strip()
    if not s or NOISE_LINE.search(s):
        return False
    cjk = len(CJK.findall(s, 0, 64))
    return cjk >= 6 and (len(s) >= 40 or bool(re.search(r"[,,。;;]", s)) or bool(
        re.match(r"[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．]|[((][一二三四五六七八九十]+[))]|\d{1,2}[、.．])", s)))


def segment(doc: Document) -> Document:
    body = doc.body
    # paragraphs: non-blank lines
    paras: list[Span] = []
    pos = 0
    for line in body.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip(" \t\u3000\r")
        if stripped:
            ls = s + (len(line) - len(line.lstrip(" \t\u3000\r")))
            paras.append(Span(ls, ls + len(stripped)))
    doc.paragraphs = paras

    # headings
    raw: list[tuple[int, int, int, int]] = []  # (level, start, heading_end, marker_end)
    for p in paras:
        text = body[p.start:p.end]
        for level, pat in HEADING_PATTERNS:
            m = pat.match(text)
            if m:
                end = _slogan_end(body, p.start + m.end(), p.end) or \
                    _heading_end(body, p.start, p.end, p.start + m.end())
                raw.append((level, p.start, end, p.start + m.end()))
                break
        for m in ITEM_RE.finditer(text):
            st = p.start + m.start(1)
            if raw and raw[-1][1] == st:
                continue
            end = _heading_end(body, st, p.end, st + len(m.group(1)))
            if end < p.end and body[end] in ",," and _names_a_thing(body[st + len(m.group(1)):end]):
                # an item that runs on past a comma and whose first clause names something done
                # (三是制定了试点实施方案,…; 二是对全区各街镇…进行年度书面述法述职,…) is the list's item,
                # its first clause a clause like any other (FACTS.md: a list item is a clause); a
                # short topic (一是健全学习机制,…) heads what follows
                continue
            raw.append((4, st, end, st + len(m.group(1))))
    raw.sort(key=lambda r: r[1])
    sections: list[Section] = []
    stack: list[int] = []
    for level, st, hend, _ in raw:
        while stack and sections[stack[-1]].level >= level:
            sections[stack.pop()].end = st
        parent = stack[-1] if stack else None
        sections.append(Section(st, len(body), body[st:hend].strip(), st, hend, level, parent))
        stack.append(len(sections) - 1)
    doc.sections = sections

    import bisect
    sec_starts = [sec.start for sec in sections]

    def section_at(offset: int) -> int | None:
        """The innermost section containing offset: walk up from the last one starting before it."""
        i = bisect.bisect_right(sec_starts, offset) - 1
        while i is not None and i >= 0:
            if sections[i].start <= offset < sections[i].end:
                return i
            i = sections[i].parent if sections[i].parent is not None else None
        return None

    # sentences and clauses, only over prose lines
    sentences: list[Sentence] = []
    clauses: list[Clause] = []
    # a heading ends a sentence only where it has its own punctuation; one that runs into its
    # sentence (二是加强…管理严格按照…) stays part of that sentence
    heading_ends = sorted({hend for _, _, hend, _ in raw if hend > 0 and body[hend - 1] in "。::;;!!??"})
    # every heading end still separates clauses, so a heading is never part of a statement
    clause_heading_ends = sorted(set(hend for _, _, hend, _ in raw))
    for p in paras:
        if not is_content_line(body[p.start:p.end]):
            continue
        cuts = [p.start]
        for m in SENT_END.finditer(body, p.start, p.end):
            cuts.append(m.end())
        cuts += heading_ends[bisect.bisect_right(heading_ends, p.start):bisect.bisect_left(heading_ends, p.end)]
        cuts.append(p.end)
        cuts = sorted(set(cuts))
        for a, b in zip(cuts, cuts[1:]):
            a, b = _trim(body, a, b)
            if b - a < 2:
                continue
            si = len(sentences)
            sec = section_at(a)
            sentences.append(Sentence(a, b, sec))
            inner = clause_heading_ends[bisect.bisect_right(clause_heading_ends, a):
                                        bisect.bisect_left(clause_heading_ends, b)]
            ccuts = [a, *(m.end() for m in CLAUSE_END.finditer(body, a, b)), b]
            if inner:
                ccuts = sorted(set(ccuts + inner))
            for ca, cb in zip(ccuts, ccuts[1:]):
                ca, cb = _trim(body, ca, cb)
                if cb - ca >= 2:
                    clauses.append(Clause(ca, cb, si, sec))
    doc.sentences = sentences
    doc.clauses = clauses
    return doc


TRIM_CHARS = " \t\u3000\r\n。,,;;::!!??、"


def _trim(body: str, a: int, b: int) -> tuple[int, int]:
    while a < b and body[a] in TRIM_CHARS:
        a += 1
    while b > a and body[b - 1] in TRIM_CHARS:
        b -= 1
    return a, b
