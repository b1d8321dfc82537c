"""What a read-only SPARQL service refuses before the engine sees a query.

- **SERVICE** (an outbound request from our machine): decided from the parsed query. SPARQL
  turns `\\uXXXX` escapes into characters before parsing, so the test is made on that text: a
  query whose text then never spells S-E-R-V-I-C-E (in any case) cannot hold the keyword, and
  needs no parse; any other query is parsed (rdflib's SPARQL grammar) and refused when its
  syntax tree holds a SERVICE pattern, or when it cannot be parsed at all, since then nobody
  can say what the engine would make of it.
- **Updates**: the service is read-only.
- **Shapes the engine cannot survive**: Oxigraph evaluates its algebra recursively, and a
  query nested past a few thousand levels (brackets, or chains of UNION, OPTIONAL or binary
  operators, which nest without brackets) overflows its stack and kills the process. Such
  queries are refused by their nesting depth and their number of operators.

Every test here is linear in the length of the query (no backtracking regular expressions).
"""
from __future__ import annotations

import re
from functools import lru_cache
import threading

MAX_DEPTH = 128
MAX_OPERATORS = 2000

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# strings, IRIs, escapes in local names (a\\# is no comment) and comments are skipped; every
# alternative either matches or fails at its first character or at the next one that cannot
# belong to it, and an unclosed string runs to its end, so no text is scanned twice
_TOKENS = re.compile(r"""
    (?P<skip> '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
            | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
            | '(?:[^'\\\n]|\\.)*(?:'|$|(?=\n))
            | "(?:[^"\\\n]|\\.)*(?:"|$|(?=\n))
            | <[^<>"{}|^`\\\s]*>
            | \\.
            | \#[^\n]* )
  | (?P<open> [({\[] ) | (?P<close> [)}\]] )
  | (?P<op> \|\| | && | [+*/|] | \b(?:UNION|OPTIONAL|MINUS)\b )""", re.I | re.X | re.S)
# a prologue (comments, PREFIX and BASE declarations) and then an update's first keyword; each
# alternative starts with its own character, so there is one way to match and no backtracking
_UPDATE = re.compile(r"\s*(?:(?:#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>\s]*>|BASE\s*<[^>\s]*>)\s*)*"
                     r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


_PARSER = threading.Lock()


class Refused(Exception):
    """A query the service will not run: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


READ_ONLY = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP…) is refused"
NO_SERVICE = "SERVICE is refused: this endpoint makes no outbound requests"


def unescape_codepoints(query: str) -> str:
    """The query as the SPARQL parser reads it: \\uXXXX and \\UXXXXXXXX escapes replaced first."""
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)
    return _CODEPOINT.sub(one, query)


def check_shape(query: str) -> None:
    """Refuse a query nested deeper, or chaining more operators, than the engine can evaluate."""
    depth = deepest = operators = 0
    for m in _TOKENS.finditer(query):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        elif kind == "op":
            operators += 1
    if deepest > MAX_DEPTH:
        raise Refused(400, f"the query is nested {deepest} levels deep; at most {MAX_DEPTH} are allowed")
    if operators > MAX_OPERATORS:
        raise Refused(400, f"the query chains {operators} operators (UNION, OPTIONAL, MINUS, +, *, /, |, &&, ||); "
                           f"at most {MAX_OPERATORS} are allowed")


def is_update(query: str) -> bool:
    return _UPDATE.match(unescape_codepoints(query)) is not None


def has_service(query: str) -> bool:
    """Whether the query holds a SERVICE pattern; Refused (400) when that cannot be decided."""
    text = unescape_codepoints(query)
    if "service" not in text.lower() and "service" not in query.lower():
        return False
    # a parse takes about 20 ms; queries repeat (the gallery, a dashboard, "services" in a
    # comment), so short ones keep their answer
    answer = _parsed_service(query) if len(query) <= CACHED_QUERY_CHARS else _parse_service(query)
    if isinstance(answer, str):
        raise Refused(400, answer)
    return answer


CACHED_QUERY_CHARS = 8192


def _parse_service(query: str) -> bool | str:
    """True or False, or why the query could not be parsed."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery
    try:
        with _PARSER:  # pyparsing keeps parse state in globals
            tree = parseQuery(query)
    except (ParseBaseException, RecursionError, ValueError) as e:
        return ("the query mentions SERVICE and could not be checked for it; "
                f"SPARQL syntax error: {str(e).splitlines()[0][:200]}")
    return _holds_service(tree)


_parsed_service = lru_cache(maxsize=512)(_parse_service)


def _holds_service(tree) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue
    stack = [tree]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            if x.name == "ServiceGraphPattern":
                return True
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)) or type(x).__name__ == "ParseResults":
            stack.extend(x)
    return False


def check(query: str) -> None:
    """Refuse what the read-only service does not run (raises Refused); None when it may run."""
    if is_update(query):
        raise Refused(403, READ_ONLY)
    check_shape(query)
    if has_service(query):
        raise Refused(403, NO_SERVICE)


_PNAME = re.compile(r"(?<![\w?$:\\-])([A-Za-z][\w.-]*)?:(?=[\w%\\\u00C0-\uFFFF])")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
_POSITION = re.compile(r"(?:error )?at (\d+):(\d+):\s*")


def unknown_prefixes(query: str, known: set[str]) -> list[str]:
    """Prefixes used in prefixed names (ex:p) that neither the query nor `known` declares."""
    text = unescape_codepoints(query)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)} | known
    used: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(text):  # prefixed names outside strings, IRIs and comments
        for p in _PNAME.finditer(text, pos, m.start()):
            used.append(p.group(1) or "")
        pos = m.end()
    for p in _PNAME.finditer(text, pos):
        used.append(p.group(1) or "")
    return sorted({u for u in used if u not in declared and u.lower() not in ("http", "https", "urn", "mailto")})


def explain_syntax_error(query: str, message: str, known: set[str]) -> str:
    """One line for a query the parser refused: an undeclared prefix by name, else the parser's
    message with its line and column."""
    missing = unknown_prefixes(query, known)
    if missing:
        names = ", ".join(f"{p}:" for p in missing)
        return (f"unknown prefix {names} (declare it with PREFIX {missing[0]}: <…>; "
                f"predeclared: {', '.join(sorted(known))})")
    first = message.splitlines()[0] if message else "the query cannot be parsed"
    m = _POSITION.match(first)
    if m:
        return f"syntax error at line {m.group(1)}, column {m.group(2)}: {first[m.end():][:300]}"
    return f"syntax error: {first[:300]}"
