"""The neighbourhood of an entity as SVG, drawn on the server: the entity in the middle, its
neighbours around it by kind. Nodes are links to their pages, so the view works without
JavaScript."""
from __future__ import annotations

import html
import math

import networkx as nx

# the kinds in the order they are drawn (clockwise from the top) and listed in the legend
COLOURS = {"Department": "#1f5fa8", "Collective": "#555555", "Regulation": "#7a3fb0", "Initiative": "#1c7c54",
           "Place": "#a15c00"}


LABEL_CHARS = 14  # a label longer than this is cut (its whole text is the node's tooltip)
ROW = 22  # pixels between the rows of neighbours on either side


def svg(g: nx.Graph, href, width: int = 900, height: int | None = None, legend=str,
        fact_count=lambda n: f"{n}") -> str:
    """An entity and its neighbours as SVG: the neighbours around it in rows on either side,
    grouped by kind (each kind a run of its own, the strongest first), labels running outwards
    from their node so none crosses another or the centre; each spoke says how many facts the
    two share (`fact_count` words it in the page's language); links among the neighbours are
    drawn faint. Sized to its content, with a legend of
    the kinds shown (`legend` names a kind in the page's language)."""
    if len(g) == 0:
        return ""
    center = next((n for n, d in g.nodes(data=True) if d.get("center")), None)
    others = [n for n in g if n != center]
    kind_rank = {k: i for i, k in enumerate(COLOURS)}
    weight = {n: (g.edges[center, n].get("weight", 1) if center is not None and g.has_edge(center, n) else 0)
              for n in others}
    others.sort(key=lambda n: (kind_rank.get(g.nodes[n].get("type"), 9), -weight[n], g.nodes[n].get("label", "")))
    # clockwise from the top: the first half down the right side, the rest up the left, a blank
    # row between kinds, every row ROW pixels apart so no two labels meet
    rows: list[str | None] = []
    for i, n in enumerate(others):
        if i and g.nodes[n].get("type") != g.nodes[others[i - 1]].get("type"):
            rows.append(None)
        rows.append(n)
    half = (len(rows) + 1) // 2
    right, left = rows[:half], rows[half:][::-1]
    per_side = max(len(right), len(left), 1)
    if height is None:
        height = max(160, ROW * per_side + 60)
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 30 - 12 * LABEL_CHARS, height / 2 - 30
    pos = {center: (cx, cy)} if center is not None else {}
    for side, column in ((1, right), (-1, left)):
        for j, n in enumerate(column):
            if n is None:
                continue
            y = cy - ry + 2 * ry * (j + 0.5) / per_side
            dx = rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2))
            pos[n] = (cx + side * max(dx, 70), y)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="100%" '
             f'role="img" aria-label="graph" font-size="12">']
    maxw = max((d.get("weight", 1) for _, _, d in g.edges(data=True)), default=1)
    spokes = []
    for a, b, d in g.edges(data=True):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = 0.6 + 3 * d.get("weight", 1) / maxw
        if center in (a, b):
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9aa5b1" '
                         f'stroke-width="{w:.1f}"/>')
            spokes.append((x1 + (x2 - x1) * 0.72, y1 + (y2 - y1) * 0.72, d.get("weight", 1)))
        else:  # how the neighbours go together, in the background
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#c9d1da" '
                         f'stroke-width="0.6" stroke-opacity="0.6"/>')
    for x, y, n in spokes:  # how many facts a spoke stands for, on it
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" fill="#55606e" font-size="10" '
                     f'paint-order="stroke" stroke="#fff" stroke-width="3">{html.escape(fact_count(n))}</text>')
    for n, d in g.nodes(data=True):
        x, y = pos[n]
        colour = COLOURS.get(d.get("type"), "#333")
        r = 12 if d.get("center") else 7
        full = d.get("label", "")
        label = html.escape(full)
        short = html.escape(full if len(full) <= LABEL_CHARS else full[:LABEL_CHARS - 1] + "…")
        if d.get("center"):
            tx, ty, anchor = x, y - r - 6, "middle"
        else:  # outwards: a label on the right starts at its node, one on the left ends there
            right = x >= cx
            tx, ty, anchor = (x + r + 4, y + 4, "start") if right else (x - r - 4, y + 4, "end")
        weight_attr = ' font-weight="bold"' if d.get("center") else ""
        parts.append(f'<a href="{html.escape(href(n))}"><title>{label}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
                     f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="#1d2733" paint-order="stroke" '
                     f'stroke="#fff" stroke-width="3"{weight_attr}>{short}</text></a>')
    shown = [k for k in COLOURS if any(d.get("type") == k for _, d in g.nodes(data=True))]
    for i, kind in enumerate(shown):  # the legend, in the top left corner
        parts.append(f'<circle cx="{12}" cy="{14 + 16 * i}" r="5" fill="{COLOURS[kind]}"/>'
                     f'<text x="{22}" y="{18 + 16 * i}" fill="#55606e" font-size="11">{html.escape(legend(kind))}</text>')
    parts.append("</svg>")
    return "".join(parts)
