"""What a query must not do before it reaches the engine, read from its text alone (SPARQL 1.1 Query, §19).

The screen runs in the web process, in linear time, before any worker sees the query:
- federation: `SERVICE` makes Oxigraph open an HTTP connection to any address the query names, so a query
  the keyword could appear in is refused (SPARQL 1.1 Federated Query);
- the engine's stack: Oxigraph's parser and evaluator recurse once per nested group or bracket and once per
  link of a chain of UNION, OPTIONAL, MINUS or operators; a few thousand crash the process, so nesting depth
  and the number of such operators are capped;
- SPARQL Update text sent as a query is named as such, rather than left to a parser message.
It also reports the query form (SELECT, ASK, CONSTRUCT, DESCRIBE), which content negotiation needs before
evaluation.

Finding `SERVICE` must not be fooled by the places where SPARQL's lexical grammar is ambiguous. Oxigraph's
parser matches keywords as literal text, so `1SERVICE:`, `true SERVICE:x` or `?o.SERVICE<…>` all read as the
keyword; and inside an expression `<` may open an IRI or compare (`FILTER(1<2)SERVICE:#>` hides a SERVICE
inside what a naive lexer takes for an IRI). So every occurrence of the word in code is suspect unless it
sits inside a variable or a prefixed name, and every `<` that could be a comparison is followed both ways.
Query workers are also cut off from the network where the operating system allows (see engine.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError

MAX_NESTING_DEPTH = 64
"""Deepest nesting of { ( [ accepted. Oxigraph overflows its stack near 2,000 on an 8 MiB stack."""
MAX_OPERATORS = 1000
"""Most UNION, OPTIONAL, MINUS, FILTER and expression or path operators accepted in one query."""
MAX_IRI_LENGTH = 4096
"""Longest IRI accepted in a query or a protocol parameter (in characters)."""
SCREEN_WORK_FACTOR = 20
"""The ambiguity search may read the query at most this many times over before it gives up (and refuses)."""

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_CHAIN_KEYWORDS = {"UNION", "OPTIONAL", "MINUS", "FILTER"}
_OPERATORS = {"||", "&&", "!", "!=", "=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"}
_OPENING, _CLOSING = "{([", "})]"


class FederatedQueryRefused(QueryError):
    """The query may contain SERVICE: this service never connects to other servers."""


class QueryTooDeep(QueryError):
    """The query nests groups or brackets deeper than the engine can take."""


class QueryTooComplex(QueryError):
    """The query chains more operators than the engine can take, or defeats the screen itself."""


class IriTooLong(QueryError):
    """An IRI is longer than any this service takes."""


class NotAQuery(QueryError):
    """The text is a SPARQL Update, not a query."""


@dataclass(frozen=True)
class ScreenedQuery:
    """A query that passed the screen, with what the screen learnt about it."""

    text: str
    form: str | None
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None when the text has none (the engine's parser will say why)."""
    depth: int
    operators: int

    @property
    def gives_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def screen_query(text: str, max_depth: int = MAX_NESTING_DEPTH, max_operators: int = MAX_OPERATORS) -> ScreenedQuery:
    """The query with its form, or a QueryError saying why it cannot be evaluated here."""
    code = unescape_codepoints(text)
    reading = _Reading(code)
    if reading.uses_service or _service_reachable(code, reading.ambiguous_starts):
        raise FederatedQueryRefused(
            "this service does not evaluate SERVICE (federated queries): it never connects to other servers. "
            "Send that part of the query to the other endpoint yourself. (If 'service' is only part of a "
            "name here, write it inside a variable or a prefixed name such as ex:service.)")
    if reading.longest_iri > MAX_IRI_LENGTH:
        raise IriTooLong(f"the query has an IRI of {reading.longest_iri} characters; this service takes IRIs of "
                         f"at most {MAX_IRI_LENGTH}")
    if reading.max_depth > max_depth:
        raise QueryTooDeep(f"the query nests groups or brackets {reading.max_depth} deep; this service accepts "
                           f"at most {max_depth}")
    if reading.operators > max_operators:
        raise QueryTooComplex(f"the query has {reading.operators} UNION, OPTIONAL, MINUS, FILTER or operator "
                              f"signs; this service accepts at most {max_operators}: split it into several queries")
    if reading.form in UPDATE_KEYWORDS:
        raise NotAQuery(f"this is a SPARQL Update ({reading.form}); this service is read-only and answers "
                        f"queries only (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    form = reading.form if reading.form in QUERY_FORMS else None  # malformed: the parser will say how
    return ScreenedQuery(text, form, reading.max_depth, reading.operators)


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """The text with \\uXXXX and \\UXXXXXXXX replaced, as a SPARQL parser does before anything else (§19.2)."""
    def replace(match: re.Match) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group(0)
    return _CODEPOINT_ESCAPE.sub(replace, text)


# The terminals that matter here (§19.8). Anything else is read one character at a time.
_NAME_CHARS = "A-Za-z0-9_\u00b7\u00c0-\U000effff"
_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<variable>[?$][{_NAME_CHARS}]+)
  | (?P<word>[{_NAME_CHARS}:%\\][{_NAME_CHARS}:%\\.\-]*(?<!\.))
  | (?P<operator>\|\||&&|!=|<=|>=|\^\^|.)
""", re.VERBOSE | re.DOTALL)
_OPERAND_ENDS = ("variable", "string", "iri", "word")


class _Reading:
    """One pass over the query as a SPARQL lexer reads it: depth, operators, form, and suspicious spots."""

    def __init__(self, code: str):
        self.max_depth = self.operators = self.longest_iri = 0
        self.form: str | None = None
        self.ambiguous_starts: list[int] = []
        code_only: list[str] = []  # the query with comments, strings and IRIs blanked out, same length
        brackets: list[str] = []
        previous: tuple[str | None, str] = (None, "")
        position = 0
        while position < len(code):
            match = _TOKEN.match(code, position)
            kind, value = match.lastgroup, match.group()
            position = match.end()
            if kind == "operator" and value in "\"'":  # an unterminated string: the parser will refuse the query
                break
            code_only.append(" " * len(value) if kind in ("comment", "string", "iri") else value)
            if kind in ("space", "comment"):
                continue
            if kind == "iri":
                self.longest_iri = max(self.longest_iri, len(value) - 2)
            if kind == "iri" and brackets[-1:] == ["("] and _ends_operand(previous):
                # `?a<b>` inside an expression may also read as `?a < b >`: look at that reading too.
                self.ambiguous_starts.append(match.start() + 1)
            elif kind == "word":
                self._read_word(value)
            elif kind == "operator" and value in _OPENING:
                brackets.append(value)
                self.max_depth = max(self.max_depth, len(brackets))
            elif kind == "operator" and value in _CLOSING:
                if brackets:
                    brackets.pop()
            elif kind == "operator" and value in _OPERATORS:
                self.operators += 1
            previous = (kind, value)
        self.uses_service = _service_in_code("".join(code_only))

    def _read_word(self, word: str) -> None:
        keyword = word.upper()
        if keyword in _CHAIN_KEYWORDS:
            self.operators += 1
        if self.form is None and ":" not in word and keyword not in ("PREFIX", "BASE"):
            self.form = keyword


def _ends_operand(previous: tuple[str | None, str]) -> bool:
    kind, value = previous
    return kind in _OPERAND_ENDS or value in (")", "]")


_SERVICE = re.compile("service", re.IGNORECASE)
_VARIABLE_NAME_CHAR = re.compile(f"[{_NAME_CHARS}]")
_PREFIXED_NAME_CHAR = re.compile(rf"[{_NAME_CHARS}:%\\.\-]")


def _service_in_code(code: str) -> bool:
    """Whether `code` has the word SERVICE anywhere the parser could read it as the keyword."""
    return any(not _inside_a_name(code, match.start()) for match in _SERVICE.finditer(code))


def _inside_a_name(code: str, start: int) -> bool:
    """Whether the word at `start` continues a variable (?x…) or a prefixed name (ex:…), which absorb it."""
    index = start
    while index > 0 and _VARIABLE_NAME_CHAR.match(code[index - 1]):
        index -= 1
    if index > 0 and code[index - 1] in "?$":
        return True
    index = start
    while index > 0 and _PREFIXED_NAME_CHAR.match(code[index - 1]):
        index -= 1
        if code[index] == ":":
            return True
    return False


_PLAIN_CODE = re.compile(r"[^\"'#<]*")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LINE_END = re.compile(r"[\n\r]")
_STRING_END = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\n\r]|\\.)*"'),
    "'": re.compile(r"(?:[^'\\\n\r]|\\.)*'"),
}


def _service_reachable(code: str, starts: list[int]) -> bool:
    """Whether SERVICE is code under any reading that starts at one of `starts` in code.

    Each reading continues deterministically except at `<`, which is followed both as an IRI and as a
    comparison. Positions already explored are not explored again, so the search is linear in practice;
    a pathological query that makes it read too much is refused rather than let through.
    """
    budget = SCREEN_WORK_FACTOR * (len(code) + 100)
    explored: set[int] = set()
    pending = list(starts)
    while pending:
        position = pending.pop()
        if position in explored or position >= len(code):
            continue
        explored.add(position)
        run_end = _PLAIN_CODE.match(code, position).end()
        budget -= run_end - position + 1
        if budget < 0:
            raise QueryTooComplex("the query is too ambiguous to screen (many `<` inside expressions); "
                                  "put spaces around comparison signs")
        if _service_in_code(code[position:run_end]):
            return True
        if run_end == len(code):
            continue
        character = code[run_end]
        if character == "#":
            line_end = _LINE_END.search(code, run_end)
            if line_end:
                pending.append(line_end.end())
        elif character == "<":
            pending.append(run_end + 1)
            iri = _IRIREF.match(code, run_end)
            if iri:
                pending.append(iri.end())
        else:
            delimiter = code[run_end:run_end + 3] if code.startswith(character * 3, run_end) else character
            end = _STRING_END[delimiter].match(code, run_end + len(delimiter))
            if end:  # an unterminated string ends this reading: the parser would refuse it
                budget -= end.end() - run_end
                pending.append(end.end())
    return False
