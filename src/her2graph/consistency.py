"""OWL 2 consistency of the merged graph, decided by the HermiT reasoner through owlready2.

owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle, so the merged graph is written as N-Triples
to a temporary folder and handed to the HermiT wrapper (hermit.py), which loads it into a fresh World and
leaves no file behind. HermiT needs Java.

HermiT says only *that* the graph is inconsistent; owlready2 passes on no more. The explanation is
assembled from the queries in queries/inconsistency-causes/, one per way this ontology's axioms can be
violated (functional data properties, datatype ranges, disjoint classes), each naming the triples at fault.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from .errors import ReasonerUnavailable
from .hermit import REASONER, run_hermit
from .locations import queries_dir

CAUSES_FOLDER = "inconsistency-causes"
_EXPLAINS = re.compile(r"^#\s*explains:\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class InconsistencyCause:
    """One set of triples that no OWL interpretation can satisfy, and why."""

    why: str
    subject: str
    property: str
    value: str


@dataclass(frozen=True)
class ConsistencyResult:
    """The reasoner's verdict, with the explanation when the graph is inconsistent."""

    consistent: bool
    explanation: str = ""
    causes: tuple[InconsistencyCause, ...] = ()

    def summary(self) -> str:
        if self.consistent:
            return f"OWL consistency ({REASONER}): consistent."
        return f"OWL consistency ({REASONER}): inconsistent.\n{self.explanation}"


def check_consistency(graph: Graph, root: Path | None = None) -> ConsistencyResult:
    """Run HermiT over `graph`; an inconsistency is a result, a reasoner that cannot run is an error."""
    with tempfile.TemporaryDirectory(prefix="her2graph-owl-") as folder:
        copy = Path(folder) / "merged.nt"
        _without_imports(graph).serialize(copy, format="nt", encoding="utf-8")
        try:
            answer = run_hermit(copy, infer_property_values=False)
        except ReasonerUnavailable as error:
            raise ReasonerUnavailable(f"{error}, or pass --no-reasoner") from None
    if answer.consistent:
        return ConsistencyResult(True)
    causes = inconsistency_causes(graph, root)
    return ConsistencyResult(False, _explanation(causes), causes)


def inconsistency_causes(graph: Graph, root: Path | None = None) -> tuple[InconsistencyCause, ...]:
    """The triples the cause queries find, in the order of their files."""
    found = []
    for path in sorted((queries_dir(root) / CAUSES_FOLDER).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        why = _EXPLAINS.search(text)
        for row in graph.query(text):
            found.append(InconsistencyCause(why.group(1) if why else path.stem, *(_name(graph, term) for term in row)))
    return tuple(found)


def _without_imports(graph: Graph) -> Graph:
    """The graph minus its owl:imports: the merged dataset already holds what they import (the imports
    named graph), and owlready2 would otherwise try to fetch each import over the network."""
    if (None, OWL.imports, None) not in graph:
        return graph
    copy = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            copy.add(triple)
    return copy


def _explanation(causes: tuple[InconsistencyCause, ...]) -> str:
    if not causes:
        return (f"{REASONER} found the graph inconsistent, and no known cause matched: export it with "
                "`her2graph export --format owl` and ask Protégé for an explanation")
    lines = [f"{REASONER} found the graph inconsistent:"]
    lines += [f"  {cause.subject} {cause.property} {cause.value}: {cause.why}" for cause in causes]
    return "\n".join(lines)


def _name(graph: Graph, term) -> str:
    return term.n3(graph.namespace_manager) if term is not None else "-"
