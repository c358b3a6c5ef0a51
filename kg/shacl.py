"""The SHACL shapes compiled to SPARQL, so that ``kg validate`` runs inside Oxigraph.

pyshacl needs the whole default graph copied into rdflib first, which takes longer
than the ingest that wrote it. Here every constraint of ``ontology/shapes.ttl``
becomes one SELECT query that returns the nodes breaking it, and Oxigraph runs them
over the merged graph where it lies. The queries are generated from the shapes each
time, never written by hand, so they cannot drift from them; a shape using a SHACL
feature this compiler does not know is an error that names it (``kg validate --full``
still runs pyshacl on any shapes).

What is supported is what newskg's shapes use, plus its obvious neighbours: targets
(``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``),
property shapes on a predicate or an inverse predicate, ``sh:minCount``,
``sh:maxCount``, ``sh:lessThanOrEquals``, and the value tests ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:pattern``, ``sh:in``, ``sh:hasValue``,
``sh:min/maxInclusive``, ``sh:min/maxExclusive``, ``sh:node``, ``sh:or``, ``sh:and``,
``sh:not``. Classes follow ``rdfs:subClassOf`` (from the ontology files and the data)
and, with RDFS inference as pyshacl applies it, ``rdfs:domain`` and ``rdfs:range``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Annotations and structure that constrain nothing by themselves.
_IGNORED = {
    RDF + "type", RDFS + "comment", RDFS + "label", RDFS + "isDefinedBy",
    SH + "message", SH + "severity", SH + "name", SH + "description", SH + "order",
    SH + "group", SH + "path", SH + "property", SH + "targetClass", SH + "targetNode",
    SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "deactivated",
}

# A literal of these datatypes is well-formed when SPARQL can cast its text to the type
# (pyshacl reports an ill-formed "2022-02-30"^^xsd:date as breaking sh:datatype too).
_CASTS = {
    XSD + t: f"<{XSD}{t}>"
    for t in ("date", "dateTime", "decimal", "integer", "boolean", "double", "float", "time")
}
_WELL_FORMED_PATTERNS = {
    XSD + "gYearMonth": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">",
                "maxExclusive": "<"}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Check:
    """One constraint as a query: its rows (``?focus``, and ``?value`` when there is
    one) are the nodes that break it."""

    shape: str
    component: str
    path: str | None
    message: str
    severity: str
    query: str
    has_value: bool = True


class UnsupportedShape(KGError):
    """The shapes use a SHACL feature the SPARQL compiler does not translate."""


class _Shapes:
    """The shapes graph as a lookup table: subject → predicate → objects, in file order."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.by_subject: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for triple in triples:
            self.by_subject[triple.subject][triple.predicate.value].append(triple.object)

    def values(self, node: Term, predicate: str) -> list[Term]:
        return self.by_subject.get(node, {}).get(predicate, [])

    def one(self, node: Term, predicate: str) -> Term | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out: list[Term] = []
        while not (isinstance(head, ox.NamedNode) and head.value == RDF + "nil"):
            first = self.one(head, RDF + "first")
            if first is None:
                raise UnsupportedShape(f"a broken RDF list at {head}", "fix the list's syntax")
            out.append(first)
            rest = self.one(head, RDF + "rest")
            if rest is None:
                raise UnsupportedShape(f"a broken RDF list at {head}", "fix the list's syntax")
            head = rest
        return out

    def node_shapes(self) -> list[Term]:
        shapes = [s for s, props in self.by_subject.items()
                  if ox.NamedNode(SH + "NodeShape") in props.get(RDF + "type", [])]
        return sorted(shapes, key=str)


class _Classes:
    """What makes a node an instance of a class: its types, up the subclass hierarchy,
    and (with RDFS inference) the properties whose domain or range is the class."""

    def __init__(self, axioms: list[ox.Triple], inference: str) -> None:
        self.sub: dict[str, set[str]] = defaultdict(set)
        self.domain: dict[str, set[str]] = defaultdict(set)
        self.range: dict[str, set[str]] = defaultdict(set)
        for t in axioms:
            if not isinstance(t.object, ox.NamedNode):
                continue
            p = t.predicate.value
            if p == RDFS + "subClassOf":
                self.sub[t.object.value].add(t.subject.value)
            elif inference == "rdfs" and p == RDFS + "domain":
                self.domain[t.object.value].add(t.subject.value)
            elif inference == "rdfs" and p == RDFS + "range":
                self.range[t.object.value].add(t.subject.value)
        self._fresh = itertools.count()

    def below(self, cls: str) -> list[str]:
        """``cls`` and every class under it."""
        seen, todo = {cls}, [cls]
        while todo:
            for sub in self.sub.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return sorted(seen)

    def pattern(self, var: str, cls: str) -> str:
        """A group pattern binding ``var`` to the instances of ``cls``."""
        classes = self.below(cls)
        n = next(self._fresh)
        parts = [f"{{ {var} a ?_t{n} . VALUES ?_t{n} {{ {_iris(classes)} }} }}"]
        domains = sorted({p for c in classes for p in self.domain.get(c, ())})
        if domains:
            parts.append(f"{{ {var} ?_d{n} [] . VALUES ?_d{n} {{ {_iris(domains)} }} }}")
        ranges = sorted({p for c in classes for p in self.range.get(c, ())})
        if ranges:
            parts.append(f"{{ [] ?_r{n} {var} . VALUES ?_r{n} {{ {_iris(ranges)} }}"
                         f" FILTER(!isLiteral({var})) }}")
        return " UNION ".join(parts)


def compile_shapes(shapes_file: Path, ontology_files: list[Path], data_axioms: list[ox.Triple],
                   *, inference: str = "rdfs") -> list[Check]:
    """Every constraint of ``shapes_file`` as a Check, in a stable order.

    ``data_axioms`` are the class axioms the data itself holds (the store keeps the
    ontology's subclass axioms in its default graph), merged with the ontology files'
    as pyshacl merges its ontology graph into the data.
    """
    shapes = _Shapes(_parse(shapes_file))
    axioms = [t for path in ontology_files for t in _parse(path)] + data_axioms
    compiler = _Compiler(shapes, _Classes(axioms, inference))
    checks: list[Check] = []
    for shape in shapes.node_shapes():
        checks += compiler.node_shape(shape)
    return checks


def run_checks(store: ox.Store, checks: list[Check]) -> Iterator[tuple[Check, Term, Term | None]]:
    """(check, focus node, value or None) for every breach, check by check."""
    for check in checks:
        for row in store.query(check.query):
            yield check, row["focus"], row["value"] if check.has_value else None


def class_axioms(store: ox.Store) -> list[ox.Triple]:
    """The default graph's ``rdfs:subClassOf``, ``rdfs:domain`` and ``rdfs:range`` triples."""
    found = []
    for predicate in ("subClassOf", "domain", "range"):
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDFS + predicate), None,
                                            ox.DefaultGraph()):
            found.append(quad.triple)
    return found


class _Compiler:
    def __init__(self, shapes: _Shapes, classes: _Classes) -> None:
        self.shapes = shapes
        self.classes = classes
        self._fresh = 0  # numbers the variables of nested patterns apart

    def node_shape(self, shape: Term) -> list[Check]:
        """The checks of one node shape: its own constraints, then its property shapes'."""
        s = self.shapes
        if _true(s.one(shape, SH + "deactivated")):
            return []
        focus = self._targets(shape)
        if focus is None:
            return []  # no target: used only through sh:node, sh:or, sh:not
        focus = f"{{ SELECT DISTINCT ?focus WHERE {{ {focus} }} }}"
        name = _name(shape)
        checks = []
        for component, test in self._value_tests(shape, "?focus"):
            checks.append(Check(
                name, component, None, self._message(shape, component), self._severity(shape),
                f"SELECT ?focus (?focus AS ?value) WHERE {{ {focus} FILTER(!({test})) }}"))
        for prop in s.values(shape, SH + "property"):
            if not _true(s.one(prop, SH + "deactivated")):
                checks += self._property(name, prop, focus)
        return checks

    def _targets(self, shape: Term) -> str | None:
        s = self.shapes
        parts = [self.classes.pattern("?focus", c.value)
                 for c in s.values(shape, SH + "targetClass")]
        parts += [f"{{ VALUES ?focus {{ {n} }} }}" for n in s.values(shape, SH + "targetNode")]
        parts += [f"{{ ?focus {p} [] }}" for p in s.values(shape, SH + "targetSubjectsOf")]
        parts += [f"{{ [] {p} ?focus }}" for p in s.values(shape, SH + "targetObjectsOf")]
        return " UNION ".join(f"{{ {p} }}" for p in parts) if parts else None

    def _property(self, shape_name: str, prop: Term, focus: str) -> list[Check]:
        s = self.shapes
        path, shown = self._path(prop)
        severity = self._severity(prop)
        checks = []

        def add(component: str, query: str, has_value: bool = True) -> None:
            checks.append(Check(shape_name, component, shown, self._message(prop, component),
                                severity, query, has_value))

        for bound in s.values(prop, SH + "minCount"):
            n = _integer(bound, "sh:minCount")
            if n == 1:
                add("minCount", f"SELECT ?focus WHERE {{ {focus}"
                                f" FILTER NOT EXISTS {{ ?focus {path} ?any }} }}", False)
            elif n > 1:
                add("minCount", f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?v)"
                                f" AS ?n) WHERE {{ {focus} OPTIONAL {{ ?focus {path} ?v }} }}"
                                f" GROUP BY ?focus }} FILTER(?n < {n}) }}", False)
        for bound in s.values(prop, SH + "maxCount"):
            n = _integer(bound, "sh:maxCount")
            add("maxCount", f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n)"
                            f" WHERE {{ {focus} ?focus {path} ?v }} GROUP BY ?focus }}"
                            f" FILTER(?n > {n}) }}", False)
        for other in s.values(prop, SH + "lessThanOrEquals"):
            add("lessThanOrEquals",
                f"SELECT ?focus ?value WHERE {{ {focus} ?focus {path} ?value ."
                f" ?focus {other} ?other FILTER(!COALESCE(?value <= ?other, false)) }}")
        for component, test in self._value_tests(prop, "?value"):
            add(component, f"SELECT ?focus ?value WHERE {{ {focus} ?focus {path} ?value"
                           f" FILTER(!({test})) }}")
        return checks

    def _path(self, prop: Term) -> tuple[str, str]:
        """The property shape's path in SPARQL, and as pyshacl's report shows it."""
        path = self.shapes.one(prop, SH + "path")
        if isinstance(path, ox.NamedNode):
            return str(path), path.value
        inverse = self.shapes.one(path, SH + "inversePath") if path is not None else None
        if isinstance(inverse, ox.NamedNode):
            return f"^{inverse}", f"^{inverse.value}"
        raise UnsupportedShape(
            f"the property shape {prop} has a path the SPARQL check cannot follow ({path})",
            "use a predicate or sh:inversePath, or run kg validate --full (pyshacl)",
        )

    def _value_tests(self, node: Term, var: str) -> list[tuple[str, str]]:
        """(component, SPARQL expression true when ``var`` passes it) for each value test
        stated on ``node``; an unknown SHACL predicate is an error."""
        tests = []
        for predicate, objects in self.shapes.by_subject.get(node, {}).items():
            if predicate in _IGNORED or predicate in (SH + "minCount", SH + "maxCount",
                                                      SH + "lessThanOrEquals"):
                continue
            if not predicate.startswith(SH):
                continue
            component = predicate.removeprefix(SH)
            for obj in objects:
                tests.append((component, self._test(component, obj, var, node)))
        return tests

    def _test(self, component: str, obj: Term, v: str, node: Term) -> str:
        """One value test as an expression that is never an error (errors count as fails)."""
        if component == "class":
            return f"EXISTS {{ {self.classes.pattern(v, _iri(obj, 'sh:class'))} }}"
        if component == "datatype":
            return _datatype_test(v, _iri(obj, "sh:datatype"))
        if component == "nodeKind":
            kind = _iri(obj, "sh:nodeKind").removeprefix(SH)
            if kind not in _NODE_KINDS:
                raise UnsupportedShape(f"unknown sh:nodeKind {obj} in {node}", "see SHACL 4.1.3")
            return _NODE_KINDS[kind].format(v=v)
        if component in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[component]} {obj}, false)"
        if component == "pattern":
            flags = self.shapes.one(node, SH + "flags")
            extra = f", {flags}" if flags is not None else ""
            return f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {obj}{extra}), false)"
        if component == "flags":
            return "true"  # read with sh:pattern
        if component == "in":
            return f"COALESCE({v} IN ({', '.join(map(str, self.shapes.items(obj)))}), false)"
        if component == "hasValue":
            return f"sameTerm({v}, {obj})"
        if component == "node":
            return self._conforms(obj, v)
        if component in ("or", "and"):
            joiner = " || " if component == "or" else " && "
            members = [self._conforms(member, v) for member in self.shapes.items(obj)]
            return "(" + (joiner.join(members) or ("false" if component == "or" else "true")) + ")"
        if component == "not":
            return f"!{self._conforms(obj, v)}"
        raise UnsupportedShape(
            f"the shape {_name(node)} uses sh:{component}, which the SPARQL check does not know",
            "run kg validate --full (pyshacl), or teach kg/shacl.py the constraint",
        )

    def _conforms(self, shape: Term, v: str) -> str:
        """True when ``v`` conforms to every value test of ``shape`` (a nested shape), or,
        for a property shape (an ``sh:or`` member with a path), to its counts and tests."""
        if self.shapes.one(shape, SH + "path") is not None:
            return self._property_conforms(shape, v)
        if self.shapes.values(shape, SH + "property"):
            raise UnsupportedShape(
                f"the shape {_name(shape)} is used as a value test but has property shapes",
                "run kg validate --full (pyshacl)",
            )
        tests = [test for _, test in self._value_tests(shape, v)]
        return "(" + (" && ".join(tests) or "true") + ")"

    def _property_conforms(self, prop: Term, v: str) -> str:
        """True when ``v``'s values along ``prop``'s path meet its sh:minCount, sh:maxCount
        and value tests: counts as (NOT) EXISTS over n distinct values, which an
        expression can hold where a GROUP BY cannot."""
        path, _ = self._path(prop)
        self._fresh += 1
        x = f"?c{self._fresh}_"

        def distinct(n: int) -> str:
            found = " . ".join(f"{v} {path} {x}{i}" for i in range(n))
            apart = " && ".join(f"{x}{i} != {x}{j}" for i in range(n) for j in range(i + 1, n))
            return "{ " + found + (f" FILTER({apart})" if apart else "") + " }"

        tests = []
        for bound in self.shapes.values(prop, SH + "minCount"):
            n = _integer(bound, "sh:minCount")
            if n > 0:
                tests.append(f"EXISTS {distinct(n)}")
        for bound in self.shapes.values(prop, SH + "maxCount"):
            tests.append(f"NOT EXISTS {distinct(_integer(bound, 'sh:maxCount') + 1)}")
        for _, test in self._value_tests(prop, f"{x}v"):
            tests.append(f"NOT EXISTS {{ {v} {path} {x}v FILTER(!({test})) }}")
        return "(" + (" && ".join(tests) or "true") + ")"

    def _message(self, node: Term, component: str) -> str:
        messages = sorted(self.shapes.values(node, SH + "message"), key=_english_first)
        if messages:
            return messages[0].value
        return f"sh:{component} of {_name(node)} not met"

    def _severity(self, node: Term) -> str:
        severity = self.shapes.one(node, SH + "severity")
        if isinstance(severity, ox.NamedNode):
            return severity.value.removeprefix(SH)
        return "Violation"


def _datatype_test(v: str, datatype: str) -> str:
    """``v`` is a literal of the datatype, and well-formed where SPARQL can tell."""
    test = f"isLiteral({v}) && datatype({v}) = <{datatype}>"
    if datatype in _CASTS:
        test += f" && isLiteral({_CASTS[datatype]}(STR({v})))"
    elif datatype in _WELL_FORMED_PATTERNS:
        test += f' && REGEX(STR({v}), "{_WELL_FORMED_PATTERNS[datatype]}")'
    elif datatype == XSD + "nonNegativeInteger":
        test += f" && <{XSD}integer>(STR({v})) >= 0"
    return f"COALESCE({test}, false)"


def _parse(path: Path) -> list[ox.Triple]:
    try:
        with open(path, "rb") as handle:
            return [q.triple for q in ox.parse(handle, format=ox.RdfFormat.TURTLE)]
    except (OSError, SyntaxError) as error:
        raise KGError(f"cannot read {path}: {error}", "fix the Turtle syntax at the line named"
                      ) from None


def _iri(term: Term, what: str) -> str:
    if not isinstance(term, ox.NamedNode):
        raise UnsupportedShape(f"{what} must name an IRI, not {term}", "fix the shape")
    return term.value


def _iris(values: list[str]) -> str:
    return " ".join(str(ox.NamedNode(v)) for v in values)


def _integer(term: Term, what: str) -> int:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else int("x")
    except ValueError:
        raise UnsupportedShape(f"{what} must be an integer, not {term}", "fix the shape") from None


def _true(term: Term | None) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"


def _name(node: Term) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def _english_first(message: Term) -> tuple[int, str]:
    language = message.language if isinstance(message, ox.Literal) else None
    return (0 if language in (None, "en") else 1, message.value)
