"""Metrics: a number (Arabic or Chinese, with 万/亿, 余/多/近/约) and its unit, inside prose.

Dates, ordinals (第三), document numbers and numbers inside names (“八五”普法, 《…》) are
not metrics. The indicator is the noun phrase the number counts, read from the clause.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg.core.data import read_words
from kg.core.records import Document, Metric
from kg.text.words import marked, trie_regex
from kg.text.words import verb_regex

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
APPROX_PRE = "约|近|超过|逾|超|将近|接近"
MAX_DIGITS = 18  # a quantity in a report: trillions of yuan at most, with decimals
COUNTABLE = set("件次人个项份场家名条篇期批户起宗所处支套部本册卷张台辆座类门班轮位种")


@lru_cache(maxsize=1)
def metric_regex() -> re.Pattern:
    units = read_words("lexicon", "unit_words.txt")
    return re.compile(
        rf"(?=[约近超逾将接\d零〇一二两三四五六七八九十百千])(?P<pre>{APPROX_PRE})?"
        # a number starts where a run of digits starts, and its run is taken whole (possessive):
        # a long run is read once, not once from each of its digits
        rf"(?P<num>(?<![\d.])\d++(?:\.\d++)?|(?<![零〇一二两三四五六七八九十百千])[零〇一二两三四五六七八九十百千]++)"
        rf"[ \u3000]?(?P<mag>万|亿)?(?P<post>余|多)?(?P<unit>{trie_regex(units)})")


def cn_to_int(s: str) -> int | None:
    if not s:
        return None
    if all(c in CN_DIGITS for c in s):
        return int("".join(str(CN_DIGITS[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in CN_DIGITS:
            cur = CN_DIGITS[c]
        elif c in CN_UNITS:
            total += (cur or 1) * CN_UNITS[c]
            cur = 0
        else:
            return None
    return total + cur


def _number(s: str) -> float | int | None:
    if s[0].isdigit():
        return float(s) if "." in s else int(s)
    return cn_to_int(s)


def find(doc: Document, skip: list[tuple[int, int]]) -> list[Metric]:
    body = doc.body
    blocked = bytearray(len(body))
    for s, e in skip:
        blocked[s:e] = b"\x01" * (e - s)
    for m in re.finditer(r"“[^“”\n]{1,30}”|‘[^‘’\n]{1,30}’", body):  # numbers inside quoted names
        blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out: list[Metric] = []
    rx = metric_regex()
    starts = [c.start for c in doc.clauses]
    for m in rx.finditer(body):
        ci = bisect.bisect_right(starts, m.start()) - 1
        if ci < 0 or m.end() > doc.clauses[ci].end:
            continue
        clause = doc.clauses[ci]
        text = body[clause.start:clause.end]
        s, e = m.start(), m.end()
        if marked(blocked, s, e):
            continue
        num, unit = m.group("num"), m.group("unit")
        before = body[s - 1] if s > 0 else ""
        if before in ("第", "届", ".") or before.isdigit():
            continue  # an ordinal (第3次, 省委十届十次全会: the tenth plenary of the tenth), a decimal
        after = body[e] if e < len(body) else ""
        is_cn = not num[0].isdigit()
        if is_cn:
            if unit not in COUNTABLE and unit not in ("%", "%"):
                continue
            # 一次办, 一件事, 三张清单 as names: a Chinese number glued to a word, not a count
            if num in ("一",) and unit in ("次", "件", "个", "张", "批", "项", "条", "种") and not m.group("post"):
                continue
            if before and before in "这那每某同单唯统逐万":
                continue
        if after and after in "年月日号届" and unit != "年":
            continue
        if len(num) > MAX_DIGITS:
            continue  # a run of digits, not a quantity
        value = _number(num)
        if value is None:
            continue
        if unit == "年" and (value >= 100 or (after and after in "度初底末中前后内")):
            continue  # a year, not a duration
        unit_out = body[m.end("num"):e].strip(" \u3000")  # as written: 件, 余名, 万名, 万余人
        approx = bool(m.group("pre") or m.group("post") or unit.startswith(("余", "多")))
        indicator = _indicator(text, s - clause.start, e - clause.start, unit)
        out.append(Metric(indicator=indicator, value=value, unit=unit_out, approx=approx,
                          text=body[s:e], start=s, end=e, sentence=text, clause=ci))
    return out


def _indicator(clause: str, s: int, e: int, unit: str) -> str:
    """What is counted: the phrase before the number, else the one after it."""
    before = clause[:s]
    cut = 0
    for m in verb_regex().finditer(before):
        cut = max(cut, m.end())
    phrase = re.sub(r"^[共计达到为约近了的,,、和及与]+", "", before[cut:]).strip()
    phrase = re.sub(r"(?:共|计|达|为|约|近|超过|累计)+$", "", phrase)
    if len(phrase) >= 2:
        return phrase[-16:]
    after = re.split(r"[,,。;;、的]", clause[e:], maxsplit=1)[0]
    return after[:16] or unit
