"""From mentions to entities: one entity per canonical key within a document."""
from __future__ import annotations

from collections import Counter

from kg.core.records import Entity, Mention
from kg.extract.lexicon import RegionContext, division_level, division_prefix

PREFIX = {"Department": "D", "Regulation": "R", "Initiative": "I", "Place": "P", "Collective": "C"}


def own_government(ctx: RegionContext) -> tuple[str, str, str]:
    """(canonical, short, level) of the report's own government: the default agent."""
    own = ctx.own
    if own is None:
        return "本级人民政府", "政府", "other"
    if own.kind == "street":
        return division_prefix(own) + "办事处", "街道办", "town"
    short = {"province": "省政府", "city": "市政府", "county": own.name[-1] + "政府",
             "town": own.name[-1] + "政府"}.get(own.level, "政府")
    return division_prefix(own) + "人民政府", short, division_level(own)


def resolve(mentions: list[Mention]) -> list[Entity]:
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.type, m.key), []).append(m)
    entities: list[Entity] = []
    counters: Counter = Counter()
    for (typ, key), ms in groups.items():
        counters[typ] += 1
        eid = f"{PREFIX.get(typ, 'E')}{counters[typ]}"
        info = ms[0].info
        texts = list({m.text: None for m in ms})
        if typ == "Department":
            label = info.get("canonical") or key
            shorts = Counter(m.info.get("short") for m in ms if m.info.get("short"))
            short = shorts.most_common(1)[0][0] if shorts else texts[0]
        elif typ == "Regulation":
            label = info.get("title") or key
            short = None
        elif typ == "Place":
            label = info.get("name") or key
            short = None
        elif typ == "Collective":
            label = info.get("label") or texts[0]
            short = None
        else:
            label = info.get("name") or key
            short = None
        aliases = [t for t in texts if t != label]
        for m in ms:
            for v in m.info.get("variants", ()):
                if v not in aliases and v != label:
                    aliases.append(v)
        entities.append(Entity(eid, typ, label, short, aliases, ms, info))
    entities.sort(key=lambda e: (list(PREFIX).index(e.type) if e.type in PREFIX else 9, e.mentions[0].start))
    # renumber in reading order
    counters.clear()
    for e in entities:
        counters[e.type] += 1
        e.id = f"{PREFIX.get(e.type, 'E')}{counters[e.type]}"
    return entities
