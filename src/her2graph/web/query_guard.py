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
    volatile: bool = False
    """Whether the answer may differ from one evaluation to the next (NOW, RAND, UUID, STRUUID, BNODE)."""

    @property
    def gives_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def screen_query(text: str, max_depth: int = MAX_NESTING_DEPTH, max_operators: int = MAX_OPERATORS) -> ScreenedQuery:
    """The query with its form, or a QueryError saying why it cannot be evaluated here."""
    code = unescape_codepoints(text)
    reading = _Reading(code, max_depth)
    if reading.uses_service or (reading.suspicious and _service_reachable(code, reading.ambiguous_starts)):
        raise FederatedQueryRefused(
            "this service does not evaluate SERVICE (federated queries): it never connects to other servers. "
            "Send that part of the query to the other endpoint yourself. (If 'service' is only part of a "
            "name here, write it inside a variable or a prefixed name such as ex:service.)")
    if reading.longest_iri > MAX_IRI_LENGTH:
        raise IriTooLong(f"the query has an IRI of {reading.longest_iri} characters; this service takes IRIs of "
                         f"at most {MAX_IRI_LENGTH}")
    if reading.max_depth > max_depth:
        raise QueryTooDeep(f"the query nests groups or brackets more than {max_depth} deep; this service "
                           f"accepts at most {max_depth}")
    if reading.operators > max_operators:
        raise QueryTooComplex(f"the query has {reading.operators} UNION, OPTIONAL, MINUS, FILTER or operator "
                              f"signs; this service accepts at most {max_operators}: split it into several queries")
    if reading.form in UPDATE_KEYWORDS:
        raise NotAQuery(f"this is a SPARQL Update ({reading.form}); this service is read-only and answers "
                        f"queries only (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    form = reading.form if reading.form in QUERY_FORMS else None  # malformed: the parser will say how
    return ScreenedQuery(text, form, reading.max_depth, reading.operators, reading.volatile)


_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """The text with \\uXXXX and \\UXXXXXXXX replaced, as a SPARQL parser does before anything else (§19.2)."""
    def replace(match: re.Match) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group(0)
    return _CODEPOINT_ESCAPE.sub(replace, text)


# The terminals that matter here (§19.8), read in whole runs so that the Python work is per string, comment,
# IRI or run of brackets, not per character or per word: a 1 MB query is read in a few C-speed passes.
_NAME_CHARS = "A-Za-z0-9_\u00b7\u00c0-\U000effff"
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
"""PN_LOCAL_ESC (§19.8): inside a prefixed name, `ex:a\\#` and `ex:a\\'` are name characters, not a comment
or a string."""
_IRI_BODY = r'[^<>"{}|^`\\\x00-\x20]*>'
_STRING = (r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
           r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
           r'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
           r"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'")
_STRUCTURE = re.compile(rf"""
    (?P<comment>\#[^\n\r]*)
  | (?P<iri><{_IRI_BODY})
  | (?P<string>{_STRING})
  | (?P<brackets>[{{}}()\[\]]+)
  | (?P<code>(?:[^"'\#<{{}}()\[\]\\]+|{_LOCAL_ESCAPE}|\\|<(?!{_IRI_BODY}))+)
  | (?P<quote>["'])
""", re.VERBOSE | re.DOTALL)
_WORD = rf"(?:[{_NAME_CHARS}:%]|{_LOCAL_ESCAPE})(?:[{_NAME_CHARS}:%.\-]|{_LOCAL_ESCAPE})*(?<!(?<!\\)\.)"
_NAMES = re.compile(rf"[?$][{_NAME_CHARS}]+|(?:[{_NAME_CHARS}:%]+|{_LOCAL_ESCAPE})(?:[{_NAME_CHARS}:%.\-]+|{_LOCAL_ESCAPE})*")
_FIRST_WORDS = re.compile(rf"[?$][{_NAME_CHARS}]*|{_WORD}")
_BLANKED = re.compile(rf"(?P<escape>{_LOCAL_ESCAPE})|\#[^\n\r]*|<{_IRI_BODY}|{_STRING}", re.DOTALL)
"""Comments, IRIs and strings, to blank out in one C-speed pass (escapes kept: `ex:a\\'` opens no string)."""
_BRACKET = re.compile(r"[{}()\[\]]+")
_LONG_IRI = re.compile(rf'<[^<>"{{}}|^`\\\x00-\x20]{{{MAX_IRI_LENGTH + 1},}}>')
_CHAIN_WORDS = ("union", "optional", "minus", "filter")
_OPERAND_END = re.compile(rf"(?:[{_NAME_CHARS}:%\-]|{_LOCAL_ESCAPE})\Z")
"""The end of a run of code that may end an operand (a variable, a number, a name), so that a `<` after it
may be a comparison."""
_VOLATILE_NAMES = ("now", "rand", "uuid", "bnode")  # STRUUID contains UUID
_VOLATILE = re.compile(r"(?:now|rand|uuid|bnode)(?:\s|#[^\n\r]*)*+\(")  # possessive: no backtracking
"""SPARQL 1.1 Query §17.4: functions whose value differs between two evaluations (time, random, fresh
identifiers), wherever the text has their name before `(` (also in strings: too often is harmless)."""


class _Reading:
    """The query as a SPARQL lexer reads it: depth, operators, form, and the spots where readings differ.

    Most queries have no `service` outside names at all: then no reading can hold the keyword, and the text
    is read in a few C-speed passes (comments, strings and IRIs blanked by one substitution, brackets
    followed char by char). Only a query that has the word somewhere is read token by token, noting each
    IRI that may also read as a comparison, for _service_reachable to follow.
    """

    def __init__(self, code: str, max_depth: int = MAX_NESTING_DEPTH):
        self.max_depth = 0
        self.ambiguous_starts: list[int] = []
        self.suspicious = _service_in_code(code)
        code_only = self._tokens(code, max_depth) if self.suspicious else _BLANKED.sub(r"\g<escape> ", code)
        self.uses_service = self.suspicious and _service_in_code(code_only)
        if not self.suspicious:
            self._read_brackets("".join(_BRACKET.findall(code_only)), [], max_depth)
        self.form = _first_word(code_only)
        self.operators = _operator_count(code_only)
        self.longest_iri = max((len(iri) - 2 for iri in _LONG_IRI.findall(code)), default=0)
        lowered = code.lower()
        self.volatile = any(name in lowered for name in _VOLATILE_NAMES) and _VOLATILE.search(lowered) is not None

    def _tokens(self, code: str, max_depth: int) -> str:
        """The code with each comment, string and IRI replaced by a space, read token by token."""
        pieces: list[str] = []
        brackets: list[str] = []
        ends_operand = False  # whether the last token read may end an operand (comments do not count)
        for match in _STRUCTURE.finditer(code):
            kind, value = match.lastgroup, match.group()
            if kind == "quote":  # an unterminated string: the parser will refuse the query
                break
            pieces.append(" " if kind in ("comment", "string", "iri") else value)
            if kind == "iri":
                if brackets[-1:] == ["("] and ends_operand:
                    # `?a<b>` inside an expression may also read as `?a < b >`: look at that reading too.
                    self.ambiguous_starts.append(match.start() + 1)
                ends_operand = True
            elif kind == "string":
                ends_operand = True
            elif kind == "brackets":
                self._read_brackets(value, brackets, max_depth)
                if self.max_depth > max_depth:
                    break
                ends_operand = value[-1] in _CLOSING  # `)`, `]`, and `}` that ends EXISTS {…}
            elif kind == "code":
                text = value.rstrip()
                if text:
                    ends_operand = _OPERAND_END.search(text[-2:]) is not None
        return "".join(pieces)

    def _read_brackets(self, run: str, brackets: list[str], max_depth: int) -> None:
        """Follow a run of brackets on the stack; stop once deeper than max_depth (the query is refused)."""
        deepest = self.max_depth
        for bracket in run:
            if bracket in _OPENING:
                brackets.append(bracket)
                if len(brackets) > deepest:
                    deepest = len(brackets)
                    if deepest > max_depth:
                        break
            elif brackets:
                brackets.pop()
        self.max_depth = deepest


def _operator_count(code_only: str) -> int:
    """Operator signs and chain words (UNION, OPTIONAL, MINUS, FILTER), counted with str.count.

    Two-character signs count once; `-` inside names (ex:a-b) is not a sign. Chain words are counted inside
    names too (?filter): too many is the safe side of a cap.
    """
    stripped = _NAMES.sub(" ", code_only) if "-" in code_only else code_only
    signs = sum(stripped.count(sign) for sign in "!=<>+-*/|^") + stripped.count("&&")
    signs -= sum(stripped.count(pair) for pair in ("||", "!=", "<=", ">=")) + 2 * stripped.count("^^")
    lowered = code_only.lower()
    return signs + sum(lowered.count(word) for word in _CHAIN_WORDS)


def _first_word(code: str) -> str | None:
    """The query's first keyword after its prologue (PREFIX and BASE), upper-cased."""
    for match in _FIRST_WORDS.finditer(code):
        word = match.group()
        if word[0] in "?$" or ":" in word or word.upper() in ("PREFIX", "BASE"):
            continue
        return word.upper()
    return None


_SERVICE = re.compile("service", re.IGNORECASE)
_VARIABLE_NAME_CHAR = re.compile(f"[{_NAME_CHARS}]")
_PREFIXED_NAME_CHAR = re.compile(rf"[{_NAME_CHARS}:%\\.\-]")


def _service_in_code(code: str) -> bool:
    """Whether `code` has the word SERVICE anywhere the parser could read it as the keyword."""
    if "service" not in code.lower():
        return False
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


_PLAIN_CODE = re.compile(rf"(?:[^\"'#<\\]+|{_LOCAL_ESCAPE}|\\)*")
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
