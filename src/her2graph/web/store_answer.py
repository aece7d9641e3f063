"""Reading a remote store's answer and writing it again, with pyoxigraph, in the negotiated media type.

Nothing the store sends is passed on unchecked: the answer is parsed, its rows counted against the cap,
and written anew, so clients get the same formats whichever engine answers. Two of Virtuoso's ways are
mapped here to what SPARQL says (docs/virtuoso.md):
- it answers ASK with rows of one variable, __ASK_RETVAL (one row of 1: true; none: false), in every
  format; that becomes the boolean;
- it writes stored xsd:boolean values as "1" and "0"; they become "true" and "false", the canonical forms
  (XML Schema 1.1 Part 2, §3.3.2) that the graph states and the in-process engine gives;
- its blank node labels in SPARQL JSON are written like IRIs ("nodeID://b10064"), which no blank node label
  may be; since a label only means something within one answer, each becomes one that may ("nodeID___b10064").
"""
from __future__ import annotations

import json
import re
from itertools import islice

import pyoxigraph

from ..errors import Her2graphError, one_line
from ..namespaces import PREFIX_IRIS
from .engine import GRAPH_DEFAULT, RESULTS_DEFAULT, Answer, NotRepresentable, TooManyResults

ASK_AS_ROW = "__ASK_RETVAL"
"""The variable Virtuoso answers an ASK query with."""
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}
_NOT_IN_A_LABEL = re.compile(r"[^A-Za-z0-9_\-]")


class StoreFailure(Her2graphError):
    """The store answered with an error of its own, or with an answer that cannot be read."""


def is_rdf(content_type: str) -> bool:
    media_type = _media_type(content_type)
    return pyoxigraph.QueryResultsFormat.from_media_type(media_type) is None and \
        pyoxigraph.RdfFormat.from_media_type(media_type) is not None


def results_answer(body: bytes, content_type: str, media_type: str | None, most: int | None,
                   ask: bool = False) -> Answer:
    """A SELECT or ASK answer of the store, checked, capped at `most` rows and written as `media_type`."""
    source = pyoxigraph.QueryResultsFormat.from_media_type(_media_type(content_type))
    target_type = media_type if media_type and pyoxigraph.QueryResultsFormat.from_media_type(media_type) \
        else RESULTS_DEFAULT
    target = pyoxigraph.QueryResultsFormat.from_media_type(target_type)
    if source is None:
        raise StoreFailure(f"the store answered a SELECT or ASK query with {content_type or 'no Content-Type'}, "
                           "not SPARQL results")
    if source == pyoxigraph.QueryResultsFormat.JSON and b"nodeID://" in body:
        body = _with_readable_blank_nodes(body)
    try:
        results = pyoxigraph.parse_query_results(body, format=source)
        if isinstance(results, pyoxigraph.QueryBoolean):
            return Answer(results.serialize(format=target), target_type)
        if ask:
            return Answer(_boolean_of_rows(results).serialize(format=target), target_type)
        rows = list(islice(results, most + 1)) if most is not None else list(results)
        if most is not None and len(rows) > most:
            raise TooManyResults(f"the answer has more than {most} rows, the most this service gives at once: "
                                 "add LIMIT (and OFFSET to page through it)")
        if any(_is_numeric_boolean(term) for row in rows for term in row):
            results = _with_canonical_booleans(results.variables, rows)
        else:
            results = pyoxigraph.parse_query_results(body, format=source)
        return Answer(results.serialize(format=target), target_type)
    except SyntaxError as error:
        raise StoreFailure(f"the store's answer is not valid {content_type}: {one_line(error)}") from None


def graph_answer(body: bytes, content_type: str, media_type: str | None, most: int | None) -> Answer:
    """A CONSTRUCT or DESCRIBE answer of the store, checked, capped at `most` triples, written as `media_type`."""
    source = pyoxigraph.RdfFormat.from_media_type(_media_type(content_type))
    target_type = media_type if media_type and pyoxigraph.RdfFormat.from_media_type(media_type) else GRAPH_DEFAULT
    target = pyoxigraph.RdfFormat.from_media_type(target_type)
    if source is None:
        raise StoreFailure(f"the store answered a CONSTRUCT or DESCRIBE query with "
                           f"{content_type or 'no Content-Type'}, not RDF")
    try:
        if most is not None and sum(1 for _ in islice(pyoxigraph.parse(body, format=source), most + 1)) > most:
            raise TooManyResults(f"the answer has more than {most} rows, the most this service gives at once: "
                                 "add LIMIT (and OFFSET to page through it)")
        triples = pyoxigraph.parse(body, format=source)
        try:
            return Answer(pyoxigraph.serialize(triples, format=target, prefixes=PREFIX_IRIS), target_type)
        except (ValueError, OSError) as error:
            raise NotRepresentable(f"the answer cannot be written as {target_type}: {one_line(error)}; "
                                   "ask for text/turtle or application/n-triples") from None
    except SyntaxError as error:
        raise StoreFailure(f"the store's answer is not valid {content_type}: {one_line(error)}") from None


def _boolean_of_rows(results) -> pyoxigraph.QueryBoolean:
    """An ASK answer sent as rows (Virtuoso: one row of __ASK_RETVAL 1 for true, none for false), as a boolean."""
    names = [variable.value for variable in results.variables]
    if names != [ASK_AS_ROW]:
        raise StoreFailure(f"the store answered an ASK query with rows of {', '.join(names) or 'no variable'}, "
                           "not a boolean")
    true = any(row[0] is not None and row[0].value not in ("0", "false") for row in results)
    return _results_of({"head": {}, "boolean": true})


def _with_readable_blank_nodes(body: bytes) -> bytes:
    """SPARQL JSON results with each blank node label made of the characters a label may have."""
    try:
        document = json.loads(body)
        for row in document["results"]["bindings"]:
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = _NOT_IN_A_LABEL.sub("_", term["value"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return body  # not the shape expected: the parser says what is wrong with it
    return json.dumps(document).encode("utf-8")


def _is_numeric_boolean(term) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.datatype.value == XSD_BOOLEAN and \
        term.value in _CANONICAL_BOOLEAN


def _with_canonical_booleans(variables, rows) -> pyoxigraph.QuerySolutions:
    """The rows again, as SPARQL results, with xsd:boolean "1" and "0" written "true" and "false"."""
    names = [variable.value for variable in variables]
    bindings = [{name: _json_term(term) for name, term in zip(names, row) if term is not None} for row in rows]
    return _results_of({"head": {"vars": names}, "results": {"bindings": bindings}})


def _json_term(term) -> dict:
    """A term as SPARQL 1.1 Query Results JSON writes it (§3.2.2)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        value = _CANONICAL_BOOLEAN[term.value] if _is_numeric_boolean(term) else term.value
        if term.language:
            return {"type": "literal", "value": value, "xml:lang": term.language}
        return {"type": "literal", "value": value, "datatype": term.datatype.value}
    return {"type": "triple", "value": {part: _json_term(getattr(term, part))
                                        for part in ("subject", "predicate", "object")}}


def _results_of(document: dict):
    return pyoxigraph.parse_query_results(json.dumps(document).encode("utf-8"),
                                          format=pyoxigraph.QueryResultsFormat.JSON)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()

