"""Compiling one evidence file into the graph's facts and provenance.

Each node of the file becomes an individual with its types and annotations; each statement's quotes are
found in the source text (quote_location) and become W3C Web Annotation spans; cited reference numbers
become h2g:CitedReference nodes; a claim is asserted as a triple and as a claim node; arm medians and effect
estimates become the nodes the ontology defines for them, with the numbers typed as printed. Every triple's
line in the YAML file is kept, so a later check (quote_claims) can name the line of a number its quote lacks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import EvidenceError
from .evidence_terms import TermError, TermResolver, typed_literal
from .evidence_yaml import Mapping, Scalar, Sequence, Value
from .namespaces import H2G, H2R, OA, OBO
from .quote_location import Located, NormalisedText, QuoteAmbiguous, QuoteNotFound, locate_quote
from .source_registry import Source

ANNOTATIONS = {
    "label": RDFS.label, "alt_labels": SKOS.altLabel, "definition": SKOS.definition,
    "scope_note": SKOS.scopeNote, "editorial_note": SKOS.editorialNote, "comment": RDFS.comment,
}
DEFAULT_ESTIMATE_CLASS = H2G.HazardRatio
DEFAULT_CONFIDENCE = "95%"
_QUOTE_SHOWN = 70


@dataclass
class CompiledEvidence:
    """The triples compiled from one evidence file, with the YAML line of each."""

    file: Path
    source: Source | None
    text: str = ""
    facts: Graph = field(default_factory=Graph)
    provenance: Graph = field(default_factory=Graph)
    lines: dict[tuple, int] = field(default_factory=dict)       # (subject, predicate) -> line
    quote_lines: dict[URIRef, int] = field(default_factory=dict)  # statement -> line of its quotes
    spans: dict[URIRef, list[Located]] = field(default_factory=dict)  # statement -> its spans

    def add(self, triple, line: int, graph: Graph | None = None) -> None:
        (graph if graph is not None else self.facts).add(triple)
        self.lines.setdefault((triple[0], triple[1]), line)


def defined_ids(tree: Mapping) -> list[str]:
    """Every id an evidence file defines (entities, statements, their medians and estimates)."""
    ids = []
    for section in ("entities", "statements"):
        for node in tree.get(section, ()):
            ids.append(str(node["id"]))
            ids.extend(str(median["id"]) for median in node.get("medians", ()) if "id" in median)
            estimate = node.get("effect_estimate")
            if isinstance(estimate, Mapping) and "id" in estimate:
                ids.append(str(estimate["id"]))
    return ids


def span_iri(source: Source, located: Located) -> URIRef:
    """<document IRI>-span-START-END: one span is written once and shared; two documents' never collide."""
    return H2R[f"{source.source_id}-span-{located.start}-{located.end}"]


def reference_iri(source: Source, number: int) -> URIRef:
    """<document IRI>-ref-NUMBER."""
    return H2R[f"{source.source_id}-ref-{number}"]


class EvidenceCompiler:
    """Compiles the tree of one evidence file against its source text and the known terms."""

    def __init__(self, file: Path, tree: Mapping, source: Source | None, text: NormalisedText | None,
                 terms: TermResolver):
        """`source` and `text` are None for a file of shared entities only."""
        self.file, self.tree, self.source, self.text, self.terms = file, tree, source, text, terms
        self.result = CompiledEvidence(file, source, text.original if text else "")
        self.document = H2R[source.source_id] if source else None

    def compile(self) -> CompiledEvidence:
        if self.source is not None:
            self._source_document()
        for node in self.tree.get("entities", ()):
            self._node(node)
        for node in self.tree.get("statements", ()):
            subject = self._node(node)
            self._defaults(subject, node)
            self._evidence(subject, node)
            self._quotes(subject, node)
            self._citations(subject, node)
            self._claim(subject, node)
            self._medians(subject, node)
            self._estimate(subject, node)
        return self.result

    # --- errors -----------------------------------------------------------------------------------------

    def _error(self, line: int, reason: str) -> EvidenceError:
        return EvidenceError(self.file, line, reason)

    def _iri(self, value: Value) -> URIRef:
        try:
            return self.terms.iri(str(value))
        except TermError as error:
            raise self._error(value.line, str(error)) from None

    def _mint(self, value: Value) -> URIRef:
        try:
            return self.terms.mint(str(value))
        except TermError as error:
            raise self._error(value.line, str(error)) from None

    # --- nodes ------------------------------------------------------------------------------------------

    def _source_document(self) -> None:
        source, document, line = self.source, self.document, self.tree.line_of("source")
        graph = self.result.provenance
        for triple in ((document, RDF.type, H2G.SourceDocument), (document, RDF.type, OWL.NamedIndividual),
                       (document, RDFS.label, Literal(source.label, lang="en")),
                       (document, DCTERMS.title, Literal(source.title)),
                       (document, RDFS.comment, Literal(source.comment, lang="en")),
                       (document, DCTERMS["format"], Literal(source.format)),
                       (document, H2G.fileName, Literal(source.file)),
                       (document, H2G.sha256, Literal(source.sha256))):
            self.result.add(triple, line, graph)
        if source.identifier:
            self.result.add((document, DCTERMS.identifier, Literal(source.identifier)), line, graph)
        if source.rights:
            self.result.add((document, DCTERMS.rights, Literal(source.rights, lang="en")), line, graph)
        if source.editorial_note:
            self.result.add((document, SKOS.editorialNote, Literal(source.editorial_note, lang="en")), line, graph)

    def _node(self, node: Mapping) -> URIRef:
        subject = self._mint(node["id"])
        add = self.result.add
        add((subject, RDF.type, OWL.NamedIndividual), node.line)
        for cls in _values(node.get("a")):
            add((subject, RDF.type, self._iri(cls)), cls.line)
        for key, prop in ANNOTATIONS.items():
            for text in _values(node.get(key)):
                add((subject, prop, Literal(text.text.strip(), lang="en")), text.line)
        facts = node.get("facts")
        if facts is not None:
            if not isinstance(facts, Mapping):
                raise self._error(facts.line, "'facts' is a mapping from a property CURIE to its value(s)")
            for key, values in facts.items():
                prop = self._iri(Scalar(key, facts.line_of(key)))
                for value in _values(values):
                    if not isinstance(value, Scalar):
                        raise self._error(value.line, f"a value of {key} is a CURIE or a literal, not a mapping")
                    add((subject, prop, self._fact_value(prop, value)), value.line)
        return subject

    def _evidence(self, subject: URIRef, node: Mapping) -> None:
        """What every statement says of its evidence and the file need not: the document it is stated in, and,
        unless its facts or the file's defaults give one, its ECO evidence type: an author statement with a
        traceable reference (ECO:0000304) when it cites one, else without (ECO:0000303)."""
        self.result.add((subject, H2G.statedIn, self.document), node.line)
        if (subject, H2G.evidenceType, None) not in self.result.facts:
            eco = "ECO_0000304" if node.get("cites") else "ECO_0000303"
            self.result.add((subject, H2G.evidenceType, OBO[eco]), node.line)

    def _defaults(self, subject: URIRef, node: Mapping) -> None:
        """The file's defaults, for every property the statement's own facts do not give."""
        defaults = self.tree.get("defaults")
        if defaults is None:
            return
        if not isinstance(defaults, Mapping):
            raise self._error(defaults.line, "'defaults' is a mapping from a property CURIE to its value(s)")
        own = node.get("facts") if isinstance(node.get("facts"), Mapping) else {}
        for key, values in defaults.items():
            if key in own:
                continue
            prop = self._iri(Scalar(key, defaults.line_of(key)))
            for value in _values(values):
                self.result.add((subject, prop, self._fact_value(prop, value)), value.line)

    def _fact_value(self, prop: URIRef, value: Scalar):
        try:
            return self.terms.value(prop, value.text)
        except TermError as error:
            raise self._error(value.line, f"{self.terms.ontology.namespace_manager.normalizeUri(prop)}: {error}") from None

    # --- statements -------------------------------------------------------------------------------------

    def _quotes(self, subject: URIRef, node: Mapping) -> None:
        self.result.quote_lines[subject] = node.line_of("quotes")
        located_spans = []
        for quote in _values(node["quotes"]):
            located = self._locate(quote)
            located_spans.append(located)
            span = span_iri(self.source, located)
            self.result.add((subject, PROV.wasDerivedFrom, span), quote.line)
            self._span(span, located, quote.line)
        self.result.spans[subject] = located_spans

    def _locate(self, quote: Scalar) -> Located:
        name = self.source.file
        try:
            return locate_quote(quote.text, self.text)
        except QuoteAmbiguous as error:
            places = ", ".join(f"{place.start}-{place.end}" for place in error.places)
            raise self._error(quote.line, f"the quote {_shown(quote.text)} occurs {len(error.places)} times in {name} "
                                          f"(at {places}); quote more of its sentence so it occurs once") from None
        except QuoteNotFound as error:
            nearest = "; ".join(f"{near.start}-{near.end} {_shown(near.text)} ({near.similarity:.0%} alike)"
                                for near in error.nearest) or "nothing alike"
            raise self._error(quote.line, f"the quote {_shown(quote.text)} does not occur in {name}; "
                                          f"nearest: {nearest}") from None

    def _span(self, span: URIRef, located: Located, line: int) -> None:
        graph, add = self.result.provenance, self.result.add
        selector = URIRef(f"{span}-selector")
        offsets = f"{located.start}-{located.end}"
        name = f"{self.source.short_name} span {offsets}"
        for triple in ((span, RDF.type, H2G.SourceSpan), (span, RDF.type, OA.SpecificResource),
                       (span, RDF.type, OWL.NamedIndividual), (span, RDFS.label, Literal(name, lang="en")),
                       (span, OA.hasSource, self.document), (span, OA.hasSelector, selector),
                       (selector, RDF.type, H2G.SpanSelector), (selector, RDF.type, OA.TextPositionSelector),
                       (selector, RDF.type, OWL.NamedIndividual),
                       (selector, RDFS.label, Literal(f"selector of {name}", lang="en")),
                       (selector, OA.start, Literal(located.start, datatype=XSD.nonNegativeInteger)),
                       (selector, OA.end, Literal(located.end, datatype=XSD.nonNegativeInteger))):
            add(triple, line, graph)

    def _citations(self, subject: URIRef, node: Mapping) -> None:
        if "cites" in node and not self.source.reference_label:
            raise self._error(node.line_of("cites"), f"the source {self.source.source_id} has no numbered references "
                                                     "(its reference_label in evidence/sources.tsv is empty)")
        for number in _values(node.get("cites")):
            reference = reference_iri(self.source, int(number.text))
            self.result.add((subject, H2G.citesReference, reference), number.line)
            graph, add = self.result.provenance, self.result.add
            label = self.source.reference_label.format(number=int(number.text))
            for triple in ((reference, RDF.type, H2G.CitedReference), (reference, RDF.type, OWL.NamedIndividual),
                           (reference, RDFS.label, Literal(label, lang="en")),
                           (reference, H2G.referenceNumber, Literal(number.text.strip(), datatype=XSD.positiveInteger)),
                           (reference, H2G.inDocument, self.document)):
                add(triple, number.line, graph)

    def _claim(self, subject: URIRef, node: Mapping) -> None:
        claim = node.get("claim")
        if claim is None:
            return
        parts = [self._iri(claim[key]) for key in ("subject", "property", "object")]
        add = self.result.add
        add((subject, H2G.claimSubject, parts[0]), claim["subject"].line)
        add((subject, H2G.claimProperty, parts[1]), claim["property"].line)
        add((subject, H2G.claimObject, parts[2]), claim["object"].line)
        add(tuple(parts), claim.line)

    def _medians(self, subject: URIRef, node: Mapping) -> None:
        for median in _values(node.get("medians")):
            arm = self._iri(median["arm"])
            iri = self._mint(median["id"]) if "id" in median else \
                H2R[f"{subject.split('/')[-1]}-median-{arm.split('/')[-1]}"]
            add = self.result.add
            add((subject, H2G.hasArmMedian, iri), median.line)
            add((iri, RDF.type, H2G.ArmMedian), median.line)
            add((iri, RDF.type, OWL.NamedIndividual), median.line)
            if "label" in median:
                add((iri, RDFS.label, Literal(median["label"].text.strip(), lang="en")), median["label"].line)
            add((iri, H2G.ofArm, arm), median["arm"].line)
            self._typed_and_printed(iri, H2G.medianValue, median["value"])
            add((iri, H2G.unit, self._unit(median["unit"])), median["unit"].line)

    def _estimate(self, subject: URIRef, node: Mapping) -> None:
        estimate = node.get("effect_estimate")
        if estimate is None:
            return
        iri = self._mint(estimate["id"]) if "id" in estimate else H2R[f"{subject.split('/')[-1]}-estimate"]
        add = self.result.add
        add((subject, H2G.hasEffectEstimate, iri), estimate.line)
        classes = [self._iri(cls) for cls in _values(estimate.get("a"))] or [DEFAULT_ESTIMATE_CLASS]
        for cls in classes:
            add((iri, RDF.type, cls), estimate.line)
        add((iri, RDF.type, OWL.NamedIndividual), estimate.line)
        if "label" in estimate:
            add((iri, RDFS.label, Literal(estimate["label"].text.strip(), lang="en")), estimate["label"].line)
        self._typed_and_printed(iri, H2G.estimate, estimate["estimate"])
        if "ci_lower" in estimate or "ci_upper" in estimate:
            for key, prop in (("ci_lower", H2G.ciLower), ("ci_upper", H2G.ciUpper)):
                if key not in estimate:
                    raise self._error(estimate.line, f"a confidence interval needs both ci_lower and ci_upper")
                self._typed_and_printed(iri, prop, estimate[key])
            level = estimate.get("confidence_level", Scalar(DEFAULT_CONFIDENCE, estimate.line))
            add((iri, H2G.confidenceLevel, self._confidence(level)), level.line)
        if "p" in estimate:
            relation, number = self._p_value(estimate["p"])
            self._typed_and_printed(iri, H2G.pValue, Scalar(str(number), estimate["p"].line))
            add((iri, H2G.pValueRelation, relation), estimate["p"].line)

    # --- typed numbers ----------------------------------------------------------------------------------

    def _typed_and_printed(self, node: URIRef, prop: URIRef, value: Scalar) -> None:
        """The typed decimal, and beside it the digits as printed (h2g:printedMedianValue "75.0" ...)."""
        number = self._number(value)
        self.result.add((node, prop, number), value.line)
        printed = H2G["printed" + prop.split("/")[-1][0].upper() + prop.split("/")[-1][1:]]
        self.result.add((node, printed, Literal(str(number))), value.line)

    def _number(self, value: Scalar) -> Literal:
        try:
            return typed_literal(value.text.strip(), XSD.decimal)
        except TermError as error:
            raise self._error(value.line, str(error)) from None

    def _confidence(self, value: Scalar) -> Literal:
        percent = value.text.strip().rstrip("%")
        digits = percent.replace(".", "")
        fraction = f"0.{digits}" if "." not in percent and len(percent) == 2 else None
        if fraction is None:
            raise self._error(value.line, f"the confidence level {value.text!r} is not a two-digit percentage such as 95%")
        return Literal(fraction, datatype=XSD.decimal)

    def _p_value(self, value: Scalar) -> tuple[URIRef, Literal]:
        text = value.text.strip().replace("≤", "<=")
        sign = "<" if text.startswith("<") else "="
        number = text.lstrip("<=").strip()
        relation = self._relation(sign, value.line)
        return relation, self._number(Scalar(number, value.line))

    def _relation(self, sign: str, line: int) -> URIRef:
        """The p-value relation concept whose skos:notation is '<' or '=' (the ontology's scheme)."""
        for concept in self.terms.ontology.subjects(SKOS.inScheme, H2R["p-value-relations"]):
            if any(str(notation) == sign for notation in self.terms.ontology.objects(concept, SKOS.notation)):
                return concept
        raise self._error(line, f"the ontology has no p-value relation with the notation {sign!r}")

    def _unit(self, value: Scalar) -> URIRef:
        text = value.text.strip()
        if self.terms.looks_like_curie(text):
            return self._iri(value)
        singular = text.lower().removesuffix("s")
        for unit in self.terms.ontology.subjects(RDFS.label, Literal(singular, lang="en")):
            if str(unit).startswith("http://purl.obolibrary.org/obo/UO_"):
                return unit
        raise self._error(value.line, f"unknown unit {text!r}: write a UO CURIE (obo:UO_0000034) or the label of an imported UO term")


def _values(value: Value | None) -> list:
    if value is None:
        return []
    if isinstance(value, Sequence):
        return list(value)
    return [value]


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= _QUOTE_SHOWN else flat[:_QUOTE_SHOWN - 1] + "…")
