"""her2graph: a curated knowledge graph of resistance to HER2-targeted therapy, and its SPARQL service."""

__version__ = "0.1.0"
