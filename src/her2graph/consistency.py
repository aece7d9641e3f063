"""OWL 2 consistency of the merged graph, decided by the HermiT reasoner through owlready2.

owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle, so the merged graph is written as N-Triples
to a temporary folder and loaded into a fresh owlready2 World (never the process-wide default world, so
one check cannot leak into the next). HermiT needs Java.

HermiT says only *that* the graph is inconsistent; owlready2 passes on no more. The explanation is
assembled from the queries in queries/inconsistency-causes/, one per way this ontology's axioms can be
violated (functional data properties, datatype ranges, disjoint classes), each naming the triples at fault.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2
from rdflib import Graph
from rdflib.namespace import OWL

from .errors import ReasonerError
from .locations import queries_dir

REASONER = "HermiT"
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
    if shutil.which(owlready2.JAVA_EXE) is None:
        raise ReasonerError(f"the OWL reasoner needs Java ({owlready2.JAVA_EXE!r} is not on PATH): "
                            "install a Java runtime, or pass --no-reasoner")
    with tempfile.TemporaryDirectory(prefix="her2graph-owl-") as folder:
        copy = Path(folder) / "merged.nt"
        _without_imports(graph).serialize(copy, format="nt", encoding="utf-8")
        if _hermit_finds_consistent(copy, scratch=Path(folder)):
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


def _hermit_finds_consistent(copy: Path, scratch: Path) -> bool:
    world = owlready2.World()
    # owlready2 leaves its own temporary copy behind when HermiT reports an inconsistency: point
    # tempfile at our scratch folder for the call, so that copy goes when the folder does.
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        world.get_ontology(copy.as_uri()).load()
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        return True
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    except owlready2.OwlReadyJavaError as error:
        raise ReasonerError(f"{REASONER} failed: {' '.join(str(error).split())[:500]}") from None
    except OSError as error:
        raise ReasonerError(f"{REASONER} could not be started: {error}") from None
    finally:
        tempfile.tempdir = saved_tempdir
        world.close()


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
