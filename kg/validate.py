"""Check the merged knowledge against the SHACL shapes of ``ontology/``.

The shapes (``ontology/shapes.ttl``) state what the public contract promises:
one canonical label per entity, one member, organization, role, piece of
evidence and confidence per membership, and so on. They are checked against
the store's default graph, the merged knowledge that queries read, with the
OWL ontology mixed in so that subclasses (``kgo:Meeting``, ``schema:Country``,
``kgo:Mission``) are found by their superclasses' shapes.

Two engines give the same report. ``check_store`` (what ``kg validate`` runs) has
Oxigraph answer the shapes compiled to SPARQL (``kg.shacl``) over the store in place;
``validate_store`` (``kg validate --full``) copies the default graph into rdflib and
runs pyshacl, which knows all of SHACL but takes longer than the ingest did.

pyshacl and rdflib are imported inside the functions: importing them takes
longer than ``kg --help`` may.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

SHAPES_FILE = "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# How many focus nodes render() lists under one message before summarizing.
RENDER_LIMIT = 10


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which rule, and with what value."""

    focus: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None


@dataclass
class ValidationReport:
    """The outcome of a validation; ``conforms`` ignores warnings and infos."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def render(self, limit: int = RENDER_LIMIT) -> str:
        """A listing grouped by message, most frequent first, for a terminal."""
        if not self.violations:
            return "The graph conforms to the shapes: no violations."
        groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for violation in self.violations:
            groups[(violation.severity, violation.message)].append(violation)
        order = sorted(groups.items(), key=lambda item: (_rank(item[0][0]), -len(item[1]), item[0]))
        lines: list[str] = []
        for (severity, message), members in order:
            prefix = "" if severity == "Violation" else f"[{severity.lower()}] "
            lines.append(f"{len(members)} × {prefix}{message}")
            for violation in members[:limit]:
                shown = f"  {violation.focus}"
                if violation.value is not None and violation.value != violation.focus:
                    shown += f"  (value: {violation.value})"
                lines.append(shown)
            if len(members) > limit:
                lines.append(f"  … and {len(members) - limit} more")
        counts = defaultdict(int)
        for violation in self.violations:
            counts[violation.severity] += 1
        summary = ", ".join(
            f"{n} {sev.lower()}{'' if n == 1 else 's'}"
            for sev, n in sorted(counts.items(), key=lambda kv: _rank(kv[0]))
        )
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"The graph {verdict}: {summary}.")
        return "\n".join(lines)


def validate(
    data: rdflib.Graph | bytes | str,
    ontology_dir: Path,
    *,
    inference: str = "rdfs",
) -> ValidationReport:
    """Validate ``data`` against the shapes and ontology found in ``ontology_dir``.

    ``data`` is an rdflib graph, or N-Triples / N-Quads text, of which only the
    default graph is checked (the merged knowledge; article graphs are its
    provenance). ``ontology_dir`` holds ``shapes.ttl`` and the OWL ontology
    (every other ``*.ttl``), which is mixed into the data so that subclass
    axioms apply. ``inference`` is passed to pyshacl ("rdfs", or "none", which
    is faster and still follows ``rdfs:subClassOf`` for targets and classes).
    """
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    shapes, ontology = load_shapes(ontology_dir)
    graph = data if not isinstance(data, (bytes, str)) else _default_graph(data)
    try:
        conforms, results, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference=inference,
            allow_warnings=True,
            allow_infos=True,
        )
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        raise KGError(
            f"the shapes in {Path(ontology_dir) / SHAPES_FILE} cannot be used: {exc}",
            "fix the shape it names; pyshacl's meta_shacl option checks shapes files",
        ) from exc
    return ValidationReport(conforms=bool(conforms), violations=_violations(results))


def validate_store(
    store: pyoxigraph.Store, ontology_dir: Path, *, inference: str = "rdfs"
) -> ValidationReport:
    """Validate the store's default graph, where the merged knowledge lives."""
    import pyoxigraph
    import rdflib

    nt = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    graph = rdflib.Graph()
    if nt:
        graph.parse(data=nt, format="nt")
    return validate(graph, ontology_dir, inference=inference)


def check_store(
    store: pyoxigraph.Store, ontology_dir: Path, *, inference: str = "rdfs"
) -> ValidationReport:
    """Validate the store's default graph with the shapes compiled to SPARQL.

    Finds what ``validate_store`` finds (tests compare the two on planted breaches of
    every kind of constraint) in a fraction of the time, since nothing leaves Oxigraph.
    """
    from kg import shacl

    shapes_path, ontology_files = _shape_files(Path(ontology_dir))
    checks = shacl.compile_shapes(
        shapes_path, ontology_files, shacl.class_axioms(store), inference=inference
    )
    violations = [
        Violation(
            focus=_show_ox(focus),
            path=None if check.path is None else _compact_or_full(check.path),
            message=check.message,
            severity=check.severity,
            value=None if value is None else _show_ox(value),
        )
        for check, focus, value in shacl.run_checks(store, checks)
    ]
    violations.sort(key=lambda v: (_rank(v.severity), v.message, v.focus, v.value or ""))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations)


def _shape_files(ontology_dir: Path) -> tuple[Path, list[Path]]:
    """shapes.ttl and the ontology files beside it; KGError when either is missing."""
    shapes_path = ontology_dir / SHAPES_FILE
    if not shapes_path.is_file():
        raise KGError(
            f"no SHACL shapes at {shapes_path}",
            "pass the ontology directory of newskg, the one holding shapes.ttl and newskg.ttl",
        )
    sources = sorted(p for p in ontology_dir.glob("*.ttl") if p.name != SHAPES_FILE)
    if not sources:
        raise KGError(
            f"no ontology (*.ttl besides {SHAPES_FILE}) in {ontology_dir}",
            "the shapes need the ontology's subclass axioms; restore ontology/newskg.ttl",
        )
    return shapes_path, sources


def load_shapes(ontology_dir: Path) -> tuple[rdflib.Graph, rdflib.Graph]:
    """Parse ``shapes.ttl`` and the ontology files beside it; KGError if unusable."""
    import rdflib

    shapes_path, sources = _shape_files(Path(ontology_dir))
    shapes = _parse(rdflib.Graph(), shapes_path)
    if (None, rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape")) not in shapes:
        raise KGError(f"{shapes_path} declares no sh:NodeShape", "is it the right shapes file?")
    ontology = rdflib.Graph()
    for path in sources:
        _parse(ontology, path)
    return shapes, ontology


def _parse(graph: rdflib.Graph, path: Path) -> rdflib.Graph:
    """Parse one Turtle file into ``graph``, turning any failure into a KGError."""
    try:
        return graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise KGError(
            f"cannot read {path}: {exc}", "fix the Turtle syntax (rdflib reports the line)"
        ) from exc


def _default_graph(data: bytes | str) -> rdflib.Graph:
    """The default graph of N-Quads (or N-Triples) text, as an rdflib graph.

    Oxigraph's parser does the splitting: it is much faster than rdflib's
    N-Quads parser, and rdflib only has to read the triples that are checked.
    """
    import pyoxigraph
    import rdflib

    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        quads = pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.N_QUADS)
        triples = [q.triple for q in quads if isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    except SyntaxError as exc:
        raise KGError(
            f"cannot read the data to validate as N-Quads: {exc}",
            "pass N-Quads or N-Triples, such as `kg export --format nquads` writes",
        ) from exc
    graph = rdflib.Graph()
    if triples:
        graph.parse(
            data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt"
        )
    return graph


def _violations(results: rdflib.Graph) -> list[Violation]:
    """Read pyshacl's results graph into Violations, in a stable order."""
    import rdflib

    sh = rdflib.Namespace(SH)
    out = []
    for result in results.objects(None, sh.result):
        messages = sorted(results.objects(result, sh.resultMessage), key=_english_first)
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        severity = results.value(result, sh.resultSeverity)
        out.append(
            Violation(
                focus=_show(results.value(result, sh.focusNode)),
                path=None if path is None else _show(path),
                message=str(messages[0]) if messages else "constraint not met",
                severity=str(severity).removeprefix(SH) if severity is not None else "Violation",
                value=None if value is None else _show(value),
            )
        )
    out.sort(key=lambda v: (_rank(v.severity), v.message, v.focus, v.value or ""))
    return out


def _english_first(message: Any) -> tuple[int, str]:
    return (0 if getattr(message, "language", None) in (None, "en") else 1, str(message))


def _rank(severity: str) -> int:
    return {"Violation": 0, "Warning": 1}.get(severity, 2)


def _show(term: Any) -> str:
    """An IRI in full (users copy it into queries), a literal with a short datatype."""
    import rdflib

    if isinstance(term, rdflib.Literal):
        lexical = str(term).replace("\n", " ")
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None:
            return f'"{lexical}"^^{_compact(str(term.datatype))}'
        return f'"{lexical}"'
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return _compact(str(term)) if _is_vocab(str(term)) else str(term)


def _show_ox(term: Any) -> str:
    """``_show`` for a pyoxigraph term, so both engines print values alike."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.Literal):
        lexical = term.value.replace("\n", " ")
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype.value == XSD_STRING:
            return f'"{lexical}"'
        return f'"{lexical}"^^{_compact(term.datatype.value)}'
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return _compact_or_full(term.value)


def _compact_or_full(iri: str) -> str:
    return _compact(iri) if _is_vocab(iri) else iri


def _is_vocab(iri: str) -> bool:
    return any(iri.startswith(ns) and len(iri) > len(ns) for ns in PREFIXES.values())


def _compact(iri: str) -> str:
    """``prefix:local`` for vocabulary IRIs (paths, datatypes), else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
