"""Oxigraph's SPARQL engine over the curated dataset: building an in-memory pyoxigraph Store from it.

rdflib stays the toolkit for parsing and validation; Oxigraph answers queries (far faster than rdflib's
own evaluator, and without its aggregate bugs). Named graphs are kept, and the store's default graph holds
their merge: a set of triples, as SPARQL's RDF merge wants (Oxigraph's own union-default-graph option counts
a triple once per graph that holds it, and ignores FROM). Queries see that merge unless they name graphs
with FROM, FROM NAMED or GRAPH. The command line and the service's query workers build their stores here.
"""
from __future__ import annotations

import pyoxigraph
from rdflib import Dataset

from .errors import QueryError

_MERGE_INTO_DEFAULT_GRAPH = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def store_from_nquads(nquads: bytes) -> pyoxigraph.Store:
    """An in-memory Store holding the named graphs of `nquads`, and their merge as default graph.

    (A store_cache build, which holds the merge already, is opened by store_from_build.)"""
    store = pyoxigraph.Store()
    store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    store.update(_MERGE_INTO_DEFAULT_GRAPH)
    return store


def store_from_build(path: str) -> pyoxigraph.Store:
    """An in-memory Store loaded from a build of store_cache: N-Quads holding the merge already."""
    store = pyoxigraph.Store()
    store.bulk_load(path=path, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def store_from_dataset(dataset: Dataset) -> pyoxigraph.Store:
    """An in-memory Store holding every named graph of `dataset`, and their merge as default graph."""
    return store_from_nquads(dataset.serialize(format="nquads", encoding="utf-8"))


def query_store(store: pyoxigraph.Store, query: str):
    """Evaluate `query`; its default graph is the merge of the named graphs unless it names its own."""
    try:
        return store.query(query)
    except SyntaxError as error:
        raise QueryError(f"the query is not valid SPARQL: {' '.join(str(error).split())}") from None
    except OSError as error:  # pyoxigraph reports evaluation failures as OSError
        raise QueryError(f"the query could not be evaluated: {' '.join(str(error).split())}") from None
