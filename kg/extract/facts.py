"""Facts: clause-level "agent did action (to object)", linked to what the clause mentions.

The agent is the department or collective that opens the clause (before its first verb);
failing that, one named earlier in the same sentence (carried); failing that, the report's
own government, marked implicit.
"""
from __future__ import annotations

import re

from ..records import Document, Entity, Fact, Metric
from .textutil import verb_regex

OBJECT_MARKERS = set("向对给为在到经从与同跟和及、")
MAX_OBJECT = 40


def assemble(doc: Document, entities: list[Entity], metrics: list[Metric], own_gov: Entity,
             heading_spans: list[tuple[int, int]]) -> list[Fact]:
    body = doc.body
    by_clause: dict[int, list[tuple[int, int, Entity]]] = {}
    clause_of = _clause_index(doc)
    for e in entities:
        for m in e.mentions:
            ci = clause_of(m.start)
            if ci is not None and m.end <= doc.clauses[ci].end:
                by_clause.setdefault(ci, []).append((m.start, m.end, e))
    metrics_by_clause: dict[int, list[int]] = {}
    for i, mt in enumerate(metrics):
        metrics_by_clause.setdefault(mt.clause, []).append(i)
    facts: list[Fact] = []
    carried: tuple[int, list[Entity]] | None = None  # (sentence, agents)
    for ci, clause in enumerate(doc.clauses):
        text = body[clause.start:clause.end]
        if any(hs <= clause.start and clause.end <= he for hs, he in heading_spans):
            carried = None
            continue
        vm = verb_regex().search(text)
        if vm is None:
            continue
        verb_at = clause.start + vm.start()
        found = sorted(by_clause.get(ci, []), key=lambda x: x[0])
        agents = _subjects(body, clause.start, verb_at, found)
        implicit = False
        if agents:
            carried = (clause.sentence, agents)
        elif carried is not None and carried[0] == clause.sentence:
            agents = carried[1]
        else:
            agents = [own_gov]
            implicit = True
        action = vm.group(0)
        obj = text[vm.end():].strip()[:MAX_OBJECT]
        sec = doc.sections[clause.section].heading if clause.section is not None else None
        linked = {"Regulation": [], "Initiative": [], "Place": []}
        participants = []
        for s, e, ent in found:
            if ent.type in linked and ent.id not in linked[ent.type]:
                linked[ent.type].append(ent.id)
            elif ent.type in ("Department", "Collective") and ent not in agents and ent.id not in participants:
                participants.append(ent.id)
        for agent in agents:
            facts.append(Fact(agent=agent.id, agent_implicit=implicit, action=action, object=obj,
                              sentence=text, start=clause.start, end=clause.end, clause=ci, section=sec,
                              regulations=list(linked["Regulation"]), initiatives=list(linked["Initiative"]),
                              places=list(linked["Place"]), metrics=list(metrics_by_clause.get(ci, [])),
                              participants=participants))
    return facts


def _subjects(body: str, start: int, verb_at: int, found) -> list[Entity]:
    """Departments/collectives before the verb, not governed by a preposition; a list
    joined by 、/和/及 gives several agents."""
    agents: list[Entity] = []
    last_end = None
    for s, e, ent in found:
        if ent.type not in ("Department", "Collective") or s >= verb_at:
            continue
        gap = body[last_end:s] if last_end is not None else body[start:s]
        if last_end is None:
            if gap and gap[-1] in OBJECT_MARKERS - {"和", "及", "、"}:
                continue
            if re.search(r"[向对给为在到经从与同跟]", gap[-2:] if gap else ""):
                continue
            if len(gap) > 12:
                continue
        elif gap not in ("、", "和", "及", "与", "以及", ""):
            break
        if ent not in agents:
            agents.append(ent)
        last_end = e
    return agents


def _clause_index(doc: Document):
    starts = [c.start for c in doc.clauses]
    import bisect

    def find(offset: int):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and doc.clauses[i].start <= offset < doc.clauses[i].end:
            return i
        return None
    return find
