"""Counting what the graph holds: instances per class and triples per property."""
from __future__ import annotations

from collections import Counter

from rdflib import Graph
from rdflib.namespace import RDF


def class_counts(graph: Graph) -> Counter:
    """How many distinct subjects are typed with each class."""
    return Counter(cls for _, cls in set(graph.subject_objects(RDF.type)))


def property_counts(graph: Graph) -> Counter:
    """How many triples use each property."""
    return Counter(predicate for _, predicate, _ in graph)


def format_counts(graph: Graph) -> str:
    """Both tables as aligned text, prefixed names where the graph binds a prefix, largest first."""
    lines = [f"{len(graph)} triples", "", "instances per class:"]
    lines += _rows(graph, class_counts(graph))
    lines += ["", "triples per property:"]
    lines += _rows(graph, property_counts(graph))
    return "\n".join(lines)


def _rows(graph: Graph, counts: Counter) -> list[str]:
    named = [(graph.namespace_manager.normalizeUri(term), count) for term, count in counts.items()]
    named.sort(key=lambda item: (-item[1], item[0]))
    width = max((len(name) for name, _ in named), default=0)
    return [f"  {name.ljust(width)}  {count}" for name, count in named]
