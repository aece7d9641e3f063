"""The graph as a KGX knowledge graph: Biolink-typed nodes and edges in KGX TSV, so it can join
Monarch-style graphs (KGX format: https://github.com/biolink/kgx/blob/master/specification/kgx-format.md).

`her2graph export --format kgx` writes one .tar.gz holding her2graph_nodes.tsv and her2graph_edges.tsv,
the archive form `kgx transform --input-format tsv --input-compression tar.gz` reads.

What goes in, and how it is named, is data: mappings/biolink-categories.tsv gives each class of ours its
Biolink category and the id prefixes a node of it takes its id from; mappings/biolink-predicates.tsv gives
each property of ours its Biolink predicate (and qualifiers); mappings/biolink-prefixes.tsv the Biolink
form of the mapping table's prefixes (uniprot is UniProtKB there). A node takes the id of a certain exact match (a plain skos:exactMatch, so never
the SSSOM rows below CERTAIN_CONFIDENCE) with a Biolink-preferred prefix, so that it is the same node as in
other Biolink graphs; otherwise its own CURIE (h2r:...). Every other certain exact match is an xref.

Edges carry the knowledge level and agent type of Biolink 4: a triple the facts state is a
knowledge_assertion by a manual_agent (with the ECO evidence type of the claim that states it, when one
does); a triple only the reasoner infers is a logical_entailment by an automated_agent.

Why our own code: the kgx package reads and checks these files (tests/test_kgx_export.py loads them with
it), but it needs the Biolink model at import and a network to fetch it; writing two TSV files needs neither.
"""
from __future__ import annotations

import csv
import io
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .dataset import merged_graph
from .errors import DataFileError
from .locations import mappings_dir
from .namespaces import GRAPH, H2G, PREFIXES
from .sssom import MAPPING_TABLE, read_mapping_set

ARCHIVE_STEM = "her2graph"
NODE_COLUMNS = ("id", "category", "name", "description", "xref", "iri", "synonym")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type",
                "original_predicate", "object_aspect_qualifier", "object_direction_qualifier", "has_evidence")
LIST_SEPARATOR = "|"
ASSERTED = ("knowledge_assertion", "manual_agent")
INFERRED = ("logical_entailment", "automated_agent")


@dataclass(frozen=True)
class BiolinkTables:
    """The three data files that say how our terms become Biolink terms."""

    categories: dict[URIRef, tuple[str, tuple[str, ...]]]
    predicates: dict[URIRef, dict[str, str]]
    prefixes: dict[str, str]
    """The mapping table's prefix -> Biolink's."""
    curie_map: dict[str, str]
    """The mapping table's prefix -> IRI base, longest base first."""


@dataclass
class KgxGraph:
    """Nodes and edges as KGX rows (dicts of column to value)."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


def read_biolink_tables(root: Path | None = None) -> BiolinkTables:
    folder = mappings_dir(root)
    categories = {_expand(row["class"]): (row["category"], tuple(p for p in row["id_prefixes"].split("|") if p))
                  for row in _rows(folder / "biolink-categories.tsv")}
    predicates = {_expand(row["property"]): row for row in _rows(folder / "biolink-predicates.tsv")}
    prefixes = {row["sssom_prefix"]: row["biolink_prefix"] for row in _rows(folder / "biolink-prefixes.tsv")}
    curie_map = read_mapping_set(folder / MAPPING_TABLE).curie_map
    ordered = dict(sorted(curie_map.items(), key=lambda item: -len(item[1])))
    return BiolinkTables(categories, predicates, prefixes, ordered)


def kgx_graph(dataset: Dataset, tables: BiolinkTables | None = None) -> KgxGraph:
    """The dataset's entities as Biolink nodes, and the links between them as Biolink edges."""
    tables = tables or read_biolink_tables()
    graph = merged_graph(dataset)
    inferred = dataset.graph(GRAPH.inferences)
    categories = {node: category for node in set(graph.subjects(RDF.type, None))
                  if (category := _category(graph, node, tables)) is not None}
    ids = {node: _node_id(graph, node, categories[node], tables) for node in categories}
    result = KgxGraph()
    for node in sorted(categories, key=lambda n: ids[n]):
        result.nodes.append(_node_row(graph, node, ids[node], categories[node][0], tables))
    # One edge per (subject, Biolink predicate, object), as KGX keys them: an asserted triple wins over one the
    # reasoner adds for a super-property (hasAntibodyComponent and the inferred hasComponent are both has_part).
    edges = {}
    for prop in sorted(tables.predicates):
        for subject, obj in sorted(graph.subject_objects(prop)):
            if subject not in ids or obj not in ids:
                continue
            level = INFERRED if (subject, prop, obj) in inferred else ASSERTED
            key = (ids[subject], tables.predicates[prop]["predicate"], ids[obj])
            if key not in edges or (edges[key][0] is INFERRED and level is ASSERTED):
                edges[key] = (level, _edge_row(graph, subject, prop, obj, ids, tables, level))
    result.edges = [row for _, row in (edges[key] for key in sorted(edges))]
    return result


def kgx_archive(dataset: Dataset, part: str = "all") -> bytes:
    """her2graph_nodes.tsv and her2graph_edges.tsv in one .tar.gz (KGX TSV, archive form)."""
    if part != "all":
        from .errors import Her2graphError
        raise Her2graphError("--format kgx exports the whole graph (nodes and edges); use it with --part all")
    tables = kgx_graph(dataset)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, columns, rows in ((f"{ARCHIVE_STEM}_nodes.tsv", NODE_COLUMNS, tables.nodes),
                                    (f"{ARCHIVE_STEM}_edges.tsv", EDGE_COLUMNS, tables.edges)):
            content = _tsv(columns, rows)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _category(graph: Graph, node, tables: BiolinkTables) -> tuple[str, tuple[str, ...]] | None:
    """The Biolink category of the first class of ours (or of its superclasses) that has one."""
    if not isinstance(node, URIRef):
        return None
    todo, seen = list(graph.objects(node, RDF.type)), set()
    while todo:
        cls = todo.pop(0)
        if cls in tables.categories:
            return tables.categories[cls]
        if cls not in seen:
            seen.add(cls)
            todo.extend(graph.objects(cls, RDFS.subClassOf))
    return None


def _node_id(graph: Graph, node: URIRef, category: tuple[str, tuple[str, ...]], tables: BiolinkTables) -> str:
    matches = sorted(_biolink_curie(match, tables) for match in graph.objects(node, SKOS.exactMatch))
    for prefix in category[1]:
        for curie in matches:
            if curie.startswith(prefix + ":"):
                return curie
    return _curie(node)


def _node_row(graph: Graph, node: URIRef, node_id: str, category: str, tables: BiolinkTables) -> dict:
    xrefs = sorted({_biolink_curie(m, tables) for m in graph.objects(node, SKOS.exactMatch)} - {node_id})
    synonyms = sorted(str(s) for s in graph.objects(node, SKOS.altLabel))
    return {"id": node_id, "category": category, "name": str(graph.value(node, RDFS.label) or ""),
            "description": " ".join(str(graph.value(node, SKOS.definition) or "").split()),
            "xref": LIST_SEPARATOR.join(xrefs), "iri": str(node), "synonym": LIST_SEPARATOR.join(synonyms)}


def _edge_row(graph: Graph, subject, prop, obj, ids: dict, tables: BiolinkTables, level: tuple[str, str]) -> dict:
    mapping = tables.predicates[prop]
    evidence = ""
    if level is ASSERTED:
        claims = [c for c in graph.subjects(H2G.claimSubject, subject)
                  if (c, H2G.claimProperty, prop) in graph and (c, H2G.claimObject, obj) in graph]
        evidence = LIST_SEPARATOR.join(sorted({_curie(e) for c in claims for e in graph.objects(c, H2G.evidenceType)}))
    return {"id": f"{ids[subject]}--{_curie(prop)}--{ids[obj]}", "subject": ids[subject],
            "predicate": mapping["predicate"], "object": ids[obj], "category": "biolink:Association",
            "knowledge_level": level[0], "agent_type": level[1], "original_predicate": _curie(prop),
            "object_aspect_qualifier": mapping["object_aspect_qualifier"],
            "object_direction_qualifier": mapping["object_direction_qualifier"], "has_evidence": evidence}


def _biolink_curie(iri, tables: BiolinkTables) -> str:
    """The CURIE of an external IRI: the mapping table's prefix, in Biolink's form where it differs."""
    for prefix, base in tables.curie_map.items():
        if str(iri).startswith(base):
            return f"{tables.prefixes.get(prefix, prefix)}:{str(iri)[len(base):]}"
    return str(iri)


def _curie(iri) -> str:
    for prefix, namespace in PREFIXES.items():
        if str(iri).startswith(str(namespace)) and prefix in ("h2g", "h2r", "obo"):
            local = str(iri)[len(str(namespace)):]
            return local.replace("_", ":", 1) if prefix == "obo" else f"{prefix}:{local}"
    return str(iri)


def _expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(str(PREFIXES[prefix]) + local)


def _rows(path: Path) -> list[dict]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise DataFileError(path, f"cannot read the Biolink table ({error.strerror})") from None


def _tsv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")
