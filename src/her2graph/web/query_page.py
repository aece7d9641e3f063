"""The query page, /: an editor with the competency questions of queries/ as examples, results as a table.

The editor (vendored CodeMirror 5, web/static/query.js) highlights SPARQL and completes our prefixes and the
names of the classes and properties in the data, adding the PREFIX line a completion needs. Answers show as
a table that sorts, filters and pages, or in any format the endpoint writes; they download as CSV, TSV,
JSON, XML or an RDF syntax. `/?query=` opens the page with that query and runs it (the permalink). Below, a
table of the source documents with their statement and span counts (from the dataset summary, counted once).

It needs nothing from the network: scripts and style sheets are the service's own files, and without
script the editor is a plain HTML form posting to /sparql. A link offers the same query in YASGUI, for
people who are online and want that editor.

The examples are read once, when the app is made: a query file edited (or half-saved) while the service
runs changes nothing until it restarts, and a broken one stops the start with its file named.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from ..competency_queries import competency_queries
from ..locations import queries_dir
from ..namespaces import BASE, PREFIX_IRIS
from .app import EXTENSION, service
from .descriptions import source_rows
from .negotiation import CONTENT_TYPES
from .terms import prefixed

blueprint = Blueprint("query_page", __name__)

YASGUI = "https://yasgui.triply.cc/"
EXAMPLES = "her2graph.examples"


@blueprint.record_once
def _read_examples(state) -> None:
    data_root = state.app.extensions[EXTENSION].data_root
    state.app.extensions[EXAMPLES] = [
        {"name": query.name, "title": query.title, "description": query.description, "text": query.text}
        for query in competency_queries(queries_dir(data_root))]


SHOWN_AS = (("table", "a table"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"),
            ("tsv", "TSV"), ("turtle", "Turtle"), ("ntriples", "N-Triples"), ("rdfxml", "RDF/XML"),
            ("jsonld", "JSON-LD"))
"""The page's "Show as" choices: a table (or Turtle for graphs), else the text the endpoint writes for that
format= value (negotiation.FORMAT_NAMES)."""
DOWNLOADS = {"results": [("csv", "CSV", "csv"), ("tsv", "TSV", "tsv"), ("json", "JSON", "srj"), ("xml", "XML", "srx")],
             "graph": [("turtle", "Turtle", "ttl"), ("ntriples", "N-Triples", "nt"), ("rdfxml", "RDF/XML", "rdf"),
                       ("jsonld", "JSON-LD", "jsonld")]}
"""Download links per answer family: (format= value, name, file extension)."""


@blueprint.route("/")
def page() -> Response:
    examples = current_app.extensions[EXAMPLES]
    asked = request.args.get("query")
    initial = asked or (examples[0]["text"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    chosen = request.args.get("format", "table")
    html = render_template("query.html", examples=examples, query=initial, run=bool(asked), base=BASE,
                           prefixes=PREFIX_IRIS,
                           terms=_completable_terms(), sources=source_rows(service().summary()),
                           formats=SHOWN_AS, downloads=DOWNLOADS,
                           chosen_format=chosen if chosen in dict(SHOWN_AS) else "table",
                           endpoint=url_for("sparql.endpoint"),
                           endpoint_url=url_for("sparql.endpoint", _external=True), yasgui=YASGUI)
    return Response(html, content_type=CONTENT_TYPES["text/html"])


def _completable_terms() -> list[str]:
    """The classes and properties the data uses, as prefixed names (for completion after `prefix:`)."""
    summary = service().summary()
    names = {prefixed(iri) for iri, _ in summary.classes + summary.properties}
    return sorted(name for name in names if not name.startswith(("http:", "https:", "urn:")))


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """The icon, for clients that ask for it at the conventional address rather than read the pages' link."""
    return current_app.send_static_file("favicon.svg")
