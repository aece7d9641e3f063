"""What a SPARQL store said when it refused something, as one line a user can read.

Stores answer errors in their own shapes: Oxigraph and Fuseki in plain text, Virtuoso in an HTML page
(graph-store errors) or in plain text followed by an echo of the whole query ("SPARQL query:" and the text).
`her2graph push` and `serve --store` pass the store's words on, so both keep only the message.
"""
from __future__ import annotations

import html
import re

MESSAGE_LENGTH = 500
"""Most characters of the store's message passed on."""

_MARKUP = re.compile(r"<title>.*?</title>|<[^>]+>", re.S | re.I)
_QUERY_ECHO = re.compile(r"\n\s*SPARQL query:\s*\n.*\Z", re.S)


def store_message(body: bytes) -> str:
    """The store's message in one line, at most MESSAGE_LENGTH characters; "(no message)" when it sent none."""
    text = body.decode("utf-8", "replace")
    if re.search(r"<html|<!doctype html", text, re.I):
        text = html.unescape(_MARKUP.sub(" ", text))
    text = " ".join(_QUERY_ECHO.sub("", text).split())
    if not text:
        return "(no message)"
    return text[:MESSAGE_LENGTH] + ("…" if len(text) > MESSAGE_LENGTH else "")
