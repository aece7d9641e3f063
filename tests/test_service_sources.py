"""Every statement names its source: VoID, the query page and the Linked Data pages give per-source counts.

Each view is checked on the real server twice: over the shipped graph, and over a copy of the data with a
second source compiled into it by `her2graph curate --out` (so the code is checked over more than one source,
whatever the shipped graph holds today). The expected figures are counted here with rdflib over the same data
folder, by walking the graph (statement -prov:wasDerivedFrom-> span -oa:hasSource-> document), not by the
service's SPARQL. The two-source copy costs about ten seconds once per module (compiling the evidence, loading
and validating the copy in a second server): it is what shows the views are not written for one source.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from her2graph.cli import main
from her2graph.dataset import load_dataset, merged_graph
from her2graph.errors import SourceTextError
from her2graph.locations import data_root
from her2graph.namespaces import H2G, H2R, OA, PROV
from her2graph.source_registry import read_registry
from her2graph.source_text import source_dir

HTML = {"Accept": "text/html"}
SECOND_SOURCE_EVIDENCE = "ctgov-nct00320385.yaml"
"""A public-domain source whose evidence file ships with the project: compiled into the copy as its second source."""
SHARED_FOLDERS = ("ontology", "shapes", "queries", "mappings", "release", "docs")
"""Folders the two-source copy reads only (linked); graph/ and evidence/ are copied, as `curate` writes there."""


@dataclass(frozen=True)
class Expected:
    """One source document as rdflib sees it in the data folder."""

    document: URIRef
    label: str
    identifier: str | None
    statements: frozenset
    spans: frozenset


def expected_sources(graph: Graph) -> dict[URIRef, Expected]:
    found = {}
    for document in set(graph.subjects(RDF.type, H2G.SourceDocument)):
        spans = frozenset(graph.subjects(OA.hasSource, document))
        statements = frozenset(statement for span in spans for statement in graph.subjects(PROV.wasDerivedFrom, span))
        identifier = graph.value(document, DCTERMS.identifier)
        found[document] = Expected(document, str(graph.value(document, RDFS.label)),
                                   None if identifier is None else str(identifier), statements, spans)
    return found


@dataclass
class Served:
    url: str
    graph: Graph
    sources: dict[URIRef, Expected]


def _two_source_copy(folder: Path, monkeypatch) -> Path:
    """The project's data with the second source compiled into graph/ (already there once it is shipped)."""
    try:
        read_registry()["her2-resistance-review"].read_text()
    except SourceTextError as error:  # curate compiles every evidence file, the review's too
        pytest.skip(f"the review's text is not available here: {error}")
    root = folder / "data"
    root.mkdir()
    for name in SHARED_FOLDERS:
        (root / name).symlink_to(data_root() / name)
    for name in ("graph", "evidence"):
        shutil.copytree(data_root() / name, root / name)
    monkeypatch.setenv("HER2GRAPH_SOURCE", str(source_dir()))
    monkeypatch.setenv("HER2GRAPH_DATA", str(root))
    code = main(["curate", str(root / "evidence" / SECOND_SOURCE_EVIDENCE), "--out", str(root / "graph")])
    assert code == 0
    return root


@pytest.fixture(scope="module", params=["shipped graph", "two sources"])
def served(request, tmp_path_factory):
    if request.param == "shipped graph":
        service = request.getfixturevalue("service")
        graph = request.getfixturevalue("graph")
        yield Served(service.url, graph, expected_sources(graph))
        return
    from service_process import running_service

    folder = tmp_path_factory.mktemp("two-sources")
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = _two_source_copy(folder, monkeypatch)
    graph = merged_graph(load_dataset(root))
    sources = expected_sources(graph)
    assert len([source for source in sources.values() if source.statements]) >= 2
    with running_service(data=root, log_path=folder / "serve.log") as running:
        yield Served(running.url, graph, sources)


class Links(HTMLParser):
    """Each link's href and text, and the text of elements with an id (text nodes joined by one space)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None, list[str]]] = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        self._open.append((tag, attributes.get("href") if tag == "a" else attributes.get("id"), []))

    def handle_data(self, data):
        for _, _, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag):
        while self._open:
            name, key, texts = self._open.pop()
            if name == "a" and key is not None:
                self.links.append((key, " ".join(" ".join(texts).split())))
            elif key is not None:
                self.by_id[key] = " ".join(" ".join(texts).split())
            if name == tag:
                break


def parsed(url: str) -> Links:
    response = requests.get(url, headers=HTML, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    parser = Links()
    parser.feed(response.text)
    return parser


def page_path(document: URIRef) -> str:
    return "/resource/" + str(document).removeprefix(str(H2R))


def void_of(served: Served) -> tuple[Graph, URIRef]:
    response = requests.get(served.url + "/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle"), URIRef(served.url + "/void#her2graph")


def partition_count(void: Graph, subset, cls) -> int:
    (partition,) = [p for p in void.objects(subset, VOID.classPartition) if void.value(p, VOID["class"]) == cls]
    return void.value(partition, VOID.entities).toPython()


def test_void_has_one_subset_per_source_with_its_statement_and_span_counts(served):
    void, dataset = void_of(served)
    subsets = {void.value(subset, DCTERMS.source): subset for subset in void.objects(dataset, VOID.subset)
               if void.value(subset, DCTERMS.source) is not None}
    assert set(subsets) == set(served.sources)
    for document, expected in served.sources.items():
        subset = subsets[document]
        assert (subset, RDF.type, VOID.Dataset) in void
        assert partition_count(void, subset, H2G.CuratedStatement) == len(expected.statements)
        assert partition_count(void, subset, H2G.SourceSpan) == len(expected.spans)
        assert void.value(subset, VOID.entities).toPython() == len(expected.statements) + len(expected.spans)


def test_void_names_each_source_document_as_the_graph_does(served):
    void, _ = void_of(served)
    for document, expected in served.sources.items():
        for predicate in (RDFS.label, DCTERMS.title, DCTERMS.identifier, DCTERMS.rights):
            assert set(void.objects(document, predicate)) == set(served.graph.objects(document, predicate))
        assert (document, RDF.type, H2G.SourceDocument) in void


@pytest.mark.parametrize("path", ["/", "/void"], ids=["query page", "VoID page"])
def test_the_page_lists_each_source_with_its_counts_and_a_link_to_its_page(served, path):
    page = parsed(served.url + path)
    table = page.by_id["sources"]
    for document, expected in served.sources.items():
        assert (page_path(document), expected.label) in page.links
        row = table[table.index(expected.label):]
        identifier = f"{expected.identifier} " if expected.identifier else ""
        assert row.startswith(f"{expected.label} {identifier}{len(expected.statements)} {len(expected.spans)}"), row


def test_a_source_document_s_page_counts_its_statements_and_links_a_query_that_lists_them(served):
    for document, expected in served.sources.items():
        page = parsed(served.url + page_path(document))
        assert page.by_id["statement-count"] == str(len(expected.statements))
        assert page.by_id["span-count"] == str(len(expected.spans))
        (listing,) = [href for href, text in page.links if text == "list them"]
        query = parse_qs(urlsplit(listing).query)["query"][0]
        answer = requests.post(served.url + "/sparql", data={"query": query},
                               headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
        listed = {URIRef(row["statement"]["value"]) for row in answer["results"]["bindings"]}
        assert listed == expected.statements


def test_a_statement_s_page_names_its_source_document(served):
    for document, expected in served.sources.items():
        for statement in sorted(expected.statements)[:3]:
            page = parsed(served.url + page_path(statement))
            assert (page_path(document), expected.label) in page.links
            assert page.by_id["sources"].startswith(f"Source: {expected.label}")
            if expected.identifier:
                assert expected.identifier in page.by_id["sources"]


def test_a_page_that_is_neither_a_statement_nor_a_source_shows_neither(service):
    page = parsed(service.url + "/resource/her2")
    assert "sources" not in page.by_id and "statement-count" not in page.by_id
