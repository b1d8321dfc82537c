"""The neighbourhood of an entity as SVG, drawn on the server from a networkx layout.
Nodes are links to their pages, so the view works without JavaScript."""
from __future__ import annotations

import html

import networkx as nx

COLOURS = {"Department": "#1f5fa8", "Regulation": "#7a3fb0", "Initiative": "#1c7c54", "Place": "#a15c00",
           "Collective": "#555555"}


def svg(g: nx.Graph, href, width: int = 760, height: int | None = None, legend=str) -> str:
    """Sized to its content (a few neighbours get a low box), labels kept inside the box (those on
    the right half end at their node), a legend of the kinds shown (`legend` names a kind in the
    page's language)."""
    if len(g) == 0:
        return ""
    if height is None:
        height = min(520, 140 + 40 * len(g))
    center = next((n for n, d in g.nodes(data=True) if d.get("center")), None)
    pos = nx.spring_layout(g, seed=7, weight="weight", center=(0, 0),
                           fixed=[center] if center is not None else None,
                           pos={center: (0.0, 0.0)} if center is not None else None) if len(g) > 1 else {center: (0, 0)}
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    span_x = (max(xs) - min(xs)) or 1
    span_y = (max(ys) - min(ys)) or 1

    def xy(n):
        x, y = pos[n]
        return 170 + (x - min(xs)) / span_x * (width - 340), 40 + (y - min(ys)) / span_y * (height - 80)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="graph" font-size="12">']
    maxw = max((d.get("weight", 1) for _, _, d in g.edges(data=True)), default=1)
    for a, b, d in g.edges(data=True):
        (x1, y1), (x2, y2) = xy(a), xy(b)
        w = 0.6 + 3 * d.get("weight", 1) / maxw
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9aa5b1" stroke-width="{w:.1f}"/>')
    for n, d in g.nodes(data=True):
        x, y = xy(n)
        colour = COLOURS.get(d.get("type"), "#333")
        r = 11 if d.get("center") else 7
        label = html.escape(d.get("label", ""))
        short = html.escape(d.get("label", "")[:18])
        right = x > width / 2  # a label on the right half ends at its node, so it stays in the box
        tx, anchor = (x - r - 3, "end") if right else (x + r + 3, "start")
        parts.append(f'<a href="{html.escape(href(n))}"><title>{label}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
                     f'<text x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" fill="#1d2733">{short}</text></a>')
    shown = sorted({d.get("type") for _, d in g.nodes(data=True) if d.get("type") in COLOURS})
    for i, kind in enumerate(shown):  # the legend, in the top left corner
        parts.append(f'<circle cx="{12}" cy="{14 + 16 * i}" r="5" fill="{COLOURS[kind]}"/>'
                     f'<text x="{22}" y="{18 + 16 * i}" fill="#55606e" font-size="11">{html.escape(legend(kind))}</text>')
    parts.append("</svg>")
    return "".join(parts)
