"""Writing the triples of a CONSTRUCT or DESCRIBE answer for people to read: ordered, with only the prefixes used.

The engine's triples come in no particular order, and a Turtle writer given every prefix we know declares
them all. Here the triples are sorted (by subject, then predicate and object: the order of their N-Triples
lines, by the subject's IRI), so each subject is written once with its predicate-object list, and a prefix is declared only when
the written document uses it. The same order serves every syntax (N-Triples, RDF/XML, JSON-LD too).
"""
from __future__ import annotations

import re

import pyoxigraph

from ..namespaces import PREFIX_IRIS
_TURTLE_DIRECTIVE = re.compile(rb"^@prefix [^\n]*\n", re.MULTILINE)


def ordered_graph(ntriples: bytes, rdf_format: pyoxigraph.RdfFormat) -> bytes:
    """The triples of the N-Triples document `ntriples`, sorted, written in `rdf_format`."""
    lines = sorted(set(line for line in ntriples.splitlines() if line.strip()), key=_by_subject)
    text = b"\n".join(lines) + b"\n"
    prefixes = {prefix: namespace for prefix, namespace in PREFIX_IRIS.items() if f"<{namespace}".encode() in text}
    written = _written(text, rdf_format, prefixes)
    if rdf_format == pyoxigraph.RdfFormat.TURTLE:
        body = _TURTLE_DIRECTIVE.sub(b"", written)
        used = {prefix: namespace for prefix, namespace in prefixes.items()
                if re.search(rb"(?<![\w.:-])" + re.escape(prefix.encode()) + rb":", body)}
        if used != prefixes:  # a namespace only in abbreviated literals (1.5, not "1.5"^^xsd:decimal)
            written = _written(text, rdf_format, used)
    return written


def _by_subject(line: bytes) -> tuple[bytes, bytes]:
    """Sort key of an N-Triples line: its subject's IRI (without the <> that would put a:b> after a:b-c), then
    the rest."""
    subject, _, rest = line.partition(b" ")
    return subject.strip(b"<>"), rest


def _written(text: bytes, rdf_format: pyoxigraph.RdfFormat, prefixes: dict[str, str]) -> bytes:
    triples = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=rdf_format, prefixes=prefixes)
