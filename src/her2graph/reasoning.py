"""`her2graph reason`: the HermiT reasoner, through owlready2, over the release; its inferences as a graph.

What counts as an inference here is what the asserted graphs do not already say, even under plain RDFS
reading: the classes the reasoner puts individuals in (with their named superclasses), the property values
it derives (property chains, transitivity), and the super-property triples of every object property value
(so that `?drug h2g:hasTarget ?target` finds what a drug `h2g:inhibits`). These triples make the named graph
https://w3id.org/her2graph/graph/inferences, which the service serves beside the asserted graphs.

The release gate: the merged graph must be consistent, have no unsatisfiable class, and make the reasoner
merge no two named individuals (two values of a functional property would force that silently).

owlready2 reads RDF/XML, not Turtle, and runs HermiT with Java, which must be on PATH.
"""
from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import Her2graphError
from .namespaces import PREFIXES

_IGNORED_TYPES = {OWL.Thing, OWL.NamedIndividual}


class ReasonerUnavailable(Her2graphError):
    """Java, which HermiT needs, is not installed."""


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
    if shutil.which("java") is None:
        raise ReasonerUnavailable("HermiT needs Java on PATH (Debian: apt-get install default-jre-headless)")
    import owlready2

    world = owlready2.World()
    try:
        world.get_ontology(path.resolve().as_uri()).load()
    except Exception as error:  # owlready2's parsers raise many kinds; all mean "cannot read this file"
        raise Her2graphError(f"owlready2 cannot read {path}: {_first_line(error)[:300]}") from None
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        return ReasoningResult(asserted, consistent=False, inconsistency=_first_line(error))
    raw = _triples_of(world, world.get_ontology("http://inferrences/"))
    result = ReasoningResult(asserted, consistent=True)
    result.unsatisfiable_classes = sorted(
        URIRef(cls.iri) for cls in world.inconsistent_classes() if cls is not owlready2.Nothing)
    result.inferred = _entailed_triples(asserted, raw)
    result.merged_individuals = _merged_individuals(asserted, result.inferred)
    return result


def _triples_of(world, ontology) -> set[tuple[URIRef, URIRef, URIRef]]:
    """The IRI-to-IRI triples owlready2 put in an ontology (its reasoner writes to 'http://inferrences/')."""
    triples = set()
    for s, p, o in ontology.get_triples(None, None, None):
        if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0):
            continue  # blank nodes (negative ids) and literals are not inferences we serve
        triples.add((URIRef(world._unabbreviate(s)), URIRef(world._unabbreviate(p)), URIRef(world._unabbreviate(o))))
    return triples


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


def _first_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:500] or type(error).__name__
