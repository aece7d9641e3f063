"""The SPARQL 1.1 Protocol endpoint, /sparql: check the request, parse its parameters, evaluate, negotiate.

A GET with no parameter is a request for the SPARQL 1.1 Service Description (§2 of that spec), in RDF, or
as a page for a browser that prefers HTML. `format=`/`output=` choose the answer's format
in place of Accept (protocol.py).
"""
from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from .app import service
from .descriptions import html_description, rdf_response, service_description
from .negotiation import CONTENT_TYPES, LINKED_DATA, named_format, table_for
from .protocol import ProtocolError, read_query_operation

blueprint = Blueprint("sparql", __name__)


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    operation = read_query_operation(request.method, request.headers.get("Content-Type"),
                                     request.headers.get("Content-Encoding"), request.query_string,
                                     request.get_data)
    if operation is None:
        return _service_description()
    engine = service().engine
    query = engine.prepare(operation.query)
    media_type = _chosen_media_type(operation.format_names, table_for(query.form))
    answer = engine.evaluate(query, operation.default_graph_uris, operation.named_graph_uris, media_type,
                             base_iri=request.base_url)
    response = Response(answer.body, content_type=CONTENT_TYPES[answer.media_type])
    if answer.cache:
        response.headers["X-Cache"] = answer.cache
    return _negotiated(response)


def _chosen_media_type(format_names: tuple[str, ...], table) -> str:
    """The format the format=/output= values name (all the same one), or else the one Accept prefers."""
    if not format_names:
        return table.choose(request.accept_mimetypes)
    named = {named_format(name, table) for name in format_names}
    if len(named) > 1:
        raise ProtocolError(f"format= and output= name different formats ({', '.join(format_names)}); "
                            "give one")
    return named.pop()


def _service_description() -> Response:
    media_type = LINKED_DATA.choose(request.accept_mimetypes)
    if media_type == "text/html":
        return _negotiated(html_description("service.html", url_for("descriptions.void", _external=True)))
    graph = service_description(request.base_url, url_for("descriptions.void", _external=True),
                                service().summary())
    return _negotiated(rdf_response(graph, media_type))


def _negotiated(response: Response) -> Response:
    response.vary.add("Accept")
    return response
