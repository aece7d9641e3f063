"""her2graph: a curated knowledge graph of resistance to HER2-targeted therapy, and its SPARQL service.

    import her2graph
    g = her2graph.load()                       # the graph as an rdflib Dataset
    rows = her2graph.query("06-trial-overview")  # a competency query by name, or SPARQL text: rows of dicts
    rows.to_dataframe()                         # a pandas DataFrame, when pandas is installed

See her2graph.python_api. The names are imported on first use, so `import her2graph` stays light (the
service's query workers import this package too).
"""

__version__ = "0.1.0"
__all__ = ["load", "query", "queries", "Rows", "__version__"]

_API = {"load", "query", "queries", "Rows"}


def __getattr__(name: str):
    if name in _API:
        from . import python_api
        return getattr(python_api, name)
    raise AttributeError(f"module 'her2graph' has no attribute {name!r}")
