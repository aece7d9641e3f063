"""SHACL validation run as SPARQL on an Oxigraph store, a whole constraint at a time.

pySHACL (the reference: her2graph.validation) evaluates every constraint once per focus node with rdflib:
at a million triples that took 585 s and 4.3 GiB. Here each constraint of each shape becomes one SPARQL
query over all of its focus nodes at once, evaluated by Oxigraph. It follows W3C SHACL 1.0: targets (2.1.3),
value nodes and property paths (2.3), the core constraint components the shapes use (4), SPARQL-based
constraints (5) and SPARQL-based constraint components (6), and builds each result as pySHACL does (its
focus node, path, value, source shape, component, severity and messages), so the two give the same report
(tests/test_shacl_sparql.py compares them on every shipped and seeded case). A shape using a feature this
engine does not run raises UnsupportedShapes, and the caller validates with pySHACL instead.

One thing Oxigraph's store does not keep: it stores xsd:positiveInteger and the other integer types derived
by restriction as xsd:integer (and numbers in their canonical form). sh:datatype needs the literal as
written, so `DataLoader` keeps, while the data is parsed, the written objects of every predicate a
sh:datatype constraint reads; the datatype checks run on those, in Python.
"""
from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from typing import Callable

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .namespaces import SH

THREADS = 4
"""Queries evaluated at once (Oxigraph releases the interpreter lock while it evaluates)."""
_XSD = str(XSD)
_STRING = ox.NamedNode(str(XSD.string))
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SUPPORTED = {
    SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang,
    SH["class"], SH["in"], SH["or"], SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive,
    SH.lessThanOrEquals, SH.disjoint, SH.sparql, SH.property, SH.qualifiedValueShape, SH.qualifiedMinCount,
    SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.hasValue, SH.equals,
}
_PARAMETERS_READ_WITH_ANOTHER = {SH.property, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                                 SH.qualifiedValueShapesDisjoint}
_SHAPE_VOCABULARY = _SUPPORTED | set(_TARGETS) | {
    SH.path, SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group}
_COMPARISONS = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)", SH.BlankNode: "isBlank(?value)", SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))", SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this engine does not run (validate with pySHACL instead)."""


@dataclass(frozen=True)
class Finding:
    """One validation result, in rdflib terms, as pySHACL would write it."""

    focus: Node
    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    messages: tuple[Literal, ...] = ()


@dataclass
class ValidationData:
    """The data to validate: a Store whose default graph is the data graph, and the objects of the
    datatype-checked predicates as written (see the module's docstring)."""

    store: ox.Store
    written: dict[ox.NamedNode, dict] = field(default_factory=dict)
    typed_literals: set = field(default_factory=set)
    """Every distinct literal of an XSD datatype other than xsd:string, as written (of what was add()ed)."""
    unscanned: list = field(default_factory=list)
    """Parsers of what was only note()d: scanned for its typed literals when a result first needs one."""
    _written_forms: dict | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def written_form(self, term):
        """The literal as written, for a literal as the store gives it back (Oxigraph writes numbers in their
        canonical form: "0.70" is given back as "0.7"); the term itself when it was not rewritten, or when
        several written forms share its canonical one."""
        if not isinstance(term, ox.Literal) or term.datatype == _STRING or term.language:
            return term
        with self._lock:
            if self._written_forms is None:
                for parse in self.unscanned:
                    self.typed_literals |= _typed_literals(parse())
                self.unscanned.clear()
                self._written_forms = _written_forms(self.typed_literals)
        return self._written_forms.get(term, term)


class DataLoader:
    """Fills a ValidationData from quads or triples, keeping the written objects `shapes` check datatypes of."""

    def __init__(self, predicates: Iterable[ox.NamedNode], store: ox.Store | None = None):
        self.data = ValidationData(store if store is not None else ox.Store(),
                                   {predicate: defaultdict(list) for predicate in predicates})

    def add(self, statements: Iterable) -> None:
        """Add quads (kept in their graph) or triples (to the default graph)."""
        self.data.store.bulk_extend(self._noted(statements))

    def note(self, parse: Callable[[], Iterable]) -> str:
        """Keep what add() keeps of the triples `parse()` gives, without adding them (the caller loads the same
        triples into the store by itself, faster); their typed literals are read only if a result needs one.
        Blank nodes get new labels in each parse, so the answer says how far the triples hold them: "none",
        "some" (the caller must load them once and copy them, not parse them twice), or "kept" (one holds a
        kept object: nothing was kept, the caller must add() them instead)."""
        written = self.data.written
        found: list = []
        blank = False
        for triple in parse():
            if triple.predicate in written:
                if type(triple.subject) is ox.BlankNode:
                    return "kept"
                found.append(triple)
            elif not blank and (type(triple.object) is ox.BlankNode or type(triple.subject) is ox.BlankNode):
                blank = True
        for triple in found:
            written[triple.predicate][triple.subject].append(triple.object)
        self.data.unscanned.append(parse)
        self.data._written_forms = None
        return "some" if blank else "none"

    def _noted(self, statements: Iterable) -> Iterator[ox.Quad]:
        written, typed = self.data.written, self.data.typed_literals
        self.data._written_forms = None
        for statement in statements:
            kept = written.get(statement.predicate)
            if kept is not None:
                kept[statement.subject].append(statement.object)
            value = statement.object
            if type(value) is ox.Literal and value.datatype != _STRING and value.datatype.value.startswith(_XSD):
                typed.add(value)
            if isinstance(statement, ox.Triple):
                statement = ox.Quad(statement.subject, statement.predicate, statement.object, ox.DefaultGraph())
            yield statement


@dataclass(frozen=True)
class _Check:
    """One constraint of one shape as a query (or a datatype check in Python) and how its rows become results."""

    shape: Node
    component: URIRef
    query: str | None = None
    written: tuple[ox.NamedNode, Callable[[object], bool]] | None = None
    """Instead of a query: a predicate, and a test of each of its written objects (True: conforms)."""
    constraint: Node | None = None
    sparql_based: bool = False
    value_is_focus: bool = False


class CompiledShapes:
    """The shapes graph turned into queries; `run` validates a ValidationData with them."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self._prefixes = {}
        self.checks: list[_Check] = []
        self.focus_queries: dict[Node, str] = {}
        self.severity: dict[Node, URIRef] = {}
        self.messages: dict[Node, tuple[Literal, ...]] = {}
        self.paths: dict[Node, Node] = {}
        self._nested = 0
        for shape in sorted(self._shapes(), key=str):
            self._compile_shape(shape)

    @property
    def datatype_predicates(self) -> set[ox.NamedNode]:
        return {check.written[0] for check in self.checks if check.written}

    def run(self, data: ValidationData, focus_nodes: Iterable | None = None) -> list[Finding]:
        """Every result of the shapes on `data`; with `focus_nodes`, only those nodes are validated.

        The queries run in threads: Oxigraph evaluates without holding the interpreter lock."""
        restriction = None if focus_nodes is None else _values_block(focus_nodes)
        focus_cache: dict[str, list] = {}
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            parts = pool.map(lambda check: list(self._run_check(check, data, restriction, focus_cache)), self.checks)
            return list(dict.fromkeys(finding for part in parts for finding in part))

    def _run_check(self, check: _Check, data: ValidationData, restriction, focus_cache) -> Iterator[Finding]:
        targets = self.focus_queries[check.shape]
        if check.written:
            if targets not in focus_cache:
                focus_cache[targets] = [row["this"] for row in data.store.query(_select("?this", targets, restriction))]
            return self._written_findings(check, data, focus_cache[targets])
        query = check.query.replace("#FOCUS#", _focus_group(targets, restriction))
        return self._findings(check, data.store.query(query), data)

    # ------------------------------------------------------------------------------- which shapes, which focus

    def _shapes(self) -> set[Node]:
        shapes = self.shapes
        found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for target in _TARGETS:
            found |= set(shapes.subjects(target, None))
        found |= set(shapes.objects(None, SH.property))
        found |= set(shapes.subjects(SH.path, None)) - set(shapes.subjects(RDF.type, SH.Parameter)) - \
            set(shapes.objects(None, SH.parameter))
        for reference in (SH.node, SH["not"], SH["and"], SH.xone, SH.closed):
            if next(shapes.subject_objects(reference), None):
                raise UnsupportedShapes(f"the shapes use {reference.n3()}")
        return {shape for shape in found if not self._is_or_member(shape)}

    def _is_or_member(self, shape: Node) -> bool:
        return any(self.shapes.subjects(RDF.first, shape)) and not any(self.shapes.subjects(SH.property, shape))

    def _target_patterns(self, shape: Node, seen: frozenset = frozenset()) -> list[str]:
        if shape in seen:
            raise UnsupportedShapes(f"the shapes refer to {shape} in a cycle")
        shapes, patterns = self.shapes, []
        for cls in shapes.objects(shape, SH.targetClass):
            patterns.append(f"?this {_n3(RDF.type)}/{_n3(RDFS.subClassOf)}* {_n3(cls)} .")
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            patterns.append(f"?this {_n3(RDF.type)}/{_n3(RDFS.subClassOf)}* {_n3(shape)} .")
        nodes = list(shapes.objects(shape, SH.targetNode))
        if nodes:
            patterns.append(f"VALUES ?this {{ {' '.join(_n3(node) for node in nodes)} }}")
        for prop in shapes.objects(shape, SH.targetSubjectsOf):
            patterns.append(f"?this {_n3(prop)} ?target_object .")
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            patterns.append(f"?target_subject {_n3(prop)} ?this .")
        for parent in shapes.subjects(SH.property, shape):
            if not _deactivated(shapes, parent):
                patterns.extend(self._target_patterns(parent, seen | {shape}))
        return patterns

    # ---------------------------------------------------------------------------------------- constraints

    def _compile_shape(self, shape: Node) -> None:
        shapes = self.shapes
        if _deactivated(shapes, shape):
            return
        unknown = {p for p in shapes.predicates(shape) if p.startswith(str(SH)) and p not in _SHAPE_VOCABULARY}
        custom = self._custom_components(shape)
        if unknown:
            raise UnsupportedShapes(f"{shape} uses {', '.join(sorted(p.n3() for p in unknown))}")
        patterns = self._target_patterns(shape)
        if not patterns:
            return
        self.focus_queries[shape] = " UNION ".join(f"{{ {pattern} }}" for pattern in patterns)
        self.severity[shape] = shapes.value(shape, SH.severity) or SH.Violation
        self.messages[shape] = tuple(sorted(shapes.objects(shape, SH.message)))
        path_node = shapes.value(shape, SH.path)
        self.paths[shape] = path_node
        path = "" if path_node is None else _path_text(shapes, path_node)
        values = f"?this {path} ?value ." if path_node is not None else "BIND (?this AS ?value)"
        for constraint, parameter in sorted(shapes.predicate_objects(shape), key=lambda pair: (str(pair[0]), str(pair[1]))):
            if constraint in _TARGETS or constraint not in _SUPPORTED or constraint in _PARAMETERS_READ_WITH_ANOTHER:
                continue
            self._compile_constraint(shape, constraint, parameter, path_node, path, values)
        for component, validator, bindings in custom:
            self._compile_custom(shape, component, validator, bindings, path)

    def _compile_constraint(self, shape, constraint, parameter, path_node, path, values) -> None:
        add = lambda component, query, **extra: self.checks.append(  # noqa: E731
            _Check(shape, SH[component], query, **extra))
        value_is_focus = path_node is None
        if constraint == SH.minCount:
            count = int(parameter)
            if path_node is None:
                raise UnsupportedShapes(f"{shape}: sh:minCount on a node shape")
            if count == 1:
                add("MinCountConstraintComponent", f"SELECT ?this WHERE {{ #FOCUS# FILTER NOT EXISTS {{ ?this {path} ?value }} }}")
            elif count > 1:
                add("MinCountConstraintComponent", f"SELECT ?this WHERE {{ #FOCUS# OPTIONAL {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) "
                    f"WHERE {{ #FOCUS# {values} }} GROUP BY ?this }} }} FILTER (COALESCE(?count, 0) < {count}) }}")
        elif constraint == SH.maxCount:
            add("MaxCountConstraintComponent", f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE "
                f"{{ #FOCUS# {values} }} GROUP BY ?this }} FILTER (?count > {int(parameter)}) }}")
        elif constraint == SH.datatype or (constraint in _COMPARISONS and isinstance(path_node, URIRef)):
            if not isinstance(path_node, URIRef):
                raise UnsupportedShapes(f"{shape}: sh:datatype is run here on a single predicate only")
            test = (partial(_has_datatype, datatype=parameter) if constraint == SH.datatype
                    else partial(_in_range, bound=rdflib_term(oxigraph_term(parameter)), comparison=constraint))
            self.checks.append(_Check(shape, _component_of(constraint), written=(ox.NamedNode(str(path_node)), test)))
        elif constraint in (SH.uniqueLang,):
            if parameter.toPython() is True:
                add("UniqueLangConstraintComponent", f"SELECT ?this WHERE {{ #FOCUS# {values} FILTER (LANG(?value) != \"\") }} "
                    "GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)")
        elif constraint == SH.lessThanOrEquals:
            add("LessThanOrEqualsConstraintComponent", f"SELECT ?this ?value WHERE {{ #FOCUS# {values} ?this {_n3(parameter)} ?other . "
                "FILTER (!COALESCE(?value <= ?other, false)) }", value_is_focus=value_is_focus)
        elif constraint == SH.disjoint:
            add("DisjointConstraintComponent", f"SELECT DISTINCT ?this ?value WHERE {{ #FOCUS# {values} ?this {_n3(parameter)} ?value . }}",
                value_is_focus=value_is_focus)
        elif constraint == SH.sparql:
            self._compile_sparql_constraint(shape, parameter, path_node)
        elif constraint == SH.hasValue:
            if path_node is None:
                raise UnsupportedShapes(f"{shape}: sh:hasValue on a node shape")
            add("HasValueConstraintComponent", f"SELECT ?this WHERE {{ #FOCUS# FILTER NOT EXISTS {{ ?this {path} {_n3(parameter)} }} }}")
        elif constraint == SH.equals:
            if path_node is None:
                raise UnsupportedShapes(f"{shape}: sh:equals on a node shape")
            other = _n3(parameter)
            add("EqualsConstraintComponent", f"SELECT DISTINCT ?this ?value WHERE {{ #FOCUS# {{ ?this {path} ?value "
                f"FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION {{ ?this {other} ?value "
                f"FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
        elif constraint == SH.qualifiedValueShape:
            self._compile_qualified(shape, parameter, values)
        else:
            component, condition = self._value_condition(shape, constraint, parameter)
            add(component, f"SELECT DISTINCT ?this ?value WHERE {{ #FOCUS# {values} FILTER (!({condition})) }}",
                value_is_focus=value_is_focus)

    def _compile_qualified(self, shape, member, values) -> None:
        """SHACL 4.7.3: how many value nodes conform to `member` (a shape of value checks), against
        sh:qualifiedMinCount and sh:qualifiedMaxCount; a result without a value, as pySHACL writes it."""
        shapes = self.shapes
        disjoint = shapes.value(shape, SH.qualifiedValueShapesDisjoint)
        if disjoint is not None and disjoint.toPython() is True:
            raise UnsupportedShapes(f"{shape}: sh:qualifiedValueShapesDisjoint")
        counted = (f"OPTIONAL {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ #FOCUS# {values} "
                   f"FILTER ({self._member_condition(member)}) }} GROUP BY ?this }} }}")
        for bound, name, comparison in ((SH.qualifiedMinCount, "QualifiedMinCountConstraintComponent", "<"),
                                        (SH.qualifiedMaxCount, "QualifiedMaxCountConstraintComponent", ">")):
            count = shapes.value(shape, bound)
            if count is not None:
                self.checks.append(_Check(shape, SH[name], f"SELECT ?this WHERE {{ #FOCUS# {counted} "
                                                           f"FILTER (COALESCE(?count, 0) {comparison} {int(count)}) }}"))

    def _value_condition(self, shape, constraint, parameter) -> tuple[str, str]:
        """The component and a SPARQL condition on ?value that holds when the value node conforms."""
        shapes = self.shapes
        if constraint == SH["class"]:
            return "ClassConstraintComponent", f"EXISTS {{ ?value {_n3(RDF.type)}/{_n3(RDFS.subClassOf)}* {_n3(parameter)} }}"
        if constraint == SH["in"]:
            members = list(Collection(shapes, parameter))
            return "InConstraintComponent", " || ".join(f"sameTerm(?value, {_n3(m)})" for m in members) or "false"
        if constraint == SH.nodeKind:
            return "NodeKindConstraintComponent", _NODE_KINDS[parameter]
        if constraint == SH.pattern:
            flags = shapes.value(shape, SH.flags)
            arguments = f"STR(?value), {_n3(Literal(str(parameter)))}" + (f", {_n3(Literal(str(flags)))}" if flags else "")
            return "PatternConstraintComponent", f"!isBlank(?value) && REGEX({arguments})"
        if constraint == SH.languageIn:
            tags = [str(tag) for tag in Collection(shapes, parameter)]
            matches = " || ".join(f"langMatches(LANG(?value), {_n3(Literal(tag))})" for tag in tags) or "false"
            return "LanguageInConstraintComponent", f"isLiteral(?value) && ({matches})"
        if constraint in _COMPARISONS:
            return (_component_of(constraint).removeprefix(str(SH)),
                    f"COALESCE(?value {_COMPARISONS[constraint]} {_n3(parameter)}, false)")
        if constraint == SH["or"]:
            members = [self._member_condition(member) for member in Collection(shapes, parameter)]
            return "OrConstraintComponent", " || ".join(f"({member})" for member in members) or "false"
        raise UnsupportedShapes(f"{shape}: {constraint.n3()}")

    def _member_condition(self, member: Node) -> str:
        """The condition under which ?value conforms to `member`, a shape of an sh:or made of value checks."""
        shapes = self.shapes
        conditions = []
        for constraint, parameter in shapes.predicate_objects(member):
            if constraint in (RDF.type, SH.message, RDFS.comment, RDFS.label, SH.name, SH.description):
                continue
            if constraint == SH.property:
                conditions.append(f"({self._property_condition(parameter)})")
            elif constraint == SH.hasValue:
                conditions.append(f"sameTerm(?value, {_n3(parameter)})")
            elif constraint in (SH.path, SH.datatype, SH.sparql, SH.minCount, SH.maxCount) or constraint not in _SUPPORTED:
                raise UnsupportedShapes(f"a member of sh:or uses {constraint.n3()}")
            else:
                conditions.append(f"({self._value_condition(member, constraint, parameter)[1]})")
        return " && ".join(conditions) or "true"

    def _property_condition(self, shape: Node) -> str:
        """The condition under which ?value conforms to the property shape `shape` of an sh:or member."""
        shapes = self.shapes
        path = _path_text(shapes, shapes.value(shape, SH.path))
        self._nested += 1
        inner = f"?nested{self._nested}"
        conditions = []
        for constraint, parameter in shapes.predicate_objects(shape):
            if constraint in (RDF.type, SH.path, SH.message, RDFS.comment, RDFS.label, SH.name, SH.description):
                continue
            number = parameter.toPython() if isinstance(parameter, Literal) else None
            if constraint == SH.minCount and number in (0, 1):
                conditions.append(f"EXISTS {{ ?value {path} {inner} }}" if number else "true")
            elif constraint == SH.maxCount and number == 0:
                conditions.append(f"NOT EXISTS {{ ?value {path} {inner} }}")
            elif constraint == SH.hasValue:
                conditions.append(f"EXISTS {{ ?value {path} {_n3(parameter)} }}")
            elif constraint in (SH["class"], SH["in"], SH.nodeKind, SH.pattern, SH.languageIn) or constraint in _COMPARISONS:
                condition = self._value_condition(shape, constraint, parameter)[1].replace("?value", inner)
                conditions.append(f"NOT EXISTS {{ ?value {path} {inner} FILTER (!({condition})) }}")
            else:
                raise UnsupportedShapes(f"a property shape in a member of sh:or uses {constraint.n3()}")
        return " && ".join(conditions) or "true"

    def _compile_sparql_constraint(self, shape, constraint, path_node) -> None:
        shapes = self.shapes
        if _deactivated(shapes, constraint):
            return
        text = str(shapes.value(constraint, SH.select) or "")
        if not text:
            raise UnsupportedShapes(f"{constraint}: a SPARQL-based constraint without sh:select")
        if path_node is not None:
            raise UnsupportedShapes(f"{shape}: a SPARQL-based constraint on a property shape")
        query = self._prefixes_of(constraint) + _with_focus(text.replace("$this", "?this"), "#FOCUS#")
        self.checks.append(_Check(shape, SH.SPARQLConstraintComponent, query, constraint=constraint, sparql_based=True,
                                  value_is_focus=True))
        self.messages[constraint] = tuple(sorted(shapes.objects(constraint, SH.message)))

    def _custom_components(self, shape) -> list[tuple[Node, Node, dict]]:
        """The SPARQL-based constraint components (SHACL 6) whose parameters `shape` gives."""
        shapes, found = self.shapes, []
        for component in shapes.subjects(RDF.type, SH.ConstraintComponent):
            parameters = [shapes.value(parameter, SH.path) for parameter in shapes.objects(component, SH.parameter)]
            bindings = {path: shapes.value(shape, path) for path in parameters}
            if not all(value is not None for value in bindings.values()):
                continue
            kind = SH.propertyValidator if shapes.value(shape, SH.path) is not None else SH.nodeValidator
            validator = shapes.value(component, kind) or shapes.value(component, SH.validator)
            if validator is None or shapes.value(validator, SH.select) is None:
                raise UnsupportedShapes(f"{component}: only SPARQL SELECT validators are run here")
            found.append((component, validator, bindings))
        return found

    def _compile_custom(self, shape, component, validator, bindings, path) -> None:
        text = str(self.shapes.value(validator, SH.select)).replace("$PATH", path).replace("$this", "?this")
        values = ""
        for parameter, value in bindings.items():
            name = _local_name(parameter)
            text = text.replace(f"${name}", f"?{name}")
            values += f"VALUES ?{name} {{ {_n3(value)} }} "
        query = self._prefixes_of(validator) + _with_focus(text, "#FOCUS# " + values)
        self.checks.append(_Check(shape, component, query, sparql_based=False, value_is_focus=False))

    def _prefixes_of(self, node: Node) -> str:
        lines = []
        for declarations in self.shapes.objects(node, SH.prefixes):
            for declaration in self.shapes.objects(declarations, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines))) + "\n"

    # ------------------------------------------------------------------------------------------- results

    def _findings(self, check: _Check, rows, data: ValidationData) -> Iterator[Finding]:
        shape, variables = check.shape, [variable.value for variable in rows.variables]
        path = self.paths.get(shape)
        for row in rows:
            bound = {name: rdflib_term(data.written_form(row[name])) for name in variables if row[name] is not None}
            focus = bound.get("this")
            value = bound.get("value", focus if check.value_is_focus else None)
            messages = self.messages[shape]
            if check.sparql_based:
                result_path = bound.get("path", path)
                names = dict(bound) | {"value": value} if value is not None else dict(bound)
                messages = tuple(_formatted(message, names) for message in
                                 _merged(self.messages[check.constraint], messages))
                yield Finding(focus, shape, check.component, self.severity[shape], result_path, value,
                              check.constraint, messages)
            else:
                yield Finding(focus, shape, check.component, self.severity[shape], path, value, None, messages)

    def _written_findings(self, check: _Check, data: ValidationData, focus_nodes) -> Iterator[Finding]:
        predicate, conforms = check.written
        written = data.written[predicate]
        for focus in focus_nodes:
            for value in written.get(focus, ()):
                if not conforms(value):
                    yield Finding(rdflib_term(focus), check.shape, check.component, self.severity[check.shape],
                                  self.paths[check.shape], rdflib_term(value), None, self.messages[check.shape])


# ------------------------------------------------------------------------------------------------ helpers

def _typed_literals(triples: Iterable) -> set:
    return {triple.object for triple in triples if type(triple.object) is ox.Literal
            and triple.object.datatype != _STRING and triple.object.datatype.value.startswith(_XSD)}


def _written_forms(literals: set) -> dict:
    """For each literal Oxigraph stores in another form, that form mapped to the literal as written (found by
    storing them all once); forms that several written literals share are left out."""
    literals = list(literals)
    store = ox.Store()
    subject = ox.NamedNode("urn:her2graph:written-forms")
    store.bulk_extend(ox.Quad(subject, ox.NamedNode(f"urn:her2graph:{index}"), literal)
                      for index, literal in enumerate(literals))
    forms: dict = {}
    for quad in store:
        forms.setdefault(quad.object, set()).add(literals[int(quad.predicate.value.rsplit(":", 1)[1])])
    return {stored: written.pop() for stored, written in forms.items() if len(written) == 1 and stored not in written}


def _component_of(constraint: URIRef) -> URIRef:
    name = constraint.removeprefix(str(SH))
    return SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"]


def _has_datatype(value, datatype: Node) -> bool:
    """SHACL 4.1.2: a literal of that datatype, well formed for it (pySHACL's reading, with rdflib's)."""
    if not isinstance(value, ox.Literal):
        return False
    if value.language:
        return datatype == RDF.langString
    if value.datatype.value != str(datatype):
        return False
    return not _ill_typed(value)


_PLAIN_FORMS = {str(XSD.decimal): re.compile(r"-?[0-9]+(\.[0-9]+)?"), str(XSD.integer): re.compile(r"-?[0-9]+"),
                str(XSD.nonNegativeInteger): re.compile(r"[0-9]+"), str(XSD.positiveInteger): re.compile(r"0*[1-9][0-9]*"),
                str(XSD.boolean): re.compile(r"true|false"), str(XSD.string): re.compile(r".*", re.DOTALL)}
"""Lexical forms that rdflib reads as well-typed for sure: checked without building an rdflib literal (a
hundred thousand offsets and numbers at a million triples); anything else is judged by rdflib itself."""


@lru_cache(maxsize=1 << 16)
def _ill_typed(value: ox.Literal) -> bool:
    form = _PLAIN_FORMS.get(value.datatype.value)
    if form is not None and form.fullmatch(value.value):
        return False
    return bool(getattr(rdflib_term(value), "ill_typed", False))


def _in_range(value, bound: Literal, comparison: URIRef) -> bool:
    """SHACL 4.3 on a value as written, compared as pySHACL compares (its compare_literal, over rdflib's
    values): so an ill-typed literal such as "0"^^xsd:positiveInteger is judged as pySHACL judges it. A
    number written plainly is compared as a Decimal, which is what that comes to."""
    if (isinstance(value, ox.Literal) and value.datatype.value in _NUMERIC_FORMS and not value.language
            and _NUMERIC_FORMS[value.datatype.value].fullmatch(value.value) and isinstance(bound.value, (int, Decimal))):
        order = (Decimal(value.value) > bound.value) - (Decimal(value.value) < bound.value)
    else:
        order = _pyshacl_order(value, bound)
        if order is None:
            return False
    return {SH.minInclusive: order >= 0, SH.minExclusive: order > 0, SH.maxInclusive: order <= 0,
            SH.maxExclusive: order < 0}[comparison]


_NUMERIC_FORMS = {datatype: form for datatype, form in _PLAIN_FORMS.items()
                  if datatype not in (str(XSD.boolean), str(XSD.string))}


def _pyshacl_order(value, bound: Literal) -> int | None:
    value = rdflib_term(value)
    if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
        return None
    try:
        return compare_literal(value, bound)
    except (TypeError, NotImplementedError):
        return None


def rdflib_term(term):
    """The rdflib term of a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return term


def oxigraph_term(term: Node):
    """The pyoxigraph term of an rdflib term (literals as written)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9]", "", str(term)) or "b")
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {term!r}")


def _n3(term: Node) -> str:
    return str(oxigraph_term(term)) if not isinstance(term, BNode) else _unsupported_blank(term)


def _unsupported_blank(term):
    raise UnsupportedShapes(f"a blank node ({term}) where a SPARQL query needs a constant")


def _path_text(shapes: Graph, node: Node) -> str:
    """SHACL 2.3.1 property paths as SPARQL property paths."""
    if isinstance(node, URIRef):
        return _n3(node)
    inverse = shapes.value(node, SH.inversePath)
    if inverse is not None:
        return f"^({_path_text(shapes, inverse)})"
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(shapes, part) for part in Collection(shapes, alternatives)) + ")"
    for kind, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = shapes.value(node, kind)
        if inner is not None:
            return f"({_path_text(shapes, inner)}){suffix}"
    if shapes.value(node, RDF.first) is not None:
        return "(" + "/".join(_path_text(shapes, part) for part in Collection(shapes, node)) + ")"
    raise UnsupportedShapes(f"a property path that is not SHACL's: {node}")


def _with_focus(query: str, focus: str) -> str:
    """The query with `focus` (the pattern binding ?this) first in its outer WHERE group, so ?this is one
    of the target's focus nodes, as SHACL 5.3.1's pre-binding of $this has it."""
    where = query.index("{")
    return query[:where + 1] + " " + focus + " " + query[where + 1:]


def _focus_group(targets: str, restriction: str | None) -> str:
    return "{ SELECT DISTINCT ?this WHERE { " + (restriction or "") + " " + targets + " } }"


def _select(variables: str, targets: str, restriction: str | None) -> str:
    return f"SELECT {variables} WHERE {_focus_group(targets, restriction)}"


def _values_block(nodes: Iterable) -> str:
    terms = " ".join(str(node) if isinstance(node, (ox.NamedNode, ox.BlankNode)) else _n3(node) for node in nodes)
    return f"VALUES ?this {{ {terms} }}"


def _deactivated(shapes: Graph, node: Node) -> bool:
    flag = shapes.value(node, SH.deactivated)
    return flag is not None and flag.toPython() is True


def _local_name(iri: Node) -> str:
    return re.split(r"[/#]", str(iri))[-1]


def _merged(first: tuple, second: tuple) -> tuple:
    return tuple(dict.fromkeys(first + second))


def _formatted(message: Literal, names: dict) -> Literal:
    """pySHACL's substitution of {?name} and {$name} in a SPARQL-based constraint's messages."""
    text = str(message)
    for name, value in names.items():
        text = re.sub("{{[?$]{}}}".format(name), lambda _: str(value), text)
    return Literal(text)  # pySHACL drops the language tag of a message it has formatted


def oxigraph_triple(triple) -> ox.Triple:
    """The pyoxigraph triple of an rdflib triple."""
    return ox.Triple(*(oxigraph_term(term) for term in triple))
