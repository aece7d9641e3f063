"""Content negotiation (RFC 9110 §12.5.1, as the SPARQL 1.1 Protocol §2.1.6 asks): one table per answer family.

Each table lists the media types a client may ask for, most preferred first, each with the canonical type
of the format it gets (aliases such as application/json lead to a canonical type). werkzeug's
`best_match` weighs q-values, wildcards and specificity; ties go to the earlier entry. An absent or empty
Accept gets the table's default; nothing acceptable is a 406 naming what is on offer.
"""
from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from ..errors import Her2graphError


class NotAcceptable(Her2graphError):
    """No media type of the Accept header is one this answer can be written in."""


@dataclass(frozen=True)
class MediaTable:
    """The media types one kind of answer can be written in: (acceptable type, canonical type), best first."""

    name: str
    entries: tuple[tuple[str, str], ...]

    @property
    def default(self) -> str:
        return self.entries[0][1]

    @property
    def canonical(self) -> list[str]:
        return list(dict.fromkeys(canonical for _, canonical in self.entries))

    def choose(self, accept: MIMEAccept) -> str:
        """The canonical media type that best fits `accept`."""
        if not accept:
            return self.default
        match = accept.best_match([offered for offered, _ in self.entries])
        if match is None:
            raise NotAcceptable(f"{self.name} can be written as {', '.join(self.canonical)}; "
                                f"the Accept header asks for none of these")
        return dict(self.entries)[match]


SPARQL_RESULTS = MediaTable("SELECT and ASK results", (
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/xml", "application/sparql-results+xml"),
))

RDF_GRAPHS = MediaTable("CONSTRUCT and DESCRIBE results", (
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
    ("application/x-turtle", "text/turtle"),
    ("text/plain", "application/n-triples"),
    ("application/json", "application/ld+json"),
    ("application/xml", "application/rdf+xml"),
))

LINKED_DATA = MediaTable("Linked Data pages", (
    *RDF_GRAPHS.entries[:4],
    ("text/html", "text/html"),
    ("application/xhtml+xml", "text/html"),
    *RDF_GRAPHS.entries[4:],
))
"""A resource's description: RDF unless the client prefers HTML (as browsers say they do)."""

CONTENT_TYPES = {
    "application/sparql-results+json": "application/sparql-results+json; charset=utf-8",
    "application/sparql-results+xml": "application/sparql-results+xml; charset=utf-8",
    "text/csv": "text/csv; charset=utf-8",
    "text/tab-separated-values": "text/tab-separated-values; charset=utf-8",
    "text/turtle": "text/turtle; charset=utf-8",
    "application/n-triples": "application/n-triples; charset=utf-8",
    "application/rdf+xml": "application/rdf+xml; charset=utf-8",
    "application/ld+json": "application/ld+json; charset=utf-8",
    "text/html": "text/html; charset=utf-8",
}
"""The Content-Type header for each canonical media type: every answer is UTF-8 and says so."""

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "pretty-xml",
    "application/ld+json": "json-ld",
}
"""rdflib's serialiser for each RDF media type (for the descriptions the service builds with rdflib)."""


FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",), "ttl": ("text/turtle",),
    "ntriples": ("application/n-triples",), "nt": ("application/n-triples",),
    "rdfxml": ("application/rdf+xml",), "rdf": ("application/rdf+xml",),
    "jsonld": ("application/ld+json",), "json-ld": ("application/ld+json",),
    "rdf+xml": ("application/rdf+xml",), "n3": ("text/turtle",),  # SPARQLWrapper's names (Turtle is N3)
}
"""The short names the format= and output= parameters take (Fuseki's and Virtuoso's habit), each with the
media types it may stand for: json and xml name the JSON and XML syntax of whichever family the answer is.
A media type the table offers is taken as a name too."""


def named_format(name: str, table: MediaTable) -> str:
    """The canonical media type of `table` that `name` (a short name or a media type) stands for. A list
    (SPARQLWrapper sends its Accept value, "application/ld+json,application/x-json+ld") gives the first of
    its entries that `table` offers."""
    offered = dict(table.entries)
    candidates = []
    for part in name.split(","):
        key = part.split(";", 1)[0].strip().lower()
        candidates += [offered[key]] if key in offered else FORMAT_NAMES.get(key, ())
    chosen = next((media_type for media_type in candidates if media_type in table.canonical), None)
    if chosen is None:
        names = [short for short, types in FORMAT_NAMES.items() if set(types) & set(table.canonical)]
        raise NotAcceptable(f"format {name!r} is not one {table.name} can be written in; give one of "
                            f"{', '.join(names)}, or a media type: {', '.join(table.canonical)}")
    return chosen


def table_for(query_form: str | None) -> MediaTable:
    """The table for a query's answers: graphs for CONSTRUCT and DESCRIBE, results otherwise."""
    return RDF_GRAPHS if query_form in ("CONSTRUCT", "DESCRIBE") else SPARQL_RESULTS
