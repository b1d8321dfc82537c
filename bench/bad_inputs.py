"""Benchmark: a build over a generated set of bad and good input files (issue 18).

Writes N files (default 1,000) of about forty shapes, among them the ones found by probing the
build: random bytes, NUL bytes, other encodings (Big5, Shift-JIS, EUC-KR, UTF-16 without BOM),
mixed encodings, control and escape characters, line separators, huge lines and runs (digits,
quoted names, list separators), deep HTML, broken and hostile front matter (50-digit years,
dates that are not dates), empty and whitespace-only files, and good reports in every typography.
Each file is prepared as the build prepares it, timed and measured; then all of them are built
in one `kg build` and the good ones must all be searchable. Prints: files, crashes, internal
errors, good reports lost, the slowest file and its time, peak memory, and the build's result.

    python bench/bad_inputs.py [--n 1000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.build import prepare  # noqa: E402

SEED = (ROOT / "corpus" / "luojiang-2022h1.txt").read_text(encoding="utf-8")
GOOD = "区司法局开展普法宣传活动5场,办理行政复议案件3件。区发改局推进“放管服”改革。"


def report(body: str, title: str = "某区2022年法治政府建设工作报告", extra: str = "") -> str:
    return f"---\ntitle: {title}\nregion: 四川省/德阳市/罗江区\nyear: 2022\n{extra}---\n{body}"


def shapes(rng: random.Random) -> list[tuple[str, bytes, bool]]:
    """(name, content, is it a good report that must be ingested)."""
    fw = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
    seed_part = SEED[: rng.randint(500, 3000)]
    return [
        ("random.txt", bytes(rng.getrandbits(8) for _ in range(rng.randint(10, 5000))), False),
        ("nul.txt", b"\x00" * rng.randint(1, 1000) + GOOD.encode(), False),
        ("empty.txt", b"", False),
        ("spaces.txt", b" \n\t\r\n" * rng.randint(1, 100), False),
        ("big5.txt", ("某縣政府推進法治政府建設," * rng.randint(5, 50)).encode("big5"), False),
        ("sjis.txt", ("法治政府の建設を推進する。" * rng.randint(5, 50)).encode("shift_jis"), False),
        ("euckr.txt", ("법치 정부 건설을 추진한다." * rng.randint(5, 50)).encode("euc-kr"), False),
        ("utf16-nobom.txt", GOOD.encode("utf-16-le"), False),
        ("mixed.txt", GOOD.encode("utf-8") + GOOD.encode("gbk") + GOOD.encode("utf-8"), False),
        ("controls.txt", report(GOOD + "".join(chr(rng.randint(0, 31)) for _ in range(50)) + GOOD).encode(), False),
        ("ansi-title.txt", report(GOOD, title="报告\x1b]0;x\x07\x1b[31m红").encode(), True),
        ("separators.txt", report(GOOD.replace(",", "\u2028").replace("。", "\u2029") + "\u0085" + GOOD).encode(), True),
        ("long-line.txt", report(GOOD * rng.randint(2000, 6000)).encode(), True),
        ("digits.txt", report("区司法局办理案件" + "7" * rng.randint(5000, 40000) + "件。").encode(), True),
        ("quoted-run.txt", report("".join(f"“改革{i}”" for i in range(rng.randint(2000, 8000))) + "。").encode(), True),
        ("list-run.txt", report("区司法局、" * rng.randint(1000, 8000) + "等部门开展工作。").encode(), True),
        ("numerals.txt", report("区司法局办理案件" + "三" * rng.randint(5000, 40000) + "件。").encode(), True),
        ("deep.html", ("<div>" * rng.randint(100, 5000) + f"<p>{GOOD}</p>" + "</div>" * 10).encode(), True),
        ("broken.html", f"<html><body><p>{GOOD}<table><tr><td>".encode(), True),
        ("script.html", f"<html><head><script>alert(1)</script></head><body><p>{GOOD}</p></body></html>".encode(), True),
        ("year50.txt", report(GOOD, extra="").replace("year: 2022", "year: " + "9" * 50).encode(), False),
        ("year-sup.txt", report(GOOD).replace("year: 2022", "year: ²").encode(), False),
        ("date.txt", report(GOOD, extra="published: not-a-date\n").encode(), False),
        ("front-unclosed.txt", ("---\ntitle: x\n" + GOOD).encode(), False),
        ("front-garbage.txt", ("---\n::::\n" + "x" * 100 + "\n---\n" + GOOD).encode(), False),
        ("front-huge.txt", ("---\ntitle: " + "长" * 100000 + "\n---\n" + GOOD).encode(), True),
        ("bom.txt", b"\xef\xbb\xbf" + report(GOOD).encode(), True),
        ("gbk.txt", report(GOOD).encode("gbk"), True),
        ("crlf.txt", report(GOOD).replace("\n", "\r\n").encode(), True),
        ("fullwidth.txt", report(seed_part.translate(fw)).encode(), True),
        ("wrapped.txt", report("\n".join(seed_part[i:i + 38] for i in range(0, len(seed_part), 38))).encode(), True),
        ("seed-part.txt", report(seed_part).encode(), True),
        ("brackets.txt", report("《" * 5000 + GOOD + "》" * 5000).encode(), True),
        ("quotes.txt", report("“" * 20000 + GOOD).encode(), True),
        ("punct.txt", report(",。、;:" * 20000 + GOOD).encode(), True),
        ("headings.txt", report("".join(f"({i})加强工作。\n" for i in range(3000)) + GOOD).encode(), True),
        ("newlines.txt", report("\n" * 100000 + GOOD).encode(), True),
        ("emoji.txt", report("😀" * 1000 + GOOD + "\U0010FFFF").encode(), True),
        ("surrogate.txt", report(GOOD).encode() + b"\xed\xa0\x80" + GOOD.encode(), False),
        ("html-entities.html", ("<p>" + "&#x1F600;&amp;&lt;" * 2000 + GOOD + "</p>").encode(), True),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--keep", help="write the files here instead of a temporary folder")
    a = ap.parse_args()
    rng = random.Random(18)
    folder = Path(a.keep or tempfile.mkdtemp(prefix="bad-inputs-"))
    folder.mkdir(parents=True, exist_ok=True)
    good: set[str] = set()
    i = 0
    while i < a.n:
        for name, data, ok in shapes(rng):
            if i >= a.n:
                break
            path = folder / f"{i:04d}-{name}"
            path.write_bytes(data)
            if ok:
                good.add(path.stem)
            i += 1
    crashes, internal, lost, slowest, biggest = 0, [], [], (0.0, ""), (0.0, "")
    prepare(str(ROOT / "corpus" / "luojiang-2022h1.txt"))  # tables loaded once, before the forks
    t_all = time.time()
    for path in sorted(folder.iterdir()):
        # each file in a forked child, so its time and peak memory are its own
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            t0 = time.process_time()
            try:
                _, result = prepare(str(path))
                outcome = "ok" if not isinstance(result, str) else "skipped: " + result
            except BaseException as e:  # prepare must never raise
                outcome = f"crash: {type(e).__name__}: {e}"
            os.write(w, f"{time.process_time() - t0:.3f}\t{outcome}".encode()[:4000])
            os._exit(0)
        os.close(w)
        message = b""
        while chunk := os.read(r, 4096):
            message += chunk
        os.close(r)
        _, status, usage = os.wait4(pid, 0)
        took, _, outcome = message.decode(errors="replace").partition("\t")
        if not message or status != 0:
            crashes += 1
            print(f"CRASH {path.name}: exit status {status}")
            continue
        slowest = max(slowest, (float(took), path.name))
        biggest = max(biggest, (usage.ru_maxrss / 1024, path.name))
        if outcome.startswith("crash"):
            crashes += 1
            print(f"CRASH {path.name}: {outcome}")
        elif outcome.startswith("skipped"):
            if "internal error" in outcome:
                internal.append((path.name, outcome))
            if path.stem in good:
                lost.append((path.name, outcome))
    print(f"files                {a.n} ({len(good)} good reports among them)")
    print(f"prepared in          {time.time() - t_all:.1f} s")
    print(f"crashes              {crashes}")
    print(f"internal errors      {len(internal)}" + "".join(f"\n    {n}: {r[:120]}" for n, r in internal))
    print(f"good reports lost    {len(lost)}" + "".join(f"\n    {n}: {r[:120]}" for n, r in lost))
    print(f"slowest file         {slowest[0]:.2f} s CPU ({slowest[1]})   goal < 10 s")
    print(f"most memory          {biggest[0]:.0f} MB peak RSS ({biggest[1]})   goal < 500 MB")
    data = Path(tempfile.mkdtemp(prefix="bad-inputs-data-"))
    t0 = time.time()
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(folder), "--data", str(data)],
                       capture_output=True, text=True, cwd=ROOT)
    print(f"kg build             exit {r.returncode} in {time.time() - t0:.1f} s: {r.stdout.strip()}")
    tracebacks = r.stderr.count("Traceback")
    print(f"tracebacks           {tracebacks}")
    s = subprocess.run([sys.executable, "-m", "app.cli", "search", "普法", "--json", "--data", str(data)],
                       capture_output=True, text=True, cwd=ROOT)
    answers = s.returncode == 0 and '"total"' in s.stdout
    print(f"search 普法           {'answers' if answers else 'FAILS'}")


if __name__ == "__main__":
    main()
