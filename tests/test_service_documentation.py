"""The ontology's generated documentation (pyLODE) is served by the real service and linked from its pages."""
from __future__ import annotations

import requests

from her2graph.namespaces import H2G


def test_the_ontology_documentation_is_served_with_its_own_strict_content_policy(service):
    response = requests.get(service.url + "/docs/ontology.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert str(H2G.EndpointResult) in response.text or "EndpointResult" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_every_page_links_to_the_ontology_documentation(service):
    page = requests.get(service.url + "/", headers={"Accept": "text/html"})
    assert 'href="/docs/ontology.html"' in page.text
