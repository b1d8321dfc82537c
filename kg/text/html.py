"""Saved government web pages: keep the article, drop the navigation.

Pages from government portals wrap one article in menus, breadcrumbs, share bars and
footers. We parse with lxml's HTML parser (tolerant of broken markup), drop the furniture,
and keep the block with the most running Chinese text.
"""
from __future__ import annotations

import re

from lxml import etree, html

from kg.text.errors import DocumentError

DROP_TAGS = {"script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "aside",
             "select", "button", "input", "textarea", "svg", "canvas", "object", "embed", "head"}
FURNITURE = re.compile(
    r"(^|[\s_-])(nav|menu|footer|header|breadcrumb|crumb|sidebar|side|share|toolbar|copyright|"
    r"login|search|topbar|bottom|banner|links?|friendlink|pagination|print|font|fenxiang)($|[\s_-]|\d)",
    re.I)
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "main", "td"}
CONTAINERS = {"div", "article", "section", "td", "main", "body", "font", "span", "center"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _text_of(el) -> str:
    """Text with line breaks at block elements; iterative, so deep nesting is no problem."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if node.text and tag:
                parts.append(node.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if node is not el and node.tail:
                parts.append(node.tail)
    text = "".join(parts).replace("\xa0", " ").replace("\r", "")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


SCRIPTS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|table|section|article)\b[^>]*>", re.I)


def _strip_tags(source_text: str) -> str:
    import html as htmllib
    t = SCRIPTS.sub("", source_text)
    t = BLOCK_TAG.sub("\n", t)
    t = htmllib.unescape(TAG.sub("", t))
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in t.split("\n")]
    return "\n".join(line for line in lines if line) + "\n"


def html_to_text(source_text: str, path: str) -> tuple[str, str | None]:
    """Return (article text, page title)."""
    try:
        parser = html.HTMLParser(huge_tree=True, remove_comments=True, recover=True, encoding="utf-8")
        root = html.document_fromstring(source_text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(path, f"HTML that cannot be parsed ({e})")
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        attrs = " ".join(filter(None, (el.get("id"), el.get("class"))))
        if el.tag in DROP_TAGS or (attrs and FURNITURE.search(attrs) and el.tag not in {"body", "html"}):
            parent = el.getparent()
            if parent is not None:
                tail = el.tail
                parent.remove(el)
                if tail:  # keep text that followed the removed element
                    prev = parent[-1] if len(parent) else None
                    if prev is not None:
                        prev.tail = (prev.tail or "") + tail
                    else:
                        parent.text = (parent.text or "") + tail
    # score running text: each text run counts for its block and, halved, for the one above
    scores: dict = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for chunk in (el.text, el.tail):
            if not chunk:
                continue
            n = len(CJK.findall(chunk))
            if n < 8:
                continue
            owner = el if chunk is el.text else el.getparent()
            hops = 0
            while owner is not None and hops < 3:
                if owner.tag in CONTAINERS:
                    scores[owner] = scores.get(owner, 0) + n / (1 + hops)
                    hops += 1
                owner = owner.getparent()
    best = max(scores, key=scores.get) if scores else root
    h1 = root.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        title = h1.text_content().strip()
    text = _text_of(best)
    # libxml2 stops building the tree beyond its depth limit; fall back to plain tag stripping
    raw_cjk = len(CJK.findall(SCRIPTS.sub("", source_text)))
    if raw_cjk and len(CJK.findall(text)) < 0.3 * raw_cjk and len(CJK.findall(_text_of(root))) < 0.3 * raw_cjk:
        text = _strip_tags(source_text)
    if title and title not in text[:300]:
        text = title + "\n" + text
    return text, title
