"""The house's layers (README, Architecture): data flows documents -> text -> extraction ->
graph -> index -> pages, and imports follow it. Read from the source, so a new import that
crosses a layer fails here."""
import ast
from pathlib import Path

from conftest import ROOT

PACKAGES = ("kg", "index", "web", "app")
# what each layer may import (its own package always)
ALLOWED = {
    "kg.core": {"kg.core"},
    "kg.text": {"kg.core", "kg.text"},
    "kg.extract": {"kg.core", "kg.text", "kg.extract"},
    "kg.graph": {"kg.core", "kg.text", "kg.graph", "kg.datafolder"},
    "kg.datafolder": {"kg.core"},
    "kg.tools": {"kg.core", "kg.text"},
    "index": {"kg.core", "kg.text", "index"},
    "web": {"kg", "index", "web"},
    "app": {"kg", "index", "web", "app"},
}
# function-level imports of project modules kept on purpose: app.cli imports each heavy
# part in the one command that needs it (test_cli_starts_without_the_heavy_parts)
LAZY = {("app.cli", "web"), ("app.cli", "app.build"), ("app.cli", "index.build"), ("app.cli", "kg.graph.shapes")}


def modules():
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            rel = f.relative_to(ROOT).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            yield ".".join(parts), f


def _is_module(name: str) -> bool:
    p = ROOT.joinpath(*name.split("."))
    return p.with_suffix(".py").exists() or (p / "__init__.py").exists()


def imports(name: str, path: Path):
    """(imported module, is it inside a function) for each project import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for sub in ast.walk(node):
                if sub is not node:
                    inside.add(id(sub))
    for node in ast.walk(tree):
        mods = []
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from web import model` imports the module web.model
            subs = [f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")]
            mods = subs or [node.module]
        for m in mods:
            if m.split(".")[0] in PACKAGES:
                yield m, id(node) in inside


def layer(name: str) -> str:
    for key in sorted(ALLOWED, key=len, reverse=True):
        if name == key or name.startswith(key + "."):
            return key
    raise AssertionError(f"{name} belongs to no layer")


def allowed(target: str, layer_name: str) -> bool:
    """`kg` alone (its version) is open to all; a layer may import what it lists and below it."""
    return target == "kg" or any(target == a or target.startswith(a + ".") for a in ALLOWED[layer_name])


def test_imports_follow_the_layers():
    bad = []
    for name, path in modules():
        for target, _ in imports(name, path):
            if not allowed(target, layer(name)):
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_no_function_level_imports_of_project_modules():
    bad = []
    for name, path in modules():
        for target, lazy in imports(name, path):
            if lazy and not any(name == m and (target == t or target.startswith(t + ".")) for m, t in LAZY):
                bad.append(f"{name} imports {target} inside a function")
    assert bad == []


def test_no_import_cycles():
    names = dict(modules())
    graph = {n: {t for t, _ in imports(n, p) if t in names and t != n} for n, p in names.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(n, stack):
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m, stack + [m])
        state[n] = 2
    for n in graph:
        if n not in state:
            visit(n, [n])
    assert cycles == []


def test_cli_starts_without_the_heavy_parts(built_data):
    import subprocess
    import sys
    code = ("import sys, app.cli as c; c.main(['search', '普法', '--data', sys.argv[1]]); "
            "print(sorted(m for m in ('flask', 'pyshacl', 'app.build', 'index.build') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code, str(built_data)], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_the_extraction_pipeline_declares_what_each_component_needs():
    import pytest
    from kg.extract import PIPELINE, check_pipeline
    names = [c.name for c in PIPELINE]
    assert names.index("find_departments") < names.index("find_regulations") < names.index("assemble_facts")
    swapped = (PIPELINE[1], PIPELINE[0], *PIPELINE[2:])  # departments before the collectives they skip
    with pytest.raises(ValueError, match="find_departments requires collectives"):
        check_pipeline(swapped)
