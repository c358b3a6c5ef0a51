"""DESIGN.md's architecture, checked: layer order, where heavy libraries may be imported,
and that ``kg --help`` (and every command's help) stays free of spaCy, pyshacl and rdflib."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

# DESIGN.md "Layers, lowest first"; a module imports only from its layer or below.
# ``resources`` (where ontology/ and queries/ are) sits with config: it needs nothing else.
LAYERS: dict[str, int] = {
    "facts": 1, "vocab": 1, "errors": 1, "config": 1, "resources": 1, "datelines": 1,
    "sources": 2, "extract": 2, "resolve": 2, "mapping": 2, "explain": 2,
    "derive": 2, "surnames": 2,
    "store": 3, "remote": 3,
    "queries": 4, "validate": 4, "export": 4, "sparql": 4, "results": 4, "workers": 4,
    "cluster": 4,
    "service": 4, "linked": 4, "lookup": 4, "curation": 4, "shacl": 4,
    "pipeline": 5, "endpoint": 5,
    "cli": 6, "server": 6, "web": 6,
}
HEAVY = ("spacy", "pyshacl", "rdflib", "rich", "rapidfuzz")


def modules() -> dict[Path, str]:
    """Every source file of the package and the component it belongs to."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative == Path("__init__.py"):
            continue
        found[path] = relative.parts[0].removesuffix(".py")
    return found


def imports(path: Path) -> list[tuple[str, int]]:
    """(dotted module name, line) of every import, including those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(("kg", *path.relative_to(PACKAGE).with_suffix("").parts[:-1]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{node.module}" if node.module else parent
            else:
                base = node.module or ""
            if base == "kg":  # from kg import config, resources
                found += [(f"kg.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((base, node.lineno))
    return found


def kg_component(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "kg" and len(parts) > 1 else None


def test_every_module_has_a_layer() -> None:
    unknown = sorted({c for c in modules().values() if c not in LAYERS})
    assert not unknown, f"add these to LAYERS (and to DESIGN.md): {unknown}"


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_import_only_from_their_layer_or_below(path: Path) -> None:
    own = modules()[path]
    wrong = []
    for name, line in imports(path):
        target = kg_component(name)
        if target is not None and target in LAYERS and LAYERS[target] > LAYERS[own]:
            wrong.append(f"line {line}: {name} (layer {LAYERS[target]})")
    assert not wrong, f"{own} is layer {LAYERS[own]} but imports {wrong}"


def _importers(library: str) -> set[str]:
    return {
        str(path.relative_to(PACKAGE))
        for path in modules()
        for name, _ in imports(path)
        if name.split(".")[0] == library
    }


def test_spacy_is_imported_only_under_extract() -> None:
    outside = {p for p in _importers("spacy") if not p.startswith("extract/")}
    assert not outside


def test_extract_never_imports_pyoxigraph() -> None:
    assert not {p for p in _importers("pyoxigraph") if p.startswith("extract/")}


def test_mapping_never_imports_spacy() -> None:
    assert "mapping.py" not in _importers("spacy")


def test_only_store_opens_pyoxigraph_stores() -> None:
    """``Store(...)`` and ``Store.read_only(...)`` appear in kg/store.py alone."""
    opened = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = func.value if isinstance(func, ast.Attribute) else None
                if name == "Store" or (name == "read_only" and isinstance(owner, ast.Attribute)
                                       and owner.attr == "Store"):
                    opened.add(str(path.relative_to(PACKAGE)))
    assert opened <= {"store.py"}


def test_the_cli_module_imports_no_library_at_import_time() -> None:
    """Only kg.config and kg.errors at the top of kg/cli.py; the rest inside commands."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    top = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
            top.add(node.module)
        elif isinstance(node, ast.Import):
            top |= {a.name for a in node.names if a.name.startswith("kg")}
    assert top <= {"kg.config", "kg.errors"}


HELP_CHECK = """
import contextlib, io, json, sys
from kg.cli import main
results = {}
commands = [None, *sorted(main.commands)]
commands += [f"{name} {sub}" for name, group in sorted(main.commands.items())
             if hasattr(group, "commands") for sub in sorted(group.commands)]
for command in commands:
    args = ["--help"] if command is None else [*command.split(), "--help"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main.main(args, prog_name="kg", standalone_mode=False)
    results[command or ""] = {"code": code, "help": out.getvalue()}
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("spacy", "pyshacl", "rdflib", "rich", "rapidfuzz"))
print(json.dumps({"results": results, "heavy": heavy}))
"""


def test_help_of_every_command_has_an_example_and_loads_no_heavy_library() -> None:
    done = subprocess.run([sys.executable, "-c", HELP_CHECK], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["heavy"] == []
    results = report["results"]
    expected = {"", "ingest", "extract", "query", "queries", "export", "stats", "validate",
                "remove", "serve", "lookup", "merge", "alias", "reject", "curate",
                "curate list", "curate apply", "curate ended", "curate no-event"}
    assert expected <= set(results)
    for command, result in results.items():
        assert result["code"] == 0, command
        assert "Example" in result["help"], f"kg {command} --help has no example"


@pytest.mark.parametrize("command", ["", "ingest", "extract", "query", "queries", "export",
                                     "stats", "validate", "remove", "serve", "lookup", "merge",
                                     "alias", "reject", "curate", "curate apply"])
def test_help_in_a_real_process(command: str) -> None:
    args = [*command.split(), "--help"]
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Example" in done.stdout and done.stderr == ""


def test_heavy_libraries_stay_out_of_the_import_of_kg_cli() -> None:
    code = ("import sys, json; import kg.cli; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{HEAVY!r} or m == 'pyoxigraph')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_an_installed_copy_ships_the_ontology_and_the_named_queries() -> None:
    """A wheel puts ontology/ and queries/ where kg/resources.py looks for an installed copy
    (<prefix>/share/newskg/...); every file there must be matched by pyproject's data-files."""
    import tomllib

    root = PACKAGE.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    for name in ("ontology", "queries"):
        patterns = data_files[f"share/newskg/{name}"]
        shipped = {p for pattern in patterns for p in root.glob(pattern)}
        present = {p for p in (root / name).iterdir() if p.is_file()}
        assert present and present == shipped, f"{name}/ files not shipped: {present - shipped}"


def test_no_extraction_function_is_longer_than_a_screen() -> None:
    """Rules are small named pieces (issue 7): a function in kg/extract over 60 lines is a
    construction waiting to be split out."""
    import ast

    long = []
    for path in sorted((PACKAGE / "extract").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length} lines)")
    assert not long, long
