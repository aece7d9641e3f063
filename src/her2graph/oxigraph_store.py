"""Oxigraph's SPARQL engine over the curated dataset: building an in-memory pyoxigraph Store from it.

rdflib stays the toolkit for parsing and validation; Oxigraph answers queries (far faster than rdflib's
own evaluator, and without its aggregate bugs). Named graphs are kept; queries see their union as the
default graph unless they name graphs themselves.
"""
from __future__ import annotations

import pyoxigraph
from rdflib import Dataset

from .errors import QueryError


def store_from_dataset(dataset: Dataset) -> pyoxigraph.Store:
    """An in-memory Store holding every named graph of `dataset`."""
    store = pyoxigraph.Store()
    store.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def query_store(store: pyoxigraph.Store, query: str):
    """Evaluate `query` with the union of the named graphs as default graph."""
    try:
        return store.query(query, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryError(f"the query is not valid SPARQL: {' '.join(str(error).split())}") from None
    except OSError as error:  # pyoxigraph reports evaluation failures as OSError
        raise QueryError(f"the query could not be evaluated: {' '.join(str(error).split())}") from None
