"""GraphML and DOT exports load in the tools named (networkx for GraphML, as Cytoscape/Gephi read it;
Graphviz itself for DOT), with labels and types; the overview picture and the ontology docs are current."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from her2graph.export import serialise
from her2graph.locations import docs_dir
from her2graph.namespaces import GRAPH, H2G, H2R
from rdflib.namespace import RDFS
from her2graph.network_export import network_of, overview_network
from her2graph.ontology_docs import ONTOLOGY_HTML, OVERVIEW_DOT, OVERVIEW_SVG, overview_dot

networkx = pytest.importorskip("networkx")
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz (apt-get install graphviz)")


@pytest.fixture(scope="module")
def graphml_bytes(dataset):
    return serialise(dataset, "all", "graphml")


@pytest.fixture(scope="module")
def graphml_graph(graphml_bytes, tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "her2graph.graphml"
    path.write_bytes(graphml_bytes)
    return networkx.read_graphml(path)


def test_graphml_loads_with_labels_types_and_iris(graphml_graph):
    lapatinib = graphml_graph.nodes[str(H2R.lapatinib)]
    assert lapatinib["label"] == "lapatinib"
    assert lapatinib["type"] == "tyrosine kinase inhibitor"
    assert lapatinib["iri"] == str(H2R.lapatinib)
    assert graphml_graph.nodes[str(H2R["nct00078572"])]["nctId"] == "NCT00078572"
    assert graphml_graph.nodes["http://purl.obolibrary.org/obo/CHEBI_49603"]["label"] == "lapatinib"


def test_graphml_edges_carry_their_property_and_whether_they_were_inferred(graphml_graph):
    edges = graphml_graph.get_edge_data(str(H2R.lapatinib), str(H2R.her2))
    assert {edge["label"] for edge in edges.values()} >= {"inhibits", "has target"}
    inferred = graphml_graph.get_edge_data(str(H2R["trastuzumab-emtansine"]), str(H2R.her2))
    assert any(edge["label"] == "has target" and edge["inferred"] for edge in inferred.values())
    mapped = graphml_graph.get_edge_data(str(H2R.lapatinib), "http://purl.obolibrary.org/obo/CHEBI_49603")
    assert [edge["label"] for edge in mapped.values()] == ["exact match"]


def test_graphml_declares_every_node_an_edge_uses(graphml_bytes):
    root = ElementTree.fromstring(graphml_bytes)
    nodes = {node.get("id") for node in root.iter(f"{GRAPHML}node")}
    for edge in root.iter(f"{GRAPHML}edge"):
        assert edge.get("source") in nodes and edge.get("target") in nodes
    assert len(nodes) > 300


def test_blank_nodes_are_left_out(dataset):
    network = network_of(dataset)
    assert all(str(iri).startswith("http") for iri in network.nodes)


@needs_graphviz
@pytest.mark.parametrize("part", ["all", "facts"])
def test_dot_is_read_by_graphviz(dataset, part):
    text = serialise(dataset, part, "dot")
    run = subprocess.run(["dot", "-Tcanon"], input=text, capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    assert str(H2R.lapatinib).encode() in run.stdout


def test_the_overview_keeps_the_things_the_review_is_about(dataset):
    network = overview_network(dataset)
    assert network.nodes[H2R.lapatinib].kind == "tyrosine kinase inhibitor"
    assert H2R["resistance-level-1"] in network.nodes and H2R.emilia in network.nodes
    assert not any("span-" in str(iri) for iri in network.nodes)
    assert any(edge.inferred for edge in network.edges)


def test_the_committed_overview_is_current(dataset):
    assert (docs_dir() / OVERVIEW_DOT).read_bytes() == overview_dot(dataset), "run `her2graph docs`"


@needs_graphviz
def test_the_overview_picture_shows_every_node_of_the_overview(dataset):
    svg = ElementTree.parse(docs_dir() / OVERVIEW_SVG).getroot()
    text = " ".join(svg.itertext())
    for node in overview_network(dataset).nodes.values():
        assert node.label in text, node.label


def test_the_ontology_docs_document_every_term_and_are_current(dataset):
    from her2graph.ontology_docs import ontology_html

    committed = (docs_dir() / ONTOLOGY_HTML).read_text(encoding="utf-8")
    ontology = dataset.graph(GRAPH.ontology)
    for term, label in ontology.subject_objects(RDFS.label):
        if str(term).startswith(str(H2G)):
            assert html.escape(str(label), quote=False) in committed, f"{term} is not documented: run `her2graph docs`"
    # pyLODE orders sections, and picks their ids, by set iteration: compare how many entities it documents
    entities = lambda page: len(re.findall(r'<div class="[a-z ]*entity" id="', page))
    assert entities(committed) == entities(ontology_html(dataset)), "run `her2graph docs`"
    assert "<script src=" not in committed and "stylesheet" not in committed  # self-contained: works offline


def test_export_graphml_from_the_command_line(tmp_path):
    target = tmp_path / "g.graphml"
    run = subprocess.run([sys.executable, "-m", "her2graph.cli", "export", "--format", "graphml", "--part", "facts",
                          "-o", str(target)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert networkx.read_graphml(target).number_of_nodes() > 50


def test_the_neighbourhood_of_an_entity_is_its_links_both_ways_as_cytoscape_elements(dataset):
    from her2graph.network_export import cytoscape_elements, neighbourhood_network

    network = neighbourhood_network(dataset, H2R["trastuzumab-emtansine"])
    elements = cytoscape_elements(network)
    nodes = {e["data"]["id"]: e["data"] for e in elements if e["group"] == "nodes"}
    edges = [e["data"] for e in elements if e["group"] == "edges"]
    assert nodes[str(H2R.trastuzumab)]["label"] == "trastuzumab"
    assert str(H2R["t-dm1-monotherapy"]) in nodes                                # links into the entity
    assert "http://purl.obolibrary.org/obo/NCIT_C82492" in nodes                   # its mapping, with a label
    assert nodes["http://purl.obolibrary.org/obo/NCIT_C82492"]["label"] == "Ado-Trastuzumab Emtansine"
    assert any(e["label"] == "has target" and e["inferred"] for e in edges)
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)


def test_a_neighbourhood_view_groups_many_similar_links_and_colours_every_kind(dataset):
    from her2graph.network_export import LABEL_CHARACTERS, neighbourhood_elements, neighbourhood_network

    centre = H2R["lapatinib"]
    elements = neighbourhood_elements(neighbourhood_network(dataset, centre), centre, group_at=4)
    nodes = {e["data"]["id"]: e["data"] for e in elements if e["group"] == "nodes"}
    edges = [e["data"] for e in elements if e["group"] == "edges"]
    groups = {node["id"]: node for node in nodes.values() if node.get("group")}
    mappings = next(node for node in groups.values() if node["label"] == "4 × exact match")
    members = [node for node in nodes.values() if node.get("grouped") == mappings["id"]]
    assert sorted(member["label"] for member in members) == ["LAPATINIB", "Lapatinib", "Lapatinib", "lapatinib"]
    shown = [edge for edge in edges if "grouped" not in edge and mappings["id"] in (edge["source"], edge["target"])]
    assert [(edge["source"], edge["label"]) for edge in shown] == [(str(centre), "exact match ×4")]
    hidden = [edge for edge in edges if edge.get("grouped") == mappings["id"]]
    assert len(hidden) == 4 and all(edge["source"] == str(centre) for edge in hidden)
    assert all(node["colour"] not in ("#ffffff", "#f0f0f0") for node in nodes.values() if not node.get("group"))
    kinds = {}
    for node in nodes.values():
        kinds.setdefault(node["colour"], set()).add(node["kind"])
    assert all(len(kind_names) == 1 for colour, kind_names in kinds.items() if colour != "#ffffff")
    assert all(len(node["label"]) <= LABEL_CHARACTERS and node["title"].startswith(node["label"].rstrip("…"))
               for node in nodes.values() if not node.get("group"))
