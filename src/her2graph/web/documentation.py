"""The ontology's human documentation (pyLODE's docs/ontology.html, built by `her2graph docs`), served as is.

pyLODE's page carries its own inline stylesheet and a JSON-LD data block (never executed), so it gets a
content policy of its own: inline styles and data: images only, no script, nothing from elsewhere.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response
from werkzeug.exceptions import NotFound

from ..locations import data_root
from .app import service

ONTOLOGY_DOCUMENTATION = ("docs", "ontology.html")
OVERVIEW_PICTURE = ("docs", "overview.svg")
DOCUMENTATION_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                        "frame-ancestors 'none'")

blueprint = Blueprint("documentation", __name__)


@blueprint.route("/docs/ontology")
@blueprint.route("/docs/ontology.html")
def ontology_documentation() -> Response:
    return _built_document(ONTOLOGY_DOCUMENTATION, "text/html", "the ontology's documentation")


@blueprint.route("/docs/overview.svg")
def overview_picture() -> Response:
    """The overview picture the ontology's page links to (Graphviz SVG: no script; the same policy)."""
    return _built_document(OVERVIEW_PICTURE, "image/svg+xml", "the overview picture")


def _built_document(parts: tuple[str, ...], mimetype: str, what: str) -> Response:
    path = Path(service().data_root or data_root()).joinpath(*parts)
    try:
        content = path.read_bytes()
    except OSError:
        raise NotFound(f"{what} has not been built here: run `her2graph docs`") from None
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Security-Policy"] = DOCUMENTATION_POLICY
    return response
