"""From mentions to entities: one entity per canonical key within a document."""
from __future__ import annotations

from collections import Counter

from kg.core.records import (CollectiveAttrs, DepartmentAttrs, Entity, InitiativeAttrs, Mention, PlaceAttrs,
                             RegulationAttrs)
from kg.core.types import ENTITY_TYPES, entity_id
from kg.extract.lexicon import RegionContext, division_level, division_prefix

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
    """One entity per (type, key), its label from the first mention's attributes, numbered by
    type in reading order."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.type, m.key), []).append(m)
    entities: list[Entity] = []
    for (typ, key), ms in groups.items():
        attrs = ms[0].attrs
        texts = list({m.text: None for m in ms})
        short = None
        if isinstance(attrs, DepartmentAttrs):
            label = attrs.canonical
            shorts = Counter(m.attrs.short for m in ms if m.attrs.short)
            short = shorts.most_common(1)[0][0] if shorts else texts[0]
        elif isinstance(attrs, RegulationAttrs):
            label = attrs.title
        elif isinstance(attrs, CollectiveAttrs):
            label = attrs.label
        elif isinstance(attrs, (PlaceAttrs, InitiativeAttrs)):
            label = attrs.name
        else:
            label = key
        aliases = [t for t in texts if t != label]
        for m in ms:
            for v in getattr(m.attrs, "variants", ()):
                if v not in aliases and v != label:
                    aliases.append(v)
        entities.append(Entity("", typ, label, short, aliases, ms, attrs))
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    entities.sort(key=lambda e: (order.get(e.type, len(order)), e.mentions[0].start))
    counters: Counter = Counter()
    for e in entities:
        counters[e.type] += 1
        e.id = entity_id(e.type, counters[e.type])
    return entities
