"""Describing the service and its data: SPARQL 1.1 Service Description, VoID, and a health check.

Both descriptions are built from the live dataset (its named graphs with their triple counts, its classes
and properties, its source documents with the statements and spans curated from each), counted once through
the query engine (the sources' counts by web/queries/sources.rq); the named graphs' descriptions come from
graph/named-graphs.tsv. VoID (W3C Interest Group Note, §6 and §7.2) is at /void and /.well-known/void; the
Service Description is what the endpoint answers to a GET without a query. A client that prefers HTML (a
browser) gets either as a page, with the same figures, built from the same summary.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD
from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

from ..dataset import named_graph_specs
from ..namespaces import BASE, H2G, ONTOLOGY_IRI, PREFIXES
from .app import service
from .negotiation import CONTENT_TYPES, LINKED_DATA, RDFLIB_FORMATS
from .service_queries import service_query
from .terms import term_view

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD")
"""The W3C format IRIs of every answer format the endpoint writes (see negotiation.py)."""
DATASET_FRAGMENT = "her2graph"
DATASET_TITLE = "her2graph knowledge graph: resistance to HER2-targeted therapy in breast cancer"
"""VoID's title for the dataset (the ontology's own title names only one of its graphs)."""

blueprint = Blueprint("descriptions", __name__)


@dataclass(frozen=True)
class SourceSummary:
    """One source document: what names it, and how many curated statements and spans of the graph rest on it."""

    iri: str
    label: Literal | None
    """These four as the graph states them (language tag, datatype): VoID repeats them."""
    title: Literal | None
    identifier: Literal | None
    rights: Literal | None
    statements: int
    """Statements derived (prov:wasDerivedFrom) from a span of the document (web/queries/sources.rq)."""
    spans: int

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def name(self) -> str:
        """What to call it: its label, else its title, else its IRI's last segment."""
        return str(self.label or self.title or self.local_name)


@dataclass(frozen=True)
class DatasetSummary:
    triples: int
    distinct_subjects: int
    distinct_objects: int
    graphs: tuple[tuple[str, int, str], ...]
    """(graph IRI, triples, description) per named graph."""
    classes: tuple[tuple[str, int], ...]
    """(class IRI, instances)."""
    properties: tuple[tuple[str, int], ...]
    """(property IRI, triples)."""
    title: str | None
    license: str | None
    sources: tuple[SourceSummary, ...] = ()
    """Per source document, in IRI order."""

    def source(self, iri: str) -> SourceSummary | None:
        return next((source for source in self.sources if source.iri == iri), None)


def summarise(engine, data_root=None) -> DatasetSummary:
    """The dataset's counts, by SPARQL through `engine` (so they describe exactly what queries see)."""
    def rows(query):
        return engine.select(query)

    totals = rows("SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?o) AS ?o_) "
                  "WHERE { ?s ?p ?o }")[0]
    counts = {row["g"]["value"]: int(row["n"]["value"]) for row in
              rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    described = {str(spec.iri): spec.description for spec in named_graph_specs(data_root)}
    graphs = tuple((iri, counts[iri], described.get(iri, "")) for iri in sorted(counts))
    classes = tuple((row["c"]["value"], int(row["n"]["value"])) for row in rows(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c"))
    properties = tuple((row["p"]["value"], int(row["n"]["value"])) for row in rows(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"))
    ontology = rows(f"PREFIX dcterms: <{DCTERMS}> SELECT ?title ?license WHERE {{ "
                    f"OPTIONAL {{ <{ONTOLOGY_IRI}> dcterms:title ?title }} "
                    f"OPTIONAL {{ <{ONTOLOGY_IRI}> dcterms:license ?license }} }} LIMIT 1")[0]
    return DatasetSummary(int(totals["t"]["value"]), int(totals["s_"]["value"]), int(totals["o_"]["value"]),
                          graphs, classes, properties,
                          DATASET_TITLE, ontology.get("license", {}).get("value"), summarise_sources(engine))


def summarise_sources(engine) -> tuple[SourceSummary, ...]:
    """Each source document with its counts (web/queries/sources.rq), in IRI order."""
    def literal(row, key):
        term = row.get(key)
        return parseJsonTerm(term) if term is not None and term["type"] == "literal" else None

    return tuple(SourceSummary(row["document"]["value"], literal(row, "label"), literal(row, "title"),
                               literal(row, "identifier"), literal(row, "rights"),
                               int(row["statements"]["value"]), int(row["spans"]["value"]))
                 for row in engine.select(service_query("sources")) if row["document"]["type"] == "uri")


def service_description(endpoint: str, void_url: str, summary: DatasetSummary) -> Graph:
    """The endpoint's SPARQL 1.1 Service Description, with its default dataset and named graphs."""
    graph = _graph()
    service_node, dataset = URIRef(endpoint), URIRef(f"{void_url}#{DATASET_FRAGMENT}")
    graph.add((service_node, RDF.type, SD.Service))
    graph.add((service_node, SD.endpoint, service_node))
    graph.add((service_node, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service_node, SD.feature, SD.UnionDefaultGraph))
    graph.add((service_node, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in RESULT_FORMATS:
        graph.add((service_node, SD.resultFormat, FORMATS[name]))
    graph.add((service_node, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, VOID.triples, _count(summary.triples)))
    for iri, triples, description in summary.graphs:
        named, contents = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
        graph.add((named, SD.graph, contents))
        graph.add((contents, RDF.type, SD.Graph))
        graph.add((contents, VOID.triples, _count(triples)))
        if description:
            graph.add((contents, DCTERMS.description, Literal(description, lang="en")))
    return graph


def void_description(void_url: str, endpoint: str, summary: DatasetSummary) -> Graph:
    """The dataset's VoID description: size, vocabularies, named graphs as subsets, class and property partitions."""
    graph = _graph()
    dataset = URIRef(f"{void_url}#{DATASET_FRAGMENT}")
    graph.add((dataset, RDF.type, VOID.Dataset))
    if summary.title:
        graph.add((dataset, DCTERMS.title, Literal(summary.title, lang="en")))
    if summary.license:
        graph.add((dataset, DCTERMS.license, URIRef(summary.license)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((dataset, VOID.uriSpace, Literal(BASE)))
    graph.add((dataset, VOID.rootResource, URIRef(ONTOLOGY_IRI)))
    for namespace in PREFIXES.values():
        graph.add((dataset, VOID.vocabulary, URIRef(str(namespace))))
    graph.add((dataset, VOID.triples, _count(summary.triples)))
    graph.add((dataset, VOID.distinctSubjects, _count(summary.distinct_subjects)))
    graph.add((dataset, VOID.distinctObjects, _count(summary.distinct_objects)))
    graph.add((dataset, VOID.classes, _count(len(summary.classes))))
    graph.add((dataset, VOID.properties, _count(len(summary.properties))))
    for iri, triples, description in summary.graphs:
        subset = URIRef(iri)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, _count(triples)))
        if description:
            graph.add((subset, DCTERMS.description, Literal(description, lang="en")))
    for source in summary.sources:
        _describe_source(graph, dataset, URIRef(f"{void_url}#source-{source.local_name}"), source)
    for cls, entities in summary.classes:
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, _count(entities)))
    for prop, triples in summary.properties:
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _count(triples)))
    return graph


def _describe_source(graph: Graph, dataset: URIRef, subset: URIRef, source: SourceSummary) -> None:
    """One subset of the dataset per source document: what the graph curates from it.

    Why these terms: the subset is "the curated statements derived from the document, and the spans of its text
    they rest on"; dcterms:source links it to the document ("a related resource from which the described
    resource is derived", DCMI Metadata Terms). Its size is counted in entities, not triples: VoID's
    void:classPartition with void:entities (VoID's class-based partitions) gives the number of statements (class
    h2g:CuratedStatement) and of spans (h2g:SourceSpan) as two figures a client can read without knowing our
    ontology, and void:entities on the subset is their sum. void:triples is not given: a statement's triples
    mix with those of entities other sources share (a trial, a drug), so no triple count would belong to one
    source alone. The data asserts each statement's own class (Claim, Finding, Trial, ...); CuratedStatement is
    their superclass by the ontology's rdfs:subClassOf axioms (RDFS entailment), as the partition's class.
    The document itself is described with its label, title, identifier and rights, as the graph states them.
    """
    graph.add((dataset, VOID.subset, subset))
    graph.add((subset, RDF.type, VOID.Dataset))
    graph.add((subset, DCTERMS.source, URIRef(source.iri)))
    graph.add((subset, DCTERMS.title, Literal(f"Curated from: {source.name}", lang="en")))
    graph.add((subset, VOID.entities, _count(source.statements + source.spans)))
    for cls, entities in ((H2G.CuratedStatement, source.statements), (H2G.SourceSpan, source.spans)):
        partition = BNode()
        graph.add((subset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, _count(entities)))
    document = URIRef(source.iri)
    graph.add((document, RDF.type, H2G.SourceDocument))
    for predicate, value in ((RDFS.label, source.label), (DCTERMS.title, source.title),
                             (DCTERMS.identifier, source.identifier), (DCTERMS.rights, source.rights)):
        if value is not None:
            graph.add((document, predicate, value))


def rdf_response(graph: Graph, media_type: str) -> Response:
    """`graph` written in an RDF media type (from the LINKED_DATA or RDF_GRAPHS tables)."""
    return Response(graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8"),
                    content_type=CONTENT_TYPES[media_type])


@blueprint.route("/.well-known/void")
@blueprint.route("/void")
def void() -> Response:
    media_type = LINKED_DATA.choose(request.accept_mimetypes)
    void_url = url_for("descriptions.void", _external=True)
    if media_type == "text/html":
        response = html_description("void.html", void_url)
    else:
        graph = void_description(void_url, url_for("sparql.endpoint", _external=True), service().summary())
        response = rdf_response(graph, media_type)
    response.vary.add("Accept")
    return response


def html_description(template: str, void_url: str) -> Response:
    """The VoID or Service Description page for people: the summary's figures, with links."""
    summary = service().summary()

    def linked(iri: str) -> dict:
        return term_view({"type": "uri", "value": iri})

    html = render_template(
        template, summary=summary, void_url=void_url, endpoint=url_for("sparql.endpoint", _external=True),
        graphs=[(linked(iri), triples, description) for iri, triples, description in summary.graphs],
        classes=[(linked(iri), count) for iri, count in summary.classes],
        properties=[(linked(iri), count) for iri, count in summary.properties],
        sources=source_rows(summary),
        result_formats=[name.replace("_", " ") for name in RESULT_FORMATS],
        license=linked(summary.license) if summary.license else None)
    return Response(html, content_type=CONTENT_TYPES["text/html"])


def source_rows(summary: DatasetSummary) -> list[dict]:
    """The sources for a page's table: the document as a link to its page, its identifier and counts."""
    return [{"document": term_view({"type": "uri", "value": source.iri}, {source.iri: source.name}),
             "identifier": str(source.identifier) if source.identifier is not None else None,
             "statements": source.statements, "spans": source.spans} for source in summary.sources]


@blueprint.route("/health")
def health() -> Response:
    """Liveness for deployments: 200 while at least one query worker is alive, else 503."""
    status = service().engine.status()
    healthy = status["alive"] > 0
    response = jsonify({"status": "ok" if healthy else "unavailable", **status})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _graph() -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    graph.bind("dcterms", DCTERMS)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _count(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)
