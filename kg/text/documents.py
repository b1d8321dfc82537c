"""Reading report files: decoding, front matter, saved web pages, and metadata.

A bad file raises DocumentError naming the file and what is wrong; callers report it and
carry on with the other files.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from functools import lru_cache
from pathlib import Path

from kg.core.records import Document, Metadata
from kg.text.regions import Gazetteer, gazetteer
from kg.text.structure import segment
from kg.text import attachments
from kg.text.errors import DocumentError
from kg.text.html import html_to_text
from kg.text.normalize import fold, in_original, normalize

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}
# files of these kinds in a folder are reported (with what to do), not passed over in silence
NAMED_IN_FOLDERS = SUFFIXES | set(attachments.UNREADABLE)


# ---------------------------------------------------------------- decoding

def decode(data: bytes, path: str, notes: list[str] | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK), else
    line by line when the file mixes them (text pasted together from two sources): each line in
    whichever of the two reads it as Chinese text, a line neither reads with its bad bytes
    replaced (U+FFFD). What was done is added to `notes`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise DocumentError(path, f"not valid UTF-16 despite its byte-order mark ({e.reason} at byte {e.start})")
    if b"\x00" in data[:65536]:
        raise DocumentError(path, "binary file (contains NUL bytes), not a text or HTML report")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        # GB18030 decodes almost anything; insist that the result looks like Chinese text
        if text is not None and _chinese(text) and not _looks_korean(data):
            return text
        mixed = _decode_lines(data)
        if mixed is not None:
            text, gbk_lines, replaced = mixed
            if notes is not None:
                said = []
                if gbk_lines:
                    said.append(f"{gbk_lines} line(s) in GB18030/GBK among UTF-8")
                if replaced:
                    said.append(f"{replaced} undecodable byte sequence(s) replaced with U+FFFD")
                notes.append("mixed encodings: " + "; ".join(said))
            return text
        if text is None:
            raise DocumentError(
                path, f"undecodable: neither UTF-8 (byte {utf8_error.start}) nor GB18030/GBK")
        raise DocumentError(path, _what_it_seems(data))


MIXED_MAX_REPLACED = 0.02  # of the bytes: more, and the file is not a report with a few bad lines


def _chinese(text: str) -> bool:
    cjk = len(CJK_RE.findall(text))
    return cjk > 0 and len(ODD_RE.findall(text)) <= cjk and _common_share(text) >= 0.6


def _decode_lines(data: bytes) -> tuple[str, int, int] | None:
    """(text, lines read as GB18030, byte sequences replaced) of a file whose lines are UTF-8
    or GBK, a few perhaps neither; None unless most of it is Chinese text in UTF-8."""
    out, gbk_lines, replaced, utf8_bytes = [], 0, 0, 0
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
            utf8_bytes += len(line)
            continue
        except UnicodeDecodeError:
            pass
        try:
            t = line.decode("gb18030")
            if _chinese(t):
                out.append(t)
                gbk_lines += 1
                continue
        except UnicodeDecodeError:
            pass
        t = line.decode("utf-8", errors="replace")
        replaced += t.count("\ufffd") - line.decode("utf-8", errors="ignore").count("\ufffd")
        out.append(t)
    text = "".join(out)
    if replaced > MIXED_MAX_REPLACED * len(data) or utf8_bytes * 2 < len(data) or not _chinese(text):
        return None
    return text, gbk_lines, replaced


CJK_RE = re.compile(r"[\u4e00-\u9fff]")
KANA_RE = re.compile(r"[\u3040-\u30ff]")
HANGUL_RE = re.compile(r"[\uac00-\ud7af]")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The 3,755 most used Chinese characters: level 1 of GB 2312 (lead bytes B0–D7)."""
    out = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


def _common_share(text: str) -> float:
    """The share of common characters among the Chinese ones: above 0.9 in real reports, low
    in text of another encoding read as GBK."""
    hanzi = CJK_RE.findall(text)
    if not hanzi:
        return 0.0
    common = _common_hanzi()
    return sum(1 for c in hanzi if c in common) / len(hanzi)


def _looks_korean(data: bytes) -> bool:
    """EUC-KR's Hangul shares its bytes with GBK's common characters; Korean text also puts
    spaces between its words, which Chinese does not."""
    try:
        ko = data.decode("euc_kr")
    except UnicodeDecodeError:
        return False
    hangul = len(HANGUL_RE.findall(ko))
    return hangul * 3 > len(ko.strip()) and ko.count(" ") * 8 > hangul


def _what_it_seems(data: bytes) -> str:
    """Why a file that is not UTF-8 is not read as GBK either: what it seems to be."""
    def decoded(codec: str) -> str | None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            return None
    ko, ja, tw = decoded("euc_kr"), decoded("shift_jis"), decoded("big5")
    if ko and _looks_korean(data):
        kind = "Korean text (EUC-KR)"
    elif ja and len(KANA_RE.findall(ja)) * 10 > len(ja.strip()):
        kind = "Japanese text (Shift-JIS)"
    elif tw and len(CJK_RE.findall(tw)) * 2 > len(tw.strip()):
        kind = "traditional Chinese text in Big5"
    else:
        return "undecodable: neither UTF-8 nor GB18030/GBK Chinese text"
    return f"seems to be {kind}, not a report in UTF-8 or GBK: convert it to UTF-8"
ODD_RE = re.compile(r"[\u0080-\u2fff](?<![·—‘’“”…、])")
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
ANSI_OR_CONTROL = re.compile(r"\x1b\[[0-9;?]{0,16}[ -/]{0,2}[@-~]|[\x00-\x08\x0e-\x1f]")  # a terminal's escape whole


def check_text(text: str, path: str, notes: list[str] | None = None) -> str:
    """The text without stray control characters (a bell, an escape sequence's ESC), which are
    noted; too many of them and it is no text file."""
    controls = len(CONTROL_RE.findall(text, 0, 65536))
    if controls > 0.01 * min(len(text), 65536) + 8:
        raise DocumentError(path, "binary file (too many control characters), not a text or HTML report")
    cleaned, n = ANSI_OR_CONTROL.subn("", text)
    if n and notes is not None:
        notes.append(f"{n} control character(s) removed")
    return cleaned


# ---------------------------------------------------------------- front matter



def split_front_matter(text: str, path: str) -> tuple[dict[str, str], str]:
    """Return (fields, body). The body is the text after the closing '---' line, unchanged."""
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    pos = first_nl + 1
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.strip() == "---":
            body_start = len(text) if nl < 0 else nl + 1
            return fields, text[body_start:]
        m = re.match(r"\s*([A-Za-z_][\w-]*)\s*:\s?(.*)$", line)
        if m:
            value = m.group(2).strip().strip("'\"")
            fields[m.group(1).lower()] = value
        elif line.strip() and not line.startswith((" ", "\t", "#")):
            raise DocumentError(path, f"broken front matter: line {line[:40]!r} is not 'key: value'")
        if nl < 0:
            break
        pos = nl + 1
    raise DocumentError(path, "broken front matter: the opening '---' has no closing '---' line")


# ---------------------------------------------------------------- metadata

DATE_RE = re.compile(
    r"(?:发布时间|发布日期|成文日期|发文日期|印发日期|日期|时间)\s*[::]\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
INDEX_RE = re.compile(r"索\s*引\s*号\s*[::]\s*([0-9A-Za-z/\-_.]+)")
DOCNO_RE = re.compile(r"文\s*号\s*[::][ \t\u3000]*([^\s::]{2,40}?号)")
SOURCE_RE = re.compile(r"(?:来源|发布机构|发布单位)\s*[::][ \t\u3000]*([\u4e00-\u9fff()()]{2,40})(?![\u4e00-\u9fff]*\s*[::])")
PERIOD_RE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(上半年|下半年|第[一二三四1-4]季度|[一二三四1-4]季度|前三季度|年度|全年|工作)?")
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def infer_period(title: str) -> tuple[int | None, str | None]:
    m = PERIOD_RE.search(title or "")
    if not m:
        return None, None
    year = int(m.group(1))
    qual = m.group(2) or ""
    if qual == "上半年":
        return year, f"{year}-H1"
    if qual == "下半年":
        return year, f"{year}-H2"
    if "季度" in qual and qual != "前三季度":
        return year, f"{year}-Q{QUARTERS[qual.strip('第季度')]}"
    return year, str(year)


def guess_title(body: str) -> str | None:
    for line in body.splitlines()[:30]:
        s = line.strip()
        if 6 <= len(s) <= 80 and re.search(r"报告|情况|总结|通知|方案|要点|意见|规划|工作|会议|公报", s) \
                and not re.search(r"[::]|首页|当前位置|无障碍|版权", s):
            return s
    for line in body.splitlines():
        if line.strip():
            return line.strip()[:80]
    return None


def _printable(text: str) -> str:
    """Text without control characters (an ANSI escape in a title is no part of it)."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text).strip()


def _date(y: int, m: int, d: int) -> str | None:
    """YYYY-MM-DD of a real calendar date, else None."""
    import datetime
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


FRONT_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
FRONT_YEAR = re.compile(r"(\d{4})")


def infer_metadata(body: str, front: dict[str, str], gaz: Gazetteer, source: str = "") -> Metadata:
    head = body[:3000]
    meta = Metadata()
    meta.url = front.get("url") or None
    meta.title = _printable(fold(front.get("title") or "") or guess_title(body) or "") or None
    if m := DATE_RE.search(head):
        meta.published = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if front.get("published"):
        m = FRONT_DATE.fullmatch(front["published"].strip())
        meta.published = _date(*map(int, m.groups())) if m else None
        if meta.published is None:
            raise DocumentError(source, f"front matter: published {front['published'][:40]!r} is not a date "
                                        "(write it as YYYY-MM-DD)")
    if front.get("year", "").strip():
        m = FRONT_YEAR.fullmatch(front["year"].strip())
        if not m or not 1900 <= int(m.group(1)) <= 2199:
            raise DocumentError(source, f"front matter: year {front['year'][:40]!r} is not a year "
                                        "(four digits, such as 2022)")
    if m := INDEX_RE.search(head):
        meta.index_no = m.group(1)
    if m := DOCNO_RE.search(head):
        meta.doc_no = m.group(1)
    if m := SOURCE_RE.search(head):
        meta.publisher = m.group(1)
    year, period = infer_period(meta.title or "")
    if year is None:
        year, period = infer_period(body[:500])
    if front.get("year", "").strip():
        fy = int(front["year"])
        if fy != year:
            year, period = fy, str(fy)
    meta.year = year
    meta.period = front.get("period") or period
    given = "/".join(p for p in re.split(r"[/>,,\s]+", front.get("region") or "") if p)
    if given and gaz.resolve_path(given):
        meta.region = given
    else:
        # none given, or one the division table does not know: the region the title names, or
        # the opening, or the sign-off at the end (岳阳县人民政府 / 2023年3月1日)
        div = (gaz.region_of_text(meta.title or "") or gaz.region_of_text(body[:2000])
               or gaz.region_of_text(body[-300:]))
        meta.region = gaz.path_string(div) if div else (given or None)
    return meta


# ---------------------------------------------------------------- loading

def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<head" in head


def load_bytes(data: bytes, source: str, is_html: bool | None = None,
               gaz: Gazetteer | None = None) -> Document:
    gaz = gaz or gazetteer()
    if not data.strip():
        raise DocumentError(source, "empty file")
    if len(data) > MAX_BYTES:
        raise DocumentError(source, f"oversized: {len(data) / 2**20:.1f} MiB, the limit is {MAX_BYTES / 2**20:.0f} MiB")
    notes: list[str] = []
    text = check_text(decode(data, source, notes), source, notes)
    front: dict[str, str] = {}
    if is_html is None:
        is_html = looks_like_html(text)
    if is_html:
        body, html_title = html_to_text(text, source)
        if html_title:
            front["title"] = html_title
    else:
        front, body = split_front_matter(text, source)
    if not body.strip():
        raise DocumentError(source, "no text after removing front matter and page furniture")
    doc = _document(body, front, source, gaz)
    doc.notes = notes
    return doc


def load_text(text: str, source: str, gaz: Gazetteer | None = None) -> Document:
    """A report from text a reader extracted (PDF, Word): no front matter, no HTML."""
    notes: list[str] = []
    text = check_text(text, source, notes)
    if not text.strip():
        raise DocumentError(source, "no text in the file")
    doc = _document(text, {}, source, gaz or gazetteer())
    doc.notes = notes
    return doc


def _document(body: str, front: dict[str, str], source: str, gaz: Gazetteer) -> Document:
    norm = normalize(body)
    meta = infer_metadata(norm.text, front, gaz, source)
    if norm.text == body:
        return segment(Document(source=source, body=body, meta=meta))
    return segment(Document(source=source, body=norm.text, meta=meta, original=body, origin=norm.origin))


def structure(body: str) -> Document:
    """The sections, sentences and clauses of a report body, as offsets into that body (read
    from its normalised text, as extraction reads it)."""
    norm = normalize(body)
    doc = segment(Document(source="", body=norm.text, meta=Metadata()))
    if norm.text != body:
        doc = in_original(doc, body, norm.origin)
    return doc


def load(path: str | Path, gaz: Gazetteer | None = None) -> Document:
    p = Path(path)
    source = str(path)
    try:
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # reading it could block or never end
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
            raise DocumentError(source, f"{kind}, not a report file")
        with open(p, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # read, not taken from stat: /proc files say 0 bytes
    except OSError as e:
        raise DocumentError(source, f"cannot be read ({e.strerror or e})")
    if len(data) > MAX_BYTES:
        raise DocumentError(source, f"oversized: more than the limit of {MAX_BYTES / 2**20:.0f} MiB")
    suffix = p.suffix.lower()
    kind = attachments.kind_of(data, suffix)
    if kind == "unreadable":
        raise DocumentError(source, attachments.unreadable_reason(data, suffix))
    if kind in ("pdf", "docx"):
        text = attachments.pdf_text(data, source) if kind == "pdf" else attachments.docx_text(data, source)
        return load_text(text, source, gaz=gaz)
    return load_bytes(data, source, is_html=suffix in {".html", ".htm"} or None, gaz=gaz)


def iter_paths(paths: list[str], skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Expand folders into the report files they hold (recursively, sorted). Inside a folder,
    symbolic links are not followed (a link could bring in any file of the machine): each is
    added to `skipped` with the reason. A path named itself is taken as given."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for folder, dirs, files in os.walk(p, followlinks=False):
                for name in dirs + files:
                    f = Path(folder) / name
                    if f.is_symlink():
                        if skipped is not None:
                            skipped.append((str(f), "a symbolic link: links inside a folder are not followed "
                                                    "(name the file itself to build it)"))
                    elif name in files and f.suffix.lower() in NAMED_IN_FOLDERS:
                        found.append(f)
                    elif name in files and skipped is not None and not name.startswith("."):
                        skipped.append((str(f), f"not a report format we read ({f.suffix or 'no suffix'}): "
                                                 "reports are .txt, .html, .pdf or .docx"))
            out.extend(str(f) for f in sorted(found))
        else:
            out.append(raw)
    return out
