"""A constant answer at /benchmark/noop, registered only when NOOP_ENDPOINT is set: our HTTP stack's ceiling.

The benchmark measures it in the same run as /sparql: the same waitress, request log, Flask app and
after-request headers, but no protocol parsing and no engine. The share of its throughput that /sparql
reaches is what the SPARQL work leaves of the stack.
"""
from __future__ import annotations

from flask import Blueprint, Response, request

from .negotiation import CONTENT_TYPES

blueprint = Blueprint("noop", __name__)

CONSTANT_ANSWER = b'{"head":{"vars":[]},"results":{"bindings":[]}}\n'


@blueprint.route("/benchmark/noop", methods=["GET", "POST"])
def constant_answer() -> Response:
    request.get_data()  # read the body, as /sparql does
    return Response(CONSTANT_ANSWER, content_type=CONTENT_TYPES["application/sparql-results+json"])
