"""Running one SPARQL query over the curated dataset from the command line, and printing its result.

Queries are answered by Oxigraph's engine (her2graph.oxigraph_store), the same engine the service uses, after
the service's own screen (her2graph.web.query_guard): a query with SERVICE is refused here too, and never
makes an outbound call.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph

from .competency_queries import competency_query
from .errors import QueryError
from .oxigraph_store import query_store
from .web.query_guard import screen_query
from .namespaces import PREFIX_IRIS

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml")
_TABLE_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "xml": pyoxigraph.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
                  "table": pyoxigraph.RdfFormat.TURTLE}


def query_text(argument: str) -> str:
    """The SPARQL a command-line argument stands for: the text itself, @FILE, or @NAME of a competency query."""
    if not argument.startswith("@"):
        return _checked_text(argument)
    reference = argument[1:]
    path = Path(reference)
    if path.exists() or "/" in reference or reference.endswith(".rq"):
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8 text"
            raise QueryError(f"cannot read the query file {path}: {reason}") from None
    return competency_query(reference).text


def run_query(store: pyoxigraph.Store, text: str):
    """Evaluate `text` as the service would: refused first if it calls another server (SERVICE) or is too deep."""
    screen_query(text)
    return query_store(store, text)


def _checked_text(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryError(f"the query is not UTF-8 text (a byte that is not UTF-8 at character {error.start + 1}): "
                         "write it in UTF-8, or put it in a file and pass @FILE") from None
    return text


def format_result(result, result_format: str) -> str:
    """The result as text: table, json, csv, tsv or xml for SELECT/ASK; turtle or ntriples for graphs."""
    if isinstance(result, pyoxigraph.QueryTriples):
        if result_format not in _GRAPH_FORMATS:
            raise QueryError("a CONSTRUCT or DESCRIBE query gives a graph: use --format turtle, ntriples, jsonld "
                             "or rdfxml")
        return format_graph(list(result), _GRAPH_FORMATS[result_format])
    if result_format not in _TABLE_FORMATS and result_format != "table":
        raise QueryError("a SELECT or ASK query gives a table: use --format table, json, csv, tsv or xml")
    if isinstance(result, pyoxigraph.QueryBoolean):
        if result_format == "table":
            return "true" if bool(result) else "false"
        return result.serialize(format=_TABLE_FORMATS[result_format]).decode("utf-8")
    if result_format == "table":
        return format_table(result)
    return result.serialize(format=_TABLE_FORMATS[result_format]).decode("utf-8")


def format_graph(triples: list, rdf_format: pyoxigraph.RdfFormat) -> str:
    """Triples ordered by subject (then predicate, object), with the project's prefixes that they use."""
    triples = sorted(triples, key=lambda triple: (str(triple.subject), str(triple.predicate), str(triple.object)))
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
    used = {prefix: namespace for prefix, namespace in PREFIX_IRIS.items() if f"<{namespace}" in text}
    if rdf_format == pyoxigraph.RdfFormat.N_TRIPLES:
        return text
    return pyoxigraph.serialize(triples, format=rdf_format, prefixes=used).decode("utf-8")


def solution_rows(solutions: pyoxigraph.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    """Variable names and rows of plain strings (IRIs and lexical forms; '' where unbound)."""
    names = [variable.value for variable in solutions.variables]
    rows = [[_plain(solution[name]) for name in names] for solution in solutions]
    return names, rows


def format_table(solutions: pyoxigraph.QuerySolutions) -> str:
    """A SELECT result as an aligned plain-text table."""
    names, rows = solution_rows(solutions)
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(names, widths)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _plain(term) -> str:
    return "" if term is None else term.value
