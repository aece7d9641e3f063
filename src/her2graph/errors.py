"""The exceptions her2graph raises on bad input: each carries a sentence that says what to do."""


class Her2graphError(Exception):
    """Base of every error her2graph reports to a user (never a traceback)."""


class DataFileError(Her2graphError):
    """A data file (ontology, facts, shapes, queries) is missing or cannot be parsed."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class SourceTextError(Her2graphError):
    """The review's source text is missing or is not the file the graph was curated from."""


class QueryError(Her2graphError):
    """A SPARQL query is malformed or not allowed."""


class ShapesError(Her2graphError):
    """The SHACL shapes are missing, malformed, or cannot be run by the validator."""


class ReasonerError(Her2graphError):
    """The OWL reasoner could not be run (no Java, or it failed for a reason other than an inconsistency)."""


class ReasonerUnavailable(ReasonerError):
    """Java, which HermiT needs, is not installed."""


class EvidenceError(Her2graphError):
    """An evidence file (evidence/*.yaml) cannot be compiled: the message names its file and line."""

    def __init__(self, path, line: int | None, reason: str):
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {reason}")


def one_line(error: object) -> str:
    """An error's message on one line (whitespace runs made single spaces), for a log line or a one-line report."""
    return " ".join(str(error).split())
