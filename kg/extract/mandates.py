"""Likely executors by mandate: a fact whose agent is only implied (the report's own government
or author) and whose clause names work that falls in one kind of body's functions
(ontology/lexicon/mandates.tsv: 行政复议 is the justice bureau's) gets that body of the report's
own region as its *likely* executor, with the basis (司法局职能: 行政复议). It is an inference,
never the agent, and is kept apart from stated and named links everywhere."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from kg.core.data import read_table
from kg.core.records import Document, Entity, Fact
from kg.extract.bodies import department_entity, whole_name


@lru_cache(maxsize=1)
def mandates() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r[0], tuple(w for w in r[1].split(";") if w)) for r in read_table("lexicon", "mandates.tsv")
                 if len(r) >= 2)


@lru_cache(maxsize=1)
def function_regex() -> re.Pattern:
    """Every function word, longest first, to the kinds of body whose mandate names it."""
    words = sorted({w for _, ws in mandates() for w in ws}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@lru_cache(maxsize=1)
def kinds_of_word() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for form, words in mandates():
        for w in words:
            out.setdefault(w, []).append(form)
    return {w: tuple(forms) for w, forms in out.items()}


def likely_executors(doc: Document, entities: list[Entity], facts: list[Fact], recognizer) -> None:
    """Fill `fact.likely` for the facts whose agent is implied."""
    own = recognizer.ctx.own
    if own is None:
        return
    level = own.name[-1]  # 区, 县, 市: the own level's prefix, as reports write its bureaus
    found: dict[str, Entity | None] = {}
    for f in facts:
        if not f.agent_implicit:
            continue
        forms: dict[str, str] = {}
        for m in function_regex().finditer(f.sentence):
            for form in kinds_of_word()[m.group(0)]:
                forms.setdefault(form, m.group(0))
        if len(forms) != 1:  # no body's work, or several bodies': no single likely executor
            continue
        form, word = next(iter(forms.items()))
        if form not in found:
            m = whole_name(recognizer, doc, level + form)
            found[form] = None
            if m is not None:
                known = len(entities)
                body = department_entity(entities, m)
                if len(entities) > known:  # a body the report never names: inferred, not mentioned
                    body.attrs = replace(body.attrs, inferred=True)
                found[form] = body
        body = found[form]
        if body is not None and body.id != f.agent:
            f.likely.append((body.id, f"{form}职能: {word}"))
