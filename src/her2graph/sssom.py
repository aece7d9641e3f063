"""The mapping table: reading mappings/her2graph.sssom.tsv and turning its rows into mapping triples.

Follows the SSSOM TSV format (https://mapping-commons.github.io/sssom/spec-formats-tsv/): a YAML metadata
block whose lines start with '#', holding the `curie_map`, then one mapping per row. Each row becomes one
triple `subject predicate object` (skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch,
skos:relatedMatch or rdfs:seeAlso), with the CURIEs expanded by the table's own curie_map. The justification,
confidence and evidence stay in the table (the SSSOM record of why); the graph carries the link.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, URIRef

from .errors import DataFileError
from .locations import mappings_dir
from .namespaces import PREFIXES

MAPPING_TABLE = "her2graph.sssom.tsv"
MAPPING_PREDICATES = {
    "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch",
    "rdfs:seeAlso",
}
REQUIRED_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                    "mapping_justification")


@dataclass(frozen=True)
class MappingSet:
    """The table's metadata (including its curie_map) and its rows, each a dict of column to value."""

    path: Path
    metadata: dict
    rows: list[dict]

    @property
    def curie_map(self) -> dict[str, str]:
        return dict(self.metadata.get("curie_map") or {})

    def expand(self, curie: str) -> URIRef:
        """The IRI of a CURIE of the table, by its curie_map."""
        prefix, separator, local = curie.partition(":")
        if not separator or prefix not in self.curie_map:
            raise DataFileError(self.path, f"the CURIE {curie!r} has no prefix declared in the curie_map")
        return URIRef(self.curie_map[prefix] + local)


def mapping_table_path(root: Path | None = None) -> Path:
    return mappings_dir(root) / MAPPING_TABLE


def read_mapping_set(path: Path | None = None) -> MappingSet:
    """The SSSOM table at `path` (default: mappings/her2graph.sssom.tsv)."""
    path = path or mapping_table_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, f"cannot read the mapping table ({error.strerror})") from None
    header = "".join(line[1:] + "\n" for line in text.splitlines() if line.startswith("#"))
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    try:
        metadata = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise DataFileError(path, f"the '#' metadata block is not valid YAML: {error}") from None
    rows = list(csv.DictReader(io.StringIO(body), delimiter="\t"))
    missing = [column for column in REQUIRED_COLUMNS if rows and column not in rows[0]]
    if missing:
        raise DataFileError(path, f"the SSSOM columns {', '.join(missing)} are missing")
    for number, row in enumerate(rows, start=1):
        if row["predicate_id"] not in MAPPING_PREDICATES:
            raise DataFileError(path, f"row {number}: predicate {row['predicate_id']!r} is not one of "
                                      f"{', '.join(sorted(MAPPING_PREDICATES))}")
    return MappingSet(path, metadata, rows)


def mapping_graph(mapping_set: MappingSet) -> Graph:
    """One triple per row: subject, mapping predicate, object IRI."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for row in mapping_set.rows:
        graph.add((mapping_set.expand(row["subject_id"]), mapping_set.expand(row["predicate_id"]),
                   mapping_set.expand(row["object_id"])))
    return graph
