"""The source registry (evidence/sources.tsv): every document the graph is curated from.

One row per source: its id (the local name of its h2r: IRI), file name, SHA-256, whether the project ships
the text, a registry identifier (PMID, DOI, NCT number), the short name its spans are labelled with
("review span 39-123"; unique per source), title, label, format, rights, where the copy came from, a
comment, an editorial note, and how its numbered references are labelled. A text we may not redistribute is read from
HER2GRAPH_SOURCE like the review always was; a public-domain text ships in evidence/sources/.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError
from .locations import evidence_dir
from .source_text import SourceText, read_source_text, source_dir

REGISTRY_FILE = "sources.tsv"
SHIPPED_TEXTS = "sources"
COLUMNS = ("source_id", "file", "sha256", "shipped", "identifier", "short_name", "title", "label", "format",
           "rights", "origin", "comment", "editorial_note", "reference_label")


@dataclass(frozen=True)
class Source:
    """One row of the registry."""

    source_id: str
    file: str
    sha256: str
    shipped: bool
    identifier: str
    short_name: str
    title: str
    label: str
    format: str
    rights: str
    origin: str
    comment: str
    editorial_note: str
    reference_label: str

    def folder(self, root: Path | None = None) -> Path:
        return evidence_dir(root) / SHIPPED_TEXTS if self.shipped else source_dir()

    def read_text(self, root: Path | None = None) -> SourceText:
        """The verified text (its digest must be the registered one)."""
        return read_source_text(self.file, self.sha256, self.folder(root))


def registry_path(root: Path | None = None) -> Path:
    return evidence_dir(root) / REGISTRY_FILE


def read_registry(root: Path | None = None) -> dict[str, Source]:
    """The registry's sources by id."""
    path = registry_path(root)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
            if missing:
                raise DataFileError(path, f"the column(s) {', '.join(missing)} are missing")
            rows = list(reader)
    except OSError as error:
        raise DataFileError(path, f"cannot read the source registry ({error.strerror})") from None
    sources = {}
    for number, row in enumerate(rows, start=2):
        if row["shipped"] not in ("yes", "no"):
            raise DataFileError(f"{path}:{number}", f"'shipped' is {row['shipped']!r}; write yes or no")
        if row["source_id"] in sources:
            raise DataFileError(f"{path}:{number}", f"the source id {row['source_id']!r} is registered twice")
        values = {column: (row[column] or "").strip() for column in COLUMNS}
        values["shipped"] = values["shipped"] == "yes"
        sources[row["source_id"]] = Source(**values)
    return sources
