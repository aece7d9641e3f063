"""Finding things by name: /search?q= lists the entities of this service whose label contains the words.

It backs the search box of every page and the suggestions of the 404 page. Labels are rdfs:label and
skos:prefLabel; only IRIs this service has pages for are listed. The words go into the query as one SPARQL
string literal written by pyoxigraph (so no input can change the query), and a search is capped in length.
"""
from __future__ import annotations

import pyoxigraph
from flask import Blueprint, Response, render_template, request

from ..namespaces import BASE
from .app import service
from .negotiation import CONTENT_TYPES
from .terms import local_path

MAX_SEARCH_CHARACTERS = 200
MAX_MATCHES = 50

blueprint = Blueprint("search", __name__)

# Grouped in a subquery, ordered outside it: Virtuoso refuses ORDER BY on an aggregate's alias in the same
# query ("used in the result set outside aggregate"), and `serve --store` may front it (docs/virtuoso.md).
_MATCHES = f"""SELECT ?thing ?label WHERE {{ {{ SELECT ?thing (SAMPLE(?name) AS ?label) WHERE {{
  ?thing <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel> ?name
  FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), "{BASE}") && CONTAINS(LCASE(STR(?name)), LCASE($words)))
}} GROUP BY ?thing }} }} ORDER BY STRLEN(STR(?label)) LCASE(STR(?label)) LIMIT {MAX_MATCHES * 2}"""


@blueprint.route("/search")
def search() -> Response:
    words = request.args.get("q", "")
    html = render_template("search.html", words=words, matches=matches(words))
    return Response(html, content_type=CONTENT_TYPES["text/html"])


def matches(words: str) -> list[dict]:
    """Up to MAX_MATCHES entities whose label contains `words` (case-insensitive), shortest label first:
    each {"label", "iri", "href"}."""
    words = " ".join(words.split())[:MAX_SEARCH_CHARACTERS]
    if not words:
        return []
    rows = service().engine.select(_MATCHES.replace("$words", str(pyoxigraph.Literal(words))))
    found = []
    for row in rows:
        href = local_path(row["thing"]["value"])
        if href is not None and len(found) < MAX_MATCHES:
            found.append({"label": row["label"]["value"], "iri": row["thing"]["value"], "href": href})
    return found
