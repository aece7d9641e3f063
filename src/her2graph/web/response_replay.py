"""Replaying whole responses of the SPARQL endpoint to byte-identical requests, before Flask is reached.

A request to /sparql is answered by a function of what it carries (method, URL parameters, body, the
Content-Type, Content-Encoding and Accept headers, and the host, scheme and script root that make the base
IRI) and of the data, which is fixed while served. So once a request has been answered 200 from the answer
cache (answer_cache.py: X-Cache present), the same request can be given the same response without routing,
parsing, screening or negotiating again: about half the cost of a request on our stack goes to those (see
docs/performance.md). The key is exactly those request parts, so nothing the app would answer differently
is ever replayed; anything else (other paths and methods, bodies without a Content-Length or over the app's
limit, errors, the service description) goes to the app every time.

Replayed responses share the answer cache's budget: the kept bytes of both stay within ANSWER_CACHE_MB, and
every byte a replayed response keeps is counted (its key: body, query string, Accept, Host and the rest;
its headers; its content). A request whose key takes more than LONGEST_KEY bytes (a long query string or
header) is answered by the app and not kept, so such requests cannot fill the memory with keys.
"""
from __future__ import annotations

import io

from .answer_cache import LONGEST_KEY, MAX_SHARE, BoundedLru, kept_size

ENDPOINT_PATH = "/sparql"
REQUEST_PARTS = ("REQUEST_METHOD", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_CONTENT_ENCODING",
                 "HTTP_ACCEPT", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme", "SCRIPT_NAME")
"""Everything of the WSGI environ the endpoint's answer depends on, besides the body."""
CACHE_HEADER = "X-Cache"


class ResponseReplay:
    """WSGI middleware: answers a repeated /sparql request with the response the app gave it before."""

    def __init__(self, app, responses: BoundedLru, max_body: int):
        self.app = app
        self.responses = responses
        self.max_body = max_body

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != ENDPOINT_PATH or environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return self.app(environ, start_response)
        body = _body(environ, self.max_body)
        if body is None:  # not read: the app reads it, and answers as it would
            return self.app(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(body)
        key = (body, *(environ.get(part) for part in REQUEST_PARTS))
        if kept_size(*key) > LONGEST_KEY:
            return self.app(environ, start_response)
        kept = self.responses.get(key)
        if kept is not None:
            headers, content = kept
            start_response("200 OK", headers)
            return [content]
        return self._answer_and_keep(key, environ, start_response)

    def _answer_and_keep(self, key, environ, start_response):
        given: dict = {}

        def recording_start_response(status, headers, exc_info=None):
            given["status"], given["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, recording_start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = given.get("headers", [])
        if given.get("status", "").startswith("200 ") and any(name == CACHE_HEADER for name, _ in headers):
            replayed = [(name, "hit" if name == CACHE_HEADER else value) for name, value in headers]
            size = kept_size(*key, *(part for header in replayed for part in header), content)
            if size <= self.responses.max_size // MAX_SHARE:
                self.responses.put(key, (replayed, content), size)
        return [content]


def _body(environ, max_body: int) -> bytes | None:
    """The request body, or None when it cannot be read safely here (no length, or over the app's limit)."""
    if environ.get("REQUEST_METHOD") == "GET" and not environ.get("CONTENT_LENGTH"):
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if length < 0 or length > max_body:
        return None
    return environ["wsgi.input"].read(length)  # shorter if the client stopped: the app then sees what came
