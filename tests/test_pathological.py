"""Inputs shaped to make a recogniser quadratic or exhaust memory (issue 18): each is read in
about linear time and memory, and gives a normal result instead of an error. The bounds are
generous (the quadratic versions took from seconds to minutes and gigabytes)."""
import time
import tracemalloc

import pytest

from kg.text.documents import load_bytes
from kg.extract import extract

from conftest import report

CASES = {
    # initiatives: every suffix of every key of a run of quoted names (60 KB took 2.9 GB)
    "a run of quoted names": "".join(f"“改革{i}”" for i in range(8000)) + "。",
    # metrics: a run of digits matched again from each digit (20 KB took 39 s)
    "a run of digits": "区司法局办理案件" + "1" * 40_000 + "件。",
    "digits alone": "1" * 40_000,
    "a run of Chinese numerals": "区司法局办理案件" + "三" * 40_000 + "件。",
    # collectives: \\d+个 from each digit (40k digits took 6.5 s)
    "digits before 个": "1" * 40_000 + "个部门",
    "a long list of bodies": "区司法局、" * 8000 + "等部门开展工作。",
}


@pytest.mark.parametrize("name", CASES)
def test_pathological_text_is_read_in_linear_time_and_memory(name):
    doc = load_bytes(report(CASES[name]), "t.txt")
    tracemalloc.start()
    t0 = time.process_time()
    try:
        x = extract(doc)
        seconds = time.process_time() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 20 and peak < 300 * 2**20, (seconds, peak)
    assert all(len(str(m.value)) <= 20 for m in x.metrics)


def test_a_number_of_thousands_of_digits_is_no_metric_and_no_error():
    x = extract(load_bytes(report("区司法局办理案件" + "7" * 5000 + "件,办结6件。"), "t.txt"))
    assert [m.value for m in x.metrics] == [6]


def test_a_short_run_of_quoted_names_is_still_one_programme(run):
    x = run("区政务服务局推行“一件事”“一次办”改革。")
    assert any(e.label == "一件事一次办改革" for e in x.entities if e.type == "Initiative")
