"""The Python API: the graph as an rdflib Dataset, and SPARQL answers as rows (or a pandas DataFrame).

    import her2graph
    g = her2graph.load()                                  # rdflib Dataset, one named graph per part
    rows = her2graph.query("06-trial-overview")           # a competency query by name (or "06"), or SPARQL text
    rows[0]["nctId"], rows.columns                        # dicts of Python values; the variable names
    frame = rows.to_dataframe()                           # pandas, when installed

Queries run on Oxigraph's engine, as the command line and the service run them (and are screened the same
way: no SERVICE). Values are Python values: IRIs and blank nodes as str, literals by their datatype
(int, decimal.Decimal, float, bool, datetime.date, str), None where a variable is unbound.
"""
from __future__ import annotations

import decimal
import functools
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph, Literal, URIRef

from .competency_queries import CompetencyQuery, competency_query, competency_queries
from .dataset import load_dataset
from .errors import Her2graphError
from .locations import data_root
from .oxigraph_store import store_from_dataset


class Rows(list):
    """A SELECT query's answer: a list of {variable: value} dicts, with the variables in order."""

    def __init__(self, columns: list[str], rows: list[dict]):
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self):
        """The rows as a pandas DataFrame (decimals as floats, so numeric columns are numeric)."""
        try:
            import pandas
        except ImportError:
            raise Her2graphError("a DataFrame needs pandas: pip install pandas") from None
        return pandas.DataFrame([[_for_pandas(row[name]) for name in self.columns] for row in self],
                                columns=self.columns)


def load(root: Path | str | None = None) -> Dataset:
    """The curated graph as an rdflib Dataset (its default graph is the union of the named graphs)."""
    return load_dataset(Path(root) if root is not None else None)


def query(name_or_text: str, dataset: Dataset | None = None):
    """Run a competency query (by name or number) or SPARQL text over the bundled graph, or over `dataset`.

    SELECT gives Rows, ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph.
    """
    from .local_query import run_query

    text = _sparql_of(name_or_text)
    store = store_from_dataset(dataset) if dataset is not None else _bundled_store(str(data_root()))
    result = run_query(store, text)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return bool(result)
    if isinstance(result, pyoxigraph.QueryTriples):
        graph = Graph()
        graph.parse(data=pyoxigraph.serialize(list(result), format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
        return graph
    columns = [variable.value for variable in result.variables]
    return Rows(columns, [{name: _python_value(solution[name]) for name in columns} for solution in result])


def queries() -> list[CompetencyQuery]:
    """The bundled competency queries (name, title, description, text)."""
    return competency_queries()


def _sparql_of(name_or_text: str) -> str:
    if any(character.isspace() for character in name_or_text.strip()) or "{" in name_or_text:
        return name_or_text
    return competency_query(name_or_text).text


@functools.lru_cache(maxsize=2)
def _bundled_store(root: str) -> pyoxigraph.Store:
    """One store per data folder and process: loading and converting the graph takes a second or two."""
    return store_from_dataset(load_dataset(Path(root)))


def _python_value(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        literal = Literal(term.value, lang=term.language,
                          datatype=None if term.language else URIRef(term.datatype.value))
        return literal.toPython() if literal.datatype else str(literal)
    return term.value


def _for_pandas(value):
    return float(value) if isinstance(value, decimal.Decimal) else value
