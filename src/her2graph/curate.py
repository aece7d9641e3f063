"""`her2graph curate FILE…`: evidence files in, the graph's facts and provenance out, or one clear error.

Every evidence file of evidence/ is read (the named ones and the others, whose ids the named ones may use),
checked against the LinkML schema, compiled against its registered source text, and checked for claims its
quotes do not print. Only when all of that succeeds is anything written: for evidence/NAME.yaml,
graph/facts/NAME.ttl and graph/provenance/NAME.ttl, in rdflib's longturtle (sorted, stable), each written
atomically and only when its content changed, so running it twice changes nothing. Then the cross-source
comparisons (reconcile.py) are rebuilt from the graph on disk into graph/built/reconciliation.ttl.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .dataset import parse_rdf_file
from .errors import EvidenceError
from .evidence_compiler import CompiledEvidence, EvidenceCompiler, defined_ids
from .evidence_schema import check_evidence_tree
from .evidence_terms import TermError, TermResolver
from .evidence_yaml import Mapping, load_evidence_yaml
from .output_files import write_atomically
from .locations import evidence_dir, graph_dir, ontology_dir
from .namespaces import GRAPH, H2R, PREFIXES
from .quote_claims import comparable, unprinted_claims
from .quote_location import NormalisedText
from .source_registry import read_registry

EVIDENCE_GLOB = "*.yaml"
RECONCILIATION_FILE = "reconciliation.ttl"
HEADER = "# Compiled by `her2graph curate` from {evidence}: edit that file, not this one.\n"


@dataclass(frozen=True)
class Output:
    """One file `curate` writes and what goes into it."""

    path: Path
    content: bytes


def evidence_files(root: Path | None = None) -> list[Path]:
    """The evidence files of the project (evidence/*.yaml), sorted."""
    return sorted(evidence_dir(root).glob(EVIDENCE_GLOB))


def compile_evidence(files: list[Path], root: Path | None = None) -> list[CompiledEvidence]:
    """Compile `files` (with every project evidence file as context); EvidenceError at the first problem."""
    wanted = [Path(file).resolve() for file in files]
    everything = list(dict.fromkeys([*wanted, *(path.resolve() for path in evidence_files(root))]))
    trees = {file: _read(file, root) for file in everything}
    terms = _term_resolver(trees, root, outputs_of=wanted)
    registry = read_registry(root)
    compiled = {file: _compile_one(file, trees[file], registry, terms, root) for file in everything}
    context = Graph()
    for prefix, namespace in PREFIXES.items():
        context.bind(prefix, namespace, override=True)
    context += terms.ontology
    for result in compiled.values():
        context += result.facts
        context += result.provenance  # reference numbers, for the citation markers
    for file in wanted:
        _check_quotes(compiled[file], context)
    return [compiled[file] for file in wanted]


def outputs(compiled: list[CompiledEvidence], out_dir: Path | None = None, root: Path | None = None) -> list[Output]:
    """The files compiled evidence becomes: facts and provenance, one pair per evidence file."""
    folder = out_dir or graph_dir(root)
    found = []
    for result in compiled:
        header = HEADER.format(evidence=_shown_path(result.file, root)).encode()
        for part, graph in (("facts", result.facts), ("provenance", result.provenance)):
            if part == "provenance" and result.source is None:
                continue  # shared entities rest on no source
            found.append(Output(folder / part / f"{result.file.stem}.ttl", header + _turtle(graph)))
    return found


def reconciliation_output(root: Path | None = None) -> Output:
    """graph/built/reconciliation.ttl, computed from the graph on disk (run after writing the outputs)."""
    from .dataset import load_dataset, merged_graph
    from .reconcile import reconciliation_graph
    from .sssom import mapping_table_path, read_mapping_set

    path = graph_dir(root) / "built" / RECONCILIATION_FILE
    asserted = merged_graph(load_dataset(root, only={GRAPH.facts, GRAPH.provenance, GRAPH.ontology,
                                                      GRAPH.imports}))
    order = [H2R[source_id] for source_id in read_registry(root)]
    built = reconciliation_graph(asserted, read_mapping_set(mapping_table_path(root)), order)
    header = b"# Built by `her2graph curate` (src/her2graph/reconcile.py) from the facts and the mappings.\n"
    return Output(path, header + _turtle(built))


def write_outputs(found: list[Output]) -> list[Path]:
    """Write each output atomically when its content changed; the paths written."""
    written = []
    for output in found:
        if output.path.exists() and output.path.read_bytes() == output.content:
            continue
        output.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(output.path, output.content)
        output.path.chmod(0o644)  # a temporary file is private; the graph's files are readable by all
        written.append(output.path)
    return written


def _read(file: Path, root: Path | None) -> Mapping:
    if file.suffix not in (".yaml", ".yml"):
        raise EvidenceError(file, None, "an evidence file is YAML (.yaml)")
    tree = load_evidence_yaml(file)
    check_evidence_tree(tree, file, root)
    return tree


def _term_resolver(trees: dict[Path, Mapping], root: Path | None, outputs_of: list[Path]) -> TermResolver:
    ontology = Graph()
    for path in sorted(ontology_dir(root).glob("*.ttl")) + sorted((ontology_dir(root) / "imports").glob("*.ttl")):
        parse_rdf_file(path, into=ontology)
    defined: set[URIRef] = set()
    resolver = TermResolver(ontology, defined)
    for file, tree in trees.items():
        for curie in defined_ids(tree):
            try:
                defined.add(resolver.mint(curie))
            except TermError as error:
                raise EvidenceError(file, tree.line, str(error)) from None
    regenerated = {f"{file.stem}.ttl" for file in outputs_of}
    for path in sorted(graph_dir(root).glob("facts/*.ttl")):
        if path.name not in regenerated:  # hand-written facts (not this run's output) define terms too
            defined.update(subject for subject in parse_rdf_file(path).subjects() if isinstance(subject, URIRef))
    return resolver


def _compile_one(file: Path, tree: Mapping, registry, terms: TermResolver, root: Path | None) -> CompiledEvidence:
    if "source" not in tree:
        if tree.get("statements"):
            raise EvidenceError(file, tree.line_of("statements"), "statements need a source: add 'source: ID' "
                                                                  "(an id of evidence/sources.tsv)")
        return EvidenceCompiler(file, tree, None, None, terms).compile()
    source_id = str(tree["source"]).strip()
    if source_id not in registry:
        raise EvidenceError(file, tree.line_of("source"),
                            f"the source {source_id!r} is not in evidence/sources.tsv (registered: {', '.join(sorted(registry))})")
    source = registry[source_id]
    try:
        text = source.read_text(root)
    except Exception as error:  # SourceTextError: missing or changed file
        raise EvidenceError(file, tree.line_of("source"), str(error)) from None
    return EvidenceCompiler(file, tree, source, NormalisedText(text.text), terms).compile()


def _check_quotes(result: CompiledEvidence, context: Graph) -> None:
    text = result.text
    for statement, spans in sorted(result.spans.items()):
        quoted = " | ".join(comparable(text[span.start:span.end]) for span in spans)
        problems = unprinted_claims(context, statement, quoted)
        if problems:
            problem = problems[0]
            line = result.lines.get((problem.node, problem.prop), result.quote_lines[statement])
            name = context.namespace_manager.normalizeUri(problem.prop)
            shown = quoted if len(quoted) <= 80 else quoted[:79] + "…"
            raise EvidenceError(result.file, line, f"{name} {problem.expected} of "
                                f"{context.namespace_manager.normalizeUri(problem.node)} is not printed in its quote ({shown!r})")


def _turtle(graph: Graph) -> bytes:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph.serialize(format="longturtle", encoding="utf-8")


def _shown_path(file: Path, root: Path | None) -> str:
    base = evidence_dir(root).parent.resolve()
    try:
        return str(file.resolve().relative_to(base))
    except ValueError:
        return file.name
