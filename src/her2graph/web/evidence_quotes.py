"""The text of a source span, as a short quote for a Linked Data page, when the source file is at hand.

The review's text is not ours to redistribute, so the service never serves it whole: a page shows the few
words a statement rests on (as curated knowledge bases show their evidence), cut to QUOTE_CHARACTERS, and
only when the file is found where HER2GRAPH_SOURCE says and has the digest the graph records. Otherwise the
page shows the offsets alone.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import Her2graphError
from ..source_text import SourceText, find_source_text, normalise_space, text_folders

QUOTE_CHARACTERS = 300
"""The longest quote a page shows; a longer span is cut at a word and ends with an ellipsis."""


def span_quote(file_name: str | None, sha256: str | None, start: int, end: int) -> str | None:
    """The span's text, space-normalised and cut to QUOTE_CHARACTERS, or None if the source is not at hand."""
    if not file_name or not sha256:
        return None
    source = _source(tuple(str(folder) for folder in text_folders()), file_name, sha256)
    if source is None:
        return None
    try:
        text = normalise_space(source.span(start, end))
    except Her2graphError:  # offsets outside the text: the shapes report it; the page shows the offsets
        return None
    if len(text) <= QUOTE_CHARACTERS:
        return text
    return text[:QUOTE_CHARACTERS].rsplit(" ", 1)[0] + " …"


@lru_cache(maxsize=8)
def _source(folders: tuple[str, ...], file_name: str, sha256: str) -> SourceText | None:
    """The verified source file (read once per folders, name and digest), or None if missing or different:
    from HER2GRAPH_SOURCE or the project's shipped public-domain texts (source_text.text_folders)."""
    try:
        return find_source_text(file_name, sha256)
    except Her2graphError:
        return None
