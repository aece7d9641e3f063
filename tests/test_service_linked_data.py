"""Linked Data: every IRI of the her2graph namespace dereferences on the real server, HTML for people and RDF
for programs, with types, properties, incoming links, external mappings (named by database) and source spans
(briefly quoted when the source file is at hand)."""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest
import requests
from rdflib import Graph, Literal, URIRef

from her2graph.namespaces import GRAPH, H2R, PROV
from her2graph.provenance import source_of
from her2graph.web.evidence_quotes import QUOTE_CHARACTERS, span_quote

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
EMILIA = H2R["emilia"]
REVIEW = H2R["her2-resistance-review"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attributes):
        if tag == "a":
            self.hrefs += [value for name, value in attributes if name == "href"]


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def page(service, path: str) -> requests.Response:
    response = requests.get(service.url + path, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/html")
    return response


def by_value(triples) -> set:
    """Triples with numeric and boolean literals as their values: Oxigraph stores "991"^^xsd:positiveInteger
    as "991"^^xsd:integer and "1.50"^^xsd:decimal as "1.5" (oxigraph/oxigraph#526), so terms may differ."""
    numeric = ("integer", "decimal", "double", "float", "boolean", "positiveInteger", "nonNegativeInteger", "int")
    numeric_types = {URIRef(f"http://www.w3.org/2001/XMLSchema#{name}") for name in numeric}
    return {(s, p, o.toPython() if isinstance(o, Literal) and o.datatype in numeric_types else o)
            for s, p, o in triples}


def test_a_resource_page_shows_label_types_properties_and_incoming_links(service, graph):
    response = page(service, "/resource/emilia")
    html = response.text
    assert "<h1>EMILIA (NCT00829166)</h1>" in html
    hrefs = links_of(html)
    assert "/ontology/Trial" in hrefs                       # its type
    assert "/resource/emilia-arm-t-dm1" in hrefs            # a property value, and an incoming link (armOf)
    assert "/ontology/hasArm" in hrefs and "/ontology/armOf" in hrefs
    assert 'id="incoming"' in html
    assert "Accept" in response.headers["Vary"] and "Content-Security-Policy" in response.headers


def test_a_resource_page_quotes_its_source_spans_briefly_with_their_offsets(service, graph):
    html = page(service, "/resource/emilia").text
    spans = sorted(graph.objects(EMILIA, PROV.wasDerivedFrom))
    assert spans and all(f"/resource/{span.split('/')[-1]}" in html for span in spans)
    assert "3251" in html and "3497" in html and "her2-resistance-review.txt" in html
    try:
        text = source_of(graph, document=REVIEW).text
    except Exception as error:  # the review is not redistributed: without it, only the offsets are checked
        pytest.skip(f"source text not available here ({error})")
    quoted = escape(" ".join(text[3251:3497].split()), quote=False)
    assert f'<blockquote class="quote">{quoted}</blockquote>' in html
    assert len(text) > 10 * QUOTE_CHARACTERS and escape(text[:2000], quote=False) not in html


def test_a_long_span_is_cut_to_a_short_quote_and_without_the_source_there_is_none(graph, tmp_path, monkeypatch):
    from her2graph.provenance import source_document

    _, file_name, digest = source_document(graph, REVIEW)
    try:
        source_of(graph, document=REVIEW)
    except Exception as error:
        pytest.skip(f"source text not available here ({error})")
    quote = span_quote(file_name, digest, 0, 5000)
    assert len(quote) <= QUOTE_CHARACTERS + 2 and quote.endswith(" …")
    assert span_quote(file_name, "0" * 64, 0, 50) is None          # not the file the graph was curated from
    monkeypatch.setenv("HER2GRAPH_SOURCE", str(tmp_path))
    assert span_quote(file_name, digest, 0, 50) is None            # not at hand: the page shows offsets only


def test_each_external_mapping_names_its_database(service):
    html = page(service, "/resource/lapatinib").text
    mappings = html.split('id="mappings"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<span class="database">ChEBI:</span> <a href="http://purl.obolibrary.org/obo/CHEBI_49603"'
                     r'[^>]*>lapatinib</a>', mappings)
    assert {"ChEBI:", "NCIt:", "DrugBank:", "ChEMBL:"} <= set(re.findall(r'class="database">([^<]+)<', mappings))


def test_every_link_of_a_page_to_the_service_works(service):
    html = page(service, "/resource/emilia").text
    local = sorted({href for href in links_of(html) if href.startswith("/") and not href.startswith("//")})
    assert len(local) > 10
    for href in local:
        response = requests.get(service.url + href, headers=HTML)
        assert response.status_code == 200, href


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"), ("*/*", "turtle"), (None, "turtle")])
def test_a_resource_in_rdf_holds_its_triples_both_ways_and_its_span_offsets(service, graph, accept, rdflib_format):
    headers = {} if accept is None else {"Accept": accept}
    response = requests.get(service.url + "/resource/emilia", headers=headers)
    assert response.status_code == 200
    described = Graph().parse(data=response.text, format=rdflib_format)
    assert by_value(graph.triples((EMILIA, None, None))) <= by_value(described)
    # incoming links from named nodes (the SSSOM/RDF mapping axioms are blank nodes: no page can name them)
    assert by_value(t for t in graph.triples((None, None, EMILIA)) if isinstance(t[0], URIRef)) <= by_value(described)
    starts = {int(value) for value in described.objects(None, URIRef("http://www.w3.org/ns/oa#start"))}
    assert 3251 in starts


@pytest.mark.parametrize("key, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_the_format_parameter_chooses_the_syntax(service, key, rdflib_format):
    response = requests.get(service.url + f"/resource/lapatinib?format={key}", headers=HTML)
    assert len(Graph().parse(data=response.text, format=rdflib_format)) > 3


def test_an_ontology_term_and_the_ontology_dereference(service):
    drug = page(service, "/ontology/Drug").text
    assert "/resource/lapatinib" in links_of(drug)          # instances, as incoming rdf:type links
    ontology = requests.get(service.url + "/ontology", headers={"Accept": "text/turtle"})
    described = Graph().parse(data=ontology.text, format="turtle")
    assert (URIRef("https://w3id.org/her2graph/ontology"), URIRef("http://purl.org/dc/terms/title"),
            Literal("her2graph ontology", lang="en")) in described


def test_a_named_graph_dereferences_to_its_content(service, dataset):
    response = requests.get(service.url + "/graph/facts", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=response.text, format="nt")) == len(dataset.graph(GRAPH.facts))
    html = page(service, "/graph/facts").text
    assert f"{len(dataset.graph(GRAPH.facts))} triples" in html


@pytest.mark.parametrize("path", ["/resource/no-such-thing", "/ontology/NoSuchClass", "/graph/no-such-graph",
                                  "/resource/x%3E%20%3Fp%20%3Fo%20%7D%20UNION%20%7B", "/resource/%3Chttp://a/%3E"])
def test_an_iri_the_graph_does_not_hold_is_404(service, path):
    for headers in (HTML, {"Accept": "text/turtle"}):
        response = requests.get(service.url + path, headers=headers)
        assert response.status_code == 404


def test_an_unknown_format_parameter_is_400(service):
    assert requests.get(service.url + "/resource/lapatinib?format=pdf").status_code == 400


def test_external_mappings_are_shown_as_links(service, graph):
    mapping_properties = [URIRef(f"http://www.w3.org/2004/02/skos/core#{kind}Match")
                          for kind in ("exact", "close", "broad", "narrow", "related")]
    lapatinib = H2R["lapatinib"]
    expected = {(prop, target) for prop in mapping_properties for target in graph.objects(lapatinib, prop)}
    if not expected:
        pytest.skip("the graph holds no skos:*Match for lapatinib")
    html = page(service, "/resource/lapatinib").text
    mappings = html.split('id="mappings"', 1)[1].split("</section>", 1)[0]
    for prop, target in expected:
        assert f'title="{prop}"' in mappings and f'href="{target}"' in mappings


def test_the_neighbourhood_of_an_entity_is_served_as_cytoscape_elements(service):
    response = requests.get(service.url + "/neighbourhood", params={"iri": str(H2R["trastuzumab-emtansine"])})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    elements = response.json()
    ids = {element["data"]["id"] for element in elements if element["group"] == "nodes"}
    assert str(H2R["trastuzumab-emtansine"]) in ids and len(ids) > 2
    for iri in (str(H2R["no-such-thing"]), "https://example.org/elsewhere"):
        assert requests.get(service.url + "/neighbourhood", params={"iri": iri}).status_code == 404


def test_a_click_in_the_graph_view_only_ever_leads_to_this_service(service):
    ours = requests.get(service.url + "/page", params={"iri": str(H2R["lapatinib"])}, allow_redirects=False)
    assert ours.status_code == 303 and ours.headers["Location"].endswith("/resource/lapatinib")
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        assert requests.get(service.url + "/page", params={"iri": elsewhere}, allow_redirects=False).status_code == 404
