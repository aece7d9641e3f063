"""The graph as a network for the graph tools people already use: GraphML and Graphviz DOT.

GraphML (http://graphml.graphdrawing.org/) opens in Cytoscape, Gephi and yEd; DOT in Graphviz and the tools
built on it. Nodes are the named resources (blank nodes are OWL's plumbing and are left out), each with its
label, its type (the label of its most specific class) and its IRI; the values of its data properties become
node attributes. Edges are the links between named resources, labelled by their property; an edge the
reasoner inferred (named graph .../graph/inferences) is marked `inferred` and drawn dashed.

The overview (`overview_network`) keeps only the things the review is about (drugs, targets, diseases,
processes, regimens, studies, mechanisms and their levels, endpoints), which makes a picture that fits on a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .dataset import merged_graph
from .namespaces import GRAPH, H2G, H2R

# Edges that are not links between things: typing, provenance of statements, and OWL/RDFS plumbing.
_SKIPPED_PREDICATES = {RDF.type, OWL.versionIRI, RDF.first, RDF.rest, OWL.equivalentClass, OWL.onProperty, OWL.someValuesFrom,
                       OWL.hasValue, OWL.onClass, OWL.imports, OWL.versionIRI, OWL.inverseOf,
                       OWL.propertyChainAxiom, OWL.disjointWith, OWL.members}
_OVERVIEW_KINDS = (H2G.Drug, H2G.DrugClass, H2G.Target, H2G.ProteinRegion, H2G.Disease, H2G.BiologicalProcess,
                   H2G.TherapyRegimen, H2G.Study, H2G.ResistanceMechanism, H2G.ResistanceLevel, H2G.Endpoint)
# Fill colours per kind for DOT (ColorBrewer Set3), so the picture reads at a glance.
_KIND_COLOURS = {H2G.Drug: "#8dd3c7", H2G.DrugClass: "#ccebc5", H2G.Target: "#fb8072",
                 H2G.ProteinRegion: "#fccde5", H2G.Disease: "#bebada", H2G.BiologicalProcess: "#ffffb3",
                 H2G.TherapyRegimen: "#80b1d3", H2G.Study: "#fdb462", H2G.ResistanceMechanism: "#b3de69",
                 H2G.ResistanceLevel: "#d9d9d9", H2G.Endpoint: "#bc80bd"}


@dataclass
class Node:
    iri: URIRef
    label: str
    kind: str
    colour: str = "#ffffff"
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    source: URIRef
    target: URIRef
    predicate: URIRef
    label: str
    inferred: bool


@dataclass
class Network:
    nodes: dict[URIRef, Node]
    edges: list[Edge]


def network_of(dataset: Dataset, part: str = "all") -> Network:
    """Every named resource of the chosen named graph(s) and the links between them."""
    everything = merged_graph(dataset)
    scope = everything if part == "all" else dataset.graph(GRAPH[part])
    inferred = dataset.graph(GRAPH.inferences)
    typed = {s for s, o in scope.subject_objects(RDF.type) if isinstance(s, URIRef) and o != OWL.Ontology}
    linked = {o for _, p, o in scope if isinstance(o, URIRef) and p not in _SKIPPED_PREDICATES}
    names = {name for name in typed | linked
             if not _is_vocabulary_term(name) or (name, RDFS.label, None) in everything}
    return _network(everything, inferred, scope, names)


def overview_network(dataset: Dataset) -> Network:
    """The things the review is about and the links between them, asserted and inferred."""
    everything = merged_graph(dataset)
    inferred = dataset.graph(GRAPH.inferences)
    names = set()
    for kind in _OVERVIEW_KINDS:
        names |= {s for s in _members(everything, kind) if isinstance(s, URIRef)}
    return _network(everything, inferred, everything, names)


def neighbourhood_network(dataset: Dataset, centre: URIRef, limit: int = 60) -> Network:
    """`centre` and the named resources one link away (either direction), asserted or inferred.

    For an interactive view of one entity (its Linked Data page). Typing, provenance spans and OWL plumbing
    are left out; past `limit` neighbours the rest are dropped (in IRI order), so a hub stays drawable.
    """
    everything = merged_graph(dataset)
    inferred = dataset.graph(GRAPH.inferences)
    neighbours = {o for p, o in everything.predicate_objects(centre)
                  if isinstance(o, URIRef) and p not in _SKIPPED_PREDICATES and not _is_vocabulary_term(o)}
    neighbours |= {s for s, p in everything.subject_predicates(centre)
                   if isinstance(s, URIRef) and p not in _SKIPPED_PREDICATES}
    neighbours.discard(centre)
    names = {centre} | set(sorted(neighbours)[:limit])
    around = Graph()
    for triple in everything.triples((centre, None, None)):
        around.add(triple)
    for triple in everything.triples((None, None, centre)):
        around.add(triple)
    return _network(everything, inferred, around, names)


def cytoscape_elements(network: Network) -> list[dict]:
    """The network as Cytoscape.js elements (https://js.cytoscape.org/#notation/elements-json)."""
    elements = [{"group": "nodes", "data": {"id": str(node.iri), "label": node.label, "kind": node.kind,
                                            "colour": node.colour}}
                for node in network.nodes.values()]
    elements += [{"group": "edges", "data": {"id": f"e{number}", "source": str(edge.source),
                                             "target": str(edge.target), "label": edge.label,
                                             "iri": str(edge.predicate), "inferred": edge.inferred}}
                 for number, edge in enumerate(network.edges)]
    return elements


GROUP_AT = 4
"""A neighbourhood view puts this many or more neighbours linked to the centre the same way into one group."""
LABEL_CHARACTERS = 48
"""Longer node labels are cut (with an ellipsis) in a neighbourhood view; the full label is kept as its title."""
_KIND_PALETTE = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3",
                 "#fbb4ae", "#b3cde3", "#decbe4", "#fed9a6", "#e5d8bd", "#fddaec")
"""Fill colours for the kinds without one of their own (ColorBrewer Set2 and Pastel1), so a legend tells them apart."""
_NO_COLOUR = ("#ffffff", "#f0f0f0")


def neighbourhood_elements(network: Network, centre: URIRef, group_at: int = GROUP_AT) -> list[dict]:
    """The neighbourhood of `centre` as Cytoscape.js elements drawn for reading: every kind has its own colour
    (for the legend), long labels are cut, and `group_at` or more neighbours linked to the centre in the same
    ways (the same properties, the same directions) are drawn as one group node, with one edge per way to the
    centre labelled with the property and their number. The grouped nodes and edges stay in the elements,
    marked with their group's id in `grouped` (the view shows them when the group is opened)."""
    elements = cytoscape_elements(network)
    nodes = [element["data"] for element in elements if element["group"] == "nodes"]
    edges = [element["data"] for element in elements if element["group"] == "edges"]
    _colour_every_kind(nodes)
    for node in nodes:
        node["title"] = node["label"]
        if len(node["label"]) > LABEL_CHARACTERS:
            node["label"] = node["label"][:LABEL_CHARACTERS - 1].rstrip() + "…"
    labels = {edge["iri"]: edge["label"] for edge in edges}
    centre_id, parents, members = str(centre), [], {}  # members: grouped neighbour -> its group
    for number, (ways, neighbours) in enumerate(sorted(_similar_links(edges, centre_id, group_at).items())):
        group_id = f"group-{number}"
        named = " / ".join(dict.fromkeys(labels[predicate] for _, predicate in ways))
        parents.append({"id": group_id, "label": f"{len(neighbours)} × {named}", "title": named,
                        "kind": "group", "colour": "#ffffff", "group": True})
        for direction, predicate in ways:
            grouped = [edge for edge in edges if edge["iri"] == predicate and
                       (edge["source"], edge["target"]) in {(centre_id, n) if direction == "out" else (n, centre_id)
                                                            for n in neighbours}]
            for edge in grouped:
                edge["grouped"] = group_id
            ends = (centre_id, group_id) if direction == "out" else (group_id, centre_id)
            edges.append({"id": f"{group_id}-{direction}-{predicate}", "source": ends[0], "target": ends[1],
                          "label": f"{labels[predicate]} ×{len(grouped)}", "iri": predicate,
                          "inferred": all(edge["inferred"] for edge in grouped)})
        members.update(dict.fromkeys(neighbours, group_id))
    for node in nodes:
        if node["id"] in members:
            node["grouped"] = members[node["id"]]
    for edge in edges:  # a link between grouped neighbours shows once its group is open
        if "grouped" not in edge and (edge["source"] in members or edge["target"] in members):
            edge["grouped"] = members.get(edge["source"]) or members.get(edge["target"])
    return ([{"group": "nodes", "data": node} for node in parents + nodes] +
            [{"group": "edges", "data": edge} for edge in edges])


def _similar_links(edges: list[dict], centre: str, group_at: int) -> dict[tuple, set[str]]:
    """The ways of linking to `centre` ((direction, property) pairs, sorted) shared by `group_at` or more
    neighbours, each with those neighbours."""
    ways: dict[str, set[tuple[str, str]]] = {}
    for edge in edges:
        if edge["source"] == centre and edge["target"] != centre:
            ways.setdefault(edge["target"], set()).add(("out", edge["iri"]))
        elif edge["target"] == centre and edge["source"] != centre:
            ways.setdefault(edge["source"], set()).add(("in", edge["iri"]))
    by_ways: dict[tuple, set[str]] = {}
    for neighbour, its_ways in ways.items():
        by_ways.setdefault(tuple(sorted(its_ways)), set()).add(neighbour)
    return {key: neighbours for key, neighbours in by_ways.items() if len(neighbours) >= group_at}


def _colour_every_kind(nodes: list[dict]) -> None:
    """Give the kinds without a colour of their own one from the palette, in kind-name order."""
    taken = {node["colour"] for node in nodes} - set(_NO_COLOUR)
    free = [colour for colour in _KIND_PALETTE if colour not in taken] or list(_KIND_PALETTE)
    plain = sorted({node["kind"] for node in nodes if node["colour"] in _NO_COLOUR})
    chosen = {kind: free[index % len(free)] for index, kind in enumerate(plain)}
    for node in nodes:
        if node["colour"] in _NO_COLOUR:
            node["colour"] = chosen[node["kind"]]


def _network(everything: Graph, inferred: Graph, scope: Graph, names: set[URIRef]) -> Network:
    # A node's kind is what the curators asserted (lapatinib: tyrosine kinase inhibitor), not the inferred
    # classes; inferred links are shown as such on the edges.
    kinds = _kind_finder(everything - inferred)
    nodes = {}
    for name in sorted(names):
        kind, colour = kinds(name)
        data = {_local_name(p): str(o) for p, o in everything.predicate_objects(name)
                if isinstance(o, Literal) and p not in (RDFS.label,) and str(p).startswith(str(H2G))}
        nodes[name] = Node(name, _label(everything, name), kind, colour, dict(sorted(data.items())))
    edges = set()
    for subject, predicate, obj in scope:
        if subject in names and obj in names and predicate not in _SKIPPED_PREDICATES and isinstance(obj, URIRef):
            edges.add(Edge(subject, obj, predicate, _label(everything, predicate),
                           (subject, predicate, obj) in inferred))
    return Network(nodes, sorted(edges, key=lambda e: (str(e.source), str(e.predicate), str(e.target))))


def _members(graph: Graph, cls: URIRef) -> set:
    classes = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


_OWL_KIND_NAMES = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "data property",
                   OWL.AnnotationProperty: "annotation property"}


def _kind_finder(graph: Graph):
    """A function giving a resource's kind (label of its most specific asserted class) and its DOT colour."""
    supers = {c: set(graph.transitive_objects(c, RDFS.subClassOf)) - {c}
              for c in set(graph.subjects(RDF.type, OWL.Class)) if isinstance(c, URIRef)}

    def kind(name: URIRef) -> tuple[str, str]:
        ours = str(name).startswith((str(H2G), str(H2R)))
        if (name, RDF.type, OWL.Class) in graph:
            return ("class" if ours else "external term"), "#f0f0f0"
        for owl_kind, kind_name in _OWL_KIND_NAMES.items():
            if (name, RDF.type, owl_kind) in graph:
                return kind_name, "#f0f0f0"
        types = {t for t in graph.objects(name, RDF.type) if isinstance(t, URIRef) and t in supers}
        specific = sorted(t for t in types if not any(t in supers.get(other, ()) for other in types))
        if not specific:
            return ("resource" if ours else "external term"), "#ffffff"
        chosen = specific[0]
        colour = next((_KIND_COLOURS[k] for k in [chosen, *sorted(supers.get(chosen, ()))] if k in _KIND_COLOURS),
                      "#ffffff")
        return _label(graph, chosen), colour

    return kind


def _label(graph: Graph, term: URIRef) -> str:
    label = graph.value(term, RDFS.label)
    return str(label) if label is not None else _local_name(term)


def _local_name(term: URIRef) -> str:
    return re.split(r"[/#]", str(term).rstrip("/#"))[-1]


def _is_vocabulary_term(term: URIRef) -> bool:
    return str(term).startswith((str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#"))


def graphml(network: Network) -> bytes:
    """The network as GraphML: node keys label, type, iri (+ data properties); edge keys label, iri, inferred."""
    data_keys = sorted({key for node in network.nodes.values() for key in node.data})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
             '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
             '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
             '  <key id="iri" for="node" attr.name="iri" attr.type="string"/>',
             '  <key id="colour" for="node" attr.name="colour" attr.type="string"/>']
    lines += [f'  <key id={quoteattr("data_" + key)} for="node" attr.name={quoteattr(key)} attr.type="string"/>'
              for key in data_keys]
    lines += ['  <key id="elabel" for="edge" attr.name="label" attr.type="string"/>',
              '  <key id="eiri" for="edge" attr.name="iri" attr.type="string"/>',
              '  <key id="inferred" for="edge" attr.name="inferred" attr.type="boolean"/>',
              '  <graph id="her2graph" edgedefault="directed">']
    for node in network.nodes.values():
        lines.append(f"    <node id={quoteattr(str(node.iri))}>")
        lines.append(f'      <data key="label">{escape(node.label)}</data>')
        lines.append(f'      <data key="type">{escape(node.kind)}</data>')
        lines.append(f'      <data key="iri">{escape(str(node.iri))}</data>')
        lines.append(f'      <data key="colour">{escape(node.colour)}</data>')
        lines += [f'      <data key={quoteattr("data_" + key)}>{escape(value)}</data>' for key, value in node.data.items()]
        lines.append("    </node>")
    for number, edge in enumerate(network.edges):
        lines.append(f'    <edge id="e{number}" source={quoteattr(str(edge.source))} target={quoteattr(str(edge.target))}>')
        lines.append(f'      <data key="elabel">{escape(edge.label)}</data>')
        lines.append(f'      <data key="eiri">{escape(str(edge.predicate))}</data>')
        lines.append(f'      <data key="inferred">{"true" if edge.inferred else "false"}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines).encode("utf-8")


def dot(network: Network, title: str = "her2graph") -> bytes:
    """The network as Graphviz DOT: labelled, coloured by kind, inferred edges dashed; nodes link to their IRI."""
    lines = [f"digraph {_dot_id(title)} {{",
             f"  graph [rankdir=LR, fontname=\"Helvetica\", overlap=false, splines=true, labelloc=t, "
             f"label={_dot_id(title)}];",
             "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];",
             "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];"]
    for node in network.nodes.values():
        label = f"{node.label}\\n({node.kind})"
        lines.append(f"  {_dot_id(str(node.iri))} [label={_dot_id(label, keep_newlines=True)}, "
                     f"fillcolor=\"{node.colour}\", URL={_dot_id(str(node.iri))}, tooltip={_dot_id(str(node.iri))}];")
    for edge in network.edges:
        style = ", style=dashed" if edge.inferred else ""
        lines.append(f"  {_dot_id(str(edge.source))} -> {_dot_id(str(edge.target))} "
                     f"[label={_dot_id(edge.label)}{style}];")
    lines += ["}", ""]
    return "\n".join(lines).encode("utf-8")


def _dot_id(text: str, keep_newlines: bool = False) -> str:
    escaped = text.replace("\\", "\\\\") if not keep_newlines else text
    return '"' + escaped.replace('"', '\\"') + '"'
