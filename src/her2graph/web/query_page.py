"""The query page, /: an editor with the competency questions of queries/ as examples, results as a table.

It needs nothing from the network: the script and style sheet are the service's own files, and without
script the editor is a plain HTML form posting to /sparql. A link offers the same query in YASGUI, for
people who are online and want a richer editor.

The examples are read once, when the app is made: a query file edited (or half-saved) while the service
runs changes nothing until it restarts, and a broken one stops the start with its file named.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from ..competency_queries import competency_queries
from ..locations import queries_dir
from ..namespaces import BASE, PREFIXES
from .app import EXTENSION, service
from .negotiation import CONTENT_TYPES

blueprint = Blueprint("query_page", __name__)

YASGUI = "https://yasgui.triply.cc/"
EXAMPLES = "her2graph.examples"


@blueprint.record_once
def _read_examples(state) -> None:
    data_root = state.app.extensions[EXTENSION].data_root
    state.app.extensions[EXAMPLES] = [
        {"name": query.name, "title": query.title, "description": query.description, "text": query.text}
        for query in competency_queries(queries_dir(data_root))]


@blueprint.route("/")
def page() -> Response:
    examples = current_app.extensions[EXAMPLES]
    initial = request.args.get("query") or (examples[0]["text"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    html = render_template("query.html", examples=examples, query=initial, base=BASE,
                           prefixes={prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
                           endpoint=url_for("sparql.endpoint"),
                           endpoint_url=url_for("sparql.endpoint", _external=True), yasgui=YASGUI)
    return Response(html, content_type=CONTENT_TYPES["text/html"])


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """The icon, for clients that ask for it at the conventional address rather than read the pages' link."""
    return current_app.send_static_file("favicon.svg")
