"""Running one SPARQL query over the curated dataset from the command line, and printing its result.

Queries are answered by Oxigraph's engine (her2graph.oxigraph_store), the same engine the service uses.
"""
from __future__ import annotations

import pyoxigraph

from .errors import QueryError

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle", "ntriples")
_TABLE_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "xml": pyoxigraph.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "table": pyoxigraph.RdfFormat.TURTLE}


def format_result(result, result_format: str) -> str:
    """The result as text: table, json, csv, tsv or xml for SELECT/ASK; turtle or ntriples for graphs."""
    if isinstance(result, pyoxigraph.QueryTriples):
        if result_format not in _GRAPH_FORMATS:
            raise QueryError("a CONSTRUCT or DESCRIBE query gives a graph: use --format turtle or ntriples")
        return result.serialize(format=_GRAPH_FORMATS[result_format]).decode("utf-8")
    if result_format not in _TABLE_FORMATS and result_format != "table":
        raise QueryError("a SELECT or ASK query gives a table: use --format table, json, csv, tsv or xml")
    if isinstance(result, pyoxigraph.QueryBoolean):
        if result_format == "table":
            return "true" if bool(result) else "false"
        return result.serialize(format=_TABLE_FORMATS[result_format]).decode("utf-8")
    if result_format == "table":
        return format_table(result)
    return result.serialize(format=_TABLE_FORMATS[result_format]).decode("utf-8")


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
