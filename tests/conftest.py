from __future__ import annotations

from pathlib import Path

import pytest

from kg.documents import load_bytes
from kg.extract import extract

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "luojiang-2022h1.txt"


def report(text: str, region: str = "四川省/德阳市/罗江区", title: str = "测试报告") -> bytes:
    return f"---\ntitle: {title}\nregion: {region}\nyear: 2022\n---\n{text}".encode("utf-8")


@pytest.fixture
def run():
    """Extract from a short report written for the test."""
    def _run(text: str, region: str = "四川省/德阳市/罗江区", title: str = "测试报告"):
        return extract(load_bytes(report(text, region, title), "test.txt"))
    return _run


def by_type(x, typ):
    return [e for e in x.entities if e.type == typ]


def labels(x, typ):
    return {e.label for e in by_type(x, typ)}


@pytest.fixture(scope="session")
def built_data(tmp_path_factory):
    """A build of the bundled report, shared by the search, web and SPARQL tests."""
    from kg.store import build
    data = tmp_path_factory.mktemp("built")
    build([str(SEED)], data)
    return data
