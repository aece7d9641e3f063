"""One-line descriptions of rdflib's parser errors: where (line, column), what, and the offending line only.

rdflib's Turtle parser raises BadSyntax, whose text carries up to the whole input around the error; its
RDF/XML parser raises SAX errors with a line and column. Either way a curator needs the line to open, the
column, the reason and the line itself, not the file.
"""
from __future__ import annotations

from xml.sax import SAXParseException

from rdflib.plugins.parsers.notation3 import BadSyntax

LINE_SHOWN = 160
"""Longest part of the offending line shown, in characters."""


def describe_syntax_error(error: Exception, text: str | None = None) -> str:
    """'line L, column C: REASON: OFFENDING LINE' for a known parser error, else its message on one line.

    `text` is the parsed document, for parsers whose error does not carry it (SAX).
    """
    if isinstance(error, BadSyntax):
        document = error._str.decode("utf-8", errors="replace")
        return _located(document, error._i, error._why)
    if isinstance(error, SAXParseException):
        line, column = error.getLineNumber(), error.getColumnNumber()
        where = f"line {line}, column {column + 1}: {error.getMessage()}"
        if text is not None and 0 < line <= text.count("\n") + 1:
            where += f": {_shown(text.splitlines()[line - 1] if text.splitlines() else '')}"
        return where
    return " ".join(str(error).split())[:2 * LINE_SHOWN]


def _located(document: str, offset: int, reason: str) -> str:
    offset = max(0, min(offset, len(document)))
    line_start = document.rfind("\n", 0, offset) + 1
    if offset == line_start and offset > 0 and document[offset - 1] == "\n" and offset == len(document):
        line_start = document.rfind("\n", 0, offset - 1) + 1  # at the very end: show the last line
    line_end = document.find("\n", line_start)
    line = document[line_start:line_end if line_end >= 0 else len(document)]
    line_number = document.count("\n", 0, line_start) + 1
    column = offset - line_start + 1
    return f"line {line_number}, column {column}: {' '.join(reason.split())}: {_shown(line)}"


def _shown(line: str) -> str:
    line = line.strip()
    return line if len(line) <= LINE_SHOWN else line[:LINE_SHOWN - 1] + "…"
