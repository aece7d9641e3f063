"""The competency questions: SPARQL files in queries/, each with a `# title:` and a `# description:` line.

They feed the tests (each with its expected answer), the service's query page and the README.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError
from .locations import queries_dir

_HEADER = re.compile(r"^#\s*(title|description):\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class CompetencyQuery:
    name: str
    title: str
    description: str
    text: str


def competency_queries(folder: Path | None = None) -> list[CompetencyQuery]:
    """Every queries/*.rq, in file-name order."""
    found = []
    for path in sorted((folder or queries_dir()).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(_HEADER.findall(text))
        if "title" not in header or "description" not in header:
            raise DataFileError(path, "a competency query needs '# title:' and '# description:' lines")
        found.append(CompetencyQuery(path.stem, header["title"].strip(), header["description"].strip(), text))
    return found
