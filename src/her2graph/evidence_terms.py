"""The terms an evidence file may name, and the RDF terms its values become.

A CURIE must use a prefix of the project (namespaces.PREFIXES). Terms of the vocabularies we mint (h2g:, h2r:)
and of the external terms we import (obo:) must be defined somewhere the graph can see: the ontology, the
import module, an evidence file, or a hand-written graph file. Terms of W3C vocabularies are checked against
rdflib's closed namespaces. A literal's datatype comes from its property's rdfs:range in the ontology, so a
curator writes numbers as printed and the ontology says what they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from .namespaces import H2R, PREFIXES

CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):([^\s]+)$")
_CLOSED_VOCABULARIES = {str(ns): ns for ns in (RDF, RDFS, OWL, SKOS, PROV, DCTERMS, XSD)}
_INTEGER_TYPES = {XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.int, XSD.long}


class TermError(ValueError):
    """A CURIE or a literal the compiler cannot accept; the caller adds file and line."""


@dataclass
class TermResolver:
    """Expands CURIEs, knows which terms exist, and types literals by the ontology's ranges."""

    ontology: Graph
    defined: set[URIRef] = field(default_factory=set)

    def iri(self, curie: str) -> URIRef:
        """The IRI of a CURIE that names a known term."""
        match = CURIE.match(curie.strip())
        if not match:
            raise TermError(f"{curie!r} is not a CURIE (write prefix:name, e.g. h2r:lapatinib)")
        prefix, local = match.groups()
        if prefix not in PREFIXES:
            raise TermError(f"unknown CURIE {curie!r}: the prefix '{prefix}' is not one of {', '.join(sorted(PREFIXES))}")
        iri = URIRef(str(PREFIXES[prefix]) + local)
        if not self.is_known(iri):
            raise TermError(f"unknown CURIE {curie!r}: no such term in the ontology, the imported terms or the evidence files")
        return iri

    def mint(self, curie: str) -> URIRef:
        """The IRI of a new h2r: individual (an id); it need not exist yet."""
        match = CURIE.match(curie.strip())
        if not match or match.group(1) != "h2r":
            raise TermError(f"an id is an h2r: CURIE (h2r:my-result), not {curie!r}")
        return H2R[match.group(2)]

    def looks_like_curie(self, text: str) -> bool:
        match = CURIE.match(text.strip())
        return bool(match) and match.group(1) in PREFIXES

    def is_known(self, iri: URIRef) -> bool:
        text = str(iri)
        if iri in self.defined or (iri, None, None) in self.ontology:
            return True
        for namespace, vocabulary in _CLOSED_VOCABULARIES.items():
            if text.startswith(namespace):
                return _closed_term_exists(vocabulary, text[len(namespace):])
        return False  # our own (h2g:, h2r:) and imported (obo:) terms must be defined in the data we load

    def is_object_property(self, prop: URIRef) -> bool:
        return (prop, RDF.type, OWL.ObjectProperty) in self.ontology

    def datatype_of(self, prop: URIRef) -> URIRef | None:
        if (prop, RDF.type, OWL.DatatypeProperty) not in self.ontology:
            return None
        return self.ontology.value(prop, RDFS.range) or XSD.string

    def value(self, prop: URIRef, text: str) -> URIRef | Literal:
        """The RDF term for `text` as a value of `prop`."""
        text = text.strip()
        if self.is_object_property(prop):
            return self.iri(text)
        datatype = self.datatype_of(prop)
        if datatype is not None:
            return typed_literal(text, datatype)
        if self.looks_like_curie(text):
            return self.iri(text)
        return Literal(text, lang="en")


def typed_literal(text: str, datatype: URIRef) -> Literal:
    """A literal of `datatype` with the lexical form as written; TermError when the text is not one."""
    if datatype == XSD.decimal:
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
            raise TermError(f"{text!r} is not a decimal number as printed (e.g. 0.210)")
        return Literal(text, datatype=XSD.decimal)
    if datatype in _INTEGER_TYPES:
        if not re.fullmatch(r"[0-9]+", text) or (datatype == XSD.positiveInteger and int(text) == 0):
            raise TermError(f"{text!r} is not a {datatype.split('#')[-1]}")
        return Literal(text, datatype=datatype)
    if datatype == XSD.boolean:
        if text not in ("true", "false"):
            raise TermError(f"{text!r} is not a boolean (write true or false)")
        return Literal(text, datatype=XSD.boolean)
    if datatype == XSD.string:
        return Literal(text)
    return Literal(text, datatype=datatype)


def _closed_term_exists(vocabulary: type[DefinedNamespace], local: str) -> bool:
    try:
        vocabulary[local]
    except (AttributeError, KeyError):
        return False
    return True
