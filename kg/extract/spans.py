"""Which spans of a report cover a position or another span, asked in logarithmic time: the
recognisers ask it for every name against every title (a 3 MB report has thousands of each, and
asking each pair took most of its extraction)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Iterable


class Covering:
    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        # the furthest end among the spans starting at or before each one
        self.reach = list(accumulate((b for _, b in ordered), max))

    def covers(self, a: int, b: int, strict: bool = False) -> bool:
        """Is there a span (s, e) with s <= a and b <= e (strict: s < a and b < e)?"""
        i = bisect_left(self.starts, a) if strict else bisect_right(self.starts, a)
        if i == 0:
            return False
        return self.reach[i - 1] > b if strict else self.reach[i - 1] >= b

    def covers_point(self, p: int) -> bool:
        """Is there a span (s, e) with s <= p < e?"""
        i = bisect_right(self.starts, p)
        return i > 0 and self.reach[i - 1] > p
