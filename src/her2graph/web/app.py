"""Building the service's Flask app: the only place an app is made (create_app), and its shared resources.

The app holds one `Service`: the query engine over the bundled (or given) dataset, the competency queries
the query page offers, and the dataset summary the descriptions report (computed once, on first use).
Every response may be read from another origin (CORS, for browser tools such as YASGUI): the service is
read-only and uses no cookies, so `*` exposes nothing.
"""
from __future__ import annotations

import atexit
import threading
from collections.abc import Mapping
from functools import lru_cache

from flask import Flask, current_app, request

from . import settings
from .errors import register_error_handlers

EXTENSION = "her2graph"
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")
"""For HTML pages: scripts, styles and requests only from the service itself (it works offline)."""
CORS_REQUEST_HEADERS = "Accept, Content-Type"
"""The request headers a cross-origin script may send (all a SPARQL client needs): a fixed list, never an echo
of what the preflight asks for."""
REFERRER_POLICY = "strict-origin-when-cross-origin"
"""A link from a page to another site tells it this service's origin, never a query in the URL."""


class Service:
    """What every request shares: the engine, the data's folder, and what is computed once from the data."""

    def __init__(self, engine, data_root=None):
        self.engine = engine
        self.data_root = data_root
        self._summary = None
        self._summary_lock = threading.Lock()
        self.neighbourhood = lru_cache(maxsize=1024)(self._neighbourhood)

    def summary(self):
        """Counts of the dataset (triples per graph, classes, properties), computed on first use."""
        from .descriptions import summarise

        with self._summary_lock:
            if self._summary is None:
                self._summary = summarise(self.engine, self.data_root)
            return self._summary

    def _neighbourhood(self, iri: str) -> list[dict] | None:
        """Cytoscape.js elements of `iri` and its neighbours, or None if no triple mentions it (cached: the
        data does not change while the service runs). The quads come through the engine (neighbourhood_data)."""
        from rdflib import URIRef

        from ..network_export import neighbourhood_elements, neighbourhood_network
        from .neighbourhood_data import neighbourhood_dataset

        around = neighbourhood_dataset(self.engine, iri)
        if around is None:
            return None
        return neighbourhood_elements(neighbourhood_network(around, URIRef(iri)), URIRef(iri))

    def close(self) -> None:
        self.engine.close()


def service() -> Service:
    return current_app.extensions[EXTENSION]


def create_app(config: Mapping | None = None) -> Flask:
    """The service over the engine `config` names (see engines.py), or else the bundled data, with its limits.

    Limits come from settings.APP_OPTIONS: the defaults, then HER2GRAPH_* environment variables, then `config`.
    """
    app = Flask(__name__)
    app.config.update(settings.app_defaults())
    app.config.update(settings.from_environment(settings.APP_OPTIONS))
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY"]
    app.json.sort_keys = False

    app.extensions[EXTENSION] = _build_service(app.config)
    atexit.register(app.extensions[EXTENSION].close)
    answers = getattr(app.extensions[EXTENSION].engine, "answers", None)
    if answers is not None:  # the answer cache is on: repeated requests are replayed before Flask
        from .response_replay import ResponseReplay

        app.wsgi_app = ResponseReplay(app.wsgi_app, answers, app.config["MAX_BODY"])

    register_error_handlers(app)
    from . import descriptions, documentation, linked_data, query_page, search, sparql

    for module in (sparql, query_page, linked_data, descriptions, documentation, search):
        app.register_blueprint(module.blueprint)
    if app.config.get("NOOP_ENDPOINT"):
        from . import noop

        app.register_blueprint(noop.blueprint)
    app.after_request(_headers_for_every_response)
    return app


def _build_service(config) -> Service:
    from .engines import engine_for

    return Service(engine_for(config), config.get("DATA_ROOT"))


def _headers_for_every_response(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":  # a CORS preflight: Flask has answered it, with the route's methods
        response.headers["Access-Control-Allow-Methods"] = response.headers.get("Allow", "GET, POST, OPTIONS")
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
