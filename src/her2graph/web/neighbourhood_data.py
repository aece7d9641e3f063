"""The data the graph view of a Linked Data page needs, fetched through the engine as a small rdflib Dataset.

her2graph.network_export draws a neighbourhood from an rdflib Dataset. The service does not hold the whole
graph in rdflib (a build is loaded straight into the engine, and with --store the graph is elsewhere), so
the few quads the drawing reads are asked for by SPARQL, whichever engine answers: the entity's own links
(both directions, with their named graphs, since inferred links are drawn apart), the labels, types and data
values of its neighbours, and the class hierarchy that names each neighbour's kind.
"""
from __future__ import annotations

import pyoxigraph
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

from ..namespaces import H2G

NEIGHBOURS_DESCRIBED = 200
"""At most this many neighbours are described (the drawing keeps fewer: network_export's limit)."""
_AROUND = """SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { $node ?p ?o } BIND($node AS ?s) } UNION { GRAPH ?g { ?s ?p $node } BIND($node AS ?o) }
}"""
_DESCRIBED = """SELECT ?s ?p ?o ?g WHERE {
  VALUES ?s { $nodes }
  GRAPH ?g { ?s ?p ?o }
  FILTER (?p IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, <http://www.w3.org/2000/01/rdf-schema#label>)
          || (isLiteral(?o) && STRSTARTS(STR(?p), "$h2g")))
}"""
# The constants come in by VALUES, not BIND: Virtuoso 7.2 fails to compile BIND of a constant next to GRAPH in
# a UNION branch ("Internal error: sparp_gp_deprecate()"), and `serve --store` may front it (docs/virtuoso.md).
_CLASSES = """SELECT ?s ?p ?o ?g WHERE {
  { VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#subClassOf> } GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?o)) }
  UNION
  { VALUES (?p ?o) { (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class>) }
    GRAPH ?g { ?s ?p ?o } }
}"""

def neighbourhood_dataset(engine, iri: str) -> Dataset | None:
    """The quads network_export.neighbourhood_network reads for `iri`, or None if no triple mentions it."""
    node = str(pyoxigraph.NamedNode(iri))
    around = engine.select(_AROUND.replace("$node", node))
    if not around:
        return None
    named = sorted({row[key]["value"] for row in around for key in ("s", "o", "p")
                    if row[key]["type"] == "uri"})[:NEIGHBOURS_DESCRIBED]
    classes = engine.select(_CLASSES)
    named += sorted({row[key]["value"] for row in classes for key in ("s", "o") if row[key]["type"] == "uri"})
    values = " ".join(str(pyoxigraph.NamedNode(name)) for name in dict.fromkeys(named))
    described = engine.select(_DESCRIBED.replace("$nodes", values).replace("$h2g", str(H2G)))
    dataset = Dataset()
    for row in around + classes + described:
        dataset.add((parseJsonTerm(row["s"]), parseJsonTerm(row["p"]), parseJsonTerm(row["o"]),
                     URIRef(row["g"]["value"])))
    return dataset
