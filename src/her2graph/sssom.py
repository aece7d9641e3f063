"""The mapping table: reading mappings/her2graph.sssom.tsv and publishing it as SSSOM/RDF.

Follows the SSSOM TSV format (https://mapping-commons.github.io/sssom/spec-formats-tsv/): a YAML metadata
block whose lines start with '#', holding the `curie_map`, then one mapping per row.

The RDF keeps what the table says about each mapping, in the SSSOM/RDF vocabulary (the slot URIs of the
SSSOM schema's JSON-LD context, mapping-commons/sssom project/jsonld/sssom_schema.context.jsonld): each row
is an `owl:Axiom` with `owl:annotatedSource` (subject), `owl:annotatedProperty` (predicate) and
`owl:annotatedTarget` (object), annotated with its justification, confidence, labels, comment and see-also,
and with `dcterms:source` the mapping set it comes from (the annotation-property form of "derived from the
mapping", which OWL 2 DL allows on an axiom, where prov:wasDerivedFrom, an object property, is not). The set
itself carries its id, version, title, description, creator, licence and date.

Only what is certain is also a plain triple (`subject skos:exactMatch object`): a row whose confidence is at
least CERTAIN_CONFIDENCE. A less certain row (the ref-55 study linked to NCT00320385 by its design, which the
review never names) is published only as its annotated axiom, so that a query for plain skos:*Match triples
never mistakes it for a fact. Protégé shows each axiom's annotations.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

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
REQUIRED_METADATA = ("mapping_set_id", "mapping_set_version", "mapping_set_title", "creator_id", "license",
                     "mapping_date")
CERTAIN_CONFIDENCE = 0.95
"""Rows at least this confident are also plain triples: in this table, 0.95 means checked against two
independent stored copies or against the source record itself (mappings/EVIDENCE.md)."""
SSSOM = Namespace("https://w3id.org/sssom/")
PAV = Namespace("http://purl.org/pav/")
# Table column -> (RDF property, how the value is written), after the SSSOM JSON-LD context.
ROW_ANNOTATIONS = {
    "subject_label": (SSSOM.subject_label, "text"),
    "object_label": (SSSOM.object_label, "text"),
    "mapping_justification": (SSSOM.mapping_justification, "curie"),
    "object_source": (SSSOM.object_source, "curie"),
    "object_source_version": (SSSOM.object_source_version, "text"),
    "confidence": (SSSOM.confidence, "double"),
    "predicate_modifier": (SSSOM.predicate_modifier, "text"),
    "comment": (RDFS.comment, "text"),
    "see_also": (RDFS.seeAlso, "uri"),
}
SET_ANNOTATIONS = {
    "mapping_set_title": (DCTERMS.title, "text"),
    "mapping_set_description": (DCTERMS.description, "text"),
    "mapping_set_version": (OWL.versionInfo, "text"),
    "creator_id": (DCTERMS.creator, "uri"),
    "creator_label": (SSSOM.creator_label, "text"),
    "license": (DCTERMS.license, "uri"),
    "mapping_date": (PAV.authoredOn, "date"),
}
# Labels for the SSSOM and PAV terms used, so that OWL tools declare and name them.
VOCABULARY_LABELS = {
    SSSOM.subject_label: "subject label", SSSOM.object_label: "object label",
    SSSOM.mapping_justification: "mapping justification", SSSOM.object_source: "object source",
    SSSOM.object_source_version: "object source version", SSSOM.confidence: "confidence",
    SSSOM.predicate_modifier: "predicate modifier", SSSOM.creator_label: "creator label",
    PAV.authoredOn: "authored on", DCTERMS.source: "source",
}


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
    missing_metadata = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing_metadata:
        raise DataFileError(path, f"the metadata block lacks {', '.join(missing_metadata)}")
    rows = list(csv.DictReader(io.StringIO(body), delimiter="\t"))
    missing = [column for column in REQUIRED_COLUMNS if rows and column not in rows[0]]
    if missing:
        raise DataFileError(path, f"the SSSOM columns {', '.join(missing)} are missing")
    for number, row in enumerate(rows, start=1):
        if row["predicate_id"] not in MAPPING_PREDICATES:
            raise DataFileError(path, f"row {number}: predicate {row['predicate_id']!r} is not one of "
                                      f"{', '.join(sorted(MAPPING_PREDICATES))}")
        if not _confidence(row) and row.get("confidence"):
            raise DataFileError(path, f"row {number}: confidence {row['confidence']!r} is not a number in [0, 1]")
    return MappingSet(path, metadata, rows)


def is_certain(row: dict) -> bool:
    """Whether a row is published as a plain triple as well as an annotated axiom."""
    confidence = _confidence(row)
    return confidence is not None and confidence >= CERTAIN_CONFIDENCE and not row.get("predicate_modifier")


def mapping_graph(mapping_set: MappingSet) -> Graph:
    """The mapping set in SSSOM/RDF: the set, one annotated axiom per row, and a plain triple per certain row."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sssom", SSSOM)
    graph.bind("pav", PAV)
    mapping_set_iri = URIRef(mapping_set.metadata["mapping_set_id"])
    graph.add((mapping_set_iri, RDF.type, SSSOM.MappingSet))
    graph.add((mapping_set_iri, RDF.type, OWL.NamedIndividual))
    graph.add((mapping_set_iri, RDFS.label, Literal(str(mapping_set.metadata["mapping_set_title"]), lang="en")))
    for key, (prop, kind) in SET_ANNOTATIONS.items():
        if mapping_set.metadata.get(key):
            graph.add((mapping_set_iri, prop, _value(mapping_set, str(mapping_set.metadata[key]), kind)))
    for row in mapping_set.rows:
        subject, predicate, obj = (mapping_set.expand(row[column]) for column in ("subject_id", "predicate_id", "object_id"))
        if is_certain(row):
            graph.add((subject, predicate, obj))
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, predicate))
        graph.add((axiom, OWL.annotatedTarget, obj))
        graph.add((axiom, DCTERMS.source, mapping_set_iri))
        for column, (prop, kind) in ROW_ANNOTATIONS.items():
            if (row.get(column) or "").strip():
                graph.add((axiom, prop, _value(mapping_set, row[column].strip(), kind)))
    _declare_vocabulary(graph)
    return graph


def _declare_vocabulary(graph: Graph) -> None:
    """Declare the annotation properties and the class the SSSOM/RDF uses, so the release stays OWL 2 DL."""
    graph.add((SSSOM.MappingSet, RDF.type, OWL.Class))
    graph.add((SSSOM.MappingSet, RDFS.label, Literal("mapping set", lang="en")))
    for prop, label in VOCABULARY_LABELS.items():
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
        graph.add((prop, RDFS.label, Literal(label, lang="en")))


def _value(mapping_set: MappingSet, text: str, kind: str):
    if kind == "curie":
        return mapping_set.expand(text)
    if kind == "uri":
        return URIRef(text)
    if kind == "double":
        return Literal(float(text), datatype=XSD.double)
    if kind == "date":
        return Literal(text, datatype=XSD.date)
    return Literal(text)


def _confidence(row: dict) -> float | None:
    try:
        value = float(row.get("confidence") or "")
    except ValueError:
        return None
    return value if 0 <= value <= 1 else None
