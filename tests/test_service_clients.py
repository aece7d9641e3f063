"""Real SPARQL clients of several ecosystems against the real server: SPARQLWrapper, rdflib (its SPARQLStore and
its SERVICE), and Oxigraph, which federates into the service with SERVICE, as another engine would."""
from __future__ import annotations

import csv
import io
from urllib.error import HTTPError

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML,
                           SPARQLWrapper)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

H2G = "https://w3id.org/her2graph/ontology/"
H2R = "https://w3id.org/her2graph/resource/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TRIALS = f"PREFIX h2g: <{H2G}> SELECT ?nct WHERE {{ ?trial h2g:nctId ?nct }} ORDER BY ?nct"
NCT_IDS = ["NCT00078572", "NCT00320385", "NCT00829166", "NCT01419197"]


def wrapper(endpoint, query, return_format=JSON, method=GET, request_method=URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


@pytest.mark.parametrize("method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_as_json_by_each_method(endpoint, method, request_method):
    results = wrapper(endpoint, TRIALS, JSON, method, request_method).query().convert()
    assert [row["nct"]["value"] for row in results["results"]["bindings"]] == NCT_IDS


def test_sparqlwrapper_select_as_xml(endpoint):
    document = wrapper(endpoint, TRIALS, XML).query().convert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == NCT_IDS


@pytest.mark.parametrize("return_format, delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_as_csv_and_tsv(endpoint, return_format, delimiter):
    text = wrapper(endpoint, TRIALS, return_format).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert [row[0].strip('"') for row in rows[1:]] == NCT_IDS


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, return_format):
    result = wrapper(endpoint, f"ASK {{ <{H2R}lapatinib> a <{H2G}Drug> }}", return_format).query().convert()
    answer = result["boolean"] if return_format == JSON else result.getElementsByTagName("boolean")[0].firstChild.data
    assert answer in (True, "true")


@pytest.mark.parametrize("return_format", [XML, TURTLE, JSONLD])
@pytest.mark.parametrize("form", ["CONSTRUCT WHERE { <%s> ?p ?o }", "DESCRIBE <%s>"], ids=["construct", "describe"])
def test_sparqlwrapper_graph_queries(endpoint, return_format, form):
    converted = wrapper(endpoint, form % (H2R + "lapatinib"), return_format).query().convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert (URIRef(H2R + "lapatinib"), URIRef(RDFS_LABEL), Literal("lapatinib", lang="en")) in graph


def test_sparqlwrapper_reports_a_malformed_query_with_the_parser_message(endpoint):
    with pytest.raises(QueryBadFormed, match="not valid SPARQL"):
        wrapper(endpoint, "SELECT * WHERE {").query()


def test_sparqlwrapper_update_is_refused(endpoint):
    client = wrapper(endpoint, "INSERT DATA { <http://e/s> <http://e/p> 1 }", method=POST)
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403


def test_rdflib_sparqlstore_reads_the_graph(endpoint):
    graph = Graph(store=SPARQLStore(endpoint))
    assert [str(row.nct) for row in graph.query(TRIALS)] == NCT_IDS
    labels = set(graph.objects(URIRef(H2R + "lapatinib"), URIRef(RDFS_LABEL)))
    assert labels == {Literal("lapatinib", lang="en")}


def test_rdflib_federates_into_the_service(endpoint):
    query = f"SELECT ?nct WHERE {{ SERVICE <{endpoint}> {{ ?trial <{H2G}nctId> ?nct }} }} ORDER BY ?nct"
    assert [str(row.nct) for row in Graph().query(query)] == NCT_IDS


def test_oxigraph_federates_into_the_service(endpoint):
    """Another engine calling us through SERVICE: the proof that other tools can use the service."""
    query = f"SELECT ?nct WHERE {{ SERVICE <{endpoint}> {{ ?trial <{H2G}nctId> ?nct }} }} ORDER BY ?nct"
    assert [solution["nct"].value for solution in pyoxigraph.Store().query(query)] == NCT_IDS
