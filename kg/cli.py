"""The `kg` command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def data_dir(args) -> Path:
    return Path(getattr(args, "data", None) or os.environ.get("KG_DATA") or "./data")


def cmd_extract(args) -> int:
    from .documents import DocumentError, iter_paths, load
    from .extract import extract
    from .jsonout import extraction_json
    skipped = 0
    paths = iter_paths(args.paths)
    if not paths:
        print("kg extract: no .txt, .html or .htm files found in the given paths", file=sys.stderr)
        return 1
    out = sys.stdout
    for path in paths:
        try:
            doc = load(path)
            result = extract(doc)
        except DocumentError as e:
            print(f"kg: skipped {e.path}: {e.reason}", file=sys.stderr)
            skipped += 1
            continue
        except RecursionError:
            print(f"kg: skipped {path}: structure too deeply nested to read", file=sys.stderr)
            skipped += 1
            continue
        if args.json:
            out.write(json.dumps(extraction_json(result), ensure_ascii=False) + "\n")
        else:
            x = result
            counts = {t: sum(1 for e in x.entities if e.type == t)
                      for t in ("Department", "Regulation", "Initiative", "Place", "Collective")}
            summary = ", ".join(f"{n} {t.lower()}" for t, n in counts.items())
            out.write(f"{path}: {doc.meta.title or '(untitled)'} [{doc.meta.region or 'region unknown'}, "
                      f"{doc.meta.period or 'period unknown'}] {summary}, {len(x.metrics)} metrics, "
                      f"{len(x.facts)} facts\n")
    return 1 if skipped else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="zhengwu-kg: knowledge graph of Chinese local-government reports")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract entities, metrics and facts without storing anything",
                       description="Read report files (.txt in UTF-8 or GBK, saved .html pages) or folders of them "
                                   "and print what was extracted. A bad file is reported on stderr and skipped; "
                                   "the exit status is 1 when any file was skipped.")
    e.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    e.add_argument("--json", action="store_true", help="one JSON object per document per line (see CONTRACT.md)")
    e.set_defaults(func=cmd_extract)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
