"""Reports as they are published: PDF attachments with a text layer (pypdf) and Word files
(python-docx). Each gives plain text, which then goes through the same normalisation and offset
map as any report; offsets point into this text, which the build keeps and the report page shows.

Formats we cannot read say what to do instead: a scanned PDF (no text layer), legacy Word
(.doc), WPS (.wps) and OFD files.
"""
from __future__ import annotations

import io
import re
from collections import Counter

from kg.text.errors import DocumentError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls: the old binary Office files

CONVERT = "convert it to DOCX or PDF (with a text layer), or save its text as UTF-8"
UNREADABLE = {
    ".doc": f"a legacy Word (.doc) file: {CONVERT}",
    ".wps": f"a WPS Office (.wps) file: {CONVERT}",
    ".ofd": f"an OFD (China's fixed-layout format) file: {CONVERT}",
    ".et": f"a WPS spreadsheet: {CONVERT}",
    ".xls": f"a spreadsheet, not a report: {CONVERT}",
    ".xlsx": f"a spreadsheet, not a report: {CONVERT}",
    ".ppt": "a presentation, not a report",
    ".pptx": "a presentation, not a report",
    ".rtf": f"an RTF file: {CONVERT}",
}

# a page number on a line of its own: 3, - 3 -, —3—, 第3页, 第 3 页 共 10 页, 3/10, Page 3
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
                         r"\d{1,4}\s*/\s*\d{1,4}|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?|\d{1,4})\s*$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def kind_of(data: bytes, suffix: str) -> str:
    """'pdf', 'docx', 'unreadable' or 'text', from the file's first bytes and its suffix."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC) and b"word/" in data[:65536]:
        return "docx"
    if suffix in UNREADABLE or data.startswith(OLE_MAGIC):
        return "unreadable"
    if suffix == ".docx" or (data.startswith(ZIP_MAGIC) and suffix not in (".txt", ".html", ".htm")):
        return "docx"
    return "text"


def unreadable_reason(data: bytes, suffix: str) -> str:
    if suffix in UNREADABLE:
        return UNREADABLE[suffix]
    return f"an old binary Office file (Word .doc, WPS or Excel): {CONVERT}"


def pdf_text(data: bytes, source: str) -> str:
    """The text of a PDF's pages, joined; running headers, footers and page numbers dropped."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(source, "an encrypted PDF: save it without a password, or its text as UTF-8")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise DocumentError(source, f"a PDF that cannot be read ({type(e).__name__}: {str(e)[:120]})") from None
    text = "\n".join(_without_furniture([p.splitlines() for p in pages]))
    if len(CJK.findall(text)) < 10:
        raise DocumentError(source, "a PDF without a text layer (scanned pages?): run OCR on it, or find the "
                                    "report's text on its web page")
    return text


def _without_furniture(pages: list[list[str]]) -> list[str]:
    """Lines of every page but its running header and footer (the same first or last lines on
    most pages, numbers aside) and lines that are only a page number."""
    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())
    repeated: set[str] = set()
    if len(pages) >= 3:
        edges = Counter()
        for lines in pages:
            body = [line for line in lines if line.strip()]
            for line in {shape(x) for x in body[:2] + body[-2:]}:
                edges[line] += 1
        repeated = {s for s, n in edges.items() if s and n * 2 >= len(pages)}
    out = []
    for lines in pages:
        body = [line for line in lines if line.strip()]
        n = len(body)
        for i, line in enumerate(body):
            at_edge = i < 2 or i >= n - 2
            if PAGE_NUMBER.match(line) and (at_edge or len(line.strip()) > 1):
                continue
            if at_edge and shape(line) in repeated:
                continue
            out.append(line)
    return out


def docx_text(data: bytes, source: str) -> str:
    """The paragraphs and tables of a Word file in their order; a table row is one line, its cells
    apart by two spaces (a table, not prose, to the reader)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises zip, XML and its own errors on damage
        raise DocumentError(source, f"a Word file that cannot be read ({type(e).__name__}: {str(e)[:120]})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if not cells or cells[-1] != t:  # merged cells repeat their text
                        cells.append(t)
                lines.append("  ".join(cells))
    text = "\n".join(lines)
    if not text.strip():
        raise DocumentError(source, "a Word file without text")
    return text
