"""The SPARQL the service asks of its own data, kept as .rq files in web/queries/ (not Python strings), so each
can be read, run and tested on its own: `her2graph query @src/her2graph/web/queries/sources.rq`.

A query about one thing leaves that thing's variable open and gets it bound by a trailing VALUES clause
(SPARQL 1.1 Query, §10.2): the query text stays what the file says, and the IRI goes in as an IRI (checked by
pyoxigraph), never by editing the query's text.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph

QUERY_FOLDER = Path(__file__).resolve().parent / "queries"


@cache
def service_query(name: str) -> str:
    """The text of web/queries/NAME.rq (read once: it ships with the code, it does not change while serving)."""
    return (QUERY_FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def bound_to(name: str, variable: str, iri: str) -> str:
    """web/queries/NAME.rq with ?variable bound to `iri` (a ValueError if `iri` is not an IRI)."""
    return f"{service_query(name).rstrip()}\nVALUES ?{variable} {{ {pyoxigraph.NamedNode(iri)} }}\n"
