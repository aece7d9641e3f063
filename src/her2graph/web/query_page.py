"""The query page, /: an editor with the competency questions of queries/ as examples, results as a table.

It needs nothing from the network: the script and style sheet are the service's own files, and without
script the editor is a plain HTML form posting to /sparql. A link offers the same query in YASGUI, for
people who are online and want a richer editor.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from ..competency_queries import competency_queries
from ..locations import queries_dir
from ..namespaces import BASE, PREFIXES
from .app import service
from .negotiation import CONTENT_TYPES

blueprint = Blueprint("query_page", __name__)

YASGUI = "https://yasgui.triply.cc/"


@blueprint.route("/")
def page() -> Response:
    examples = [{"name": query.name, "title": query.title, "description": query.description, "text": query.text}
                for query in competency_queries(queries_dir(service().data_root))]
    initial = request.args.get("query") or (examples[0]["text"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    html = render_template("query.html", examples=examples, query=initial, base=BASE,
                           prefixes={prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
                           endpoint=url_for("sparql.endpoint"),
                           endpoint_url=url_for("sparql.endpoint", _external=True), yasgui=YASGUI)
    return Response(html, content_type=CONTENT_TYPES["text/html"])
