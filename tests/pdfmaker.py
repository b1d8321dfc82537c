"""A small writer of text PDFs for tests: Chinese lines on A4 pages in a Type0 font with the
standard UniGB-UCS2-H encoding (no font embedded: viewers substitute one; the text layer is what
readers extract)."""
from __future__ import annotations


def pdf_bytes(pages: list[list[str]]) -> bytes:
    objs: list[bytes] = []

    def add(obj) -> int:
        objs.append(obj if isinstance(obj, bytes) else obj.encode("latin-1"))
        return len(objs)
    desc = add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] "
               "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    cid = add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
              f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {desc} 0 R /DW 1000 >>")
    font = add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               f"/DescendantFonts [{cid} 0 R] >>")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
        ops += ["<" + line.encode("utf-16-be").hex() + "> Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(f"<< /Length {len(stream)} >>\nstream\n".encode("latin-1") + stream + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"))
    assert add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>") == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def paged(text: str, width: int = 38, per_page: int = 40, header: str = "德阳市罗江区人民政府") -> list[list[str]]:
    """A report laid out as a PDF lays it out: paragraphs wrapped at `width`, pages of
    `per_page` lines under a running header and over a page number."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines += [para[i:i + width] for i in range(0, len(para), width)] or [""]
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    return [[header, *page, f"- {n} -"] for n, page in enumerate(pages, 1)]
