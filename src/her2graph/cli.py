"""The `her2graph` command: one subcommand per job, each delegating to the module that owns it.

Exit codes are a contract: 0 success (for `validate`: no SHACL violation and no OWL inconsistency, warnings
allowed; for `reason`: the release passes the reasoning gate; for `check-owl`: the OWL API found nothing),
1 `validate` found a violation or an inconsistency, `reason` found the release inconsistent, with an
unsatisfiable class or with merged individuals, `check-owl` found OWL API problems, or `serve` refused to
start on SHACL violations, 2 a usage error or bad input (the message says what to fix; never a traceback),
3 a fault of her2graph itself (one line saying so; HER2GRAPH_DEBUG=1 shows the traceback).
`serve` runs until SIGINT or SIGTERM, then exits 0.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .errors import Her2graphError
from .locations import data_root_given

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
DEFAULT_LOCATE_SOURCE = "her2-resistance-review"
"""The source `her2graph locate` searches unless --source names another."""


class _OneLineErrorParser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (argparse prints the whole usage first)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .export import EXPORT_FORMATS, EXPORT_PARTS, NETWORK_FORMATS, TABLE_FORMATS
    from .local_query import RESULT_FORMATS

    parser = _OneLineErrorParser(prog="her2graph", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"her2graph {__version__}")
    parser.add_argument("--data", type=Path, metavar="DIR",
                        help="folder holding ontology/, graph/, shapes/ and queries/ (default: the bundled data; "
                             "env HER2GRAPH_DATA)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    query = commands.add_parser("query", help="run a SPARQL query over the merged graph, locally")
    query.add_argument("sparql", nargs="?",
                       help="the query text, @FILE to read it from a file, or @NAME for a bundled competency query "
                            "(@06 or @06-trial-overview)")
    query.add_argument("--name", help="run the bundled competency query NAME (06-trial-overview, or 06)")
    query.add_argument("--format", choices=RESULT_FORMATS, default="table",
                       help="table, json, csv, tsv or xml for SELECT and ASK; turtle (with prefixes), ntriples, "
                            "jsonld or rdfxml for CONSTRUCT and DESCRIBE (default: table, Turtle for graphs)")
    query.set_defaults(handler=_query)

    export = commands.add_parser("export", help="write the merged graph, a named graph or the ontology")
    export.add_argument("--format", choices=sorted(EXPORT_FORMATS | NETWORK_FORMATS | TABLE_FORMATS), default="ttl",
                        help="ttl, nt, jsonld, owl (RDF/XML), trig/nq to keep the named graphs, graphml/dot "
                             "for graph tools (Cytoscape, Gephi, yEd; Graphviz), or kgx (Biolink nodes and edges "
                             "TSV in a .tar.gz, for KGX and Monarch-style graphs)")
    export.add_argument("--part", choices=EXPORT_PARTS, default="all", help="which named graph (default: all)")
    export.add_argument("--output", "-o", metavar="FILE",
                        help="file to write, replaced atomically; '-', a FIFO or a device is written as a stream; "
                             "anything else is refused (default: standard output)")
    export.set_defaults(handler=_export)

    build = commands.add_parser("build", help="build every artefact from its sources: import module, mapping "
                                              "triples, release (RDF/XML and Turtle), inferences")
    build.add_argument("--date", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                       help="release date for the dated versionIRI (default: today)")
    build.add_argument("--no-reason", action="store_true", help="skip the reasoner (no Java needed)")
    build.add_argument("--output", "-o", type=Path, metavar="DIR",
                       help="folder to build into (ontology/imports/, graph/built/, release/ under it); default: "
                            "the data folder of a checkout, the current folder for an installed package")
    build.set_defaults(handler=_build)

    reason = commands.add_parser("reason", help="run HermiT over the release: check consistency, write the "
                                                "inferences graph and report what was inferred")
    reason.add_argument("--release", type=Path, metavar="FILE",
                        help="the release in RDF/XML (default: release/her2graph.owl)")
    reason.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="where to write the inferences (default: graph/built/inferences.ttl under the data "
                             "folder of a checkout, or under the current folder for an installed package)")
    reason.set_defaults(handler=_reason)

    docs = commands.add_parser("docs", help="generate docs/ontology.html (pyLODE) and the overview picture "
                                            "docs/overview.svg (Graphviz) from the graph")
    docs.add_argument("--output", "-o", type=Path, metavar="DIR",
                      help="folder to write into (default: docs/ of a checkout, ./docs for an installed package)")
    docs.set_defaults(handler=_docs)

    check_owl = commands.add_parser("check-owl", help="load a file with the Java OWL API (what Protégé uses): "
                                                      "report parse problems, unparsed triples, OWL 2 DL violations")
    check_owl.add_argument("file", type=Path, nargs="?", help="default: release/her2graph.owl")
    check_owl.set_defaults(handler=_check_owl)

    stats = commands.add_parser("stats", help="count instances per class and triples per property")
    stats.set_defaults(handler=_stats)

    locate = commands.add_parser("locate", help="print the code-point offsets of a phrase in the source text "
                                                "(for curators writing spans)")
    locate.add_argument("phrase")
    locate.add_argument("--source", metavar="ID", default=DEFAULT_LOCATE_SOURCE,
                        help=f"the source's id in evidence/sources.tsv (default: {DEFAULT_LOCATE_SOURCE})")
    locate.set_defaults(handler=_locate)

    curate = commands.add_parser("curate", help="compile evidence files (evidence/*.yaml) into the graph's facts "
                                                "and provenance; nothing is written on an error")
    curate.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="evidence files to compile (default: every evidence/*.yaml)")
    curate.add_argument("--out", type=Path, metavar="DIR", help="write facts/ and provenance/ under DIR "
                                                                "(default: the data's graph/)")
    curate.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a compiled file differs from the one on disk")
    curate.set_defaults(handler=_curate)

    extract = commands.add_parser("extract", help="draft an evidence file from a text: trials, arms, medians, "
                                                  "ratio estimates, each with its quote")
    extract.add_argument("text", type=Path, metavar="TEXT", help="the plain-text source")
    extract.add_argument("--source-id", metavar="ID", help="the source's id in evidence/sources.tsv "
                                                            "(default: the text's file name without suffix)")
    extract.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the draft here (default: stdout)")
    extract.set_defaults(handler=_extract)

    serve = commands.add_parser(
        "serve", help="run the SPARQL service (W3C SPARQL 1.1 Protocol) on the graph",
        description="Serve the graph over HTTP: the SPARQL 1.1 Protocol at /sparql, a query page at /, Linked "
                    "Data pages for every her2graph IRI, VoID at /void and a health check at /health. Refuses to "
                    "start (exit 1) when the graph has SHACL violations; a validated build is kept in a cache "
                    "folder and reused while the inputs are unchanged. With --store, another SPARQL 1.1 store "
                    "answers instead of the in-process engine. Every option can also be set by the "
                    "environment variable named in its help; the option wins.")
    for option in _serve_options():
        if option.is_switch:
            serve.add_argument(option.flag, action="store_const", const=True, default=None,
                               help=f"{option.help} (env {option.env}=1)")
        else:
            serve.add_argument(option.flag, type=option.type, metavar=option.metavar,
                               help=f"{option.help} (env {option.env}; default {option.default_help or option.default})")
    serve.set_defaults(handler=_serve)

    validate = commands.add_parser("validate", help="check the graph against the SHACL shapes and, with HermiT, "
                                                    "its OWL consistency")
    validate.add_argument("--format", choices=("text", "turtle"), default="text",
                          help="text (grouped by severity, with source spans) or turtle (the W3C SHACL "
                               "validation report graph); default: text")
    validate.add_argument("--no-reasoner", action="store_true", help="skip the OWL consistency check (needs Java)")
    validate.set_defaults(handler=_validate)

    push = commands.add_parser("push", help="load every named graph into a SPARQL store over the Graph Store "
                                            "Protocol (PUT per graph: idempotent)")
    push.add_argument("endpoint", help="the store's graph-store URL, e.g. http://localhost:7878/store")
    push.add_argument("--no-default-graph", action="store_true",
                      help="do not also put the merge of the named graphs as the store's default graph (for a "
                           "store whose default graph is the union of its named graphs)")
    push.add_argument("--merge-graph", metavar="IRI",
                      help="put the merge into this named graph instead of the default graph (for a store with "
                           "no default graph of its own, e.g. Virtuoso; serve it with --store-merge-graph IRI)")
    push.add_argument("--user", metavar="NAME",
                      help="the store's user (HTTP Basic or Digest); the password is read from the environment "
                           "variable HER2GRAPH_STORE_PASSWORD")
    push.set_defaults(handler=_push)

    benchmark = commands.add_parser(
        "benchmark", help="measure the service against Oxigraph's server on the same data (latency, throughput, "
                          "start-up, memory) at several graph sizes, and print the ratios",
        description="Start, one at a time on loopback, this service (answer cache on and off), Oxigraph's server "
                    "(on disk and in memory) and a no-op endpoint of this service's HTTP stack; run the "
                    "competency queries one by one and from 8 concurrent clients (wrk); print each figure as a "
                    "ratio to Oxigraph's and to the no-op's. See docs/performance.md.")
    _benchmark_arguments(benchmark)
    benchmark.set_defaults(handler=_benchmark)

    generate = commands.add_parser("generate", help="write a synthetic data folder of the graph's shape "
                                                    "(for benchmarks)")
    generate.add_argument("--triples", type=_positive_int, required=True, help="about how many triples")
    generate.add_argument("--output", "-o", type=Path, required=True,
                          help="folder to write: new or empty (created), or any folder with --force")
    generate.add_argument("--force", action="store_true",
                          help="write into a folder that is not empty (replacing files of the names it writes; "
                               "deleting nothing)")
    generate.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    generate.set_defaults(handler=_generate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with data_root_given(_data_folder(args.data) if args.data is not None else None):
            return args.handler(args)
    except BaseException as error:  # noqa: BLE001 - every outcome becomes an exit code (exit_code_of)
        code, message = exit_code_of(error)
        if message:
            print(f"her2graph {args.command}: {message}", file=sys.stderr)
        if code == EXIT_INTERNAL and os.environ.get("HER2GRAPH_DEBUG"):
            raise
        return code


def exit_code_of(error: BaseException) -> tuple[int, str | None]:
    """The exit code and the one-line message (None: say nothing) for what stopped a command."""
    if isinstance(error, Her2graphError):
        return EXIT_USAGE, str(error)
    if isinstance(error, KeyboardInterrupt):
        return 130, None
    if isinstance(error, BrokenPipeError):  # the reader (e.g. `| head`) went away: not an error of ours
        sys.stderr.close()
        return EXIT_OK, None
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else EXIT_USAGE, None
    if isinstance(error, MemoryError):
        return EXIT_USAGE, "out of memory"
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return EXIT_USAGE, f"{error.strerror or error}{where}"
    # A fault of ours, not of the input: one line that says so (HER2GRAPH_DEBUG=1 shows the traceback).
    return EXIT_INTERNAL, (f"internal error ({type(error).__name__}: {' '.join(str(error).split())[:300]}); "
                           "please report it, with the command (HER2GRAPH_DEBUG=1 shows where it happened)")


def _data_folder(path: Path) -> Path:
    if not path.is_dir():
        raise Her2graphError(f"--data {path}: " + ("no such folder" if not path.exists() else "not a folder"))
    return path.resolve()


def _load():
    from .dataset import load_dataset
    return load_dataset()


def _query(args) -> int:
    from .competency_queries import competency_query
    from .local_query import format_result, query_text, run_query
    from .oxigraph_store import store_from_dataset

    if (args.sparql is None) == (args.name is None):
        raise Her2graphError("give either the query (text, @FILE or @NAME) or --name NAME, not both")
    text = competency_query(args.name).text if args.name else query_text(args.sparql)
    print(format_result(run_query(store_from_dataset(_load()), text), args.format))
    return EXIT_OK


def _export(args) -> int:
    from .export import serialise
    from .output_files import check_writable, write_output

    check_writable(args.output or "-")
    write_output(args.output or "-", serialise(_load(), args.part, args.format))
    return EXIT_OK


def _build(args) -> int:
    import datetime

    from .build import build_all

    build_all(args.date or datetime.date.today(), reason=not args.no_reason, output=args.output)
    return EXIT_OK


def _reason(args) -> int:
    from .build import built_files, output_root, write_turtle
    from .reasoning import reason_over_release
    from .release_freshness import staleness_of

    release = args.release or built_files().release_owl
    if not release.is_file():
        raise Her2graphError(f"no release at {release}: run `her2graph build --no-reason` first")
    result = reason_over_release(release)
    print(result.report())
    stale = staleness_of(release)  # after reasoning: a release that cannot be read says so first, alone
    if stale:
        print(f"her2graph reason: warning: {stale}", file=sys.stderr, flush=True)
    if not result.passes_gate:
        return EXIT_VIOLATIONS
    output = args.output or built_files(output_root()).inferences
    write_turtle(result.inferred_graph(), output)
    print(f"wrote {len(result.inferred)} inferred triples to {output}")
    return EXIT_OK


def _docs(args) -> int:
    from .build import built_files, output_root
    from .locations import docs_dir
    from .ontology_docs import write_docs
    from .release import release_version_in_file

    write_docs(_load(), args.output or docs_dir(output_root()),
               release_version=release_version_in_file(built_files().release_owl))
    return EXIT_OK


def _check_owl(args) -> int:
    from .build import built_files
    from .owlapi_check import check_with_owlapi

    path = args.file or built_files().release_owl
    if not path.is_file():
        raise Her2graphError(f"{path}: no such file" if not path.exists() else f"{path} is not a file")
    report = check_with_owlapi(path)
    if report.exit_code == 2 or not report.summary:
        raise Her2graphError(f"the OWL API could not load {path}: {report.failure_reason(path)}")
    print("\t".join(f"{key}={value}" for key, value in report.summary.items()))
    for line in report.problems:
        print(line)
    return EXIT_OK if report.clean else EXIT_VIOLATIONS


def _iso_date(text: str):
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def _stats(args) -> int:
    from .dataset import merged_graph
    from .stats import format_counts

    print(format_counts(merged_graph(_load())))
    return EXIT_OK


def _locate(args) -> int:
    from .dataset import merged_graph
    from .namespaces import H2R
    from .provenance import source_documents, source_of

    graph = merged_graph(_load())
    document = H2R[args.source]
    if document not in source_documents(graph):
        known = ", ".join(str(known)[len(H2R):] for known in source_documents(graph))
        raise Her2graphError(f"the graph has no source {args.source!r} (sources: {known})")
    source = source_of(graph, document=document)
    matches = source.locate(args.phrase)
    if not matches:
        raise Her2graphError(f"the phrase does not occur in {source.path.name}")
    for start, end in matches:  # spans are named <document>-span-START-END
        print(f"h2r:{document[len(H2R):]}-span-{start}-{end}\t{start}\t{end}")
    return EXIT_OK


def _curate(args) -> int:
    from .curate import compile_evidence, evidence_files, outputs, reconciliation_output, write_outputs

    files = args.files or evidence_files()
    if not files:
        raise Her2graphError("no evidence file given and none in evidence/")
    found = outputs(compile_evidence(files), out_dir=args.out)
    if args.out is None and not args.check:
        written = write_outputs(found)  # the comparisons are computed from the graph as now written
        written += write_outputs([reconciliation_output()])
        for path in written:
            print(f"wrote {path}")
        return EXIT_OK
    if args.out is None:
        found.append(reconciliation_output())
    if args.check:
        stale = [output.path for output in found if not output.path.exists() or output.path.read_bytes() != output.content]
        for path in stale:
            print(f"out of date: {path}")
        return EXIT_VIOLATIONS if stale else EXIT_OK
    written = write_outputs(found)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _extract(args) -> int:
    from .output_files import write_atomically
    from .extract import draft_evidence

    draft = draft_evidence(args.text, args.source_id or args.text.stem)
    if args.output is None:
        sys.stdout.write(draft)
    else:
        write_atomically(args.output, draft.encode("utf-8"))
    return EXIT_OK


def _serve_options():
    from .web.settings import OPTIONS

    return OPTIONS


def _serve(args) -> int:
    import logging

    from .locations import data_root
    from .web.app import create_app
    from .web.log_output import log_to_standard_error
    from .web.server import serve
    from .web.settings import APP_OPTIONS, from_environment

    try:
        environment = from_environment()
    except ValueError as error:
        raise Her2graphError(str(error)) from None
    chosen = {option.name: _first_given(getattr(args, option.name.lower()), environment.get(option.name),
                                        option.default) for option in _serve_options()}
    _check_serve_options(chosen)
    config = {option.name: chosen[option.name] for option in APP_OPTIONS} | {"DATA_ROOT": data_root()}
    if not chosen["STORE"]:
        build = _validated_build(_cache_folder(chosen["CACHE_DIR"]))
        if build is None:
            return EXIT_VIOLATIONS
        config |= {"BUILD": build.store if chosen["WORKER_STORE"] == "disk" else build.nquads,
                   "DATA_DIGEST": build.digest}
    log_to_standard_error()
    app = create_app(config)
    try:
        serve(app, chosen["HOST"], chosen["PORT"], chosen["THREADS"], chosen["MAX_BODY"],
              on_listening=lambda url: print(f"her2graph serve: listening on {url} (query page), "
                                             f"{url}sparql (SPARQL endpoint)", flush=True),
              max_client_connections=chosen["MAX_CLIENT_CONNECTIONS"],
              request_read_seconds=chosen["REQUEST_READ_SECONDS"])
    except OSError as error:
        raise Her2graphError(f"cannot listen on {chosen['HOST']}:{chosen['PORT']}: {error.strerror or error}") from None
    finally:
        app.extensions["her2graph"].close()
        logging.shutdown()  # the last request lines before the last line
    print("her2graph serve: stopped", file=sys.stderr, flush=True)
    return EXIT_OK


def _cache_folder(chosen: str | None) -> Path:
    """The build cache folder, made if need be; a Her2graphError when it is not a folder or cannot be made."""
    from .store_cache import cache_dir

    folder = Path(chosen) if chosen else cache_dir()
    if folder.exists() and not folder.is_dir():
        raise Her2graphError(f"the cache folder {folder} is not a folder: name a folder (--cache-dir)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Her2graphError(f"cannot make the cache folder {folder}: {error.strerror} (--cache-dir)") from None
    # A folder that exists but cannot be written (read-only, full) is no error: the build goes elsewhere, with
    # one warning (store_cache.built_store; issue 13, item 9).
    return folder


def _validated_build(cache_dir: Path):
    """The validated build to serve (store_cache), or None after reporting the graph's violations."""
    from .store_cache import GraphNotValid, built_store
    from .validation_text import format_text

    try:
        build = built_store(folder=cache_dir)
    except GraphNotValid as invalid:
        print(format_text(invalid.report), file=sys.stderr)
        print("her2graph serve: the graph has SHACL violations (reported above); not starting", file=sys.stderr)
        return None
    if build.discarded:
        print(f"her2graph serve: the cached build was not trusted, since {build.discarded}: discarded and built "
              "again", file=sys.stderr, flush=True)
    if build.warning:
        print(f"her2graph serve: warning: {build.warning}", file=sys.stderr, flush=True)
    how = "reused the validated build" if build.reused else "validated the graph and built"
    what = f" (validated {build.validated})" if build.validated else ""
    print(f"her2graph serve: {how} {build.nquads} in {build.seconds:.1f} s{what}", file=sys.stderr, flush=True)
    return build


def _first_given(*values):
    return next((value for value in values if value is not None), None)


def _check_serve_options(chosen: dict) -> None:
    from .web.engine import WORKER_STORES

    if chosen["WORKER_STORE"] not in WORKER_STORES:
        raise Her2graphError(f"worker-store must be {' or '.join(WORKER_STORES)}, not {chosen['WORKER_STORE']!r}")
    if not 0 <= chosen["PORT"] <= 65535:
        raise Her2graphError(f"the port must be between 0 and 65535, not {chosen['PORT']}")
    for name in ("THREADS", "WORKERS", "MAX_ROWS", "MAX_BODY", "WORKER_MEMORY_MB", "MAX_NESTING", "MAX_OPERATORS",
                 "MAX_CLIENT_CONNECTIONS", "MAX_ANSWER_BYTES"):
        if chosen[name] < 1:
            raise Her2graphError(f"{name.lower().replace('_', '-')} must be at least 1, not {chosen[name]}")
    if chosen["ANSWER_CACHE_MB"] < 0:
        raise Her2graphError(f"answer-cache-mb must be 0 or more, not {chosen['ANSWER_CACHE_MB']}")
    if chosen["REQUEST_READ_SECONDS"] <= 0:
        raise Her2graphError(f"request-read-seconds must be positive, not {chosen['REQUEST_READ_SECONDS']}")
    if chosen["QUERY_TIMEOUT"] <= 0:
        raise Her2graphError(f"the query timeout must be positive, not {chosen['QUERY_TIMEOUT']}")
    if chosen["STORE_MERGE_GRAPH"] and not chosen["STORE"]:
        raise Her2graphError("--store-merge-graph names a graph of another store: give that store with --store URL")



def _validate(args) -> int:
    from .dataset import merged_graph
    from .validation import validate_dataset
    from .validation_text import format_text

    dataset = _load()
    report = validate_dataset(dataset)
    if args.format == "turtle":
        sys.stdout.write(report.report_graph.serialize(format="longturtle"))
    else:
        print(format_text(report), flush=True)
    consistent = True
    if not args.no_reasoner:
        from .consistency import check_consistency

        consistency = check_consistency(merged_graph(dataset))
        consistent = consistency.consistent
        print(consistency.summary(), file=sys.stdout if args.format == "text" else sys.stderr)
    return EXIT_OK if report.conforms and consistent else EXIT_VIOLATIONS


def _push(args) -> int:
    import os

    from .push import PASSWORD_VARIABLE, push_dataset

    credentials = None
    if args.user is not None:
        if PASSWORD_VARIABLE not in os.environ:
            raise Her2graphError(f"--user {args.user} needs the password in the environment variable "
                                 f"{PASSWORD_VARIABLE}")
        credentials = (args.user, os.environ[PASSWORD_VARIABLE])
    for pushed in push_dataset(_load(), args.endpoint, default_graph=not args.no_default_graph,
                               merge_graph=args.merge_graph, credentials=credentials):
        print(f"{pushed.status} {pushed.iri} ({pushed.triples} triples)")
    return EXIT_OK


def _benchmark_arguments(parser) -> None:
    from .benchmark.run import add_arguments

    add_arguments(parser)


def _benchmark(args) -> int:
    from .benchmark.run import run

    return run(args)


def _generate(args) -> int:
    from .synthetic_graph import write_synthetic_data

    source_folder = write_synthetic_data(args.output, args.triples, args.seed, force=args.force)
    print(f"wrote {args.output}; serve it with HER2GRAPH_SOURCE={source_folder} "
          f"her2graph --data {args.output} serve")
    return EXIT_OK


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


if __name__ == "__main__":
    sys.exit(main())
