"""The review's source text: where it is, whether it is the file we curated from, and its spans.

The text is not ours to redistribute, so the project holds only its name and SHA-256 digest (in
evidence/sources.tsv, compiled into graph/provenance/her2-resistance-review.ttl). HER2GRAPH_SOURCE names the folder holding it; the default is
../shared/source/ beside the checkout. Offsets are Unicode code points, as the W3C Web Annotation
TextPositionSelector defines them.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceTextError
from .locations import data_root

SOURCE_DIR_VARIABLE = "HER2GRAPH_SOURCE"


def source_dir() -> Path:
    """The folder that should hold the source text."""
    override = os.environ.get(SOURCE_DIR_VARIABLE)
    if override:
        return Path(override)
    return data_root().parent / "shared" / "source"


@dataclass(frozen=True)
class SourceText:
    """The verified text of one source document."""

    path: Path
    text: str

    def span(self, start: int, end: int) -> str:
        if not 0 <= start < end <= len(self.text):
            raise SourceTextError(f"span {start}-{end} lies outside {self.path.name} ({len(self.text)} characters)")
        return self.text[start:end]

    def locate(self, phrase: str) -> list[tuple[int, int]]:
        """Every (start, end) where `phrase` occurs, matching any run of white space to any other."""
        pattern = r"\s+".join(re.escape(word) for word in phrase.split())
        return [(match.start(), match.end()) for match in re.finditer(pattern, self.text)]


def read_source_text(file_name: str, expected_sha256: str, folder: Path | None = None) -> SourceText:
    """The source file, after checking that its digest is the one the graph was curated from."""
    path = (folder or source_dir()) / file_name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceTextError(
            f"cannot read the source text {path} ({error.strerror}); "
            f"set {SOURCE_DIR_VARIABLE} to the folder that holds {file_name}"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        raise SourceTextError(
            f"{path} has SHA-256 {digest}, but the graph was curated from a file with {expected_sha256}"
        )
    try:
        return SourceText(path, raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SourceTextError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from None


def text_folders() -> list[Path]:
    """Where source texts are found: HER2GRAPH_SOURCE (texts we may not redistribute), then the project's
    public-domain texts (evidence/sources/, registered as shipped in evidence/sources.tsv)."""
    return [source_dir(), data_root() / "evidence" / "sources"]


def find_source_text(file_name: str, expected_sha256: str) -> SourceText:
    """The verified text from the first folder of text_folders() that holds the file; when none does, the
    error names HER2GRAPH_SOURCE's folder (where a text we may not redistribute belongs)."""
    for folder in text_folders():
        if (folder / file_name).is_file():
            return read_source_text(file_name, expected_sha256, folder)
    return read_source_text(file_name, expected_sha256, source_dir())


def normalise_space(text: str) -> str:
    """Collapse every run of white space (no-break spaces included) to one space."""
    return " ".join(text.split())
