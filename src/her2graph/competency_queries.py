"""The competency questions: SPARQL files in queries/, each with a `# title:` and a `# description:` line.

They feed the tests (each with its expected answer), the service's query page and the README.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError, QueryError
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


def competency_query(name: str, folder: Path | None = None) -> CompetencyQuery:
    """The competency query called `name`: its full name (06-trial-overview) or its number (06, 6)."""
    queries = competency_queries(folder)
    exact = [query for query in queries if query.name == name]
    by_number = [query for query in queries if name.isdigit() and query.name.split("-")[0].lstrip("0") == name.lstrip("0")]
    found = exact or by_number
    if len(found) != 1:
        names = ", ".join(query.name for query in queries)
        raise QueryError(f"no competency query is called {name!r}; the bundled ones are: {names}")
    return found[0]
