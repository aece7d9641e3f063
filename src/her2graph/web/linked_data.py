"""Linked Data: every IRI of the her2graph namespace dereferences on the service.

/resource/x, /ontology/X, /ontology and /graph/x on this host stand for https://w3id.org/her2graph/resource/x,
…/ontology/X, …/ontology and …/graph/x. Each answers 200 with a description of the thing, negotiated:
HTML for a browser; Turtle, N-Triples, RDF/XML or JSON-LD for a client (Turtle for */*); `?format=ttl|nt|
rdf|jsonld|html` chooses explicitly. Why 200 and not 303: the IRIs live on w3id.org, whose redirect to this
service is already the hop from the thing to its description, so a second 303 would only cost every client
a round trip; the response carries `Vary: Accept` and names the IRI it describes (Link rel="describedby"
is not needed where the page is the description).

A description holds the triples with the IRI as subject or object, and for each source span the IRI is
derived from (prov:wasDerivedFrom), the span's document and offsets. The HTML page of a statement names its
source document(s) at the top; that of a source document says how many statements and spans rest on it (from
the dataset summary) and links to the query that lists them. The source text itself is not served:
the HTML page quotes each span briefly when the source file is at hand (evidence_quotes.py), and names the
database of each external mapping ("ChEBI: lapatinib").
A named graph's RDF description is its content. The HTML page also draws the entity's neighbourhood
(her2graph/static/graph-view.js with the vendored Cytoscape.js, from /neighbourhood?iri=…); a click on a
neighbour goes through /page?iri=…, which only ever redirects to pages of this service.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph
from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for

from ..namespaces import GRAPH, H2G, H2R, ONTOLOGY_IRI, PREFIXES
from .app import service
from .evidence_quotes import span_quote
from .negotiation import CONTENT_TYPES, LINKED_DATA
from .protocol import ProtocolError
from .query_guard import MAX_IRI_LENGTH
from .service_queries import bound_to
from .terms import label_of, local_path, term_view

GRAPH_VIEW_ASSETS = Path(__file__).resolve().parent.parent / "static"
"""graph-view.js and the vendored Cytoscape.js (her2graph/static), served under /assets."""
blueprint = Blueprint("linked_data", __name__, static_folder=str(GRAPH_VIEW_ASSETS), static_url_path="/assets")

RDF_FORMATS = (("ttl", "text/turtle", "Turtle"), ("nt", "application/n-triples", "N-Triples"),
               ("rdf", "application/rdf+xml", "RDF/XML"), ("jsonld", "application/ld+json", "JSON-LD"))
"""The ?format= values that choose an RDF syntax, with their media types and names (for links)."""
FORMAT_PARAMETER = {key: media_type for key, media_type, _ in RDF_FORMATS} | {"html": "text/html"}
MAPPING_PROPERTIES = tuple(f"http://www.w3.org/2004/02/skos/core#{name}Match"
                           for name in ("exact", "close", "broad", "narrow", "related"))
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
STATED_IN = str(H2G.statedIn)
_PREAMBLE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


@blueprint.route("/resource/<path:name>")
def resource(name: str) -> Response:
    return _describe(str(H2R) + name)


@blueprint.route("/ontology/<path:name>")
def ontology_term(name: str) -> Response:
    return _describe(str(H2G) + name)


@blueprint.route("/ontology")
def ontology() -> Response:
    return _describe(ONTOLOGY_IRI)


@blueprint.route("/graph/<path:name>")
def named_graph(name: str) -> Response:
    return _describe(str(GRAPH) + name)


@blueprint.route("/neighbourhood")
def neighbourhood() -> Response:
    """The entity `iri` and its neighbours as Cytoscape.js elements (JSON), for the page's graph view."""
    iri = request.args.get("iri", "")
    if local_path(iri) is None or not _is_iri(iri):
        abort(404)
    elements = service().neighbourhood(iri)
    if elements is None:
        abort(404)
    response = jsonify(elements)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blueprint.route("/page")
def page_of() -> Response:
    """A redirect to the page of `iri`, for IRIs this service serves only (no open redirect)."""
    iri = request.args.get("iri", "")
    path = local_path(iri)
    if path is None or not _is_iri(iri):  # not ours, or not an IRI (spaces, CR/LF: no header could carry it)
        abort(404)
    return redirect(path, 303)


def _is_iri(text: str) -> bool:
    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return len(text) <= MAX_IRI_LENGTH


def _describe(iri: str) -> Response:
    try:
        node = str(pyoxigraph.NamedNode(iri))  # a valid IRI cannot break out of <…> in the queries below
    except ValueError:
        abort(404, _not_held(iri))
    media_type = _chosen_media_type()
    graph = next((entry for entry in service().summary().graphs if entry[0] == iri), None)
    if media_type == "text/html":
        response = _page(iri, node, graph)
    else:
        query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}" if graph
                 else _DESCRIPTION.replace("$node", node))
        engine = service().engine
        if not graph and not engine.select(f"SELECT ?x WHERE {{ {{ {node} ?x ?o }} UNION {{ ?s ?x {node} }} }} LIMIT 1"):
            abort(404, _not_held(iri))
        answer = engine.evaluate(engine.prepare(query), media_type=media_type, capped=False)
        response = Response(answer.body, content_type=CONTENT_TYPES[answer.media_type])
    response.vary.add("Accept")
    response.headers["Content-Location"] = request.path
    return response


def _not_held(iri: str) -> str:
    return f"nothing in this graph has the IRI {iri}; search for it by name"


_DESCRIPTION = _PREAMBLE + """CONSTRUCT {
  $node ?p ?o . ?s ?q $node .
  ?span oa:hasSource ?document ; oa:hasSelector ?selector . ?selector oa:start ?start ; oa:end ?end .
} WHERE {
  { $node ?p ?o } UNION { ?s ?q $node }
  UNION { $node prov:wasDerivedFrom ?span . ?span oa:hasSelector ?selector .
          ?selector oa:start ?start ; oa:end ?end . OPTIONAL { ?span oa:hasSource ?document } }
}"""


def _chosen_media_type() -> str:
    requested = request.args.get("format")
    if requested is None:
        return LINKED_DATA.choose(request.accept_mimetypes)
    if requested not in FORMAT_PARAMETER:
        raise ProtocolError(f"format must be one of {', '.join(FORMAT_PARAMETER)}")
    return FORMAT_PARAMETER[requested]


def _page(iri: str, node: str, graph) -> Response:
    engine = service().engine
    links = engine.select(_PREAMBLE + f"""SELECT ?direction ?p ?other ?g WHERE {{
        {{ GRAPH ?g {{ {node} ?p ?other }} BIND("out" AS ?direction) }}
        UNION {{ GRAPH ?g {{ ?other ?p {node} }} BIND("in" AS ?direction) }}
    }} ORDER BY ?p ?other""")
    if not links and not graph:
        abort(404, _not_held(iri))
    spans = engine.select(_PREAMBLE + f"""SELECT ?span ?start ?end ?document ?fileName ?sha256 WHERE {{
        {node} prov:wasDerivedFrom ?span . ?span oa:hasSelector ?selector .
        ?selector oa:start ?start ; oa:end ?end .
        OPTIONAL {{ ?span oa:hasSource ?document
                    OPTIONAL {{ ?document h2g:fileName ?fileName }} OPTIONAL {{ ?document h2g:sha256 ?sha256 }} }}
    }} ORDER BY ?start ?end""")
    labels = _labels(engine, {iri} | {row[key]["value"] for row in links for key in ("p", "other")
                                      if row[key]["type"] == "uri"}
                     | {row["document"]["value"] for row in spans if "document" in row})
    for row in links:  # named graphs have no label: their last segment (facts, provenance) reads well
        labels.setdefault(row["g"]["value"], label_of(row["g"]["value"]))
    outgoing, incoming, mappings, types = defaultdict(list), defaultdict(list), [], []
    for row in links:
        predicate, other = row["p"]["value"], term_view(row["other"], labels)
        graph_name = term_view(row["g"], labels)
        if row["direction"]["value"] == "in":
            incoming[predicate].append((other, graph_name))
        elif predicate in MAPPING_PROPERTIES:
            mappings.append((term_view(row["p"], labels), other, row["other"]["value"]))
        elif predicate == RDF_TYPE:
            types.append(other)
        else:
            outgoing[predicate].append((other, graph_name))
    html = render_template(
        "resource.html", iri=iri, title=labels.get(iri) or label_of(iri), types=types,
        outgoing=[(term_view({"type": "uri", "value": p}, labels), values) for p, values in outgoing.items()],
        incoming=[(term_view({"type": "uri", "value": p}, labels), values) for p, values in incoming.items()],
        mappings=_with_databases(engine, mappings), spans=[_span_view(row, labels) for row in spans], graph=graph,
        sources=_sources_stating(links, spans, labels), curated=_curated_from(iri), formats=RDF_FORMATS)
    return Response(html, content_type=CONTENT_TYPES["text/html"])


def _sources_stating(links: list[dict], spans: list[dict], labels: dict[str, str]) -> list[dict]:
    """The source documents a statement names: those of its spans and its h2g:statedIn (the SHACL shapes
    require them to be the same one; a graph that breaks that shows both). Each with its identifier."""
    summary = service().summary()
    documents = {row["document"]["value"] for row in spans if row.get("document", {}).get("type") == "uri"}
    documents |= {row["other"]["value"] for row in links if row["direction"]["value"] == "out"
                  and row["p"]["value"] == STATED_IN and row["other"]["type"] == "uri"}
    found = []
    for document in sorted(documents):
        source = summary.source(document)
        found.append({"document": term_view({"type": "uri", "value": document}, labels),
                      "identifier": str(source.identifier) if source and source.identifier is not None else None})
    return found


def _curated_from(iri: str) -> dict | None:
    """For a source document's page: how many statements and spans rest on it (counted once, with the dataset
    summary), and the query page listing its statements; None for anything else."""
    source = service().summary().source(iri)
    if source is None:
        return None
    return {"statements": source.statements, "spans": source.spans,
            "list": url_for("query_page.page", query=bound_to("statements-of-a-source", "document", iri))}


def _labels(engine, iris: set[str]) -> dict[str, str]:
    """One label per IRI: rdfs:label in English if there is one, else any rdfs:label or skos:prefLabel."""
    if not iris:
        return {}
    values = " ".join(str(pyoxigraph.NamedNode(iri)) for iri in sorted(iris))
    rows = engine.select(_PREAMBLE + f"""SELECT ?node ?label WHERE {{
        VALUES ?node {{ {values} }}
        ?node rdfs:label|skos:prefLabel ?label
    }} ORDER BY ?node DESC(langMatches(lang(?label), "en")) ?label""")
    labels: dict[str, str] = {}
    for row in rows:
        labels.setdefault(row["node"]["value"], row["label"]["value"])
    return labels


def _with_databases(engine, mappings: list[tuple]) -> list[tuple]:
    """(predicate, target, database name) per mapping: the name is the target's dcterms:source, which the
    import module records for every external term (mappings/external_terms.tsv), e.g. "ChEBI"."""
    targets = sorted({iri for _, _, iri in mappings})
    if not targets:
        return []
    values = " ".join(str(pyoxigraph.NamedNode(iri)) for iri in targets)
    rows = engine.select(_PREAMBLE + f"""SELECT ?node ?source WHERE {{
        VALUES ?node {{ {values} }} ?node dcterms:source ?source FILTER(isLiteral(?source)) }}""")
    names = {row["node"]["value"]: row["source"]["value"] for row in rows}
    return sorted(((predicate, target, names.get(iri)) for predicate, target, iri in mappings),
                  key=lambda mapping: (mapping[2] or "~", mapping[1]["text"]))


def _span_view(row: dict, labels: dict[str, str]) -> dict:
    start, end = int(row["start"]["value"]), int(row["end"]["value"])
    return {"span": term_view(row["span"], labels), "start": start, "end": end,
            "document": term_view(row["document"], labels) if "document" in row else None,
            "file_name": row.get("fileName", {}).get("value"),
            "quote": span_quote(row.get("fileName", {}).get("value"), row.get("sha256", {}).get("value"), start, end)}
