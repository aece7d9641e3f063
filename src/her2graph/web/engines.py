"""Choosing what answers the service's queries, from the app's config: the one place that knows the kinds.

- STORE set: another SPARQL 1.1 store (remote_engine.RemoteEngine), with no answer cache, since its data
  may change at any time;
- BUILD set: Oxigraph in worker processes over a validated build of store_cache (engine.QueryEngine), the
  build's digest keying the answer cache;
- DATASET set, or nothing: the same over an rdflib Dataset (given, or loaded from DATA_ROOT unvalidated:
  for tests and embedding; `her2graph serve` always serves a validated build).
Whichever it is, screened queries are remembered and, unless ANSWER_CACHE_MB is 0 or NO_CACHE is set,
answers too (answer_cache.CachingEngine): the rest of the service sees one interface.
"""
from __future__ import annotations

import logging

from .answer_cache import MAX_ANSWER_BYTES, CachingEngine
from .engine import QueryEngine

log = logging.getLogger("her2graph.engine")
MIB = 1024 * 1024


def engine_for(config) -> CachingEngine:
    """The engine `config` asks for, behind its caches."""
    if config.get("STORE"):
        return CachingEngine(_remote_engine(config), None, 0, config.get("MAX_ANSWER_BYTES", MAX_ANSWER_BYTES))
    limits = dict(workers=config["WORKERS"], timeout=config["QUERY_TIMEOUT"], max_rows=config["MAX_ROWS"],
                  worker_memory_mb=config["WORKER_MEMORY_MB"], max_depth=config["MAX_NESTING"],
                  max_operators=config["MAX_OPERATORS"])
    answer_bytes = 0 if config.get("NO_CACHE") else config.get("ANSWER_CACHE_MB", 0) * MIB
    if config.get("BUILD"):
        return CachingEngine(QueryEngine.from_build(config["BUILD"], **limits), config.get("DATA_DIGEST"),
                             answer_bytes, config.get("MAX_ANSWER_BYTES", MAX_ANSWER_BYTES))
    dataset = config.get("DATASET")
    if dataset is None:
        from ..dataset import load_dataset

        dataset = load_dataset(config.get("DATA_ROOT"))
    return CachingEngine(QueryEngine.from_dataset(dataset, **limits), None, answer_bytes,
                         config.get("MAX_ANSWER_BYTES", MAX_ANSWER_BYTES))


def _remote_engine(config):
    from .remote_engine import RemoteEngine

    merge_graph = config.get("STORE_MERGE_GRAPH")
    named_graphs = ()
    if merge_graph:
        from ..dataset import named_graph_specs

        named_graphs = tuple(str(spec.iri) for spec in named_graph_specs(config.get("DATA_ROOT")))
    engine = RemoteEngine(config["STORE"], timeout=config["QUERY_TIMEOUT"], max_rows=config["MAX_ROWS"],
                          max_depth=config["MAX_NESTING"], max_operators=config["MAX_OPERATORS"],
                          merge_graph=merge_graph or None, named_graphs=named_graphs)
    _check_store(engine)
    return engine


def _check_store(engine) -> None:
    """Warn, at start, of a store that does not answer or whose default graph is empty (not the union)."""
    from ..errors import Her2graphError

    try:
        has_default = engine.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        has_named = engine.select("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
    except Her2graphError as error:
        log.warning("the SPARQL store does not answer yet: %s", error)
        return
    if has_named and not has_default and engine.merge_graph:
        log.warning("the SPARQL store at %s has nothing in the merge graph %s: queries without GRAPH will find "
                    "nothing. Load it with `her2graph push --merge-graph %s`", engine.endpoint, engine.merge_graph,
                    engine.merge_graph)
    elif has_named and not has_default:
        log.warning("the SPARQL store at %s has named graphs but an empty default graph: queries without "
                    "GRAPH will find nothing. Start it with its union-default-graph option (Oxigraph: serve "
                    "--union-default-graph)", engine.endpoint)
