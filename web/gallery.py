"""The example query gallery in ontology/queries/*.rq: a '# title: 中文 | English' line, `# expect:`
lines for the tests, then SPARQL."""
from __future__ import annotations

from functools import lru_cache

from kg.core.data import data_path


@lru_cache(maxsize=1)
def gallery() -> list[dict]:
    out = []
    for p in sorted(data_path("queries").glob("*.rq")):
        text = p.read_text(encoding="utf-8")
        zh = en = p.stem
        for line in text.splitlines():
            if line.startswith("# title:"):
                parts = line[len("# title:"):].split("|")
                zh = parts[0].strip()
                en = parts[1].strip() if len(parts) > 1 else zh
                break
        # the `# expect:` lines are for the tests (tests/test_gallery.py), not for people
        shown = "\n".join(line for line in text.splitlines() if not line.startswith("# expect:")) + "\n"
        out.append({"id": p.stem, "title_zh": zh, "title_en": en, "query": text, "shown": shown})
    return out
