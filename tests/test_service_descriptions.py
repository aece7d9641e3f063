"""The descriptions of the service and its data (VoID, health), from the live dataset, on the real server."""
from __future__ import annotations

import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from her2graph.dataset import named_graph_specs
from her2graph.namespaces import GRAPH, H2G

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def void_of(service, path="/void", accept="text/turtle", rdflib_format="turtle") -> tuple[Graph, URIRef]:
    response = requests.get(service.url + path, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    return graph, URIRef(service.url + "/void#her2graph")


def test_void_counts_the_dataset_as_queries_see_it(service, dataset):
    void, dataset_node = void_of(service)
    merged = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert (dataset_node, RDF.type, VOID.Dataset) in void
    assert void.value(dataset_node, VOID.triples).toPython() == len(merged)
    assert void.value(dataset_node, VOID.sparqlEndpoint) == URIRef(service.url + "/sparql")
    assert void.value(dataset_node, VOID.uriSpace) == Literal("https://w3id.org/her2graph/")


def test_void_describes_each_named_graph_as_a_subset(service, dataset):
    void, dataset_node = void_of(service)
    subsets = {subset for subset in void.objects(dataset_node, VOID.subset)
               if (subset, DCTERMS.source, None) not in void}  # the others are its sources (test_service_sources)
    assert subsets == {spec.iri for spec in named_graph_specs()} >= {GRAPH.facts, GRAPH.ontology, GRAPH.provenance}
    for subset in subsets:
        assert void.value(subset, VOID.triples).toPython() == len(dataset.graph(subset))


def test_void_partitions_by_class_and_property(service, graph):
    void, dataset_node = void_of(service)
    drugs = next(partition for partition in void.objects(dataset_node, VOID.classPartition)
                 if void.value(partition, VOID["class"]) == H2G.Drug)
    assert void.value(drugs, VOID.entities).toPython() == len(set(graph.subjects(RDF.type, H2G.Drug)))
    properties = {void.value(partition, VOID.property) for partition in void.objects(dataset_node, VOID.propertyPartition)}
    assert set(graph.predicates()) == properties


def test_void_is_at_the_well_known_address_too_and_negotiated(service):
    turtle, _ = void_of(service, "/.well-known/void")
    json_ld, _ = void_of(service, "/.well-known/void", "application/ld+json", "json-ld")
    assert len(turtle) == len(json_ld) > 50


def test_the_service_description_and_void_name_the_same_dataset(service):
    description = Graph().parse(data=requests.get(service.url + "/sparql").text, format="turtle")
    assert description.value(URIRef(service.url + "/sparql"), SD.defaultDataset) == URIRef(service.url + "/void#her2graph")


def test_health_reports_the_workers(service):
    response = requests.get(service.url + "/health")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    health = response.json()
    assert health["status"] == "ok" and health["workers"] == 2 and health["alive"] == 2
