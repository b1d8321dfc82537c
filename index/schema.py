"""The index schema, declared once."""
from __future__ import annotations

from whoosh.analysis import SimpleAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from index.analysis import chinese_analyzer


def schema() -> Schema:
    zh = chinese_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),                     # entity | passage
        type=KEYWORD(stored=True, lowercase=True),  # department, regulation, ..., passage
        label=TEXT(analyzer=zh, stored=True, field_boost=4.0),
        aliases=TEXT(analyzer=zh, stored=True, field_boost=2.0),
        pinyin=TEXT(analyzer=SimpleAnalyzer(), stored=True, field_boost=3.0),
        english=TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=2.0),
        text=TEXT(analyzer=zh, stored=True),
        document=ID(stored=True),
        doc_title=STORED(),
        section=STORED(),
        start=STORED(),
        end=STORED(),
        region=KEYWORD(stored=True, commas=True),
        year=NUMERIC(stored=True, shift_step=0),  # one term per year: filters ask for one year
        departments=KEYWORD(stored=True, commas=True),
        places=KEYWORD(stored=True, commas=True),
    )
