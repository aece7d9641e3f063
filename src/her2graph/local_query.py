"""Running one SPARQL query over the merged dataset from the command line, and printing its result."""
from __future__ import annotations

import json

from rdflib import Dataset
from rdflib.query import Result

from .errors import QueryError

RESULT_FORMATS = ("table", "json", "csv", "xml", "turtle")


def run_query(dataset: Dataset, query: str) -> Result:
    """Evaluate `query` over the dataset (its default graph is the union of the named graphs)."""
    try:
        return dataset.query(query)
    except Exception as error:  # rdflib's parser raises pyparsing errors and ValueErrors alike
        raise QueryError(f"the query could not be run: {' '.join(str(error).split())}") from None


def format_result(result: Result, result_format: str) -> str:
    """The result as text in `result_format` (table, json, csv, xml for SELECT/ASK; turtle for graphs)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if result_format not in ("turtle", "table"):
            raise QueryError(f"a {result.type} query gives a graph: use --format turtle")
        return result.graph.serialize(format="turtle")
    if result_format == "turtle":
        raise QueryError(f"a {result.type} query gives a table: use --format table, json, csv or xml")
    if result.type == "ASK":
        if result_format == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}, indent=2)
        return "true" if result.askAnswer else "false"
    if result_format == "table":
        return format_table(result)
    return result.serialize(format=result_format).decode("utf-8")


def format_table(result: Result) -> str:
    """A SELECT result as an aligned plain-text table, with prefixed names where a prefix is bound."""
    names = [str(variable) for variable in result.vars]
    rows = [[_cell(row[variable]) for variable in result.vars] for row in result]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(names, widths))]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cell(term) -> str:
    return "" if term is None else str(term)
