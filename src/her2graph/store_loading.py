"""Parsing the curated files straight into an Oxigraph store, for validation and the build, without rdflib.

rdflib takes about a minute to parse a million triples, Oxigraph's parser a few seconds. Each file goes into
its named graph (graph/named-graphs.tsv) and into the default graph, which so holds their merge (a set of
triples, SPARQL's RDF merge): the layout of a store_cache build. The written objects of the predicates the
shapes check datatypes or ranges of are kept on the way (shacl_sparql.DataLoader).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

import pyoxigraph as ox

from .dataset import named_graph_specs
from .errors import DataFileError
from .locations import data_root
from .shacl_sparql import DataLoader, ValidationData

_FORMAT_BY_SUFFIX = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
                     ".owl": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}


def data_files(root: Path | None = None) -> list[tuple[ox.NamedNode, Path]]:
    """Every (named graph, file) of the named-graphs table, in its order."""
    root = root or data_root()
    pairs = []
    for spec in named_graph_specs(root):
        files = spec.files(root)
        if not files:
            raise DataFileError(root / spec.pattern, "no file matches this pattern of the named-graphs table")
        pairs.extend((ox.NamedNode(str(spec.iri)), path) for path in files)
    return pairs


def load_validation_data(root: Path | None, predicates) -> ValidationData:
    """Every curated file in its named graph and in the default graph, keeping the written objects of
    `predicates`.

    Oxigraph's own bulk loader puts each file in the store (a million triples in seconds); what the
    validation keeps of it as written is read in a second, Python, pass over the parsed triples. Blank nodes
    get new labels in each parse: a file where one holds a kept object is added from that Python pass itself.
    """
    loader = DataLoader(predicates)
    store = loader.data.store
    for graph, path in data_files(root):
        blank_nodes = loader.note(partial(parsed_triples, path, lenient=True))
        if blank_nodes == "kept":
            loader.add(_in_graphs(parsed_triples(path), graph))
        elif blank_nodes == "some":  # one parse, copied: the merge must hold the very blank nodes of the graph
            scratch = ox.NamedNode("urn:her2graph:loading")
            _bulk_load(store, path, scratch)
            store.update(f"INSERT {{ GRAPH {graph} {{ ?s ?p ?o }} ?s ?p ?o }} WHERE {{ GRAPH {scratch} {{ ?s ?p ?o }} }}")
            store.remove_graph(scratch)
        else:
            for target in (graph, ox.DefaultGraph()):
                _bulk_load(store, path, target)
    return loader.data


def _bulk_load(store: ox.Store, path: Path, graph) -> None:
    try:
        store.bulk_load(path=str(path), format=_FORMAT_BY_SUFFIX[path.suffix], base_iri=path.resolve().as_uri(),
                        to_graph=graph)
    except OSError as error:
        raise DataFileError(path, f"cannot read ({error.strerror or error})") from None
    except (SyntaxError, ValueError) as error:  # parsed once already: only a file changed meanwhile gets here
        raise DataFileError(path, f"not valid RDF: {' '.join(str(error).split())}") from None


def parsed_triples(path: Path, lenient: bool = False, base_iri: str | None = None):
    """The triples of one file, as pyoxigraph parses them (literals as written); DataFileError on bad syntax
    (raised while they are read: a store they went into is to be dropped). `lenient`: IRIs are not checked
    (for a second reading of a file the store has loaded strictly)."""
    rdf_format = _FORMAT_BY_SUFFIX.get(path.suffix)
    if rdf_format is None:
        raise DataFileError(path, f"unknown RDF file suffix {path.suffix!r}; use one of {sorted(_FORMAT_BY_SUFFIX)}")
    try:
        yield from ox.parse(path=str(path), format=rdf_format, base_iri=base_iri or path.resolve().as_uri(),
                            rename_blank_nodes=True, lenient=lenient)
    except OSError as error:
        raise DataFileError(path, f"cannot read ({error.strerror or error})") from None
    except (SyntaxError, ValueError) as error:
        raise DataFileError(path, f"not valid {rdf_format.name}: {' '.join(str(error).split())}") from None


def _in_graphs(triples, graph: ox.NamedNode):
    for triple in triples:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)
        yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())
