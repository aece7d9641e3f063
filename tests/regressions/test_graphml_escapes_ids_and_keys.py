"""Regression (issue 12): GraphML ids, keys and values are XML-escaped, so an IRI or a data property with
`&`, `<` or `"` in it still makes a document that an XML parser and networkx read back unchanged."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from rdflib import URIRef

from her2graph.network_export import Edge, Network, Node, graphml

networkx = pytest.importorskip("networkx")
AWKWARD = 'https://example.org/a&b<c"d'


def awkward_network() -> Network:
    first, second = URIRef(AWKWARD + "/1"), URIRef(AWKWARD + "/2")
    nodes = {first: Node(first, 'one & "the" <first>', "Thing", data={'size&<"': '3 < 4 & "so"'}),
             second: Node(second, "two", "Thing")}
    return Network(nodes, [Edge(first, second, URIRef(AWKWARD + "/p"), "links & <to>", inferred=False)])


def test_graphml_with_ampersands_angles_and_quotes_in_iris_parses_as_xml():
    root = ElementTree.fromstring(graphml(awkward_network()))
    ids = {node.get("id") for node in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert ids == {AWKWARD + "/1", AWKWARD + "/2"}


def test_graphml_with_ampersands_angles_and_quotes_in_iris_loads_in_networkx(tmp_path):
    path = tmp_path / "awkward.graphml"
    path.write_bytes(graphml(awkward_network()))
    loaded = networkx.read_graphml(path)
    assert set(loaded.nodes) == {AWKWARD + "/1", AWKWARD + "/2"}
    assert loaded.nodes[AWKWARD + "/1"]["label"] == 'one & "the" <first>'
    assert loaded.nodes[AWKWARD + "/1"]['size&<"'] == '3 < 4 & "so"'
    assert loaded.edges[AWKWARD + "/1", AWKWARD + "/2"]["label"] == "links & <to>"
