"""`her2graph reason`: the HermiT reasoner, through owlready2, over the release; its inferences as a graph.

What counts as an inference here is what the asserted graphs do not already say, even under plain RDFS
reading: the classes the reasoner puts individuals in (with their named superclasses), the property values
it derives (property chains, transitivity), and the super-property triples of every object property value
(so that `?drug h2g:hasTarget ?target` finds what a drug `h2g:inhibits`). These triples make the named graph
https://w3id.org/her2graph/graph/inferences, which the service serves beside the asserted graphs.

The release gate: the merged graph must be consistent, have no unsatisfiable class, and make the reasoner
merge no two named individuals (two values of a functional property would force that silently).

owlready2 reads RDF/XML, not Turtle, and runs HermiT with Java, which must be on PATH; hermit.py runs it.
"""
from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .hermit import run_hermit
from .namespaces import PREFIXES

_IGNORED_TYPES = {OWL.Thing, OWL.NamedIndividual}


@dataclass
class ReasoningResult:
    """What HermiT made of a graph: consistency, problems, and the triples it infers."""

    asserted: Graph
    consistent: bool
    inconsistency: str = ""
    unsatisfiable_classes: list[URIRef] = field(default_factory=list)
    merged_individuals: list[tuple[URIRef, URIRef, list[URIRef]]] = field(default_factory=list)
    inferred: set[tuple[URIRef, URIRef, URIRef]] = field(default_factory=set)

    @property
    def passes_gate(self) -> bool:
        return self.consistent and not self.unsatisfiable_classes and not self.merged_individuals

    def inferred_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.inferred:
            graph.add(triple)
        return graph

    def report(self) -> str:
        """A human summary: the gate's verdict, then each inference with labels."""
        if not self.consistent:
            return f"INCONSISTENT: {self.inconsistency}"
        lines = []
        for cls in self.unsatisfiable_classes:
            lines.append(f"UNSATISFIABLE class: {self._name(cls)}")
        for prop, subject, values in self.merged_individuals:
            lines.append(f"MERGED individuals: {self._name(subject)} has {len(values)} values of the functional "
                         f"property {self._name(prop)} ({', '.join(self._name(v) for v in values)}), so the "
                         "reasoner takes them to be one individual")
        lines.append(f"consistent; {len(self.inferred)} inferred triples")
        by_property = defaultdict(list)
        for subject, predicate, obj in sorted(self.inferred):
            by_property[predicate].append(f"  {self._name(subject)} -> {self._name(obj)}")
        for predicate in sorted(by_property, key=self._name):
            heading = "classified (rdf:type)" if predicate == RDF.type else self._name(predicate)
            lines.append(f"{heading}: {len(by_property[predicate])}")
            lines.extend(by_property[predicate])
        return "\n".join(lines)

    def _name(self, term) -> str:
        label = self.asserted.value(term, RDFS.label)
        return f"{label} <{self.asserted.namespace_manager.normalizeUri(term)}>" if label else \
            self.asserted.namespace_manager.normalizeUri(term)


def reason_over_release(path: Path) -> ReasoningResult:
    """Reason over a release file in RDF/XML."""
    from .dataset import parse_rdf_file

    asserted = parse_rdf_file(Path(path))
    for prefix, namespace in PREFIXES.items():
        asserted.bind(prefix, namespace, override=True)
    return _reason(asserted, Path(path))


def reason_over_graph(graph: Graph) -> ReasoningResult:
    """Reason over an rdflib graph (written to a temporary RDF/XML file for owlready2)."""
    with tempfile.TemporaryDirectory(prefix="her2graph-reason-") as folder:
        path = Path(folder) / "reasoned.owl"
        path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
        return _reason(graph, path)


def _reason(asserted: Graph, path: Path) -> ReasoningResult:
    answer = run_hermit(path, infer_property_values=True)
    if not answer.consistent:
        return ReasoningResult(asserted, consistent=False, inconsistency=answer.inconsistency)
    result = ReasoningResult(asserted, consistent=True)
    result.unsatisfiable_classes = [URIRef(iri) for iri in answer.unsatisfiable_classes]
    raw = {(URIRef(s), URIRef(p), URIRef(o)) for s, p, o in answer.inferred}
    result.inferred = _entailed_triples(asserted, raw)
    result.merged_individuals = _merged_individuals(asserted, result.inferred)
    return result


def _entailed_triples(asserted: Graph, raw: set) -> set[tuple[URIRef, URIRef, URIRef]]:
    """HermiT's triples, completed with superclasses and super-properties, minus what is asserted or RDFS-entailed."""
    superclasses = _closure(asserted, RDFS.subClassOf)
    superproperties = _closure(asserted, RDFS.subPropertyOf)
    object_properties = set(asserted.subjects(RDF.type, OWL.ObjectProperty))
    inferred = set()
    for subject, predicate, obj in raw:
        if predicate == RDF.type:
            if obj in _IGNORED_TYPES or subject == URIRef("http://inferrences"):
                continue
            inferred.update((subject, RDF.type, cls) for cls in {obj} | superclasses.get(obj, set()))
        elif predicate in object_properties:
            inferred.update((subject, prop, obj) for prop in {predicate} | superproperties.get(predicate, set()))
    for subject, predicate, obj in asserted.triples((None, None, None)):
        if predicate in object_properties and isinstance(obj, URIRef):
            inferred.update((subject, prop, obj) for prop in superproperties.get(predicate, set()))
    rdfs_types = {(s, RDF.type, sup) for s, _, cls in asserted.triples((None, RDF.type, None))
                  for sup in {cls} | superclasses.get(cls, set())}
    return {triple for triple in inferred
            if triple not in asserted and triple not in rdfs_types and triple[2] not in _IGNORED_TYPES}


def _closure(graph: Graph, relation: URIRef) -> dict[URIRef, set[URIRef]]:
    """For each named term, every named term above it by `relation`, transitively (itself excluded)."""
    direct = defaultdict(set)
    for lower, upper in graph.subject_objects(relation):
        if isinstance(lower, URIRef) and isinstance(upper, URIRef):
            direct[lower].add(upper)
    closed = {}
    for term in list(direct):
        seen, todo = set(), list(direct[term])
        while todo:
            upper = todo.pop()
            if upper not in seen and upper != term:
                seen.add(upper)
                todo.extend(direct.get(upper, ()))
        closed[term] = seen
    return closed


def _merged_individuals(asserted: Graph, inferred: set) -> list[tuple[URIRef, URIRef, list[URIRef]]]:
    """Subjects with two or more named values of a functional object property (the reasoner equates them)."""
    functional = set(asserted.subjects(RDF.type, OWL.FunctionalProperty)) & \
        set(asserted.subjects(RDF.type, OWL.ObjectProperty))
    values = defaultdict(set)
    for subject, predicate, obj in list(asserted.triples((None, None, None))) + sorted(inferred):
        if predicate in functional and isinstance(obj, URIRef):
            values[(predicate, subject)].add(obj)
    return sorted((prop, subject, sorted(objs)) for (prop, subject), objs in values.items() if len(objs) > 1)

