"""Every error the service answers with, mapped to its HTTP status in one table.

An error response is one sentence that says what went wrong and what to do: plain text, or an HTML page
when the client prefers HTML to plain text (a browser; */* gets text). The 404 page has a search box over
the labels and names what the missing path's last segment matches. Nothing from the server's inside (a
traceback, a file path) is ever in it. An exception no rule covers is a fault of ours:
it is logged with its traceback and answered 500, never dressed up as the client's 400.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, has_request_context, render_template, request
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from . import answer_cache, engine, negotiation, protocol, query_guard, remote_engine, store_dataset

log = logging.getLogger("her2graph.web")

STATUS = {
    protocol.ProtocolError: 400,
    query_guard.NotAQuery: 400,
    query_guard.QueryTooDeep: 400,
    query_guard.QueryTooComplex: 400,
    query_guard.IriTooLong: 400,
    engine.QuerySyntaxError: 400,
    engine.UnsupportedFunction: 400,
    protocol.ReadOnly: 403,
    query_guard.FederatedQueryRefused: 403,
    negotiation.NotAcceptable: 406,
    protocol.UnsupportedMediaType: 415,
    engine.TooManyResults: 422,
    answer_cache.AnswerTooLarge: 422,
    engine.NotRepresentable: 406,
    engine.QueryTimeout: 503,
    engine.QueryOutOfMemory: 503,
    engine.EngineBusy: 503,
    engine.EngineFailure: 500,
    remote_engine.QueryRefusedByStore: 400,
    store_dataset.DatasetNotOverridable: 400,
    remote_engine.StoreUnreachable: 502,
    remote_engine.StoreFailure: 502,
}
"""Status for each error kind. 403: refused by policy (read-only, no federation); 422: a valid query whose
answer is larger than the service gives at once (rows or bytes); 503: the query was stopped at its time limit or its
worker's memory cap (the limits a query's evaluation, rather than its text or answer, ran into; the same query would
fail again, so no Retry-After), or no worker was free (the only one worth retrying as is, hence Retry-After); 502: the store fronted with --store cannot
be reached or failed."""

_RETRY_AFTER = {engine.EngineBusy: "1"}


def error_response(status: int, message: str, headers=None) -> Response:
    sentence = message.rstrip(".") + "."
    html = _error_page(status, sentence) if _prefers_html() else None
    if html is not None:
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = Response(sentence + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers or {})
    return response


def _prefers_html() -> bool:
    return has_request_context() and request.accept_mimetypes.best_match(
        ["text/plain", "text/html"], default="text/plain") == "text/html"


def _error_page(status: int, sentence: str) -> str | None:
    """The HTML page of an error, or None if it cannot be made (the plain-text answer is given then)."""
    try:
        words, matches = "", []
        if status == 404:
            from .search import matches as matches_of

            words, matches = _suggestions(request.path, matches_of)
        return render_template("error.html", status=status, reason=HTTP_STATUS_CODES.get(status, "Error"),
                               message=sentence, words=words, matches=matches)
    except Exception:  # noqa: BLE001 - the page is a nicety: never let it turn an answer into a fault
        log.exception("the HTML error page could not be made; answering in plain text")
        return None


def register_error_handlers(app: Flask) -> None:
    for kind, status in STATUS.items():
        app.register_error_handler(kind, _answer_with(status))
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _fault)


def _answer_with(status: int):
    def answer(error: Exception) -> Response:
        if status == 500:
            log.error("%s: %s", type(error).__name__, error)
            return error_response(status, "the query engine failed on this query; the failure is logged")
        if status == 502:
            log.warning("%s: %s", type(error).__name__, error)
        headers = {"Retry-After": _RETRY_AFTER[type(error)]} if type(error) in _RETRY_AFTER else None
        return error_response(status, _first_upper(str(error)), headers)
    return answer


def _suggestions(path: str, matches_of) -> tuple[str, list[dict]]:
    """What the missing path's last segment names: the things labelled with all its words, else with its
    longest word that finds any."""
    words = path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    for tried in [words] + sorted((word for word in set(words.split()) if len(word) >= 4), key=len, reverse=True):
        found = matches_of(tried)
        if found:
            return tried, found
    return words, []


def _too_large(error: RequestEntityTooLarge) -> Response:
    return error_response(413, f"The request body is larger than the {current_app.config['MAX_BODY']} bytes "
                               "this service takes; send a shorter query")


def _http_error(error: HTTPException) -> Response:
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    if isinstance(error, NotFound) and error.description == NotFound.description:  # werkzeug's generic text
        return error_response(404, f"Not Found: this service has no page at {request.path}", headers)
    return error_response(error.code or 500, f"{error.name}: {error.description}", headers)


def _fault(error: Exception) -> Response:
    log.exception("unexpected error while answering a request")
    return error_response(500, "Internal error: the service failed while answering; the failure is logged")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
