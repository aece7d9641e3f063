"""`her2graph docs`: human documentation generated from the graph, never written by hand.

- docs/ontology.html: the ontology's reference documentation, made by pyLODE (OntPub profile) from
  ontology/her2graph.ttl; one self-contained page (styles inline), so it works offline and the service can
  serve it as it is.
- docs/overview.dot and docs/overview.svg: the overview network (her2graph.network_export) and its picture,
  drawn by Graphviz `dot`.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SKOS

from .errors import Her2graphError
from .locations import docs_dir
from .namespaces import GRAPH
from .network_export import dot, overview_network

ONTOLOGY_HTML = "ontology.html"
OVERVIEW_DOT = "overview.dot"
OVERVIEW_SVG = "overview.svg"
OVERVIEW_TITLE = "her2graph overview (dashed edges: inferred by the HermiT reasoner)"


def ontology_html(dataset: Dataset) -> str:
    """pyLODE's page for the ontology named graph."""
    try:
        from pylode import OntPub
    except ImportError:
        raise Her2graphError("the ontology documentation needs pyLODE: pip install 'her2graph[docs]'") from None
    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs its progress at DEBUG on the root logger
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += dataset.graph(GRAPH.ontology)
    # pyLODE documents every skos:ConceptScheme as if it were the ontology (merging their titles into the
    # page header); our schemes are controlled vocabularies, documented by their concepts' class.
    graph.remove((None, RDF.type, SKOS.ConceptScheme))
    return OntPub(ontology=graph).make_html()


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


def write_docs(dataset: Dataset, folder: Path | None = None, report=print) -> None:
    from .output_files import write_atomically

    folder = folder or docs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    dot_text = overview_dot(dataset)
    for name, content in ((OVERVIEW_DOT, dot_text), (OVERVIEW_SVG, render_svg(dot_text)),
                          (ONTOLOGY_HTML, ontology_html(dataset).encode("utf-8"))):
        write_atomically(folder / name, content)
        (folder / name).chmod(0o644)
        report(f"wrote {folder / name}")
