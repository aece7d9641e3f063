"""`her2graph docs`: human documentation generated from the graph, never written by hand.

- docs/ontology.html: the ontology's reference documentation, made by pyLODE (OntPub profile) from
  ontology/her2graph.ttl, with the release's dated version IRI; one self-contained page (styles inline), so
  it works offline and the service can serve it as it is; it links the overview picture beside it. The same
  ontology gives the same bytes (see _pylode_in_fixed_hash_order).
- docs/overview.dot and docs/overview.svg: the overview network (her2graph.network_export) and its picture,
  drawn by Graphviz `dot`.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from .canonical_rdf import sorted_graph, turtle_bytes
from .errors import Her2graphError
from .locations import docs_dir
from .namespaces import GRAPH, ONTOLOGY_IRI
from .network_export import dot, overview_network

ONTOLOGY_HTML = "ontology.html"
OVERVIEW_DOT = "overview.dot"
OVERVIEW_SVG = "overview.svg"
OVERVIEW_TITLE = "her2graph overview (dashed edges: inferred by the HermiT reasoner)"
_TITLE_END = "</h1>"
_OVERVIEW_LINK = (f'\n        <p><a href="{OVERVIEW_SVG}">The overview picture</a>: the kinds of entity and how the '
                  'graph links them (built from the graph by <code>her2graph docs</code>).</p>')


def ontology_html(dataset: Dataset, release_version: URIRef | None = None) -> str:
    """pyLODE's page for the ontology named graph, naming `release_version` as its version IRI when given."""
    try:
        import pylode  # noqa: F401 - only to say what is missing before starting a process for it
    except ImportError:
        raise Her2graphError("the ontology documentation needs pyLODE: pip install 'her2graph[docs]'") from None
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += dataset.graph(GRAPH.ontology)
    # pyLODE documents every skos:ConceptScheme as if it were the ontology (merging their titles into the
    # page header); our schemes are controlled vocabularies, documented by their concepts' class.
    graph.remove((None, RDF.type, SKOS.ConceptScheme))
    if release_version is not None:
        graph.set((URIRef(ONTOLOGY_IRI), OWL.versionIRI, release_version))
    html = _pylode_in_fixed_hash_order(turtle_bytes(graph))
    return html.replace(_TITLE_END, _TITLE_END + _OVERVIEW_LINK, 1)


def _pylode_in_fixed_hash_order(turtle: bytes) -> str:
    """pyLODE's HTML, made in a process with a fixed hash seed and a fixed order of set members (_main).

    pyLODE walks Python sets in places, whose order follows the interpreter's random hash seed or memory
    addresses: the same ontology gave a different page on each run. A process of its own keeps the fixes
    to pyLODE out of the caller's interpreter.
    """
    environment = os.environ | {"PYTHONHASHSEED": "0"}
    run = subprocess.run([sys.executable, "-m", "her2graph.ontology_docs"], input=turtle, capture_output=True,
                         env=environment, timeout=300)
    if run.returncode != 0:
        reason = " ".join(run.stderr.decode("utf-8", errors="replace").split()[-40:])
        raise Her2graphError(f"pyLODE could not document the ontology: {reason}")
    return run.stdout.decode("utf-8")


def overview_dot(dataset: Dataset) -> bytes:
    return dot(overview_network(dataset), title=OVERVIEW_TITLE)


def render_svg(dot_text: bytes) -> bytes:
    """The picture Graphviz draws from DOT text."""
    if shutil.which("dot") is None:
        raise Her2graphError("drawing the overview needs Graphviz (Debian: apt-get install graphviz)")
    run = subprocess.run(["dot", "-Tsvg"], input=dot_text, capture_output=True, timeout=120)
    if run.returncode != 0:
        raise Her2graphError(f"Graphviz could not draw the overview: {run.stderr.decode(errors='replace')[:500]}")
    return run.stdout


def write_docs(dataset: Dataset, folder: Path | None = None, report=print,
               release_version: URIRef | None = None) -> None:
    """Write the three documents; each is written only after all three were made."""
    from .output_files import write_atomically

    folder = folder or docs_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Her2graphError(f"cannot make {folder}: {error.strerror}") from None
    dot_text = overview_dot(dataset)
    made = ((OVERVIEW_DOT, dot_text), (OVERVIEW_SVG, render_svg(dot_text)),
            (ONTOLOGY_HTML, ontology_html(dataset, release_version).encode("utf-8")))
    for name, content in made:
        write_atomically(folder / name, content)
        report(f"wrote {folder / name}")


def _main() -> None:
    """`python -m her2graph.ontology_docs`: Turtle of an ontology on standard input, pyLODE's HTML on output."""
    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs its progress at DEBUG on the root logger
    import pylode.utils
    from pylode import OntPub

    # pyLODE collects the members of a class union or intersection in a set of HTML elements, which come out
    # in memory-address order: a different page on each run. Its one consumer of that set is intersperse;
    # given a set, it now lays the members out in the order of their HTML (lists keep theirs).
    laid_out = pylode.utils.intersperse
    pylode.utils.intersperse = lambda items, separator: laid_out(
        sorted(items, key=str) if isinstance(items, set) else items, separator)

    # Blank nodes get labels from their content (parsing would give random ones, which reach pyLODE's sets).
    graph = sorted_graph(Graph().parse(data=sys.stdin.buffer.read(), format="turtle"))
    sys.stdout.buffer.write(OntPub(ontology=graph, sort_subjects=True).make_html().encode("utf-8"))


if __name__ == "__main__":
    _main()
