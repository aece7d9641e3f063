"""The request rules of the SPARQL 1.1 Protocol, §2.1 (query operation), in one place.

A query comes by GET (parameters in the URL), by POST of an HTML form (application/x-www-form-urlencoded,
parameters in the body and the URL) or by POST of the query itself (application/sparql-query, the other
parameters in the URL). `query` must be given exactly once; `default-graph-uri` and `named-graph-uri` any
number of times. The service is read-only: the update operation (§2.2) is refused as such. Bodies and
parameters must be UTF-8: a body in another charset, or bytes that are not UTF-8, are refused rather than
guessed at, and nothing is silently replaced.

Beyond the protocol, `format=` or `output=` (Fuseki's and Virtuoso's habit, for tools that cannot set an
Accept header, such as `pandas.read_csv(url + "&format=csv")`) names the answer's format; given, it wins
over Accept. Clients send several (SPARQLWrapper gives format=, output= and results=, each as a short name
and a media type): they must all name the same format.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph
from werkzeug.http import parse_options_header

from ..errors import Her2graphError
from .query_guard import MAX_IRI_LENGTH

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORMAT_PARAMETERS = ("format", "output")
MAX_PARAMETERS = 1000
"""Most parameters in one request (URL and form together)."""


class ProtocolError(Her2graphError):
    """The request breaks a rule of the protocol (a missing or repeated query, a bad parameter value)."""


class UnsupportedMediaType(Her2graphError):
    """The body's media type, charset or encoding is not one the query operation takes."""


class ReadOnly(Her2graphError):
    """The request asks for the update operation: this service never changes its data."""


@dataclass(frozen=True)
class QueryOperation:
    """One protocol query request: the query text and the dataset the protocol names for it."""

    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    format_names: tuple[str, ...] = ()
    """The format= and output= values: short names or media types (negotiation.named_format)."""


def read_query_operation(method: str, content_type: str | None, content_encoding: str | None,
                         url_query: bytes, body) -> QueryOperation | None:
    """The query operation of a request, or None for a GET with no parameter at all (a description request).

    `body` is called to read the body, only when the rules need it (so size limits apply where they should).
    """
    url_parameters = _parameters(url_query, "the URL")
    if method in ("GET", "HEAD"):
        if not url_parameters:
            return None
        return _operation(url_parameters)
    media_type, options = parse_options_header(content_type or "")
    media_type = media_type.lower()
    if media_type == SPARQL_UPDATE:
        raise _read_only()
    if media_type not in (FORM, SPARQL_QUERY):
        named = f"Content-Type {media_type}" if media_type else "no Content-Type"
        raise UnsupportedMediaType(f"a POST query needs Content-Type {SPARQL_QUERY} (the query as the body) or "
                                   f"{FORM} (an HTML form); this request has {named}")
    charset = options.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body must be UTF-8 (SPARQL Protocol §2.1.2); this one is {charset}")
    if content_encoding and content_encoding.lower() != "identity":
        raise UnsupportedMediaType(f"this service takes bodies without Content-Encoding; this one is "
                                   f"{content_encoding}")
    if media_type == FORM:
        return _operation(url_parameters + _parameters(body(), "the form body"))
    if any(name == "query" for name, _ in url_parameters):
        raise ProtocolError("give the query once: this request has it as its body and as a URL parameter")
    return _operation(url_parameters, query=_utf8(body(), "the query body"))


def _operation(parameters: list[tuple[str, str]], query: str | None = None) -> QueryOperation:
    names = [name for name, _ in parameters]
    if "update" in names:
        raise _read_only()
    queries = [value for name, value in parameters if name == "query"] + ([query] if query is not None else [])
    if len(queries) != 1:
        raise ProtocolError("give exactly one query (the 'query' parameter, or the body with Content-Type "
                            f"{SPARQL_QUERY}); this request has {len(queries) or 'none'}")
    return QueryOperation(queries[0],
                          _graph_iris(parameters, "default-graph-uri"),
                          _graph_iris(parameters, "named-graph-uri"),
                          _format_names(parameters))


def _format_names(parameters: list[tuple[str, str]]) -> tuple[str, ...]:
    """Every non-empty format= and output= value (clients such as SPARQLWrapper send several that agree)."""
    return tuple(value for key, value in parameters if key in FORMAT_PARAMETERS and value.strip())


def _graph_iris(parameters: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    iris = tuple(value for key, value in parameters if key == name)
    for iri in iris:
        if len(iri) > MAX_IRI_LENGTH:
            raise ProtocolError(f"{name} is {len(iri)} characters long; this service takes IRIs of at most "
                                f"{MAX_IRI_LENGTH}")
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError as error:
            raise ProtocolError(f"{name} must be an absolute IRI; {_shortened(iri)!r} is not ({error})") from None
    return iris


def _parameters(encoded: bytes, where: str) -> list[tuple[str, str]]:
    text = _utf8(encoded, where)
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                         max_num_fields=MAX_PARAMETERS)
    except UnicodeDecodeError:
        raise ProtocolError(f"the parameters in {where} are not UTF-8 once percent-decoded") from None
    except ValueError:
        raise ProtocolError(f"{where} has more than {MAX_PARAMETERS} parameters") from None


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"{where} is not UTF-8 (byte {error.start} is not valid); "
                            "SPARQL requests are UTF-8 text") from None


def _read_only() -> ReadOnly:
    return ReadOnly("this service is read-only: it answers SPARQL queries and never performs SPARQL Update")


def _shortened(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most] + "…"
